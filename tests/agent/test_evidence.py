"""Evidence, redaction and the report body (docs/agent-scanner.md#evidence, docs/agent-scanner.md#redaction)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import yaml

from app.agent.classify import Failing, PodMemo, Rule, evaluate
from app.agent.evidence import (
    BODY_MAX_BYTES,
    LogReadError,
    LogSection,
    collect_logs,
    container_statuses,
    events_evidence,
    log_plan,
    manifest_evidence,
    report_body,
)
from app.kube.bodies import Event, Pod, as_event, as_pod

from .fixtures import T0, load, replay

pytestmark = pytest.mark.unit

SERVICE_TOKEN = "svc-token-0123456789abcdef"
PLANTED = ("hunter2-planted", "AKIAIOSFODNN7EXAMPLE", SERVICE_TOKEN, "ghp_" + "a" * 36)


def _failing(name: str) -> tuple[Pod, Failing, list[Event]]:
    doc, _ = load(name)
    result = replay(doc)
    assert result.pod is not None
    first = result.reports[0]
    return result.pod, first.verdict, result.events


def _planted_pod() -> Pod:
    replayed, _, _ = _failing("crash-loop-exit-1")
    pod: dict[str, Any] = copy.deepcopy(dict(replayed))
    pod["metadata"]["managedFields"] = [{"manager": "kubectl"}]
    pod["metadata"]["annotations"] = {
        "kubectl.kubernetes.io/last-applied-configuration": '{"env": "DB_PASSWORD=hunter2-planted"}',
        "note": "aws key AKIAIOSFODNN7EXAMPLE",
    }
    pod["spec"]["containers"][0]["env"] = [
        {"name": "DB_PASSWORD", "value": "hunter2-planted"},
        {"name": "GITHUB", "value": "ghp_" + "a" * 36},
        {"name": "AUTHOR", "value": "jane"},
        {"name": "API_KEY", "valueFrom": {"secretKeyRef": {"name": "api", "key": "key"}}},
    ]
    pod["spec"]["containers"][0]["args"] = [f"--token={SERVICE_TOKEN}"]
    return as_pod(pod)


def test_planted_secrets_never_reach_the_body() -> None:
    pod = _planted_pod()
    verdict = Failing("CrashLoopBackOff", "app", f"crashed: password={PLANTED[0]}", Rule.CRASH_LOOP_BACK_OFF)
    event = {"type": "Warning", "reason": "BackOff", "message": f"Authorization: Bearer {SERVICE_TOKEN}"}
    events = [as_event({"involvedObject": {"uid": pod["metadata"]["uid"]}, "lastTimestamp": "2024-01-15T10:31:00Z",
                        **event})]  # fmt: skip
    logs = [LogSection("==> container app (current instance) <==", f"DB_PASSWORD={PLANTED[0]}\nkey {PLANTED[1]}\n")]
    body = report_body(pod, verdict, events, logs, secrets=[SERVICE_TOKEN])
    text = json.dumps(body)
    for secret in PLANTED:
        assert secret not in text
    manifest = yaml.safe_load(body["manifest"])
    env = {e["name"]: e for e in manifest["spec"]["containers"][0]["env"]}
    assert env["DB_PASSWORD"]["value"] == "<redacted>"
    assert env["AUTHOR"]["value"] == "jane"
    assert env["API_KEY"]["valueFrom"]["secretKeyRef"]["name"] == "api"
    assert "managedFields" not in manifest["metadata"]
    assert "kubectl.kubernetes.io/last-applied-configuration" not in manifest["metadata"]["annotations"]
    assert "status" not in manifest
    assert list(manifest)[:2] == ["apiVersion", "kind"]


def test_report_body_fields() -> None:
    pod, verdict, events = _failing("oom-killed")
    body = report_body(pod, verdict, events, [])
    assert body["pod_name"] == "checkout-7d9f8b6c4-abc12"
    assert (body["owner_kind"], body["owner_name"]) == ("ReplicaSet", "checkout-7d9f8b6c4")
    assert body["node_name"] == "worker-2"
    assert body["failure_reason"] == "OOMKilled"
    assert body["creation_timestamp"] == "2024-01-15T10:30:00Z"
    assert body["labels"] == {"app": "checkout"}
    assert set(body) == {
        "pod_name", "namespace", "node_name", "phase", "owner_kind", "owner_name", "labels", "failure_reason",
        "failure_message", "creation_timestamp", "events", "container_statuses", "manifest", "logs",
    }  # fmt: skip


def test_event_timestamp_falls_back_to_event_time() -> None:
    pod, _, events = _failing("pvc-missing")
    items = events_evidence(pod, events, 20)
    assert [e["timestamp"] for e in items] == ["2024-01-15T10:30:00Z"]
    assert items[0]["count"] == 1


def test_events_matched_by_uid_newest_first_and_capped() -> None:
    pod: Pod = {"metadata": {"uid": "u1"}}
    events: list[Event] = [
        {"involvedObject": {"uid": "u1"}, "reason": f"R{i}", "lastTimestamp": f"2024-01-15T10:{i:02d}:00Z", "count": i}
        for i in range(30)
    ]
    events.append({"involvedObject": {"uid": "old-pod-same-name"}, "reason": "Stale",
                   "lastTimestamp": "2024-01-15T11:00:00Z"})  # fmt: skip
    items = events_evidence(pod, events, 20)
    assert len(items) == 20
    assert items[0]["reason"] == "R29"
    assert "Stale" not in {e["reason"] for e in items}


def test_container_statuses_init_first_and_missing_status() -> None:
    pod, _, _ = _failing("init-container-crash")
    items = container_statuses(pod)
    assert [i["name"] for i in items] == ["init-db", "app"]
    assert items[0]["state"] == "waiting"
    assert items[0]["reason"] == "CrashLoopBackOff"
    assert items[0]["exit_code"] == 1
    bare: Pod = {"spec": {"containers": [{"name": "app", "image": "x:1"}]}, "status": {}}
    assert container_statuses(bare) == [{
        "name": "app", "image": "x:1", "ready": False, "restart_count": 0, "state": "unknown", "reason": None,
        "message": None, "exit_code": None,
    }]  # fmt: skip


def test_log_plan_by_reason() -> None:
    pod, verdict, _ = _failing("crash-loop-exit-1")
    assert [(c, prev) for c, prev, _ in log_plan(pod, verdict)] == [("app", True), ("app", False)]
    assert "previous instance; Error, exit code 1" in log_plan(pod, verdict)[0][2]
    pod, verdict, _ = _failing("image-tag-missing")
    assert log_plan(pod, verdict) == []
    pod, verdict, _ = _failing("job-exit-2")
    assert [(c, prev) for c, prev, _ in log_plan(pod, verdict)] == [("job", False)]
    pod, verdict, _ = _failing("init-container-crash")
    assert [(c, prev) for c, prev, _ in log_plan(pod, verdict)] == [("init-db", True), ("init-db", False)]


async def test_collect_logs_reads_previous_instance_and_reports_failures() -> None:
    pod, verdict, _ = _failing("crash-loop-exit-1")
    calls: list[tuple[str, bool]] = []

    async def reader(namespace: str, name: str, container: str, previous: bool) -> str:
        calls.append((container, previous))
        if previous:
            return "boom\n"
        raise LogReadError("400 container has not started")

    sections = await collect_logs(pod, verdict, reader)
    assert calls == [("app", True), ("app", False)]
    body = report_body(pod, verdict, [], sections)
    assert "boom" in body["logs"]
    assert "(no log: 400 container has not started)" in body["logs"]
    assert body["logs"].startswith("==> container app (previous instance; Error, exit code 1) <==\nboom\n")


def test_oversized_body_is_cut_below_the_limit() -> None:
    pod, verdict, _ = _failing("crash-loop-exit-1")
    huge = "x" * 1000 + "\n"
    sections = [LogSection(f"==> container app (section {i}) <==", huge * 200) for i in range(8)]
    body = report_body(pod, verdict, [], sections)
    assert len(json.dumps(body).encode()) <= BODY_MAX_BYTES
    slim = report_body(pod, verdict, [], sections, slim=True)
    assert slim["manifest"] == ""
    assert len(slim["logs"].encode()) < len(body["logs"].encode())


def test_message_redacted_in_container_status() -> None:
    pod: Pod = {"spec": {"containers": [{"name": "app", "image": "x"}]}, "status": {"containerStatuses": [
        {"name": "app", "state": {"waiting": {"reason": "CreateContainerConfigError",
                                              "message": "bad url postgres://u:hunter2-planted@db/x"}}}]}}  # fmt: skip
    assert "hunter2-planted" not in json.dumps(container_statuses(pod))


def test_manifest_kept_when_small_and_valid_yaml() -> None:
    pod, _, _ = _failing("missing-secret-env")
    text = manifest_evidence(pod)
    assert yaml.safe_load(text)["spec"]["containers"][0]["env"][0]["valueFrom"]["secretKeyRef"]["name"] == "db-creds"


def test_evaluate_then_body_for_every_reported_scenario() -> None:
    """Every scenario that reports yields a body within the API's limits."""
    from .fixtures import scenario_names

    for name in scenario_names():
        doc, expect = load(name)
        if expect["reported_at"] == "never":
            continue
        result = replay(doc)
        body = report_body(result.pod or {}, result.reports[0].verdict, result.events, [])
        assert len(body["failure_reason"]) <= 128
        assert len(body["events"]) <= 20
        assert body["pod_name"]
    assert isinstance(evaluate(PodMemo(), {"status": {"phase": "Succeeded"}}, [], T0), object)


def test_nested_assignment_is_redacted() -> None:
    pod, _, _ = _failing("crash-loop-exit-1")
    verdict = Failing("CrashLoopBackOff", "app", "crashed: password=hunter2-planted", Rule.CRASH_LOOP_BACK_OFF)
    assert "hunter2-planted" not in report_body(pod, verdict, [], [])["failure_message"]
