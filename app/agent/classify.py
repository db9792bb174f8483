"""Pure failure classification of one pod (docs/catalogue.md#failure-reasons) and when it counts as recovered
(docs/agent-scanner.md#recovery-and-dismissal).

``classify(pod, events, memo, now, timings)`` reads a pod dict as the API server serves it (camelCase), the
cached core/v1 events whose ``involvedObject.uid`` is the pod's uid, the per-uid :class:`PodMemo` and ``now``
as epoch seconds. It returns :class:`Healthy`, :class:`NotYet` (with the deadline of the grace period it waits
out, or ``None`` when only a change of the pod can make it fail) or :class:`Failing`.

``classify`` never mutates its inputs. The bookkeeping around it is explicit: :func:`observe` records restart
rises before classification, :func:`remember` stamps the first observation of every condition the verdict
consulted and the reason that was decided. :func:`evaluate` chains the three; the tracker and tests use it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from app.agent.settings import GraceSettings
from app.kube.bodies import (
    Container,
    ContainerStateDetail,
    ContainerStatus,
    Event,
    Pod,
    PodCondition,
    all_container_statuses,
    event_container,
    event_first_time,
    event_last_time,
    fmt_ts,
    last_termination,
    ts,
)

MIRROR_LABEL = "kure.io/mirror"

# Reasons about a container that keeps restarting: their recovery needs the longer period
# (docs/agent-scanner.md#recovery-and-dismissal).
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
# Reasons for which a container actually ran, so logs are worth reading (docs/agent-scanner.md#evidence).
RAN_REASONS = RESTART_BASED_REASONS | {
    "Error",
    "Failed",
    "Evicted",
    "DeadlineExceeded",
    "ReadinessProbeFailed",
}


class Rule(IntEnum):
    """The classification rules in the order they are tried; the first that matches decides
    (docs/catalogue.md#failure-reasons). The value is only that order."""

    STUCK_TERMINATING = 1
    EVICTED = 2
    DEADLINE_EXCEEDED = 3
    FAILED_WITH_POD_REASON = 4
    INIT_CONTAINER = 5
    FAILED_OOM_KILLED = 6
    FAILED = 7
    OOM_KILLED = 8
    LIVENESS_PROBE_FAILED = 9
    STARTUP_PROBE_FAILED = 10
    RUN_CONTAINER_ERROR = 11
    CRASH_LOOP_BACK_OFF = 12
    INVALID_IMAGE_NAME = 13
    ERR_IMAGE_NEVER_PULL = 14
    IMAGE_PULL_BACK_OFF = 15
    ERR_IMAGE_PULL = 16
    CREATE_CONTAINER_CONFIG_ERROR = 17
    CREATE_CONTAINER_ERROR = 18
    OTHER_WAITING_REASON = 19
    EXITED_NOT_RESTARTED = 20
    REPEATED_RESTARTS = 21
    FAILED_SCHEDULING = 22
    SCHEDULING_GATED = 23
    VOLUME_FAILURE = 24
    SANDBOX_FAILURE = 25
    PENDING = 26
    READINESS_PROBE_FAILED = 27
    PHASE_UNKNOWN = 28


# The reasons that hold through the short running windows of a crash loop instead of turning into
# RepeatedRestarts (docs/catalogue.md#reasons-hold-within-one-problem).
_HOLDING_RULES = frozenset(
    {
        Rule.OOM_KILLED,
        Rule.LIVENESS_PROBE_FAILED,
        Rule.STARTUP_PROBE_FAILED,
        Rule.RUN_CONTAINER_ERROR,
        Rule.CRASH_LOOP_BACK_OFF,
        Rule.REPEATED_RESTARTS,
    }
)
_NOT_FAILURE_WAITING = frozenset({"ContainerCreating", "PodInitializing"})
_MAX_REASON = 128
_SHORT_GRACE_RULES = {
    "ErrImagePull": Rule.ERR_IMAGE_PULL,
    "CreateContainerConfigError": Rule.CREATE_CONTAINER_CONFIG_ERROR,
    "CreateContainerError": Rule.CREATE_CONTAINER_ERROR,
}


@dataclass(frozen=True)
class Timings:
    """The grace periods and thresholds (docs/catalogue.md#grace-periods), in seconds."""

    short_grace: float = 30
    pending_grace: float = 120
    scaleup_grace: float = 600
    gated_grace: float = 900
    slow_pull_grace: float = 600
    readiness_grace: float = 300
    terminating_grace: float = 300
    restart_threshold: int = 3
    restart_window: float = 1800

    @classmethod
    def from_settings(cls, grace: GraceSettings) -> Timings:
        """From the agent's ``settings.grace`` group (app/agent/settings.py), whose fields carry these names."""
        return cls(**{f.name: getattr(grace, f.name) for f in dataclasses.fields(grace)})


@dataclass(frozen=True)
class Healthy:
    """Succeeded, or Running with every regular container running and ready and none waiting
    (docs/agent-scanner.md#recovery-and-dismissal)."""

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
    rule: Rule
    observed: frozenset[str] = frozenset()


Verdict = Healthy | NotYet | Failing

#: A container's status, init or regular, found by its spec.
StatusOf = Callable[[Container], "ContainerStatus | None"]


@dataclass
class PodMemo:
    """Per-uid tracking record the classification reads (docs/catalogue.md#grace-periods)."""

    uid: str = ""
    first_seen: dict[str, float] = field(default_factory=dict)
    restart_counts: dict[str, int] = field(default_factory=dict)
    rises: dict[str, list[float]] = field(default_factory=dict)
    last_pull_error: dict[str, str] = field(default_factory=dict)
    pull_backoff_containers: set[str] = field(default_factory=set)
    last_failing: Failing | None = None


# ----------------------------------------------------------------------------------------------------
# small readers


def _newest(events: Sequence[Event]) -> Event | None:
    best: Event | None = None
    best_t = float("-inf")
    for event in events:
        t = event_last_time(event) or 0.0
        if best is None or t >= best_t:
            best, best_t = event, t
    return best


def _events(
    events: Sequence[Event],
    *,
    reason: str | None = None,
    type_: str | None = None,
    container: str | None = None,
) -> list[Event]:
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


def _waiting(status: ContainerStatus | None) -> ContainerStateDetail | None:
    if not status:
        return None
    return (status.get("state") or {}).get("waiting") or None


def _running(status: ContainerStatus | None) -> bool:
    return bool(status and (status.get("state") or {}).get("running") is not None)


def _statuses(statuses: list[ContainerStatus] | None) -> dict[str, ContainerStatus]:
    return {s.get("name", ""): s for s in statuses or []}


def _is_sidecar(container: Container) -> bool:
    return container.get("restartPolicy") == "Always"


def _memory_limit(container: Container | None) -> str:
    if not container:
        return "none"
    return str(((container.get("resources") or {}).get("limits") or {}).get("memory") or "none")


def _exit(term: ContainerStateDetail | None) -> str:
    if not term:
        return "Unknown (exit code unknown)"
    return f"{term.get('reason') or 'Unknown'} (exit code {term.get('exitCode', 'unknown')})"


# ----------------------------------------------------------------------------------------------------
# bookkeeping around classify


def observe(memo: PodMemo, pod: Pod, now: float) -> None:
    """Record every ``restartCount`` rise (docs/catalogue.md#grace-periods) and the pull errors that ImagePullBackOff
    and ErrImagePull report."""
    for cs in all_container_statuses(pod.get("status") or {}):
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


def evaluate(
    memo: PodMemo, pod: Pod, events: Sequence[Event], now: float, timings: Timings | None = None
) -> Verdict:
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

    def __init__(self, pod: Pod, events: Sequence[Event], memo: PodMemo, now: float, timings: Timings) -> None:
        self.pod = pod
        self.events = events
        self.memo = memo
        self.now = now
        self.t = timings
        self.observed: set[str] = set()

    def start(self, key: str, k8s_time: float | None) -> float:
        """A grace period starts at the earlier of the Kubernetes time and the first observation
        (docs/catalogue.md#grace-periods)."""
        self.observed.add(key)
        first = self.memo.first_seen.get(key, self.now)
        return first if k8s_time is None else min(first, k8s_time)

    def after(self, key: str, k8s_time: float | None, grace: float) -> float | None:
        """``None`` when the grace period is over, else its deadline."""
        deadline = self.start(key, k8s_time) + grace
        return None if self.now >= deadline else deadline


@dataclass(frozen=True)
class _Match:
    rule: Rule
    reason: str
    message: str
    deadline: float | None = None  # set: matches, waits out a grace period
    waits: bool = False  # matches, reported only after more restarts (the probe rules)


def _container_match(ctx: _Ctx, spec: Container, cs: ContainerStatus | None, prefix: str) -> _Match | None:
    """The container reasons for one container (regular, sidecar or init), OOMKilled to Error; RepeatedRestarts is
    the caller's."""
    name = spec.get("name", "")
    now, t = ctx.now, ctx.t
    term = last_termination(cs)
    waiting = _waiting(cs)
    wreason = (waiting or {}).get("reason")
    wmsg = str((waiting or {}).get("message") or "")
    restarts = int((cs or {}).get("restartCount") or 0)
    key = f"{prefix}{name}"

    # OOMKilled: an OOM kill as the last termination.
    if term and term.get("reason") == "OOMKilled":
        finished = ts(term.get("finishedAt"))
        recent = finished is not None and finished >= now - t.restart_window
        if recent or not _running(cs):
            return _Match(
                Rule.OOM_KILLED,
                "OOMKilled",
                f"Container '{name}' was OOMKilled (exit code {term.get('exitCode', 137)}, memory limit "
                f"{_memory_limit(spec)}); restarts: {restarts}",
            )

    # LivenessProbeFailed, StartupProbeFailed: the kubelet killed the previous instance because a probe failed.
    if term:
        started = ts(term.get("startedAt"))
        for rule, probe, reason in (
            (Rule.LIVENESS_PROBE_FAILED, "liveness", "LivenessProbeFailed"),
            (Rule.STARTUP_PROBE_FAILED, "startup", "StartupProbeFailed"),
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
                return _Match(rule, reason, message)
            return _Match(rule, reason, message, waits=True)

    # RunContainerError: the container could not be started.
    if wreason == "RunContainerError" or (term and term.get("reason") in ("StartError", "ContainerCannotRun")):
        # The termination message stays the same through the back-off; the waiting message may not.
        term_msg = (
            str((term or {}).get("message") or "")
            if (term or {}).get("reason") in ("StartError", "ContainerCannotRun")
            else ""
        )
        message = term_msg or wmsg
        message = message or f"Container '{name}' could not be started"
        return _Match(Rule.RUN_CONTAINER_ERROR, "RunContainerError", message)

    if wreason == "CrashLoopBackOff":
        finished_at = fmt_ts(ts((term or {}).get("finishedAt")))
        return _Match(
            Rule.CRASH_LOOP_BACK_OFF,
            "CrashLoopBackOff",
            f"Back-off restarting failed container '{name}' (restarts: {restarts}); last termination: "
            f"{_exit(term)} at {finished_at}",
        )
    if wreason == "InvalidImageName":
        return _Match(Rule.INVALID_IMAGE_NAME, "InvalidImageName", wmsg)
    if wreason == "ErrImageNeverPull":
        return _Match(Rule.ERR_IMAGE_NEVER_PULL, "ErrImageNeverPull", wmsg)
    held_pull = name in ctx.memo.pull_backoff_containers
    if wreason == "ImagePullBackOff" or (wreason == "ErrImagePull" and held_pull):
        failed = _newest(_events(ctx.events, reason="Failed", type_="Warning", container=name))
        message = (
            ctx.memo.last_pull_error.get(name)
            or (wmsg if wreason == "ErrImagePull" else "")
            or str((failed or {}).get("message") or "")
            or wmsg
        )
        return _Match(Rule.IMAGE_PULL_BACK_OFF, "ImagePullBackOff", message)
    if wreason and wreason not in _NOT_FAILURE_WAITING:
        rule = _SHORT_GRACE_RULES.get(wreason, Rule.OTHER_WAITING_REASON)
        deadline = ctx.after(f"waiting:{key}:{wreason}", None, t.short_grace)
        return _Match(rule, wreason, wmsg or f"Container '{name}' is waiting: {wreason}", deadline=deadline)

    # Error: a non-zero exit that the kubelet will not restart, before the pod turns Failed.
    pod_policy = ((ctx.pod.get("spec") or {}).get("restartPolicy")) or "Always"
    current_term = ((cs or {}).get("state") or {}).get("terminated")
    if current_term and int(current_term.get("exitCode") or 0) != 0 and pod_policy == "Never" and not _is_sidecar(spec):
        return _Match(Rule.EXITED_NOT_RESTARTED, "Error", f"Container '{name}' terminated: {_exit(current_term)}")
    return None


def _restarted_recently(ctx: _Ctx, name: str, cs: ContainerStatus | None) -> bool:
    if restarts_in_window(ctx.memo, name, ctx.now, ctx.t) > 0:
        return True
    finished = ts(((cs or {}).get("lastState") or {}).get("terminated", {}).get("finishedAt"))
    return finished is not None and finished >= ctx.now - ctx.t.restart_window


def _regular_match(ctx: _Ctx, spec: Container, cs: ContainerStatus | None) -> _Match | None:
    """The container reasons for a regular container or sidecar, RepeatedRestarts included, with the hold rule of
    docs/catalogue.md#reasons-hold-within-one-problem."""
    name = spec.get("name", "")
    match = _container_match(ctx, spec, cs, "c:")
    if match is not None:
        return match
    count = restarts_in_window(ctx.memo, name, ctx.now, ctx.t)
    if count >= ctx.t.restart_threshold:
        # A crash loop caught in a running window keeps its reason instead of turning into RepeatedRestarts. Once
        # the container is running and ready again the recovery hysteresis decides, not RepeatedRestarts
        # (docs/agent-scanner.md#recovery-and-dismissal).
        held = ctx.memo.last_failing
        if (
            held is not None
            and held.container == name
            and held.rule in _HOLDING_RULES
            and _restarted_recently(ctx, name, cs)
        ):
            if _running(cs) and (cs or {}).get("ready"):
                return None
            return _Match(held.rule, held.reason, held.message)
        minutes = int(ctx.t.restart_window // 60)
        return _Match(
            Rule.REPEATED_RESTARTS,
            "RepeatedRestarts",
            f"Container '{name}' restarted {count} times in the last {minutes} min; last termination: "
            f"{_exit(last_termination(cs))}",
        )
    return None


def _pick(matches: list[tuple[str, _Match]]) -> tuple[str, _Match] | None:
    """Reportable matches win over matches in a grace period; then the rule tried first, then spec order."""
    reportable = [(n, m) for n, m in matches if m.deadline is None and not m.waits]
    pool = reportable or [(n, m) for n, m in matches if m.deadline is not None]
    if not pool:
        return None
    return min(pool, key=lambda item: item[1].rule)


def _also_failing(chosen: str, matches: list[tuple[str, _Match]]) -> str:
    others = [f"'{n}' ({m.reason})" for n, m in matches if n != chosen and m.deadline is None and not m.waits][:3]
    return "".join(f"; also failing: {o}" for o in others)


def classify(pod: Pod, events: Sequence[Event], memo: PodMemo, now: float, timings: Timings) -> Verdict:
    """The first matching rule of docs/catalogue.md#failure-reasons decides. Pure: reads its arguments only."""
    ctx = _Ctx(pod, events, memo, now, timings)
    verdict = _classify(ctx)
    observed = frozenset(ctx.observed)
    if isinstance(verdict, Failing):
        reason = verdict.reason[:_MAX_REASON]
        return Failing(reason, verdict.container, verdict.message, verdict.rule, observed)
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

    # StuckTerminating: a pod being deleted is judged only on how long the deletion takes.
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
            Rule.STUCK_TERMINATING,
        )

    if phase == "Succeeded":
        return Healthy(succeeded=True)

    if phase == "Failed" and preason:
        if preason == "Evicted":
            return Failing("Evicted", None, pmessage or "Pod was evicted", Rule.EVICTED)
        if preason == "DeadlineExceeded":
            return Failing(
                "DeadlineExceeded",
                None,
                f"{pmessage} (activeDeadlineSeconds: {spec.get('activeDeadlineSeconds')})",
                Rule.DEADLINE_EXCEEDED,
            )
        return Failing(preason[:_MAX_REASON], None, pmessage, Rule.FAILED_WITH_POD_REASON)

    init_statuses = _statuses(status.get("initContainerStatuses"))
    regular_statuses = _statuses(status.get("containerStatuses"))
    init_specs = list(spec.get("initContainers") or [])

    # Init containers: the first failing non-sidecar init container blocks the whole pod.
    for c in init_specs:
        if _is_sidecar(c):
            continue
        match = _container_match(ctx, c, init_statuses.get(c.get("name", "")), "i:")
        if match is None:
            continue
        name = c.get("name", "")
        message = f"Init container '{name}': {match.message}"
        if match.waits:
            return NotYet(None)
        if match.deadline is not None:
            return NotYet(match.deadline)
        return Failing(f"Init:{match.reason}", name, message, Rule.INIT_CONTAINER)

    regular = [c for c in init_specs if _is_sidecar(c)] + list(spec.get("containers") or [])

    def status_of(c: Container) -> ContainerStatus | None:
        name = c.get("name", "")
        return regular_statuses.get(name) or init_statuses.get(name)

    if phase == "Failed":
        for c in regular:
            term = last_termination(status_of(c))
            if term and term.get("reason") == "OOMKilled":
                match = _container_match(ctx, c, status_of(c), "c:")
                restarts = int((status_of(c) or {}).get("restartCount") or 0)
                msg = (
                    match.message
                    if match and match.rule == Rule.OOM_KILLED
                    else (
                        f"Container '{c.get('name')}' was OOMKilled (exit code "
                        f"{term.get('exitCode', 137)}, memory limit {_memory_limit(c)}); restarts: {restarts}"
                    )
                )
                return Failing("OOMKilled", c.get("name"), msg, Rule.FAILED_OOM_KILLED)
        parts = []
        first: str | None = None
        for c in regular:
            term = last_termination(status_of(c))
            if term and int(term.get("exitCode") or 0) != 0:
                first = first or c.get("name")
                parts.append(f"Container '{c.get('name')}' terminated: {_exit(term)}")
        return Failing("Failed", first, "; ".join(parts) or pmessage or "Pod failed", Rule.FAILED)

    matches: list[tuple[str, _Match]] = []
    for c in regular:
        match = _regular_match(ctx, c, status_of(c))
        if match is not None:
            matches.append((c.get("name", ""), match))
    picked = _pick(matches)
    if picked is not None:
        name, match = picked
        if match.deadline is not None:
            return NotYet(match.deadline)
        return Failing(match.reason, name, match.message + _also_failing(name, matches), match.rule)
    if any(m.waits for _, m in matches):
        return NotYet(None)

    conditions = {c.get("type", ""): c for c in status.get("conditions") or []}
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
            return Failing("FailedScheduling", None, message or "Pod cannot be scheduled", Rule.FAILED_SCHEDULING)
        if scheduled.get("status") == "False" and scheduled.get("reason") == "SchedulingGated":
            deadline = ctx.after("gated", ts(scheduled.get("lastTransitionTime")), t.gated_grace)
            if deadline is not None:
                return NotYet(deadline)
            gates = [g.get("name", "") for g in spec.get("schedulingGates") or []]
            message = f"Pod is held by scheduling gates: {', '.join(gates)}"
            return Failing("SchedulingGated", None, message, Rule.SCHEDULING_GATED)
        for rule, reasons in (
            (Rule.VOLUME_FAILURE, ("FailedAttachVolume", "FailedMount")),
            (Rule.SANDBOX_FAILURE, ("FailedCreatePodSandBox",)),
        ):
            for reason in reasons:
                found = _events(ctx.events, reason=reason, type_="Warning")
                if not found:
                    continue
                firsts = [x for x in (event_first_time(e) for e in found) if x is not None]
                deadline = ctx.after(f"event:{reason}", min(firsts) if firsts else None, t.pending_grace)
                if deadline is not None:
                    return NotYet(deadline)
                return Failing(reason, None, str((_newest(found) or {}).get("message") or ""), rule)
        return _pending(ctx, scheduled, regular, init_specs, status_of, init_statuses)

    if phase == "Unknown":
        deadline = ctx.after("phase-unknown", None, t.pending_grace)
        if deadline is not None:
            return NotYet(deadline)
        message = pmessage or "Pod phase is Unknown: the node stopped reporting status"
        return Failing("PhaseUnknown", None, message, Rule.PHASE_UNKNOWN)

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


def _readiness(
    ctx: _Ctx, regular: list[Container], status_of: StatusOf, conditions: Mapping[str, PodCondition]
) -> Verdict | None:
    """ReadinessProbeFailed: running, not ready for the readiness grace, with a failed readiness probe in that
    period."""
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
        message = str((_newest(probes) or {}).get("message") or "")
        return Failing("ReadinessProbeFailed", name, message, Rule.READINESS_PROBE_FAILED)
    return best


def _pending(
    ctx: _Ctx,
    scheduled: PodCondition,
    regular: list[Container],
    init_specs: list[Container],
    status_of: StatusOf,
    init_statuses: Mapping[str, ContainerStatus],
) -> Verdict:
    """Pending, with the longer grace while an image pull is still running."""
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
    return Failing("Pending", None, message, Rule.PENDING)


def is_mirror(pod: Pod) -> bool:
    return ((pod.get("metadata") or {}).get("labels") or {}).get(MIRROR_LABEL) == "true"


def recovery_seconds(reason: str, recovery: float, restart_recovery: float) -> float:
    """Restart-based reasons (and their ``Init:`` forms) need the kubelet's 10-minute back-off reset
    (docs/agent-scanner.md#recovery-and-dismissal)."""
    return restart_recovery if reason.removeprefix("Init:") in RESTART_BASED_REASONS else recovery


_DIGITS = re.compile(r"[0-9]+")
_SPACE = re.compile(r"\s+")


def normalise_message(message: str) -> str:
    """Lower case, collapsed whitespace, every run of digits as ``#`` - the backend's normalisation for its AI
    solution cache (docs/api.md#solutions)."""
    return _DIGITS.sub("#", _SPACE.sub(" ", message.lower()).strip())


def fingerprint(pod: Pod, verdict: Failing) -> str:
    """What makes two reports of one pod the same problem (docs/agent-scanner.md#re-report-cadence). Counts, times
    and logs stay out."""
    import hashlib
    import json

    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    term: ContainerStateDetail | None = None
    image = ""
    if verdict.container:
        for cs in all_container_statuses(status):
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
