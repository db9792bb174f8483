"""The agent's level-triggered core: what it watches, when it reports, re-reports and dismisses, its outbox, exclusions
and checkpoint (docs/agent-scanner.md#agent).

:class:`AgentCore` holds the pod and event caches, one :class:`PodTrack` per pod key, the timers and the outbox.
It performs no I/O: the runtime feeds it watch changes and timer ticks, and delivers what it queues. Time comes
from an injectable clock, so tests move time instead of sleeping.
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.core.clock import Clock
from app.incluster.exclusions import ExclusionState
from app.kube.bodies import Event, Pod, all_container_statuses, as_event, as_pod

from .classify import (
    Failing,
    Healthy,
    NotYet,
    PodMemo,
    Timings,
    evaluate,
    event_last_time,
    fingerprint,
    is_mirror,
    recovery_seconds,
)
from .evidence import report_body
from .outbox import Outbox

log = logging.getLogger("kure.agent.tracker")

Key = tuple[str, str]

EVENTS_PER_POD = 50
EVENTS_TOTAL = 100_000
EVENT_TTL_SECONDS = 3600
_EVENT_FIELDS = ("involvedObject", "type", "reason", "message", "count", "series", "firstTimestamp",
                 "lastTimestamp", "eventTime")  # fmt: skip


@dataclass(frozen=True)
class Policy:
    """The delivery timings, in seconds (docs/agent-scanner.md#recovery-and-dismissal,
    docs/agent-scanner.md#re-report-cadence)."""

    recovery: float = 120
    restart_recovery: float = 600
    rereport_interval: float = 300
    reason_change_delay: float = 30
    max_events: int = 20


@dataclass
class PodTrack:
    key: Key
    uid: str
    memo: PodMemo
    verdict: Failing | None = None
    desired_fp: str | None = None
    delivered_fp: str | None = None
    delivered_reason: str | None = None
    open: bool = False  # a report was delivered or queued and no dismissal followed
    last_report: float | None = None  # monotonic time the last report was queued
    fp_changed_at: float | None = None
    reported_reason: str | None = None
    healthy_since: float | None = None
    healthy_restarts: int = 0
    excluded: bool = False


def slim_event(event: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a raw event the agent keeps (its caches hold many events)."""
    out: dict[str, Any] = {k: event[k] for k in _EVENT_FIELDS if k in event}
    meta = event.get("metadata") or {}
    out["metadata"] = {k: meta[k] for k in ("name", "uid", "creationTimestamp") if k in meta}
    return out


def _event_id(event: Event) -> str:
    meta = event.get("metadata") or {}
    return str(meta.get("uid") or meta.get("name") or id(event))


def _restart_total(pod: Pod) -> int:
    return sum(int(cs.get("restartCount") or 0) for cs in all_container_statuses(pod.get("status") or {}))


class AgentCore:
    def __init__(
        self,
        *,
        timings: Timings,
        policy: Policy,
        outbox: Outbox,
        clock: Clock,
        exclusions: ExclusionState | None = None,
        secrets: tuple[str, ...] = (),
        on_dismissed: Callable[[Key], None] | None = None,
    ) -> None:
        self.timings = timings
        self.policy = policy
        self.outbox = outbox
        self.clock = clock
        self.exclusions = exclusions or ExclusionState()
        self.secrets = secrets
        self.pods: dict[Key, Pod] = {}
        self.events: dict[str, dict[str, Event]] = {}
        self.events_total = EVENTS_TOTAL
        self._event_count = 0
        self.tracks: dict[Key, PodTrack] = {}
        self._timers: list[tuple[float, Key]] = []
        self._timer_set: set[tuple[float, Key]] = set()
        self._on_dismissed = on_dismissed

    # ------------------------------------------------------------------ inputs

    def on_pod(self, event_type: str, obj: Mapping[str, Any]) -> None:
        """A watch change of a pod, raw as the reflector hands it over."""
        pod = as_pod(obj)
        meta = pod.get("metadata") or {}
        key = (str(meta.get("namespace") or ""), str(meta.get("name") or ""))
        if event_type == "DELETED":
            current = self.pods.get(key)
            if current is not None and (current.get("metadata") or {}).get("uid") == meta.get("uid"):
                del self.pods[key]
            self._deleted(key, pod)
            return
        track = self.tracks.get(key)
        if track is not None and track.uid != meta.get("uid"):
            # A new uid under the same name means the old pod is gone.
            old = self.pods.get(key, pod)
            self.pods.pop(key, None)
            self._deleted(key, old)
        self.pods[key] = pod
        self.evaluate(key)

    def on_event(self, event_type: str, obj: Mapping[str, Any]) -> None:
        """A watch change of an event, raw as the reflector hands it over."""
        event = as_event(obj)
        involved = event.get("involvedObject") or {}
        uid = str(involved.get("uid") or "")
        if not uid:
            return
        bucket = self.events.setdefault(uid, {})
        if event_type == "DELETED":
            self._event_count -= 1 if bucket.pop(_event_id(event), None) is not None else 0
        else:
            eid = _event_id(event)
            self._event_count += 0 if eid in bucket else 1
            bucket[eid] = as_event(slim_event(event))
            if len(bucket) > EVENTS_PER_POD:
                oldest = sorted(bucket, key=lambda k: event_last_time(bucket[k]) or 0.0)
                for k in oldest[: len(bucket) - EVENTS_PER_POD]:
                    del bucket[k]
                    self._event_count -= 1
            if self._event_count > self.events_total:
                self._evict_events()
        key = (str(involved.get("namespace") or ""), str(involved.get("name") or ""))
        pod = self.pods.get(key)
        if pod is not None and (pod.get("metadata") or {}).get("uid") == uid:
            self.evaluate(key)

    def _evict_events(self) -> None:
        """Over the cluster-wide cap: drop the oldest tenth of all cached events (amortised, rarely runs)."""
        everything = [
            (event_last_time(e) or 0.0, uid, eid) for uid, bucket in self.events.items() for eid, e in bucket.items()
        ]
        everything.sort()
        excess = len(everything) - self.events_total + self.events_total // 10
        for _, uid, eid in everything[: max(0, excess)]:
            del self.events[uid][eid]
        self.events = {uid: bucket for uid, bucket in self.events.items() if bucket}
        self._event_count = sum(len(b) for b in self.events.values())

    def pod_events(self, pod: Pod) -> list[Event]:
        uid = str((pod.get("metadata") or {}).get("uid") or "")
        bucket = self.events.get(uid) or {}
        horizon = self.clock.now().timestamp() - EVENT_TTL_SECONDS
        for k in [k for k, e in bucket.items() if (event_last_time(e) or horizon) < horizon]:
            del bucket[k]
        return list(bucket.values())

    # ------------------------------------------------------------------ timers

    def _at(self, mono: float, key: Key) -> None:
        item = (mono, key)
        if item not in self._timer_set:
            self._timer_set.add(item)
            heapq.heappush(self._timers, item)

    def next_timer(self) -> float | None:
        return self._timers[0][0] if self._timers else None

    def run_due(self) -> int:
        now = self.clock.monotonic()
        done = 0
        while self._timers and self._timers[0][0] <= now:
            item = heapq.heappop(self._timers)
            self._timer_set.discard(item)
            if item[1] in self.pods:
                self.evaluate(item[1])
            done += 1
        return done

    # ------------------------------------------------------------------ evaluation

    def _skip(self, key: Key, pod: Pod) -> bool:
        return is_mirror(pod) or self.exclusions.pod_excluded(*key)

    def evaluate(self, key: Key) -> None:
        pod = self.pods.get(key)
        if pod is None:
            return
        if self._skip(key, pod):
            self._forget(key)
            return
        uid = str((pod.get("metadata") or {}).get("uid") or "")
        track = self.tracks.get(key)
        if track is None:
            track = self.tracks[key] = PodTrack(key, uid, PodMemo(uid=uid))
        now_mono = self.clock.monotonic()
        now_wall = self.clock.now().timestamp()
        verdict = evaluate(track.memo, pod, self.pod_events(pod), now_wall, self.timings)
        if isinstance(verdict, Failing):
            track.healthy_since = None
            self._failing(track, pod, verdict, now_mono)
        elif isinstance(verdict, Healthy):
            self._healthy(track, pod, verdict, now_mono)
        else:
            track.healthy_since = None
            if isinstance(verdict, NotYet) and verdict.deadline is not None:
                self._at(now_mono + max(0.0, verdict.deadline - now_wall), key)

    def _failing(self, track: PodTrack, pod: Pod, verdict: Failing, now: float) -> None:
        fp = fingerprint(pod, verdict)
        track.verdict = verdict
        track.desired_fp = fp
        queued = self._queued_fp(track)
        if track.open and (queued or track.delivered_fp) == fp:
            track.fp_changed_at = None
            return
        if not track.open or queued is not None or track.last_report is None:
            # First report, or one still waiting to be sent: evidence is built at send time anyway.
            self._queue_report(track, fp, now)
            return
        if track.fp_changed_at is None:
            track.fp_changed_at = now
        if verdict.reason != track.reported_reason:
            due = track.fp_changed_at + self.policy.reason_change_delay
        else:
            due = track.last_report + self.policy.rereport_interval
        if now >= due:
            self._queue_report(track, fp, now)
        else:
            self._at(due, track.key)

    def _queued_fp(self, track: PodTrack) -> str | None:
        op = self.outbox.queued_report(track.key)
        return op.fingerprint if op is not None else None

    def _queue_report(self, track: PodTrack, fp: str, now: float) -> None:
        track.open = True
        track.reported_reason = track.verdict.reason if track.verdict else track.reported_reason
        track.last_report = now
        track.fp_changed_at = None
        self.outbox.push_report(track.key, fp)

    def _healthy(self, track: PodTrack, pod: Pod, verdict: Healthy, now: float) -> None:
        if not track.open:
            track.healthy_since = None
            return
        if verdict.succeeded:
            self._dismiss(track)
            return
        restarts = _restart_total(pod)
        if track.healthy_since is None or restarts > track.healthy_restarts:
            track.healthy_since, track.healthy_restarts = now, restarts
        reason = track.delivered_reason or (track.verdict.reason if track.verdict else "")
        period = recovery_seconds(reason, self.policy.recovery, self.policy.restart_recovery)
        if now >= track.healthy_since + period:
            self._dismiss(track)
        else:
            self._at(track.healthy_since + period, track.key)

    def _dismiss(self, track: PodTrack) -> None:
        track.open = False
        track.desired_fp = None
        track.verdict = None
        track.healthy_since = None
        track.last_report = None
        track.memo = PodMemo(uid=track.uid)
        self.outbox.push_dismiss(track.key)

    def _deleted(self, key: Key, pod: Pod) -> None:
        track = self.tracks.pop(key, None)
        if track is None or not track.open:
            return
        op = self.outbox.queued_report(key)
        if track.verdict is not None and ((op is not None and op.tombstone is None) or key in self.outbox.overflow):
            body = report_body(pod, track.verdict, self.pod_events(pod), [], max_events=self.policy.max_events,
                               secrets=self.secrets)  # fmt: skip
            if op is not None:
                self.outbox.freeze(key, body)
            else:
                # Waiting for room: it still has to be recorded before it is resolved.
                self.outbox.push_tombstone(key, track.desired_fp or "", body)
        self.outbox.push_dismiss(key)
        uid = str((pod.get("metadata") or {}).get("uid") or "")
        self._event_count -= len(self.events.pop(uid, {}))

    def _forget(self, key: Key) -> None:
        """Excluded: drop tracking and queued operations without a dismissal (docs/api.md#exclusions)."""
        self.tracks.pop(key, None)
        self.outbox.drop(key)
        if self._on_dismissed is not None:
            self._on_dismissed(key)

    # ------------------------------------------------------------- exclusions (docs/agent-scanner.md#agent-exclusions)

    def apply_exclusion_change(self, message_type: str, data: Mapping[str, Any]) -> None:
        if not self.exclusions.apply(message_type, data):
            return
        self.reevaluate_matching(message_type, data)

    def reevaluate_matching(self, message_type: str, data: Mapping[str, Any]) -> None:
        namespace = data.get("namespace")
        pattern = data.get("pod_name")
        from app.incluster.exclusions import PodPattern

        for key in list(self.pods):
            if message_type == "namespace_exclusion" and key[0] != namespace:
                continue
            if message_type == "pod_exclusion" and not PodPattern(str(pattern), namespace or None).matches(*key):
                continue
            self.evaluate(key)

    # ------------------------------------------------------------------ delivery results

    def delivered_report(self, key: Key, fp: str | None, reason: str, *, excluded: bool = False) -> None:
        track = self.tracks.get(key)
        if track is None:
            return
        track.delivered_fp = fp
        track.delivered_reason = reason
        track.excluded = excluded

    def delivered_dismiss(self, key: Key) -> None:
        track = self.tracks.get(key)
        if track is not None and not track.open:
            track.delivered_fp = None
            track.delivered_reason = None

    def refill(self) -> None:
        """Queue again the dirty keys that waited for room in the outbox."""
        while True:
            key = self.outbox.pop_overflow()
            if key is None:
                return
            track = self.tracks.get(key)
            if track is None or track.desired_fp is None:
                continue
            self.outbox.push_report(key, track.desired_fp)

    # ------------------------------------------------------ checkpoint (docs/agent-scanner.md#delivery-and-checkpoint)

    def seed(self, key: Key, uid: str, reason: str, fp: str) -> None:
        """A report the backend confirmed before this leader started."""
        track = PodTrack(key, uid, PodMemo(uid=uid), open=True, delivered_fp=fp, delivered_reason=reason,
                         desired_fp=fp, reported_reason=reason, last_report=self.clock.monotonic())  # fmt: skip
        self.tracks[key] = track

    def reconcile(self) -> None:
        for key, track in list(self.tracks.items()):
            pod = self.pods.get(key)
            if pod is None or (pod.get("metadata") or {}).get("uid") != track.uid:
                self.tracks.pop(key, None)
                self.outbox.push_dismiss(key)
        for key in list(self.pods):
            self.evaluate(key)

    def checkpoint(self) -> dict[str, dict[str, str]]:
        return {
            f"{k[0]}/{k[1]}": {"uid": t.uid, "reason": t.delivered_reason or "", "fingerprint": t.delivered_fp}
            for k, t in self.tracks.items()
            if t.open and t.delivered_fp
        }
