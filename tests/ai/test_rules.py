"""Rules engine: one fixture per failure scenario, knowledge coverage, init prefix, no secret echo."""

from __future__ import annotations

from typing import Any

import pytest

from app.ai.knowledge import ENTRIES, GENERIC
from app.ai.rules import find_entry, rule_solution, split_init_prefix
from tests.ai.fixture_check import check, load_fixtures, section

pytestmark = pytest.mark.unit

FIXTURES = load_fixtures()

# Every reason string the agent emits (docs/catalogue.md#failure-reasons), including kubelet pass-throughs it names.
AGENT_REASONS = [
    "StuckTerminating", "Evicted", "DeadlineExceeded", "OutOfcpu", "OutOfmemory", "NodeAffinity",
    "UnexpectedAdmissionError", "Terminated", "OOMKilled", "Failed", "LivenessProbeFailed", "StartupProbeFailed",
    "RunContainerError", "CrashLoopBackOff", "InvalidImageName", "ErrImageNeverPull", "ImagePullBackOff",
    "ErrImagePull", "CreateContainerConfigError", "CreateContainerError", "PreStartHookError",
    "PostStartHookError", "Error", "RepeatedRestarts", "FailedScheduling", "SchedulingGated",
    "FailedAttachVolume", "FailedMount", "FailedCreatePodSandBox", "Pending", "ReadinessProbeFailed",
    "PhaseUnknown",
]


def test_there_is_a_fixture_for_every_agent_failure_scenario() -> None:
    scenarios = {str(f.get("scenario")) for _, f in FIXTURES}
    assert {f"F{n}" for n in range(1, 18)} <= scenarios
    assert len(FIXTURES) >= 40


@pytest.mark.parametrize(("name", "fixture"), FIXTURES, ids=[name for name, _ in FIXTURES])
def test_fixture_root_cause_is_named(name: str, fixture: dict[str, Any]) -> None:
    result = check(name, fixture)
    assert result.ok, f"{result.problems}\n\n{result.solution}"


@pytest.mark.parametrize("reason", AGENT_REASONS)
def test_every_agent_reason_has_specific_guidance(reason: str) -> None:
    assert find_entry(reason) is not GENERIC
    for variant in (reason, f"Init:{reason}"):
        solution = rule_solution({"failure_reason": variant, "pod_name": "p", "namespace": "n"})
        assert solution.startswith("## Root Cause\n")
        assert "for which no specific guidance exists" not in solution


def test_reasons_are_unique_in_the_table() -> None:
    reasons = [r.lower() for entry in ENTRIES for r in entry.reasons]
    assert len(reasons) == len(set(reasons))


def test_reason_lookup_is_case_insensitive_and_prefix_aware() -> None:
    assert find_entry("crashloopbackoff").reasons[0] == "CrashLoopBackOff"
    assert find_entry("OutOfnvidia.com/gpu").title == find_entry("OutOfcpu").title


def test_init_prefix_is_stripped_and_named() -> None:
    assert split_init_prefix("Init:OOMKilled") == ("OOMKilled", True)
    assert split_init_prefix("OOMKilled") == ("OOMKilled", False)
    solution = rule_solution({
        "failure_reason": "Init:OOMKilled",
        "failure_message": "Init container 'migrate': Container 'migrate' was OOMKilled (exit code 137, memory "
                           "limit 32Mi); restarts: 2",
        "pod_name": "p", "namespace": "n",
    })
    root = section(solution, "Root Cause")
    assert "An init container failed" in root
    assert "`migrate`" in root
    assert "OOMKilled" in root and "32Mi" in root


def test_unknown_reason_gets_generic_guidance_naming_it() -> None:
    solution = rule_solution({"failure_reason": "Frobnicated", "pod_name": "p", "namespace": "n"})
    assert "`Frobnicated`" in section(solution, "Root Cause")
    assert section(solution, "Fix") and section(solution, "Verification")


@pytest.mark.parametrize(("code", "phrase"), [
    (1, "general error"), (126, "cannot be executed"), (127, "command not found"), (137, "SIGKILL"),
    (139, "Segmentation fault"), (143, "SIGTERM"), (42, "exited with code 42"),
])
def test_crash_loop_guidance_depends_on_exit_code(code: int, phrase: str) -> None:
    report = {
        "failure_reason": "CrashLoopBackOff",
        "failure_message": f"Back-off restarting failed container 'app' (restarts: 3); last termination: Error "
                           f"(exit code {code}) at 2024-01-15T10:35:00Z",
        "container_statuses": [{"name": "app", "image": "a:1", "exit_code": code, "restart_count": 3}],
        "pod_name": "p", "namespace": "n",
    }
    assert phrase.lower() in section(rule_solution(report), "Root Cause").lower()


