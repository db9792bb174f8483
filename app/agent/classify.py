"""Pure failure classification of one pod (agent-scanner.md §1.3-§1.5).

``classify(pod, events, memo, now, timings)`` reads a pod dict as the API server serves it (camelCase), the
cached core/v1 events whose ``involvedObject.uid`` is the pod's uid, the per-uid :class:`PodMemo` and ``now``
as epoch seconds. It returns :class:`Healthy`, :class:`NotYet` (with the deadline of the grace period it waits
out, or ``None`` when only a change of the pod can make it fail) or :class:`Failing`.

``classify`` never mutates its inputs. The bookkeeping around it is explicit: :func:`observe` records restart
rises before classification, :func:`remember` stamps the first observation of every condition the verdict
consulted and the reason that was decided. :func:`evaluate` chains the three; the tracker and tests use it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.timefmt import iso, parse_timestamp

Obj = Mapping[str, Any]

MIRROR_LABEL = "kure.io/mirror"

# Reasons about a container that keeps restarting (§1.5): their recovery needs the longer period.
RESTART_BASED_REASONS = frozenset(
    {
        "OOMKilled",
        "LivenessProbeFailed",
        "StartupProbeFailed",
        "RunContainerError",
        "CrashLoopBackOff",
        "RepeatedRestarts",
    }
)
# Reasons for which a container actually ran, so logs are worth reading (§1.7).
RAN_REASONS = RESTART_BASED_REASONS | {
    "Error",
    "Failed",
    "Evicted",
    "DeadlineExceeded",
    "ReadinessProbeFailed",
}
# Container rows 8-12 and 21: the reasons that hold through the short running windows of a crash loop (§1.3).
_HOLDING_ROWS = frozenset({8, 9, 10, 11, 12, 21})
_NOT_FAILURE_WAITING = frozenset({"ContainerCreating", "PodInitializing"})
_MAX_REASON = 128


@dataclass(frozen=True)
class Timings:
    """The grace periods and thresholds of §1.12, in seconds."""

    short_grace: float = 30
    pending_grace: float = 120
    scaleup_grace: float = 600
    gated_grace: float = 900
    slow_pull_grace: float = 600
    readiness_grace: float = 300
    terminating_grace: float = 300
    restart_threshold: int = 3
    restart_window: float = 1800


@dataclass(frozen=True)
class Healthy:
    """§1.5 healthy: Succeeded, or Running with every regular container running and ready and none waiting."""

    observed: frozenset[str] = frozenset()
    succeeded: bool = False


@dataclass(frozen=True)
class NotYet:
    """Unhealthy but not (yet) a failure; ``deadline`` is when a grace period ends, if one is running."""

    deadline: float | None
    observed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Failing:
    reason: str
    container: str | None
    message: str
    row: int
    observed: frozenset[str] = frozenset()


Verdict = Healthy | NotYet | Failing


@dataclass
class PodMemo:
    """Per-uid tracking record the classification reads (§1.3, §1.4)."""

    uid: str = ""
    first_seen: dict[str, float] = field(default_factory=dict)
    restart_counts: dict[str, int] = field(default_factory=dict)
    rises: dict[str, list[float]] = field(default_factory=dict)
    last_pull_error: dict[str, str] = field(default_factory=dict)
    pull_backoff_containers: set[str] = field(default_factory=set)
    last_failing: Failing | None = None


# ----------------------------------------------------------------------------------------------------
# small readers


def ts(value: Any) -> float | None:
    """A Kubernetes timestamp as epoch seconds; ``None`` for missing or unparseable values."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_timestamp(value).timestamp()
    except ValueError:
        return None


def fmt_ts(epoch: float | None) -> str:
    if epoch is None:
        return "unknown"
    from datetime import UTC, datetime

    return iso(datetime.fromtimestamp(epoch, UTC)) or "unknown"


def event_last_time(event: Obj) -> float | None:
    series = event.get("series") or {}
    for value in (
        event.get("lastTimestamp"),
        series.get("lastObservedTime"),
        event.get("eventTime"),
        event.get("firstTimestamp"),
        (event.get("metadata") or {}).get("creationTimestamp"),
    ):
        parsed = ts(value)
        if parsed is not None:
            return parsed
    return None


