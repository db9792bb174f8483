"""``kure-monitor agent``: the failure-detection agent (docs/agent-scanner.md#agent).

Entry points: :func:`main` (``argv`` → exit code) and :func:`run_agent` (settings + stop event).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Sequence
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from app.agent.settings import AgentSettings, EvidenceSettings, ReportingSettings
from app.core.clock import Clock
from app.incluster.backend import LeadershipLost, Outcome
from app.incluster.informer import Store
from app.incluster.lease import LeaseElector
from app.incluster.runtime import Session, run_component, run_main, start_component, supervise
from app.kube.access import KubeAccess
from app.kube.bodies import as_pod
from app.kube.errors import KubeConflict, KubeError, KubeNotFound, KubeRefused
from app.kube.reflector import Reflector, ReflectorOptions
from app.kube.resources import resource

from .classify import Timings
from .evidence import LogReadError, collect_logs, dismiss_body, report_body
from .outbox import Op, Outbox
from .tracker import AgentCore, Key, Policy

log = logging.getLogger("kure.agent")

CHECKPOINT_INTERVAL = 10.0
CHECKPOINT_MAX_BYTES = 900 * 1024
EXCLUSION_REFRESH_MIN = 10.0


class AgentMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.leader = Gauge("kure_agent_leader", "1 while this replica leads", registry=r)
        self.failing = Gauge("kure_agent_failing_pods", "Pods with an open report", ["reason"], registry=r)
        self.reports = Counter("kure_agent_reports_total", "Reports sent", ["outcome"], registry=r)
        self.dismissals = Counter("kure_agent_dismissals_total", "Dismissals sent", ["outcome"], registry=r)
        self.outbox_entries = Gauge("kure_agent_outbox_entries", "Outbox entries", registry=r)
        self.outbox_full = Gauge("kure_agent_outbox_full", "1 while the outbox is full", registry=r)
        self.dropped = Counter("kure_agent_dropped_total", "Dropped operations", ["what"], registry=r)
        self.relists = Counter("kure_agent_relists_total", "Relists", ["kind"], registry=r)
        self.kind_available = Gauge("kure_agent_kind_available", "Kind can be listed", ["kind"], registry=r)
        self.watch_restarts = Counter(
            "kure_agent_watch_restarts_total", "Watch restarts", ["kind", "cause"], registry=r
        )
        self.request_seconds = Histogram(
            "kure_agent_backend_request_seconds", "Backend request time", ["route"], registry=r
        )


def policy_of(reporting: ReportingSettings, evidence: EvidenceSettings) -> Policy:
    """The tracker's delivery policy: its timings from ``settings.reporting``; the events a report made from a
    frozen body carries are bounded like every report's (``settings.evidence``)."""
    return Policy(
        recovery=reporting.recovery,
        restart_recovery=reporting.restart_recovery,
        rereport_interval=reporting.rereport_interval,
        reason_change_delay=reporting.reason_change_delay,
        max_events=evidence.max_events,
    )


