"""The agent core on a manual clock: reports, re-reports, hysteresis, deletion, outbox bound
(docs/agent-scanner.md#recovery-and-dismissal, docs/agent-scanner.md#re-report-cadence,
docs/agent-scanner.md#delivery-and-checkpoint)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from app.agent.classify import Timings
from app.agent.outbox import Outbox
from app.agent.tracker import AgentCore, Policy
from app.core.clock import ManualClock
from app.kube.bodies import as_pod

from .fixtures import apply_step, load

pytestmark = pytest.mark.unit

T0 = datetime(2024, 1, 15, 10, 30, tzinfo=UTC)


def _core(queue_max: int = 100) -> tuple[AgentCore, ManualClock]:
    clock = ManualClock(T0)
    core = AgentCore(timings=Timings(), policy=Policy(), outbox=Outbox(max_entries=queue_max), clock=clock)
    return core, clock


def _ops(core: AgentCore) -> list[tuple[tuple[str, str], str]]:
    return [(k, op.kind) for k, ops in core.outbox.entries.items() for op in ops]


def _deliver_all(core: AgentCore) -> list[tuple[tuple[str, str], str, str | None]]:
    """Pretend the backend accepted everything queued, in order."""
    sent = []
    while (key := core.outbox.next_key()) is not None:
        op = core.outbox.head(key)
        assert op is not None
        sent.append((key, op.kind, op.fingerprint))
        if op.kind == "report":
            track = core.tracks.get(key)
            core.delivered_report(key, op.fingerprint, track.verdict.reason if track and track.verdict else "")
        else:
            core.delivered_dismiss(key)
        core.outbox.done(key, op)
    return sent


def _advance_to(core: AgentCore, clock: ManualClock, seconds: float) -> None:
    """Move time to t0 + seconds, firing timers on the way as the runtime would."""
    target = T0.timestamp() + seconds
    while True:
        nxt = core.next_timer()
        wall = clock.now().timestamp()
        if nxt is not None and wall + (nxt - clock.monotonic()) <= target:
            clock.advance(max(0.0, nxt - clock.monotonic()))
            core.run_due()
            continue
        clock.advance(target - wall)
        core.run_due()
        return


def _replay(name: str, core: AgentCore, clock: ManualClock) -> list[tuple[float, Any]]:
    doc, _ = load(name)
    pod = copy.deepcopy(doc["pod"])
    for event in doc.get("events") or []:
        core.on_event("ADDED", event)
    core.on_pod("ADDED", pod)
    sent: list[tuple[float, Any]] = [(0.0, s) for s in _deliver_all(core)]
    for step in sorted(doc.get("steps") or [], key=lambda s: s["at"]):
        _advance_to(core, clock, step["at"])
        sent += [(clock.now().timestamp() - T0.timestamp(), s) for s in _deliver_all(core)]
        events: list[dict[str, Any]] = []
        apply_step(pod, events, step)
        for event in events:
            core.on_event("ADDED", event)
        if "status" in step or "metadata" in step:
            core.on_pod("MODIFIED", copy.deepcopy(pod))
        sent += [(step["at"], s) for s in _deliver_all(core)]
    return sent


def test_crash_loop_reported_once_and_never_dismissed_in_running_windows() -> None:
    core, clock = _core()
    sent = _replay("crash-loop-exit-1", core, clock)
    kinds = [s[1] for _, s in sent]
    assert kinds == ["report"], sent
    assert sent[0][0] == 3


def test_recovery_after_restart_hysteresis_and_restart_resets_period() -> None:
    core, clock = _core()
    doc, _ = load("crash-loop-exit-1")
    pod = copy.deepcopy(doc["pod"])
    crash = copy.deepcopy(doc["steps"][1]["status"])  # waiting in CrashLoopBackOff, last termination Error/1
    crash["containerStatuses"][0]["restartCount"] = 6
    pod["status"] = crash
    core.on_pod("ADDED", copy.deepcopy(pod))
    assert [s[1] for s in _deliver_all(core)] == ["report"]

    def running(rc: int, at: float) -> dict[str, Any]:
        status = copy.deepcopy(crash)
        cs = status["containerStatuses"][0]
        cs["restartCount"] = rc
        cs["ready"] = True
        cs["state"] = {"running": {"startedAt": datetime.fromtimestamp(T0.timestamp() + at, UTC).isoformat()}}
        return status

    for rc, at in ((7, 10), (8, 40), (9, 100)):  # the last crashes of the loop
        _advance_to(core, clock, at - 5)
        pod["status"] = copy.deepcopy(crash)
        pod["status"]["containerStatuses"][0]["restartCount"] = rc - 1
        core.on_pod("MODIFIED", copy.deepcopy(pod))
        _advance_to(core, clock, at)
        pod["status"] = running(rc, at)
        core.on_pod("MODIFIED", copy.deepcopy(pod))
    _advance_to(core, clock, 100 + 589)
    assert _deliver_all(core) == []
    _advance_to(core, clock, 690)
    pod["status"] = running(10, 690)  # a restart at 590 s of stable running starts the period again
    core.on_pod("MODIFIED", copy.deepcopy(pod))
    _advance_to(core, clock, 690 + 599)
    assert _deliver_all(core) == []
    _advance_to(core, clock, 690 + 600)
    assert [s[1] for s in _deliver_all(core)] == ["dismiss"]


def test_deleted_pod_dismissed_at_once() -> None:
    core, _clock = _core()
    doc, _ = load("evicted")
    core.on_pod("ADDED", copy.deepcopy(doc["pod"]))
    _deliver_all(core)
    core.on_pod("DELETED", copy.deepcopy(doc["pod"]))
    assert _ops(core) == [(("shop", "cache-1"), "dismiss")]


def test_deleted_while_queued_becomes_tombstone_then_dismiss() -> None:
    core, _clock = _core()
    doc, _ = load("evicted")
    core.on_pod("ADDED", copy.deepcopy(doc["pod"]))
    core.on_pod("DELETED", copy.deepcopy(doc["pod"]))
    ops = core.outbox.entries[("shop", "cache-1")]
    assert [op.kind for op in ops] == ["report", "dismiss"]
    assert ops[0].tombstone is not None
    assert ops[0].tombstone["failure_reason"] == "Evicted"


def test_unchanged_failure_is_not_sent_again_and_reason_change_waits_30s() -> None:
    core, clock = _core()
    doc, _ = load("command-not-found")
    pod = copy.deepcopy(doc["pod"])
    core.on_pod("ADDED", copy.deepcopy(pod))
    assert len(_deliver_all(core)) == 1
    for _ in range(3):
        clock.advance(400)
        core.on_pod("MODIFIED", copy.deepcopy(pod))
    assert _deliver_all(core) == []
    pod["status"]["containerStatuses"][0]["state"] = {"waiting": {"reason": "InvalidImageName", "message": "x"}}
    pod["status"]["containerStatuses"][0].pop("lastState")
    core.on_pod("MODIFIED", copy.deepcopy(pod))
    clock.advance(29)
    core.run_due()
    assert _deliver_all(core) == []
    clock.advance(1)
    core.run_due()
    assert [s[1] for s in _deliver_all(core)] == ["report"]


def test_succeeded_pod_with_open_report_is_dismissed_at_once() -> None:
    core, _clock = _core()
    doc, _ = load("job-exit-2")
    pod = copy.deepcopy(doc["pod"])
    pod["status"]["phase"] = "Running"
    pod["status"]["containerStatuses"][0]["state"] = {"waiting": {"reason": "CrashLoopBackOff"}}
    pod["spec"]["restartPolicy"] = "OnFailure"
    core.on_pod("ADDED", copy.deepcopy(pod))
    _deliver_all(core)
    pod["status"] = {"phase": "Succeeded"}
    core.on_pod("MODIFIED", copy.deepcopy(pod))
    assert _ops(core) == [(("shop", "nightly-28391-xk2p9"), "dismiss")]


def _failing_pod(i: int) -> dict[str, Any]:
    doc, _ = load("evicted")
    pod = copy.deepcopy(doc["pod"])
    pod["metadata"]["name"] = f"p{i}"
    pod["metadata"]["uid"] = f"uid-{i}"
    return pod


def test_full_outbox_evicts_live_reports_and_never_dismissals() -> None:
    core, _clock = _core(queue_max=3)
    pods = [_failing_pod(i) for i in range(5)]
    for pod in pods:
        core.on_pod("ADDED", pod)
    assert len(core.outbox) == 3
    assert len(core.outbox.overflow) == 2
    core.on_pod("DELETED", pods[0])
    core.on_pod("DELETED", pods[4])  # waiting in overflow: still recorded as a tombstone before its dismissal
    sent = []
    while core.outbox.entries or core.outbox.overflow:
        sent += _deliver_all(core)
        core.refill()
    reports = sorted(k[1] for k, kind, _ in sent if kind == "report")
    assert reports == ["p0", "p1", "p2", "p3", "p4"]
    dismissals = [k[1] for k, kind, _ in sent if kind == "dismiss"]
    assert sorted(dismissals) == ["p0", "p4"]
    for name in ("p0", "p4"):
        order = [kind for k, kind, _ in sent if k[1] == name]
        assert order == ["report", "dismiss"]


def test_excluded_namespace_drops_tracking_without_dismissal() -> None:
    core, _clock = _core()
    core.on_pod("ADDED", _failing_pod(1))
    _deliver_all(core)
    core.apply_exclusion_change("namespace_exclusion", {"namespace": "shop", "action": "excluded"})
    assert _ops(core) == []
    assert core.tracks == {}
    core.on_pod("MODIFIED", _failing_pod(1))
    assert _ops(core) == []
    core.apply_exclusion_change("namespace_exclusion", {"namespace": "shop", "action": "included"})
    assert _ops(core) == [(("shop", "p1"), "report")]


def test_pod_pattern_exclusion_scoped_to_namespace() -> None:
    core, _clock = _core()
    core.apply_exclusion_change("pod_exclusion", {"pod_name": "p*", "namespace": "other", "action": "excluded"})
    core.on_pod("ADDED", _failing_pod(1))
    assert _ops(core) == [(("shop", "p1"), "report")]
    core.apply_exclusion_change("pod_exclusion", {"pod_name": "p?", "namespace": None, "action": "excluded"})
    assert _ops(core) == []


def test_checkpoint_reconciliation() -> None:
    core, _clock = _core()
    live = _failing_pod(1)
    core.on_pod("ADDED", live)
    fp = core.tracks[("shop", "p1")].desired_fp
    assert fp is not None
    fresh, _ = _core()
    fresh.pods[("shop", "p1")] = as_pod(live)
    fresh.seed(("shop", "p1"), "uid-1", "Evicted", fp)
    fresh.seed(("shop", "gone"), "uid-gone", "OOMKilled", "sha256:x")
    fresh.reconcile()
    assert [(k[1], kind) for k, kind in _ops(fresh)] == [("gone", "dismiss")]


def test_event_cache_is_bounded_per_pod_and_cluster_wide() -> None:
    core, _ = _core()
    core.events_total = 200
    for pod in range(10):
        for i in range(60):
            core.on_event(
                "ADDED",
                {"metadata": {"uid": f"e-{pod}-{i}"}, "involvedObject": {"uid": f"u{pod}", "namespace": "shop"},
                 "reason": "BackOff", "lastTimestamp": f"2024-01-15T10:{i:02d}:00Z"},
            )  # fmt: skip
    assert all(len(bucket) <= 50 for bucket in core.events.values())
    assert sum(len(bucket) for bucket in core.events.values()) <= 200


# --- delivery keys (docs/agent-scanner.md#delivery-and-checkpoint) ----------------------------------------------------


def test_every_operation_has_its_own_delivery_key_kept_while_it_is_sent() -> None:
    outbox = Outbox()
    pod = ("shop", "web-1")
    outbox.push_report(pod, "fp-1")
    report = outbox.head(pod)
    assert report is not None and len(report.delivery_key) == 32
    outbox.in_flight.add(pod)  # being sent (and, after a lost answer, sent again)
    outbox.push_dismiss(pod)
    outbox.push_report(pod, "fp-2")
    assert outbox.head(pod) is report  # the operation in flight, key and all, is never replaced
    outbox.push_report(pod, "fp-3")  # replaces the queued fp-2 report, which was never sent: a new key
    queued = outbox.entries[pod]
    assert [op.kind for op in queued] == ["report", "dismiss", "report"]
    assert queued[2].fingerprint == "fp-3"
    keys = [op.delivery_key for op in queued]
    assert len(set(keys)) == 3
    outbox.in_flight.discard(pod)
    outbox.done(pod, report)
    assert [op.delivery_key for op in outbox.entries[pod]] == keys[1:]  # queued operations keep theirs
    outbox.push_tombstone(("shop", "gone-1"), "fp-9", {"pod_name": "gone-1"})
    tombstone = outbox.head(("shop", "gone-1"))
    assert tombstone is not None and tombstone.delivery_key not in keys