def event_first_time(event: Obj) -> float | None:
    for value in (
        event.get("firstTimestamp"),
        event.get("eventTime"),
        (event.get("metadata") or {}).get("creationTimestamp"),
        event.get("lastTimestamp"),
    ):
        parsed = ts(value)
        if parsed is not None:
            return parsed
    return None


_FIELD_PATH = re.compile(r"^spec\.(?:initContainers|containers|ephemeralContainers)\{([^}]*)\}")


def event_container(event: Obj) -> str | None:
    """The container an event is about, from ``involvedObject.fieldPath`` (``spec.containers{app}``)."""
    path = (event.get("involvedObject") or {}).get("fieldPath") or ""
    match = _FIELD_PATH.match(path)
    return match.group(1) if match else None


def _newest(events: Sequence[Obj]) -> Obj | None:
    best: Obj | None = None
    best_t = float("-inf")
    for event in events:
        t = event_last_time(event) or 0.0
        if best is None or t >= best_t:
            best, best_t = event, t
    return best


def _events(
    events: Sequence[Obj],
    *,
    reason: str | None = None,
    type_: str | None = None,
    container: str | None = None,
) -> list[Obj]:
    out = []
    for event in events:
        if reason is not None and event.get("reason") != reason:
            continue
        if type_ is not None and event.get("type") != type_:
            continue
        if container is not None and event_container(event) != container:
            continue
        out.append(event)
    return out


def last_termination(status: Obj | None) -> Obj | None:
    """``state.terminated`` when terminated now, else ``lastState.terminated`` (§1.3 terms)."""
    if not status:
        return None
    current = (status.get("state") or {}).get("terminated")
    if current:
        return current
    return (status.get("lastState") or {}).get("terminated") or None


def _waiting(status: Obj | None) -> Obj | None:
    if not status:
        return None
    return (status.get("state") or {}).get("waiting") or None


def _running(status: Obj | None) -> bool:
    return bool(status and (status.get("state") or {}).get("running") is not None)


def _statuses(pod: Obj, key: str) -> dict[str, Obj]:
    return {s.get("name", ""): s for s in (pod.get("status") or {}).get(key) or []}


def _is_sidecar(container: Obj) -> bool:
    return container.get("restartPolicy") == "Always"


def _memory_limit(container: Obj | None) -> str:
    if not container:
        return "none"
    return str(((container.get("resources") or {}).get("limits") or {}).get("memory") or "none")


def _exit(term: Obj | None) -> str:
    if not term:
        return "Unknown (exit code unknown)"
    return f"{term.get('reason') or 'Unknown'} (exit code {term.get('exitCode', 'unknown')})"


# ----------------------------------------------------------------------------------------------------
# bookkeeping around classify


def observe(memo: PodMemo, pod: Obj, now: float) -> None:
    """Record every ``restartCount`` rise (§1.4) and the pull errors rows 15-16 need."""
    status = pod.get("status") or {}
    for key in ("initContainerStatuses", "containerStatuses"):
        for cs in status.get(key) or []:
            name = cs.get("name", "")
            count = int(cs.get("restartCount") or 0)
            rises = memo.rises.setdefault(name, [])
            previous = memo.restart_counts.get(name)
            if previous is None:
                # Rises before the agent first saw the pod count only as one restart, at the last finish.
                if count > 0:
                    finished = ts(((cs.get("lastState") or {}).get("terminated") or {}).get("finishedAt"))
                    rises.append(finished if finished is not None else now)
            elif count > previous:
                rises.extend([now] * (count - previous))
            memo.restart_counts[name] = count
            waiting = _waiting(cs)
            if waiting and waiting.get("reason") == "ErrImagePull" and waiting.get("message"):
                memo.last_pull_error[name] = str(waiting["message"])


def remember(memo: PodMemo, verdict: Verdict, now: float) -> None:
    for key in verdict.observed:
        memo.first_seen.setdefault(key, now)
    # Conditions that are no longer observed start over when they come back.
    for key in list(memo.first_seen):
        if key not in verdict.observed:
            del memo.first_seen[key]
    if isinstance(verdict, Failing):
        memo.last_failing = verdict
        if verdict.reason.removeprefix("Init:") == "ImagePullBackOff" and verdict.container:
            memo.pull_backoff_containers.add(verdict.container)
    elif isinstance(verdict, Healthy) and verdict.succeeded:
        # Short healthy windows of a crash loop keep the held reason; only the tracker's recovery clears it.
        memo.last_failing = None
        memo.pull_backoff_containers.clear()


