"""Every failure scenario of docs/agent-scanner.md#test-fixtures replayed through the pure classification."""

from __future__ import annotations

import pytest

from app.agent.classify import (
    Failing,
    Healthy,
    NotYet,
    PodMemo,
    Timings,
    classify,
    evaluate,
    fingerprint,
    normalise_message,
    recovery_seconds,
)
from app.kube.bodies import Event, Pod, as_pod

from .fixtures import T0, load, replay, scenario_names

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("name", scenario_names())
def test_scenario(name: str) -> None:
    doc, expect = load(name)
    result = replay(doc)
    if expect["reported_at"] == "never":
        assert result.reports == [], [(r.at, r.verdict.reason) for r in result.reports]
        return
    assert result.reports, f"{name}: nothing reported"
    first = result.reports[0]
    assert first.verdict.reason == expect["failure_reason"]
    assert first.at == pytest.approx(expect["reported_at"])
    for fragment in expect.get("message_contains") or []:
        assert fragment in first.verdict.message
    if "reports" in expect:
        assert len(result.reports) == expect["reports"], [
            (r.at, r.verdict.reason, r.verdict.message) for r in result.reports
        ]


def _pod(status: dict, containers: list | None = None, **spec: object) -> Pod:
    return as_pod({
        "metadata": {"name": "p", "namespace": "ns", "uid": "u", "creationTimestamp": "2024-01-15T10:30:00Z"},
        "spec": {
            "restartPolicy": "Always",
            "containers": containers or [{"name": "app", "image": "x:1"}],
            **spec,
        },
        "status": status,
    })


def _running(ready: bool = True, rc: int = 0, last: dict | None = None, name: str = "app") -> dict:
    cs: dict = {
        "name": name,
        "ready": ready,
        "restartCount": rc,
        "state": {"running": {"startedAt": "2024-01-15T10:30:00Z"}},
    }
    if last:
        cs["lastState"] = {"terminated": last}
    return cs


def test_healthy_running_pod() -> None:
    pod = _pod({"phase": "Running", "containerStatuses": [_running()]})
    assert isinstance(classify(pod, [], PodMemo(), T0, Timings()), Healthy)


def test_succeeded_is_healthy_and_final() -> None:
    verdict = classify(_pod({"phase": "Succeeded"}), [], PodMemo(), T0, Timings())
    assert isinstance(verdict, Healthy)
    assert verdict.succeeded


def test_short_grace_reasons_wait_then_report() -> None:
    status = {
        "phase": "Pending",
        "containerStatuses": [
            {
                "name": "app",
                "ready": False,
                "restartCount": 0,
                "state": {"waiting": {"reason": "CreateContainerError", "message": "context deadline exceeded"}},
            }
        ],
    }
    memo = PodMemo()
    first = evaluate(memo, _pod(status), [], T0)
    assert isinstance(first, NotYet)
    assert first.deadline == T0 + 30
    later = evaluate(memo, _pod(status), [], T0 + 30)
    assert isinstance(later, Failing)
    assert later.reason == "CreateContainerError"


def test_grace_counts_from_the_earlier_kubernetes_time() -> None:
    """An agent that starts long after a condition began reports it at once (docs/catalogue.md#grace-periods)."""
    status = {
        "phase": "Pending",
        "conditions": [
            {
                "type": "PodScheduled",
                "status": "False",
                "reason": "Unschedulable",
                "lastTransitionTime": "2024-01-15T10:00:00Z",
                "message": "0/1 nodes are available",
            }
        ],
    }
    verdict = evaluate(PodMemo(), _pod(status), [], T0)
    assert isinstance(verdict, Failing)
    assert verdict.reason == "FailedScheduling"


def test_other_waiting_reason_passes_through() -> None:
    status = {
        "phase": "Running",
        "containerStatuses": [
            {
                "name": "app",
                "ready": False,
                "restartCount": 0,
                "state": {"waiting": {"reason": "PostStartHookError", "message": "hook failed"}},
            }
        ],
    }
    memo = PodMemo()
    evaluate(memo, _pod(status), [], T0)
    verdict = evaluate(memo, _pod(status), [], T0 + 31)
    assert isinstance(verdict, Failing)
    assert verdict.reason == "PostStartHookError"