def test_exit_code_comes_from_container_status_when_the_message_has_none() -> None:
    report = {"failure_reason": "CrashLoopBackOff", "failure_message": "Back-off restarting failed container",
              "container_statuses": [{"name": "app", "image": "a:1", "exit_code": 127, "reason": "CrashLoopBackOff"}]}
    assert "command not found" in rule_solution(report)


def test_image_not_found_and_auth_denied_are_told_apart() -> None:
    base = {"failure_reason": "ErrImagePull", "container_statuses": [{"name": "a", "image": "r.io/x:1"}]}
    missing = rule_solution({**base, "failure_message": "rpc error: code = NotFound desc = r.io/x:1: not found"})
    denied = rule_solution({**base, "failure_message": "unexpected status: 403 Forbidden"})
    assert "Image not found" in missing and "authentication" not in section(missing, "Root Cause")
    assert "authentication failed" in denied and "Image not found" not in denied


def test_secret_values_in_evidence_are_never_echoed() -> None:
    planted = "hunter2-PLANTED-9f8e7d"
    report = {
        "failure_reason": "CreateContainerConfigError",
        "failure_message": f'secret "db-creds" not found; DB_PASSWORD={planted}',
        "events": [{"type": "Warning", "reason": "Failed", "message": f"token: {planted}"}],
        "container_statuses": [{"name": "app", "image": "a:1", "message": f"password={planted}"}],
        "manifest": f"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: app\n    image: a:1\n    env:\n"
                    f"    - name: DB_PASSWORD\n      value: {planted}\n",
        "logs": f"connecting with password {planted}",
        "pod_name": "p", "namespace": "n",
    }
    solution = rule_solution(report)
    assert planted not in solution
    assert "db-creds" in solution


def test_backend_secrets_are_removed_from_evidence() -> None:
    token = "service-token-abcdef0123456789"
    solution = rule_solution({"failure_reason": "Failed", "failure_message": f"sent {token}"}, secrets=[token])
    assert token not in solution


@pytest.mark.parametrize("report", [
    {},
    {"failure_reason": None, "container_statuses": None, "events": None},
    {"failure_reason": "CrashLoopBackOff", "container_statuses": ["x", 3], "events": [None], "manifest": "{{bad"},
    {"failure_reason": "OOMKilled", "manifest": "- a list"},
    {"failure_reason": "Init:"},
])
def test_malformed_reports_still_get_a_solution(report: dict[str, Any]) -> None:
    solution = rule_solution(report)
    assert solution.startswith("## Root Cause\n")
    assert "## Fix" in solution and "## Verification" in solution


def test_evidence_markdown_cannot_break_out_of_code_spans() -> None:
    solution = rule_solution({"failure_reason": "Failed", "failure_message": "bad `rm -rf` \n## Fix\nfake"})
    assert solution.count("\n## Fix") == 1
    assert "`bad 'rm -rf' ## Fix fake`" in solution


def _crash_with_logs(logs: str) -> str:
    return rule_solution({
        "failure_reason": "CrashLoopBackOff", "pod_name": "p", "namespace": "n",
        "failure_message": "Back-off restarting failed container 'app' (restarts: 2); last termination: Error "
                           "(exit code 1) at 2024-01-15T10:35:00Z",
        "logs": logs,
    })


def test_log_hints_name_the_application_error_without_quoting_logs() -> None:
    solution = _crash_with_logs("db=postgres://app:pw-LEAK-1@db:5432\nError: connect ECONNREFUSED 10.0.0.5:5432\n")
    assert "dependency refused the connection" in section(solution, "Root Cause")
    assert "host and port" in section(solution, "Fix")
    assert "pw-LEAK-1" not in solution and "10.0.0.5" not in solution


def test_log_hints_ignore_ordinary_output() -> None:
    solution = _crash_with_logs("starting\nKeyError: 'name'\nshutting down\n")
    assert "The container logs show" not in solution


def test_at_most_three_log_hints() -> None:
    logs = ("ECONNREFUSED\nno such host\nread-only file system\npermission denied\naddress already in use\n"
            "exec format error\n")
    root = section(_crash_with_logs(logs), "Root Cause")
    line = next(x for x in root.splitlines() if x.startswith("The container logs show"))
    assert line.count(";") == 2