def evaluate(memo: PodMemo, pod: Obj, events: Sequence[Obj], now: float, timings: Timings | None = None) -> Verdict:
    timings = timings or Timings()
    observe(memo, pod, now)
    verdict = classify(pod, events, memo, now, timings)
    remember(memo, verdict, now)
    return verdict


def restarts_in_window(memo: PodMemo, container: str, now: float, timings: Timings) -> int:
    return sum(1 for t in memo.rises.get(container, []) if t >= now - timings.restart_window)


# ----------------------------------------------------------------------------------------------------
# classification


class _Ctx:
    """What one classification run reads, plus the condition keys it consulted (for :func:`remember`)."""

    def __init__(self, pod: Obj, events: Sequence[Obj], memo: PodMemo, now: float, timings: Timings) -> None:
        self.pod = pod
        self.events = events
        self.memo = memo
        self.now = now
        self.t = timings
        self.observed: set[str] = set()

    def start(self, key: str, k8s_time: float | None) -> float:
        """A grace period starts at the earlier of the Kubernetes time and the first observation (§1.4)."""
        self.observed.add(key)
        first = self.memo.first_seen.get(key, self.now)
        return first if k8s_time is None else min(first, k8s_time)

    def after(self, key: str, k8s_time: float | None, grace: float) -> float | None:
        """``None`` when the grace period is over, else its deadline."""
        deadline = self.start(key, k8s_time) + grace
        return None if self.now >= deadline else deadline


@dataclass(frozen=True)
class _Row:
    row: int
    reason: str
    message: str
    deadline: float | None = None  # set: matches, waits out a grace period
    waits: bool = False  # matches, reported only after more restarts (rows 9-10)


def _container_row(ctx: _Ctx, spec: Obj, cs: Obj | None, prefix: str) -> _Row | None:
    """Rows 8-20 for one container (regular, sidecar or init). Row 21 is handled by the caller."""
    name = spec.get("name", "")
    now, t = ctx.now, ctx.t
    term = last_termination(cs)
    waiting = _waiting(cs)
    wreason = (waiting or {}).get("reason")
    wmsg = str((waiting or {}).get("message") or "")
    restarts = int((cs or {}).get("restartCount") or 0)
    key = f"{prefix}{name}"

    # Row 8: OOM kill as the last termination.
    if term and term.get("reason") == "OOMKilled":
        finished = ts(term.get("finishedAt"))
        recent = finished is not None and finished >= now - t.restart_window
        if recent or not _running(cs):
            return _Row(
                8,
                "OOMKilled",
                f"Container '{name}' was OOMKilled (exit code {term.get('exitCode', 137)}, memory limit "
                f"{_memory_limit(spec)}); restarts: {restarts}",
            )

    # Rows 9-10: the kubelet killed the previous instance because a probe failed.
    if term:
        started = ts(term.get("startedAt"))
        for row, probe, reason in (
            (9, "liveness", "LivenessProbeFailed"),
            (10, "startup", "StartupProbeFailed"),
        ):
            kills = [
                e
                for e in _events(ctx.events, reason="Killing", container=name)
                if f"failed {probe} probe" in str(e.get("message") or "")
                and (started is None or (event_last_time(e) or 0) >= started)
            ]
            if not kills:
                continue
            unhealthy = [
                e
                for e in _events(ctx.events, reason="Unhealthy", container=name)
                if str(e.get("message") or "").lower().startswith(f"{probe} probe failed")
            ]
            newest = _newest(unhealthy) or _newest(kills)
            detail = str((newest or {}).get("message") or "")
            message = f"Container '{name}' restarted {restarts} times by its {probe} probe: {detail}"
            in_backoff = wreason == "CrashLoopBackOff"
            if in_backoff or restarts_in_window(ctx.memo, name, now, t) >= t.restart_threshold:
                return _Row(row, reason, message)
            return _Row(row, reason, message, waits=True)

    # Row 11: the container could not be started.
    if wreason == "RunContainerError" or (term and term.get("reason") in ("StartError", "ContainerCannotRun")):
        # The termination message stays the same through the back-off; the waiting message may not.
        term_msg = (
            str((term or {}).get("message") or "")
            if (term or {}).get("reason") in ("StartError", "ContainerCannotRun")
            else ""
        )
        message = term_msg or wmsg
        return _Row(11, "RunContainerError", message or f"Container '{name}' could not be started")

    if wreason == "CrashLoopBackOff":
        finished_at = fmt_ts(ts((term or {}).get("finishedAt")))
        return _Row(
            12,
            "CrashLoopBackOff",
            f"Back-off restarting failed container '{name}' (restarts: {restarts}); last termination: "
            f"{_exit(term)} at {finished_at}",
        )
    if wreason == "InvalidImageName":
        return _Row(13, "InvalidImageName", wmsg)
    if wreason == "ErrImageNeverPull":
        return _Row(14, "ErrImageNeverPull", wmsg)
    held_pull = name in ctx.memo.pull_backoff_containers
    if wreason == "ImagePullBackOff" or (wreason == "ErrImagePull" and held_pull):
        failed = _newest(_events(ctx.events, reason="Failed", type_="Warning", container=name))
        message = (
            ctx.memo.last_pull_error.get(name)
            or (wmsg if wreason == "ErrImagePull" else "")
            or str((failed or {}).get("message") or "")
            or wmsg
        )
        return _Row(15, "ImagePullBackOff", message)
    short_rows = {"ErrImagePull": 16, "CreateContainerConfigError": 17, "CreateContainerError": 18}
    if wreason and wreason not in _NOT_FAILURE_WAITING:
        row = short_rows.get(wreason, 19)
        deadline = ctx.after(f"waiting:{key}:{wreason}", None, t.short_grace)
        return _Row(row, wreason, wmsg or f"Container '{name}' is waiting: {wreason}", deadline=deadline)

    # Row 20: a non-zero exit that the kubelet will not restart, before the pod turns Failed.
    pod_policy = ((ctx.pod.get("spec") or {}).get("restartPolicy")) or "Always"
    current_term = ((cs or {}).get("state") or {}).get("terminated")
    if current_term and int(current_term.get("exitCode") or 0) != 0 and pod_policy == "Never" and not _is_sidecar(spec):
        return _Row(20, "Error", f"Container '{name}' terminated: {_exit(current_term)}")
    return None


