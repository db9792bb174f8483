"""``kure-monitor scanner``: the security scanner (docs/agent-scanner.md#scanner).

Entry points: :func:`main` (``argv`` → exit code) and :func:`run_scanner` (settings + stop event).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from prometheus_client import CollectorRegistry, Counter, Gauge

from app.core.backoff import Backoff
from app.core.clock import Clock
from app.incluster.backend import LeadershipLost, Outcome
from app.incluster.exclusions import parse_registries, registry_changes
from app.incluster.informer import Store
from app.incluster.lease import LeaseElector
from app.incluster.runtime import Session, run_component, run_main, start_component, supervise
from app.kube.access import KubeAccess
from app.kube.bodies import KubeObject, as_object
from app.kube.images import parse_image
from app.kube.reflector import Reflector, ReflectorOptions
from app.scanner.settings import ScannerSettings

from .checks import CATALOGUE
from .checks.base import PT_KINDS
from .engine import EvaluationErrors, digest, evaluate_object, finding_body, manifest_hash, manifest_text, plan
from .scope import (
    EVALUATED_KINDS,
    WATCHED_KINDS,
    ResourceRef,
    build_context,
    dependants,
    in_scope,
    key_of,
    ref_of,
    resource_kind,
)

log = logging.getLogger("kure.scanner")

CacheKey = tuple[str, tuple[str, str]]  # (kind, (namespace, name))
_NEEDS_KIND = {
    "network_policies": "NetworkPolicy",
    "pod_disruption_budgets": "PodDisruptionBudget",
    "service_accounts": "ServiceAccount",
    "limit_ranges": "LimitRange",
    "resource_quotas": "ResourceQuota",
}


class ScannerMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.leader = Gauge("kure_scanner_leader", "1 while this replica leads", registry=r)
        self.posted = Counter("kure_scanner_findings_posted_total", "Findings posted", ["outcome"], registry=r)
        self.deletes = Counter("kure_scanner_resource_deletes_total", "Resource deletes", registry=r)
        self.scans = Counter("kure_scanner_full_scans_total", "Full scans", ["reason", "outcome"], registry=r)
        self.last_scan = Gauge("kure_scanner_last_full_scan_seconds", "Last full scan duration", registry=r)
        self.evaluations = Counter("kure_scanner_evaluations_total", "Evaluations", ["kind"], registry=r)
        self.dirty = Gauge("kure_scanner_dirty_resources", "Dirty resources", registry=r)
        self.check_errors = Counter("kure_scanner_check_errors_total", "Check errors", ["check_name"], registry=r)
        self.kind_available = Gauge("kure_scanner_kind_available", "Kind can be listed", ["kind"], registry=r)
        self.watch_restarts = Counter(
            "kure_scanner_watch_restarts_total", "Watch restarts", ["kind", "cause"], registry=r
        )


@dataclass
class Posted:
    """What the backend was told about one resource (docs/agent-scanner.md#incremental-rescans)."""

    digests: dict[str, str] = field(default_factory=dict)
    excluded: set[str] = field(default_factory=set)
    manifest: str = ""
    untrusted_images: list[str] = field(default_factory=list)


def _strip_status(kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    """The caches hold objects without status (docs/agent-scanner.md#scanner-deployment); a Namespace keeps its phase
    (Terminating is skipped)."""
    if kind != "Namespace":
        obj.pop("status", None)
    return obj


class ScannerSession(Session):
    def __init__(
        self,
        settings: ScannerSettings,
        kube: KubeAccess,
        elector: LeaseElector,
        metrics: ScannerMetrics,
        clock: Clock,
        state: dict[str, Any],
    ) -> None:
        super().__init__(settings, kube, elector, clock, state)
        self.backend_settings = settings.backend
        self.cluster = settings.cluster
        self.scanning_settings = settings.scanning
        self.secrets = (settings.backend.token,)
        self.metrics = metrics
        self.backend_registries: set[str] = set()
        self.store = Store(
            WATCHED_KINDS,
            self._on_change,
            slim=_strip_status,
            on_state=self._on_state,
            on_relist=lambda kind, reason: (
                self.metrics.watch_restarts.labels(kind=kind, cause="gone").inc() if reason == "gone" else None
            ),
        )
        state["store"] = self.store
        self.posted: dict[ResourceRef, Posted] = {}
        self.known: dict[CacheKey, ResourceRef] = {}
        self.dirty: dict[CacheKey, tuple[float, float]] = {}
        self.slots = asyncio.Semaphore(self.scanning_settings.post_concurrency)
        self.resource_locks: dict[ResourceRef, asyncio.Lock] = {}
        self.errors = EvaluationErrors()
        self.scanning = False
        self.scan_requests: list[str] = []
        self.scan_wake = asyncio.Event()
        self.dirty_wake = asyncio.Event()
        self._tasks: list[asyncio.Task[Any]] = []
        self._reflectors: list[asyncio.Task[Any]] = []
        self.idle = asyncio.Event()
        state["session"] = self

    # ------------------------------------------------------------------ state helpers

    @property
    def trusted(self) -> frozenset[str]:
        return frozenset(self.backend_registries | set(self.scanning_settings.trusted_registries))

    def _on_state(self, kind: str, state: str, error: str | None) -> None:
        self.metrics.kind_available.labels(kind=kind).set(0 if state in ("forbidden", "unavailable") else 1)
        if state == "backoff":
            self.metrics.watch_restarts.labels(kind=kind, cause="error").inc()

    def _mark(self, ck: CacheKey) -> None:
        now = self.clock.monotonic()
        first, _ = self.dirty.get(ck, (now, now))
        self.dirty[ck] = (first, now)
        self.metrics.dirty.set(len(self.dirty))
        self.dirty_wake.set()

    def _on_change(self, kind: str, event_type: str, raw: dict[str, Any]) -> None:
        if not self.store.synced.is_set():
            return
        obj = as_object(raw)
        if kind in EVALUATED_KINDS:
            self._mark((kind, key_of(obj)))
        if kind == "Namespace":
            return
        for ref in dependants(obj, self.store.caches):
            self._mark(self._cache_key(ref))

    @staticmethod
    def _cache_key(ref: ResourceRef) -> CacheKey:
        if ref.kind == "Namespace":
            return ("Namespace", ("", ref.name))
        return (ref.kind, (ref.namespace, ref.name))

    def _objects(self, kinds: Sequence[str] | frozenset[str] = EVALUATED_KINDS) -> list[CacheKey]:
        return [(kind, key) for kind in kinds for key in list(self.store.caches.get(kind, {}))]

    # ------------------------------------------------------------------ evaluation and sending

    def _path(self, ref: ResourceRef) -> str:
        ns = ref.namespace or "_"
        return (
            f"/api/security/findings/resource/{quote(ref.kind, safe='')}/{quote(ns, safe='')}/"
            f"{quote(ref.name, safe='')}"
        )

    async def _delete(self, ref: ResourceRef, checks: Sequence[str] | None = None) -> None:
        params = {"check_name": ",".join(checks)} if checks else None
        await self.backend.call("DELETE", self._path(ref), params=params)
        self.metrics.deletes.inc()

    async def process(self, ck: CacheKey) -> None:
        kind, key = ck
        raw = self.store.caches.get(kind, {}).get(key)
        obj = as_object(raw) if raw is not None else None
        if obj is None or not in_scope(obj, self.exclusions.namespaces):
            ref = self.known.pop(ck, None)
            if ref is None:
                return
            if obj is not None and self.exclusions.namespace_excluded(ref.namespace):
                self.posted.pop(ref, None)
                return
            async with self._lock(ref):
                await self._delete(ref)
                self.posted.pop(ref, None)
            return
        ref = ref_of(obj)
        self.known[ck] = ref
        ctx = build_context(obj, self.store.caches, self.trusted)
        findings = evaluate_object(obj, ctx, disabled=self._disabled(), errors=self.errors)
        self.metrics.evaluations.labels(kind=kind).inc()
        manifest = manifest_text(obj, self.scanning_settings.manifest_max_bytes, self.secrets)
        posted = self.posted.get(ref) or Posted()
        changed = manifest_hash(manifest) != posted.manifest
        steps = plan(findings, posted.digests, changed and bool(posted.digests))
        if not steps.delete_checks and not steps.post and not changed:
            return
        async with self._lock(ref):
            if steps.delete_checks:
                await self._delete(ref, steps.delete_checks)
                for name in steps.delete_checks:
                    posted.digests.pop(name, None)
                    posted.excluded.discard(name)
            await asyncio.gather(*(self._post(obj, ref, f, manifest, posted) for f in steps.post))
            posted.manifest = manifest_hash(manifest)
            for f in findings:
                if f.check_name == "untrusted_registry":
                    posted.untrusted_images = list(f.details.get("images") or [])
            self.posted[ref] = posted

    async def _post(self, obj: KubeObject, ref: ResourceRef, finding: Any, manifest: str, posted: Posted) -> None:
        body = finding_body(obj, finding, manifest)
        async with self.slots:
            result = await self.backend.call(
                "POST", "/api/security/findings", body, slim=lambda: {**body, "manifest": ""}
            )
        outcome = {Outcome.OK: "stored", Outcome.EXCLUDED: "excluded", Outcome.DROPPED: "dropped"}[result.outcome]
        self.metrics.posted.labels(outcome=outcome).inc()
        posted.digests[finding.check_name] = digest(finding)
        if result.outcome is Outcome.EXCLUDED:
            posted.excluded.add(finding.check_name)

    def _disabled(self) -> set[str]:
        """Configured-off checks, plus those whose context kind cannot be listed (docs/agent-scanner.md#full-scan: they
        are skipped)."""
        off = set(self.scanning_settings.disabled_checks)
        missing = {field for field, kind in _NEEDS_KIND.items() if not self.store.available(kind)}
        if missing:
            off |= {c.check_name for c in CATALOGUE if c.needs & missing}
        return off

    def _lock(self, ref: ResourceRef) -> asyncio.Lock:
        lock = self.resource_locks.get(ref)
        if lock is None:
            lock = self.resource_locks[ref] = asyncio.Lock()
        return lock

    async def _process_many(self, keys: Sequence[CacheKey]) -> None:
        """Evaluate with a bounded pool of workers that yield between objects, so a scan of a large cluster
        never starves the event loop (the lease renewal runs on it)."""
        queue = list(reversed(keys))

        async def worker() -> None:
            while queue:
                await self.process(queue.pop())
                await asyncio.sleep(0)

        workers = min(len(queue), 2 * self.scanning_settings.post_concurrency)
        await asyncio.gather(*(worker() for _ in range(workers)))

    # ------------------------------------------------------------------ full scans (docs/agent-scanner.md#full-scan)

    def request_scan(self, reason: str) -> None:
        self.scan_requests.append(reason)
        self.scan_wake.set()

    async def _status(self, status: str, reason: str) -> None:
        await self.backend.call("POST", "/api/security/rescan-status", {"status": status, "reason": reason})

    async def full_scan(self, reason: str) -> bool:
        """Run one full scan; False when a lasting configuration error (401/403) aborted it."""
        await self.store.synced.wait()
        self.scanning = True
        scan = asyncio.ensure_future(self._scan_steps(reason))
        abort = float(self.scanning_settings.scan_abort_seconds)
        try:
            while not scan.done():
                await asyncio.wait({scan}, timeout=1.0)
                since = self.backend.auth_failing_since
                if not scan.done() and since is not None and self.clock.monotonic() - since >= abort:
                    scan.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await scan
                    log.error("full scan (%s) aborted: the backend has refused the token for %.0f s", reason, abort)
                    await self.backend.try_once(
                        "POST", "/api/security/rescan-status", {"status": "failed", "reason": reason}
                    )
                    self.metrics.scans.labels(reason=reason, outcome="failed").inc()
                    return False
            scan.result()
            return True
        finally:
            if not scan.done():
                scan.cancel()
            elif not scan.cancelled():
                scan.exception()  # retrieved here; full_scan re-raised it already when it mattered
            self.scanning = False
            self.dirty_wake.set()

    async def _scan_steps(self, reason: str) -> None:
        t0 = self.clock.monotonic()
        await self._status("started", reason)
        await self.backend.call("POST", "/api/security/scan/clear")
        self.posted.clear()
        keys = self._objects()
        for ck in keys:
            self.dirty.pop(ck, None)
        await self._process_many(keys)
        await self._status("completed", reason)
        duration = max(0.0, self.clock.monotonic() - t0)
        await self.backend.call("POST", "/api/metrics/security-scan-duration", {"duration_seconds": duration})
        self.metrics.scans.labels(reason=reason, outcome="completed").inc()
        self.metrics.last_scan.set(duration)

    async def _scan_loop(self) -> None:
        retry = Backoff(60.0, 1800.0, jitter=0.0)
        while True:
            await self.scan_wake.wait()
            self.scan_wake.clear()
            if not self.scan_requests:
                continue
            # Triggers that arrived meanwhile merge into one further scan.
            reason = self.scan_requests[0]
            self.scan_requests.clear()
            if await self.full_scan(reason):
                retry.reset()
                continue
            self._spawn_retry(reason, retry.next_delay())

    def _spawn_retry(self, reason: str, delay: float) -> None:
        async def later() -> None:
            await asyncio.sleep(delay)
            self.request_scan(reason)

        self._tasks.append(asyncio.ensure_future(later()))

    async def _dirty_loop(self) -> None:
        debounce = float(self.scanning_settings.debounce_seconds)
        longest = float(self.scanning_settings.debounce_max_seconds)
        while True:
            if self.scanning or not self.dirty:
                self.idle.set()
                self.dirty_wake.clear()
                await self.dirty_wake.wait()
                continue
            self.idle.clear()
            now = self.clock.monotonic()
            due = [ck for ck, (first, last) in self.dirty.items() if now - last >= debounce or now - first >= longest]
            if not due:
                soonest = min(min(last + debounce, first + longest) for first, last in self.dirty.values())
                self.dirty_wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.dirty_wake.wait(), max(0.01, soonest - now))
                continue
            for ck in due:
                self.dirty.pop(ck, None)
            self.metrics.dirty.set(len(self.dirty))
            await self._process_many(due)

    # --------------------------------------------------- lists and messages (docs/agent-scanner.md#websocket-reactions)

    async def _fetch_lists(self) -> list[tuple[str, dict[str, Any]]]:
        ns = await self.backend.call("GET", "/api/admin/excluded-namespaces")
        regs = await self.backend.call("GET", "/api/security/trusted-registries")
        namespaces = self.exclusions.parse_namespaces(ns.body or []) if ns.outcome is Outcome.OK else None
        changes = [(c.type, c.data) for c in self.exclusions.replace(namespaces)]
        new_regs = parse_registries(regs.body or []) if regs.outcome is Outcome.OK else self.backend_registries
        changes += [(c.type, c.data) for c in registry_changes(self.backend_registries, new_regs)]
        self.backend_registries = new_regs
        return changes

    async def _on_connect(self) -> None:
        changes = await self._fetch_lists()
        for mtype, data in changes:
            await self._react(mtype, data, refetched=True)

    async def _on_message(self, mtype: str, data: dict[str, Any]) -> None:
        if mtype == "security_rescan_request":
            self.request_scan("manual")
        elif mtype in ("trusted_registry_change", "namespace_exclusion"):
            await self._react(mtype, data, refetched=False)

    async def _react(self, mtype: str, data: dict[str, Any], *, refetched: bool) -> None:
        await self.store.synced.wait()
        if mtype == "trusted_registry_change":
            if not refetched:
                await self._fetch_lists()
            registry = str(data.get("registry") or "").lower()
            await self._status("started", "trusted_registry_change")
            if data.get("action") == "added":
                # The backend already deleted the matching untrusted_registry findings (docs/api.md#trusted-registries).
                for posted in self.posted.values():
                    if any(self._matches(img, registry) for img in posted.untrusted_images):
                        posted.digests.pop("untrusted_registry", None)
                        posted.excluded.discard("untrusted_registry")
            await self._process_many(self._objects(PT_KINDS))
            await self._status("completed", "trusted_registry_change")
        elif mtype == "namespace_exclusion":
            namespace = str(data.get("namespace") or "")
            if data.get("action") == "excluded":
                self.exclusions.namespaces.add(namespace)
                for ref in [r for r in self.posted if r.namespace == namespace]:
                    self.posted.pop(ref, None)
                for ck in [ck for ck, ref in self.known.items() if ref.namespace == namespace]:
                    self.known.pop(ck, None)
                    self.dirty.pop(ck, None)
            elif data.get("action") == "included":
                self.exclusions.namespaces.discard(namespace)
                await self._status("started", "namespace_included")
                keys = [
                    ck
                    for ck in self._objects()
                    if (ck[0] == "Namespace" and ck[1][1] == namespace)
                    or (ck[0] != "Namespace" and ck[1][0] == namespace)
                ]
                for ck in keys:
                    known = self.known.get(ck)
                    if known is not None:
                        self.posted.pop(known, None)
                await self._process_many(keys)
                await self._status("completed", "namespace_included")

    @staticmethod
    def _matches(image: str, registry: str) -> bool:
        ref = parse_image(image)
        return ref is not None and (ref.registry == registry or ref.name.startswith(registry + "/"))

    # ------------------------------------------------------------------ lifecycle

    async def run(self) -> None:
        from app.incluster.ws import Subscriber

        await self.backend.start()
        try:
            for mtype, data in await self._fetch_lists():
                log.debug("initial list: %s %s", mtype, data)
            ws = Subscriber.from_settings(self.backend_settings, self._on_message, self._on_connect)
            self._tasks.append(asyncio.ensure_future(ws.run()))
            options = ReflectorOptions.from_settings(self.cluster)
            api = await self.kube.require()
            self._reflectors = [
                asyncio.ensure_future(Reflector(api, resource_kind(kind), self.store, options).run())
                for kind in WATCHED_KINDS
            ]
            await self.store.synced.wait()
            self.request_scan("startup")
            self._tasks += [asyncio.ensure_future(self._scan_loop()), asyncio.ensure_future(self._dirty_loop())]
            await supervise(self._reflectors, self._tasks)
        except LeadershipLost:
            log.warning("leadership lost while sending")
        finally:
            for task in self._reflectors + self._tasks:
                task.cancel()
            await asyncio.gather(*self._reflectors, *self._tasks, return_exceptions=True)
            await self.backend.close()
            for name, count in self.errors.counts.items():
                self.metrics.check_errors.labels(check_name=name).inc(count)

    async def shutdown(self) -> None:
        for task in self._reflectors:
            task.cancel()
        await asyncio.gather(*self._reflectors, return_exceptions=True)


async def run_scanner(
    settings: ScannerSettings,
    stop: asyncio.Event | None = None,
    *,
    clock: Clock | None = None,
    health_host: str = "0.0.0.0",
    state: dict[str, Any] | None = None,
) -> None:
    """Run the scanner until ``stop`` is set. SIGHUP (in :func:`main`) requests a full scan."""
    stop = stop or asyncio.Event()
    clock = clock or Clock()
    state = state if state is not None else {}
    metrics = ScannerMetrics()
    state["metrics"] = metrics
    kube, elector, health = await start_component(settings, clock, metrics.registry, state, health_host)

    def on_hup() -> None:
        session = state.get("session")
        if session is not None:
            session.request_scan("manual")

    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop.add_signal_handler(signal.SIGHUP, on_hup)

    try:
        await run_component(
            elector,
            lambda: ScannerSession(settings, kube, elector, metrics, clock, state),
            stop,
            metrics.leader,
            state,
            health,
            kube,
        )
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.remove_signal_handler(signal.SIGHUP)


def main(argv: Sequence[str] | None = None) -> int:
    """``kure-monitor scanner``: exit 0 after SIGTERM/SIGINT, 2 on invalid configuration, 1 on a fatal error."""
    del argv  # configuration comes from the environment only (docs/agent-scanner.md#scanner-configuration-and-metrics)
    return run_main(ScannerSettings, lambda s, stop: run_scanner(s, stop))