def test_repeated_restarts_counted_from_observed_rises() -> None:
    memo = PodMemo()
    last = {
        "reason": "Error",
        "exitCode": 3,
        "startedAt": "2024-01-15T10:29:00Z",
        "finishedAt": "2024-01-15T10:29:50Z",
    }
    verdicts = []
    for i in range(4):
        pod = _pod({"phase": "Running", "containerStatuses": [_running(rc=i, last=last if i else None)]})
        verdicts.append(evaluate(memo, pod, [], T0 + i * 60))
    assert all(isinstance(v, Healthy) for v in verdicts[:3])
    assert isinstance(verdicts[3], Failing)
    assert verdicts[3].reason == "RepeatedRestarts"
    assert "exit code 3" in verdicts[3].message


def test_restart_before_agent_started_counts_once() -> None:
    memo = PodMemo()
    last = {"reason": "Error", "exitCode": 1, "finishedAt": "2024-01-15T10:29:00Z"}
    pod = _pod({"phase": "Running", "containerStatuses": [_running(rc=40, last=last)]})
    assert isinstance(evaluate(memo, pod, [], T0), Healthy)
    assert memo.rises["app"] == [T0 - 60]


def test_sidecar_classified_like_regular_container() -> None:
    pod = _pod(
        {
            "phase": "Running",
            "initContainerStatuses": [
                {
                    "name": "proxy",
                    "ready": False,
                    "restartCount": 2,
                    "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                    "lastState": {"terminated": {"reason": "Error", "exitCode": 1}},
                }
            ],
            "containerStatuses": [_running()],
        },
        initContainers=[{"name": "proxy", "image": "envoy:1", "restartPolicy": "Always"}],
    )
    verdict = classify(pod, [], PodMemo(), T0, Timings())
    assert isinstance(verdict, Failing)
    assert verdict.reason == "CrashLoopBackOff"
    assert verdict.container == "proxy"


def test_init_oom_gets_prefix() -> None:
    pod = _pod(
        {
            "phase": "Pending",
            "initContainerStatuses": [
                {
                    "name": "migrate",
                    "ready": False,
                    "restartCount": 1,
                    "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                    "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137}},
                }
            ],
        },
        initContainers=[{"name": "migrate", "image": "m:1", "resources": {"limits": {"memory": "32Mi"}}}],
    )
    verdict = classify(pod, [], PodMemo(), T0, Timings())
    assert isinstance(verdict, Failing)
    assert verdict.reason == "Init:OOMKilled"
    assert "memory limit 32Mi" in verdict.message


def test_most_specific_container_wins_and_others_are_named() -> None:
    containers = [{"name": "a", "image": "x:1"}, {"name": "b", "image": "y:1"}]
    pod = _pod(
        {
            "phase": "Running",
            "containerStatuses": [
                {
                    "name": "a",
                    "ready": False,
                    "restartCount": 1,
                    "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                    "lastState": {"terminated": {"reason": "Error", "exitCode": 1}},
                },
                {
                    "name": "b",
                    "ready": False,
                    "restartCount": 1,
                    "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                    "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137}},
                },
            ],
        },
        containers,
    )
    verdict = classify(pod, [], PodMemo(), T0, Timings())
    assert isinstance(verdict, Failing)
    assert (verdict.reason, verdict.container) == ("OOMKilled", "b")
    assert "also failing: 'a' (CrashLoopBackOff)" in verdict.message


def test_failed_phase_with_oom_reports_oom() -> None:
    pod = _pod(
        {
            "phase": "Failed",
            "containerStatuses": [
                {
                    "name": "app",
                    "ready": False,
                    "restartCount": 0,
                    "state": {"terminated": {"reason": "OOMKilled", "exitCode": 137}},
                }
            ],
        },
        restartPolicy="Never",
    )
    verdict = classify(pod, [], PodMemo(), T0, Timings())
    assert isinstance(verdict, Failing)
    assert verdict.reason == "OOMKilled"