def _restarted_recently(ctx: _Ctx, name: str, cs: Obj | None) -> bool:
    if restarts_in_window(ctx.memo, name, ctx.now, ctx.t) > 0:
        return True
    finished = ts(((cs or {}).get("lastState") or {}).get("terminated", {}).get("finishedAt"))
    return finished is not None and finished >= ctx.now - ctx.t.restart_window


def _regular_row(ctx: _Ctx, spec: Obj, cs: Obj | None) -> _Row | None:
    """Rows 8-21 for a regular container or sidecar, with the hold rule of §1.3."""
    name = spec.get("name", "")
    row = _container_row(ctx, spec, cs, "c:")
    if row is not None:
        return row
    count = restarts_in_window(ctx.memo, name, ctx.now, ctx.t)
    if count >= ctx.t.restart_threshold:
        # A crash loop caught in a running window keeps its reason instead of turning into row 21. Once the
        # container is running and ready again the recovery hysteresis (§1.5) decides, not row 21.
        held = ctx.memo.last_failing
        if (
            held is not None
            and held.container == name
            and held.row in _HOLDING_ROWS
            and _restarted_recently(ctx, name, cs)
        ):
            if _running(cs) and (cs or {}).get("ready"):
                return None
            return _Row(held.row, held.reason, held.message)
        minutes = int(ctx.t.restart_window // 60)
        return _Row(
            21,
            "RepeatedRestarts",
            f"Container '{name}' restarted {count} times in the last {minutes} min; last termination: "
            f"{_exit(last_termination(cs))}",
        )
    return None


def _pick(rows: list[tuple[str, _Row]]) -> tuple[str, _Row] | None:
    """Reportable rows win over rows in a grace period; then the lowest row, then spec order."""
    reportable = [(n, r) for n, r in rows if r.deadline is None and not r.waits]
    pool = reportable or [(n, r) for n, r in rows if r.deadline is not None]
    if not pool:
        return None
    return min(pool, key=lambda item: item[1].row)


def _also_failing(chosen: str, rows: list[tuple[str, _Row]]) -> str:
    others = [f"'{n}' ({r.reason})" for n, r in rows if n != chosen and r.deadline is None and not r.waits][:3]
    return "".join(f"; also failing: {o}" for o in others)


def classify(pod: Obj, events: Sequence[Obj], memo: PodMemo, now: float, timings: Timings) -> Verdict:
    """The first matching row of §1.3 decides. Pure: reads its arguments only."""
    ctx = _Ctx(pod, events, memo, now, timings)
    verdict = _classify(ctx)
    observed = frozenset(ctx.observed)
    if isinstance(verdict, Failing):
        reason = verdict.reason[:_MAX_REASON]
        return Failing(reason, verdict.container, verdict.message, verdict.row, observed)
    if isinstance(verdict, NotYet):
        return NotYet(verdict.deadline, observed)
    return Healthy(observed, verdict.succeeded)


def _classify(ctx: _Ctx) -> Verdict:
    pod, t = ctx.pod, ctx.t
    meta = pod.get("metadata") or {}
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    phase = status.get("phase") or "Pending"
    preason = str(status.get("reason") or "")
    pmessage = str(status.get("message") or "")

    # Row 1: a pod being deleted is judged only on how long the deletion takes.
    deletion = meta.get("deletionTimestamp")
    if deletion:
        due = ts(deletion) or ctx.now
        stuck_at = due + t.terminating_grace
        if ctx.now < stuck_at:
            return NotYet(stuck_at)
        running = [s.get("name", "") for s in status.get("containerStatuses") or [] if _running(s)]
        finalizers = list(meta.get("finalizers") or [])
        return Failing(
            "StuckTerminating",
            None,
            f"Pod stuck terminating: deletion due at {deletion}; finalizers: "
            f"{', '.join(finalizers) or 'none'}; containers still running: {', '.join(running) or 'none'}",
            1,
        )

    if phase == "Succeeded":
        return Healthy(succeeded=True)

    if phase == "Failed" and preason:
        if preason == "Evicted":
            return Failing("Evicted", None, pmessage or "Pod was evicted", 2)
        if preason == "DeadlineExceeded":
            return Failing(
                "DeadlineExceeded",
                None,
                f"{pmessage} (activeDeadlineSeconds: {spec.get('activeDeadlineSeconds')})",
                3,
            )
        return Failing(preason[:_MAX_REASON], None, pmessage, 4)

    init_statuses = _statuses(pod, "initContainerStatuses")
    regular_statuses = _statuses(pod, "containerStatuses")
    init_specs = list(spec.get("initContainers") or [])

    # Row 5: the first failing non-sidecar init container blocks the whole pod.
    for c in init_specs:
        if _is_sidecar(c):
            continue
        row = _container_row(ctx, c, init_statuses.get(c.get("name", "")), "i:")
        if row is None:
            continue
        name = c.get("name", "")
        message = f"Init container '{name}': {row.message}"
        if row.waits:
            return NotYet(None)
        if row.deadline is not None:
            return NotYet(row.deadline)
        return Failing(f"Init:{row.reason}", name, message, 5)

    regular = [c for c in init_specs if _is_sidecar(c)] + list(spec.get("containers") or [])

    def status_of(c: Obj) -> Obj | None:
        name = c.get("name", "")
        return regular_statuses.get(name) or init_statuses.get(name)

    if phase == "Failed":
        for c in regular:
            term = last_termination(status_of(c))
            if term and term.get("reason") == "OOMKilled":
                row = _container_row(ctx, c, status_of(c), "c:")
                restarts = int((status_of(c) or {}).get("restartCount") or 0)
                msg = (
                    row.message
                    if row and row.row == 8
                    else (
                        f"Container '{c.get('name')}' was OOMKilled (exit code "
                        f"{term.get('exitCode', 137)}, memory limit {_memory_limit(c)}); restarts: {restarts}"
                    )
                )
                return Failing("OOMKilled", c.get("name"), msg, 6)
        parts = []
        first: str | None = None
        for c in regular:
            term = last_termination(status_of(c))
            if term and int(term.get("exitCode") or 0) != 0:
                first = first or c.get("name")
                parts.append(f"Container '{c.get('name')}' terminated: {_exit(term)}")
        return Failing("Failed", first, "; ".join(parts) or pmessage or "Pod failed", 7)

    rows: list[tuple[str, _Row]] = []
    for c in regular:
        row = _regular_row(ctx, c, status_of(c))
        if row is not None:
            rows.append((c.get("name", ""), row))
    picked = _pick(rows)
    if picked is not None:
        name, row = picked
        if row.deadline is not None:
            return NotYet(row.deadline)
        return Failing(row.reason, name, row.message + _also_failing(name, rows), row.row)
    if any(r.waits for _, r in rows):
        return NotYet(None)

    conditions = {c.get("type"): c for c in status.get("conditions") or []}
    scheduled = conditions.get("PodScheduled") or {}
    if phase == "Pending":
        if scheduled.get("status") == "False" and scheduled.get("reason") == "Unschedulable":
            since = ts(scheduled.get("lastTransitionTime"))
            triggered = [event_last_time(e) or 0 for e in _events(ctx.events, reason="TriggeredScaleUp")]
            refused = [event_last_time(e) or 0 for e in _events(ctx.events, reason="NotTriggerScaleUp")]
            scaling_up = bool(triggered) and max(triggered) > max(refused, default=float("-inf"))
            deadline = ctx.after("unschedulable", since, t.scaleup_grace if scaling_up else t.pending_grace)
            if deadline is not None:
                return NotYet(deadline)
            message = str(scheduled.get("message") or "") or str(
                (_newest(_events(ctx.events, reason="FailedScheduling")) or {}).get("message") or ""
            )
            return Failing("FailedScheduling", None, message or "Pod cannot be scheduled", 22)
        if scheduled.get("status") == "False" and scheduled.get("reason") == "SchedulingGated":
            deadline = ctx.after("gated", ts(scheduled.get("lastTransitionTime")), t.gated_grace)
            if deadline is not None:
                return NotYet(deadline)
            gates = [g.get("name", "") for g in spec.get("schedulingGates") or []]
            return Failing("SchedulingGated", None, f"Pod is held by scheduling gates: {', '.join(gates)}", 23)
        for row_no, reasons in (
            (24, ("FailedAttachVolume", "FailedMount")),
            (25, ("FailedCreatePodSandBox",)),
        ):
            for reason in reasons:
                found = _events(ctx.events, reason=reason, type_="Warning")
                if not found:
                    continue
                firsts = [x for x in (event_first_time(e) for e in found) if x is not None]
                deadline = ctx.after(f"event:{reason}", min(firsts) if firsts else None, t.pending_grace)
                if deadline is not None:
                    return NotYet(deadline)
                return Failing(reason, None, str((_newest(found) or {}).get("message") or ""), row_no)
        return _pending(ctx, scheduled, regular, init_specs, status_of, init_statuses)

    if phase == "Unknown":
        deadline = ctx.after("phase-unknown", None, t.pending_grace)
        if deadline is not None:
            return NotYet(deadline)
        return Failing("PhaseUnknown", None, pmessage or "Pod phase is Unknown: the node stopped reporting status", 28)

    # Running.
    readiness = _readiness(ctx, regular, status_of, conditions)
    if readiness is not None:
        return readiness
    all_ready = all(
        _running(status_of(c)) and bool((status_of(c) or {}).get("ready")) for c in spec.get("containers") or []
    )
    any_waiting = any(_waiting(status_of(c)) for c in regular)
    if all_ready and not any_waiting:
        return Healthy()
    return NotYet(None)


def _readiness(ctx: _Ctx, regular: list[Obj], status_of: Any, conditions: Mapping[str, Obj]) -> Verdict | None:
    """Row 27: running, not ready for the readiness grace, with a failed readiness probe in that period."""
    ready_cond = conditions.get("ContainersReady") or {}
    cond_since = ts(ready_cond.get("lastTransitionTime")) if ready_cond.get("status") == "False" else None
    best: Verdict | None = None
    for c in ctx.pod.get("spec", {}).get("containers") or []:
        name = c.get("name", "")
        cs = status_of(c)
        if not _running(cs) or (cs or {}).get("ready"):
            continue
        started = ts(((cs or {}).get("state") or {}).get("running", {}).get("startedAt"))
        k8s_since = max(x for x in (cond_since, started, float("-inf")) if x is not None)
        since = ctx.start(f"notready:{name}", None if k8s_since == float("-inf") else k8s_since)
        probes = [
            e
            for e in _events(ctx.events, reason="Unhealthy", type_="Warning", container=name)
            if str(e.get("message") or "").startswith("Readiness probe failed") and (event_last_time(e) or 0) >= since
        ]
        if not probes:
            continue
        deadline = since + ctx.t.readiness_grace
        if ctx.now < deadline:
            if best is None or (isinstance(best, NotYet) and (best.deadline or 0) > deadline):
                best = NotYet(deadline)
            continue
        return Failing("ReadinessProbeFailed", name, str((_newest(probes) or {}).get("message") or ""), 27)
    return best


def _pending(
    ctx: _Ctx,
    scheduled: Obj,
    regular: list[Obj],
    init_specs: list[Obj],
    status_of: Any,
    init_statuses: Mapping[str, Obj],
) -> Verdict:
    """Row 26, with the longer grace while an image pull is still running."""
    t = ctx.t
    pod = ctx.pod
    since_k8s = (
        ts(scheduled.get("lastTransitionTime"))
        if scheduled.get("status") == "True"
        else ts((pod.get("metadata") or {}).get("creationTimestamp"))
    )
    pulling = False
    for c in init_specs + regular:
        name = c.get("name", "")
        pulls = [event_last_time(e) or 0 for e in _events(ctx.events, reason="Pulling", container=name)]
        done = [
            event_last_time(e) or 0
            for r in ("Pulled", "Failed", "BackOff")
            for e in _events(ctx.events, reason=r, container=name)
        ]
        if pulls and max(pulls) > max(done, default=float("-inf")):
            pulling = True
    start = ctx.start("pending", since_k8s)
    deadline = start + (t.slow_pull_grace if pulling else t.pending_grace)
    if ctx.now < deadline:
        return NotYet(deadline)
    waits = []
    for c in init_specs + regular:
        name = c.get("name", "")
        cs = init_statuses.get(name) if c in init_specs else status_of(c)
        waiting = _waiting(cs)
        if waiting:
            waits.append(f"{name}: {waiting.get('reason')}")
    warning = _newest(_events(ctx.events, type_="Warning"))
    message = f"Pod pending since {fmt_ts(start)}: {', '.join(waits) or 'no container status'}"
    if warning:
        message += f"; newest warning: {warning.get('reason')}: {warning.get('message')}"
    return Failing("Pending", None, message, 26)


def is_mirror(pod: Obj) -> bool:
    return ((pod.get("metadata") or {}).get("labels") or {}).get(MIRROR_LABEL) == "true"


def recovery_seconds(reason: str, recovery: float, restart_recovery: float) -> float:
    """§1.5: restart-based reasons (and their ``Init:`` forms) need the kubelet's 10-minute back-off reset."""
    return restart_recovery if reason.removeprefix("Init:") in RESTART_BASED_REASONS else recovery


_DIGITS = re.compile(r"[0-9]+")
_SPACE = re.compile(r"\s+")


def normalise_message(message: str) -> str:
    """api.md §3.5's normalisation: lower case, collapsed whitespace, every run of digits as ``#``."""
    return _DIGITS.sub("#", _SPACE.sub(" ", message.lower()).strip())


def fingerprint(pod: Obj, verdict: Failing) -> str:
    """§1.6: what makes two reports of one pod the same problem. Counts, times and logs stay out."""
    import hashlib
    import json

    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    term: Obj | None = None
    image = ""
    if verdict.container:
        for key in ("initContainerStatuses", "containerStatuses"):
            for cs in status.get(key) or []:
                if cs.get("name") == verdict.container:
                    term = last_termination(cs)
        for c in list(spec.get("initContainers") or []) + list(spec.get("containers") or []):
            if c.get("name") == verdict.container:
                image = str(c.get("image") or "")
    parts = [
        verdict.reason,
        verdict.container or "",
        str((term or {}).get("reason") or ""),
        str((term or {}).get("exitCode") if term else ""),
        image,
        str(status.get("phase") or ""),
        str(spec.get("nodeName") or ""),
        normalise_message(verdict.message),
    ]
    return "sha256:" + hashlib.sha256(json.dumps(parts).encode()).hexdigest()