class AgentSession(Session):
    """Everything the leader runs; discarded at once when the lease is lost."""

    def __init__(
        self,
        settings: AgentSettings,
        kube: KubeAccess,
        elector: LeaseElector,
        metrics: AgentMetrics,
        clock: Clock,
        state: dict[str, Any],
    ) -> None:
        super().__init__(
            settings,
            kube,
            elector,
            clock,
            state,
            on_request=lambda route, seconds: metrics.request_seconds.labels(route=route).observe(seconds),
        )
        self.backend_settings = settings.backend
        self.cluster = settings.cluster
        self.evidence = settings.evidence
        self.sending = settings.sending
        #: The checkpoint ConfigMap lives in the pod's namespace.
        self.checkpoint_namespace = settings.pod.namespace
        self.checkpoint_name = settings.checkpoint.configmap
        self.secrets = (settings.backend.token,)
        self.metrics = metrics
        self.outbox = Outbox.from_settings(settings.outbox)
        self.core = AgentCore(
            timings=Timings.from_settings(settings.grace),
            policy=policy_of(settings.reporting, settings.evidence),
            outbox=self.outbox,
            clock=clock,
            exclusions=self.exclusions,
            secrets=self.secrets,
        )
        self.store = Store(
            ["Pod", "Event"], self._on_change, slim=self._slim, on_state=self._on_state, on_relist=self._on_relist
        )
        state["store"] = self.store
        self.wake = asyncio.Event()
        self.log_slots = asyncio.Semaphore(4)
        self._tasks: list[asyncio.Task[Any]] = []
        self._reflectors: list[asyncio.Task[Any]] = []
        self._last_refresh = -1e9
        self._checkpoint_rv: str | None = None
        self._checkpoint_written: str | None = None
        self._senders_idle = asyncio.Event()
        self._dropped_reported: dict[str, int] = {}

    # ------------------------------------------------------------------ inputs

    @staticmethod
    def _slim(kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        if kind == "Event":
            from .tracker import slim_event

            return slim_event(obj)
        return obj

    def _on_state(self, kind: str, state: str, error: str | None) -> None:
        self.metrics.kind_available.labels(kind=kind).set(0 if state in ("forbidden", "unavailable") else 1)
        if state == "backoff":
            self.metrics.watch_restarts.labels(kind=kind, cause="error").inc()

    def _on_relist(self, kind: str, reason: str) -> None:
        self.metrics.relists.labels(kind=kind).inc()
        if reason == "gone":
            self.metrics.watch_restarts.labels(kind=kind, cause="gone").inc()

    def _on_change(self, kind: str, event_type: str, obj: dict[str, Any]) -> None:
        if not self.store.synced.is_set() and event_type != "DELETED":
            # Before the first sync only the caches fill; reconciliation evaluates everything once.
            if kind == "Event":
                self.core.on_event(event_type, obj)
            return
        if kind == "Pod":
            if self.store.synced.is_set():
                self.core.on_pod(event_type, obj)
        else:
            self.core.on_event(event_type, obj)
        self.wake.set()

    # ------------------------------------------------------------------ backend lists

    async def _fetch_lists(self) -> None:
        ns = await self.backend.call("GET", "/api/admin/excluded-namespaces")
        pods = await self.backend.call("GET", "/api/admin/excluded-pods")
        changes = self.exclusions.replace(
            self.exclusions.parse_namespaces(ns.body or []) if ns.outcome is Outcome.OK else None,
            self.exclusions.parse_pods(pods.body or []) if pods.outcome is Outcome.OK else None,
        )
        self._last_refresh = self.clock.monotonic()
        for change in changes:
            self.core.reevaluate_matching(change.type, change.data)
        self.wake.set()

    async def _on_message(self, mtype: str, data: dict[str, Any]) -> None:
        if mtype in ("namespace_exclusion", "pod_exclusion"):
            self.core.apply_exclusion_change(mtype, data)
            self.wake.set()

    # ------------------------------------------------------------------ checkpoint

    def _cm_collection(self) -> str:
        return f"/api/v1/namespaces/{self.checkpoint_namespace}/configmaps"

    def _cm_path(self) -> str:
        return f"{self._cm_collection()}/{self.checkpoint_name}"

    def _cm_body(self, text: str) -> dict[str, Any]:
        return {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {
                "name": self.checkpoint_name,
                "namespace": self.checkpoint_namespace,
                "labels": {
                    "app.kubernetes.io/name": self.checkpoint_name,
                    "app.kubernetes.io/part-of": "kure-monitor",
                },
            },
            "data": {"state.json": text},
        }

    async def _create_checkpoint(self, text: str) -> bool:
        """Create the missing checkpoint ConfigMap (not deployed, or deleted). True when it exists now (an
        earlier leader may have created it meanwhile); a refusal is logged and the agent runs without one."""
        try:
            cm = await self.kube.call("POST", self._cm_collection(), body=self._cm_body(text), repeatable=True)
        except KubeConflict:
            return True
        except KubeError as exc:
            log.warning("checkpoint ConfigMap missing and not created (%s); running without a checkpoint", exc)
            return False
        log.info("created the checkpoint ConfigMap %s/%s", self.checkpoint_namespace, self.checkpoint_name)
        self._checkpoint_rv = str((cm.get("metadata") or {}).get("resourceVersion") or "")
        self._checkpoint_written = text
        return True

    async def _load_checkpoint(self) -> None:
        try:
            cm = await self.kube.call("GET", self._cm_path())
        except KubeNotFound:
            await self._create_checkpoint(json.dumps({"version": 1, "pods": {}}, sort_keys=True))
            return
        except KubeError as exc:
            log.warning("checkpoint ConfigMap unavailable (%s); running without a checkpoint", exc)
            return
        self._checkpoint_rv = str((cm.get("metadata") or {}).get("resourceVersion") or "")
        try:
            data = json.loads((cm.get("data") or {}).get("state.json") or "{}")
        except ValueError:
            log.warning("checkpoint unreadable; running without a checkpoint")
            return
        for name, entry in (data.get("pods") or {}).items():
            ns, _, pod = name.partition("/")
            if entry.get("uid") and entry.get("fingerprint"):
                self.core.seed((ns, pod), entry["uid"], entry.get("reason") or "", entry["fingerprint"])

    async def _write_checkpoint(self) -> None:
        pods = self.core.checkpoint()
        text = json.dumps({"version": 1, "pods": pods}, sort_keys=True)
        while len(text.encode()) > CHECKPOINT_MAX_BYTES and pods:
            pods.pop(next(iter(pods)))
            log.warning("checkpoint over 900 KiB: dropped the oldest entry")
            text = json.dumps({"version": 1, "pods": pods}, sort_keys=True)
        if text == self._checkpoint_written:
            return
        for _ in range(3):
            body = self._cm_body(text)
            if self._checkpoint_rv:
                body["metadata"]["resourceVersion"] = self._checkpoint_rv
            try:
                # Repeatable: with the resourceVersion a second copy can only meet a conflict, handled below.
                cm = await self.kube.call("PUT", self._cm_path(), body=body, repeatable=True)
            except KubeNotFound:
                if not await self._create_checkpoint(text) or self._checkpoint_written == text:
                    return  # refused, or created with this very content
                self._checkpoint_rv = None  # created by someone else meanwhile: overwrite it
                continue
            except KubeConflict:
                # Someone wrote meanwhile (an earlier leader): read the version again; our view wins.
                with contextlib.suppress(KubeError):
                    current = await self.kube.call("GET", self._cm_path())
                    self._checkpoint_rv = str((current.get("metadata") or {}).get("resourceVersion") or "")
                continue
            except KubeError as exc:
                log.warning("checkpoint write failed: %s", exc)
                return
            self._checkpoint_rv = str((cm.get("metadata") or {}).get("resourceVersion") or "")
            self._checkpoint_written = text
            return

    async def _checkpoint_loop(self) -> None:
        while True:
            await asyncio.sleep(CHECKPOINT_INTERVAL)
            await self._write_checkpoint()

    # ------------------------------------------------------------------ sending

    async def _read_log(self, namespace: str, pod: str, container: str, previous: bool) -> str:
        query: list[tuple[str, str | int | bool]] = [
            ("container", container),
            ("tailLines", self.evidence.log_lines),
            ("limitBytes", self.evidence.log_bytes),
        ]
        if previous:
            query.append(("previous", True))
        try:
            return await self.kube.text(f"/api/v1/namespaces/{namespace}/pods/{pod}/log", query=query, read_timeout=10)
        except KubeRefused as err:
            if err.status == 403:
                raise LogReadError("forbidden") from err
            raise LogReadError(f"{err.status} {err.message or err.reason}".strip()) from err
        except KubeError as err:
            raise LogReadError("Kubernetes API unreachable") from err

    async def _send(self, key: Key, op: Op) -> None:
        if op.kind == "dismiss":
            result = await self.backend.call("POST", "/api/pods/dismiss-deleted", dismiss_body(*key),
                                             idempotency_key=op.delivery_key)
            outcome = "accepted" if result.outcome is not Outcome.DROPPED else "dropped"
            self.metrics.dismissals.labels(outcome=outcome).inc()
            if result.outcome is Outcome.DROPPED:
                self.metrics.dropped.labels(what="permanent_error").inc()
            self.core.delivered_dismiss(key)
            return
        track = self.core.tracks.get(key)
        pod = self.core.pods.get(key)
        if op.tombstone is not None:
            body = op.tombstone
            fp, reason = op.fingerprint, str(body.get("failure_reason") or "")

            def slim() -> dict[str, Any]:
                return {**body, "manifest": "", "logs": ""}
        else:
            if pod is None or track is None or track.verdict is None:
                return
            verdict = track.verdict
            fp, reason = track.desired_fp, verdict.reason
            sections = await collect_logs(
                pod, verdict, self._read_log, semaphore=self.log_slots, byte_limit=self.evidence.log_bytes
            )
            events = self.core.pod_events(pod)
            body = report_body(pod, verdict, events, sections, max_events=self.evidence.max_events,
                               secrets=self.secrets)  # fmt: skip

            def slim() -> dict[str, Any]:
                return report_body(pod, verdict, events, sections, max_events=self.evidence.max_events,
                                   secrets=self.secrets, slim=True)  # fmt: skip

        result = await self.backend.call("POST", "/api/pods/failed", body, slim=slim,
                                         idempotency_key=op.delivery_key)
        if result.outcome is Outcome.OK:
            self.metrics.reports.labels(outcome="accepted").inc()
            self.core.delivered_report(key, fp, reason)
        elif result.outcome is Outcome.EXCLUDED:
            self.metrics.reports.labels(outcome="excluded").inc()
            self.core.delivered_report(key, fp, reason, excluded=True)
            if self.clock.monotonic() - self._last_refresh >= EXCLUSION_REFRESH_MIN:
                self._spawn(self._fetch_lists())
        else:
            self.metrics.reports.labels(outcome="dropped").inc()
            self.metrics.dropped.labels(what="permanent_error").inc()
            self.core.delivered_report(key, fp, reason)

    async def _sender(self) -> None:
        while True:
            key = self.outbox.next_key()
            if key is None:
                self.wake.clear()
                self._update_gauges()
                if self.outbox.next_key() is None:
                    if not self.outbox.in_flight:
                        self._senders_idle.set()
                    await self.wake.wait()
                continue
            self._senders_idle.clear()
            op = self.outbox.head(key)
            if op is None:
                continue
            self.outbox.in_flight.add(key)
            try:
                await self._send(key, op)
            finally:
                self.outbox.in_flight.discard(key)
            self.outbox.done(key, op)
            self.core.refill()
            self.wake.set()

    async def _timers(self) -> None:
        while True:
            self.core.run_due()
            self.wake.set()
            nxt = self.core.next_timer()
            delay = 1.0 if nxt is None else max(0.0, min(1.0, nxt - self.clock.monotonic()))
            await asyncio.sleep(delay)

    def _update_gauges(self) -> None:
        self.metrics.outbox_entries.set(len(self.outbox))
        self.metrics.outbox_full.set(1 if self.outbox.full else 0)
        counts: dict[str, int] = {}
        for track in self.core.tracks.values():
            if track.open and track.verdict is not None:
                counts[track.verdict.reason] = counts.get(track.verdict.reason, 0) + 1
        self.metrics.failing.clear()
        for reason, count in counts.items():
            self.metrics.failing.labels(reason=reason).set(count)
        for what, count in self.outbox.dropped.items():
            reported = self._dropped_reported.get(what, 0)
            if count > reported:
                self.metrics.dropped.labels(what=what).inc(count - reported)
                self._dropped_reported[what] = count

    def _spawn(self, coro: Any) -> None:
        self._tasks.append(asyncio.ensure_future(coro))

    # ------------------------------------------------------------------ lifecycle

    async def run(self) -> None:
        from app.incluster.ws import Subscriber

        await self.backend.start()
        try:
            await self._load_checkpoint()
            await self._fetch_lists()
            ws = Subscriber.from_settings(self.backend_settings, self._on_message, self._fetch_lists)
            self._spawn(ws.run())
            options = ReflectorOptions.from_settings(self.cluster)
            event_options = ReflectorOptions.from_settings(self.cluster, field_selector="involvedObject.kind=Pod")
            api = await self.kube.require()
            self._reflectors = [
                asyncio.ensure_future(Reflector(api, resource("Pod"), self.store, options).run()),
                asyncio.ensure_future(Reflector(api, resource("Event"), self.store, event_options).run()),
            ]
            await self.store.synced.wait()
            for key, pod in self.store.caches["Pod"].items():
                self.core.pods[key] = as_pod(pod)
            self.core.reconcile()
            for _ in range(self.sending.concurrency):
                self._spawn(self._sender())
            self._spawn(self._timers())
            self._spawn(self._checkpoint_loop())
            self.wake.set()
            await supervise(self._reflectors, self._tasks)
        except LeadershipLost:
            log.warning("leadership lost while sending")
        finally:
            await self._cancel_all()
            await self.backend.close()

    async def _cancel_all(self) -> None:
        for task in self._reflectors + self._tasks:
            task.cancel()
        await asyncio.gather(*self._reflectors, *self._tasks, return_exceptions=True)

    async def shutdown(self) -> None:
        """SIGTERM: stop the informers, keep sending up to the flush time, write the checkpoint."""
        for task in self._reflectors:
            task.cancel()
        await asyncio.gather(*self._reflectors, return_exceptions=True)
        self.wake.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._flushed(), self.sending.shutdown_flush_seconds)
        with contextlib.suppress(Exception):
            await self._write_checkpoint()

    async def _flushed(self) -> None:
        while len(self.outbox) or self.outbox.in_flight:
            self._senders_idle.clear()
            self.wake.set()
            await self._senders_idle.wait()


async def run_agent(
    settings: AgentSettings,
    stop: asyncio.Event | None = None,
    *,
    clock: Clock | None = None,
    health_host: str = "0.0.0.0",
    started: asyncio.Event | None = None,
) -> None:
    """Run the agent until ``stop`` is set (SIGTERM/SIGINT in :func:`main`)."""
    stop = stop or asyncio.Event()
    clock = clock or Clock()
    metrics = AgentMetrics()
    state: dict[str, Any] = {}
    kube, elector, health = await start_component(settings, clock, metrics.registry, state, health_host)
    if started is not None:
        started.set()

    await run_component(
        elector,
        lambda: AgentSession(settings, kube, elector, metrics, clock, state),
        stop,
        metrics.leader,
        state,
        health,
        kube,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``kure-monitor agent``: exit 0 after SIGTERM/SIGINT, 2 on invalid configuration, 1 on a fatal error."""
    del argv  # configuration comes from the environment only (docs/agent-scanner.md#agent-configuration)
    return run_main(AgentSettings, lambda s, stop: run_agent(s, stop))