def test_failed_phase_with_node_reason_passes_through() -> None:
    pod = _pod({"phase": "Failed", "reason": "OutOfcpu", "message": "Pod was rejected: Node didn't have enough cpu"})
    verdict = classify(pod, [], PodMemo(), T0, Timings())
    assert isinstance(verdict, Failing)
    assert (verdict.reason, verdict.message) == ("OutOfcpu", "Pod was rejected: Node didn't have enough cpu")


def test_never_restarted_non_zero_exit_is_error_before_failed() -> None:
    pod = _pod(
        {
            "phase": "Running",
            "containerStatuses": [
                {
                    "name": "app",
                    "ready": False,
                    "restartCount": 0,
                    "state": {"terminated": {"reason": "Error", "exitCode": 4}},
                },
            ],
        },
        restartPolicy="Never",
    )
    verdict = classify(pod, [], PodMemo(), T0, Timings())
    assert isinstance(verdict, Failing)
    assert verdict.reason == "Error"
    assert "exit code 4" in verdict.message


def test_scheduling_gated_and_phase_unknown() -> None:
    gated = _pod(
        {
            "phase": "Pending",
            "conditions": [
                {
                    "type": "PodScheduled",
                    "status": "False",
                    "reason": "SchedulingGated",
                    "lastTransitionTime": "2024-01-15T10:30:00Z",
                }
            ],
        },
        schedulingGates=[{"name": "example.com/quota"}],
    )
    memo = PodMemo()
    assert evaluate(memo, gated, [], T0 + 899) == NotYet(T0 + 900, frozenset({"gated"}))
    verdict = evaluate(memo, gated, [], T0 + 900)
    assert isinstance(verdict, Failing)
    assert verdict.message == "Pod is held by scheduling gates: example.com/quota"
    unknown = _pod({"phase": "Unknown"})
    memo = PodMemo()
    assert isinstance(evaluate(memo, unknown, [], T0), NotYet)
    verdict = evaluate(memo, unknown, [], T0 + 120)
    assert isinstance(verdict, Failing)
    assert verdict.reason == "PhaseUnknown"


def test_sandbox_failure_after_pending_grace() -> None:
    events: list[Event] = [
        {
            "involvedObject": {"uid": "u"},
            "type": "Warning",
            "reason": "FailedCreatePodSandBox",
            "message": "failed to setup network for sandbox",
            "firstTimestamp": "2024-01-15T10:30:00Z",
            "lastTimestamp": "2024-01-15T10:31:00Z",
        }
    ]
    pod = _pod(
        {
            "phase": "Pending",
            "conditions": [{"type": "PodScheduled", "status": "True", "lastTransitionTime": "2024-01-15T10:30:00Z"}],
        }
    )
    memo = PodMemo()
    assert isinstance(evaluate(memo, pod, events, T0 + 60), NotYet)
    verdict = evaluate(memo, pod, events, T0 + 120)
    assert isinstance(verdict, Failing)
    assert verdict.reason == "FailedCreatePodSandBox"


def test_fingerprint_ignores_counts_and_times() -> None:
    def pod(rc: int, finished: str) -> Pod:
        return _pod(
            {
                "phase": "Running",
                "containerStatuses": [
                    {
                        "name": "app",
                        "ready": False,
                        "restartCount": rc,
                        "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                        "lastState": {"terminated": {"reason": "Error", "exitCode": 1, "finishedAt": finished}},
                    }
                ],
            }
        )

    a, b = pod(3, "2024-01-15T10:30:00Z"), pod(9, "2024-01-15T10:45:00Z")
    va, vb = classify(a, [], PodMemo(), T0, Timings()), classify(b, [], PodMemo(), T0, Timings())
    assert isinstance(va, Failing)
    assert isinstance(vb, Failing)
    assert va.message != vb.message
    assert fingerprint(a, va) == fingerprint(b, vb)
    assert normalise_message("Back-off  12s\tOK") == "back-off #s ok"


def test_recovery_period_by_reason() -> None:
    assert recovery_seconds("Init:CrashLoopBackOff", 120, 600) == 600
    assert recovery_seconds("OOMKilled", 120, 600) == 600
    assert recovery_seconds("ImagePullBackOff", 120, 600) == 120
