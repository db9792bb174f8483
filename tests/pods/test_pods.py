"""Pod failures end to end (docs/api.md#pod-failure-status, docs/api.md#retention, docs/api.md#pod-failures) on
mongomock and on the real MongoDB-wire server."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from quart import Quart
from quart.typing import TestClientProtocol

from app.core.clock import ManualClock
from app.state import AppState
from tests.conftest import SERVICE_HEADERS
from tests.pods.conftest import Feed, RecordingNotifier, Reporter, report_body

UserClient = Callable[..., Awaitable[TestClientProtocol]]


async def body(response: Any) -> Any:
    return await response.get_json()


# --- ingest and dedup (docs/api.md#deduplicating-pod-reports, docs/api.md#reporting-a-failure) ------------------------


async def test_first_report_creates_a_record_with_a_rule_solution(
    report: Reporter, feed: Feed, notifications: RecordingNotifier
) -> None:
    response = await report()
    assert response.status_code == 200
    record = await body(response)
    assert record["id"] == 1
    assert record["status"] == "new" and record["occurrences"] == 1
    assert record["solution"].startswith("## Root Cause")
    assert record["solution_source"] == "rules"
    # The commands of the solution name the real pod, not placeholders.
    assert "kubectl -n default logs web-1" in record["solution"] and "<pod>" not in record["solution"]
    assert record["timestamp"] == "2024-01-15T10:30:00Z"  # creation_timestamp when known
    assert record["first_seen"] == record["last_seen"]
    assert record["events"][0] == {"type": "Warning", "reason": "BackOff",
                                   "message": "Back-off restarting failed container",
                                   "timestamp": "2024-01-15T10:31:00Z", "count": 12}
    assert record["container_statuses"][0]["exit_code"] == 1
    assert "manifest" not in record and "logs" not in record  # summary shape
    messages = feed.messages()
    assert [m["type"] for m in messages] == ["pod_failure"]
    assert messages[0]["data"] == record
    assert [event for event, _, _ in notifications.sent] == ["pod_failure"]


async def test_the_first_rule_solution_names_the_real_pod_namespace_and_container(
    report: Reporter, user_client: UserClient
) -> None:
    record = await body(await report(pod="checkout-7f9c-x2", namespace="shop"))
    solution = record["solution"]
    assert "<namespace>" not in solution and "<pod>" not in solution and "<container>" not in solution
    assert "kubectl -n shop logs checkout-7f9c-x2 -c app --previous" in solution
    # The same text a retry produces (which always had the names).
    reader = await user_client("write")
    retried = await body(await reader.post(f"/api/pods/failed/{record['id']}/retry-solution"))
    assert retried["solution"] == solution


async def test_re_report_of_open_incident_merges_without_notification(
    report: Reporter, clock: ManualClock, feed: Feed, notifications: RecordingNotifier, client: TestClientProtocol
) -> None:
    first = await body(await report())
    clock.advance(60)
    second = await body(await report(failure_message="changed message", logs="new logs"))
    assert second["id"] == first["id"]
    assert second["occurrences"] == 2
    assert second["last_seen"] != second["first_seen"]
    assert second["failure_message"] == "changed message"
    assert feed.types() == ["pod_failure", "pod_failure"]
    assert [event for event, _, _ in notifications.sent] == ["pod_failure"]  # never on a re-report


async def test_absent_fields_keep_stored_values(
    report: Reporter, client: TestClientProtocol, user_client: UserClient
) -> None:
    await report()
    merged = await body(await client.post("/api/pods/failed", headers=SERVICE_HEADERS,
                                          json={"pod_name": "web-1", "namespace": "default", "node_name": None}))
    assert merged["occurrences"] == 2
    assert merged["node_name"] is None  # explicit null replaces
    assert merged["failure_reason"] == "CrashLoopBackOff"  # absent keeps
    reader = await user_client("read")
    full = await body(await reader.get(f"/api/pods/failed/{merged['id']}"))
    assert full["logs"] == "Error: Database connection failed"
    assert full["manifest"].startswith("apiVersion: v1")


async def test_reason_change_recomputes_the_rule_solution(report: Reporter) -> None:
    first = await body(await report())
    changed = await body(await report(failure_reason="OOMKilled", failure_message="OOMKilled"))
    assert changed["id"] == first["id"]
    assert changed["failure_reason"] == "OOMKilled"
    assert changed["solution"] != first["solution"]
    assert "memory" in changed["solution"].lower()
    assert "web-1" in changed["solution"] and "<pod>" not in changed["solution"]
    same = await body(await report(failure_reason="OOMKilled"))
    assert same["solution"] == changed["solution"]


async def test_report_after_resolve_opens_a_new_incident(
    report: Reporter, user_client: UserClient, notifications: RecordingNotifier
) -> None:
    writer = await user_client("write")
    first = await body(await report())
    resolved = await writer.put(f"/api/pods/{first['id']}/status", json={"status": "resolved", "note": "fixed"})
    assert (await body(resolved))["resolution_note"] == "fixed"
    second = await body(await report())
    assert second["id"] != first["id"] and second["status"] == "new"
    assert [e for e, _, _ in notifications.sent] == ["pod_failure", "pod_resolved", "pod_failure"]
    old = await body(await writer.get(f"/api/pods/failed/{first['id']}"))
    assert old["status"] == "resolved" and old["occurrences"] == 1  # untouched


async def test_report_on_ignored_record_is_a_quiet_update(
    report: Reporter, user_client: UserClient, feed: Feed, notifications: RecordingNotifier
) -> None:
    writer = await user_client("write")
    first = await body(await report())
    await writer.delete(f"/api/pods/failed/{first['id']}")
    feed.messages()
    again = await body(await report())
    assert again["id"] == first["id"] and again["status"] == "ignored" and again["occurrences"] == 2
    assert feed.messages() == []
    assert [e for e, _, _ in notifications.sent] == ["pod_failure"]


async def test_concurrent_duplicate_reports_create_one_record(app: Quart, state: AppState) -> None:
    clients = [app.test_client() for _ in range(50)]
    responses = await asyncio.gather(*(
        c.post("/api/pods/failed", json=report_body("racer"), headers=SERVICE_HEADERS) for c in clients
    ))
    assert all(r.status_code == 200 for r in responses)
    ids = {(await r.get_json())["id"] for r in responses}
    assert len(ids) == 1
    records, total = await state.pods.find_page(("new", "investigating", "resolved", "ignored"), None, None, 10, 0)
    assert total == 1
    assert records[0]["occurrences"] == 50


# --- validation (docs/api.md#reporting-a-failure) ---------------------------------------------------------------------


@pytest.mark.parametrize("payload", [
    {"namespace": "default"},
    {"pod_name": "   ", "namespace": "default"},
    {"pod_name": "x", "namespace": None},
    {"pod_name": "x", "namespace": ""},
])
async def test_missing_identity_is_400(client: TestClientProtocol, payload: dict[str, Any]) -> None:
    response = await client.post("/api/pods/failed", json=payload, headers=SERVICE_HEADERS)
    assert response.status_code == 400
    assert await body(response) == {"detail": "Pod name and namespace are required"}


@pytest.mark.parametrize(("payload", "loc"), [
    ({"pod_name": 5, "namespace": "default"}, ["body", "pod_name"]),
    ({"pod_name": "x", "namespace": "default", "creation_timestamp": "yesterday"}, ["body", "creation_timestamp"]),
    ({"pod_name": "x", "namespace": "default", "events": [{"timestamp": "nope"}]}, ["body", "events", 0, "timestamp"]),
    ({"pod_name": "x", "namespace": "default", "events": [{}] * 501}, ["body", "events"]),
    ({"pod_name": "x", "namespace": "default", "container_statuses": [{"name": ""}]},
     ["body", "container_statuses", 0, "name"]),
    ({"pod_name": "x", "namespace": "default", "container_statuses": [{"name": "a", "restart_count": -1}]},
     ["body", "container_statuses", 0, "restart_count"]),
    ({"pod_name": "x", "namespace": "default", "failure_reason": "r" * 129}, ["body", "failure_reason"]),
    ({"pod_name": "x", "namespace": "n" * 64}, ["body", "namespace"]),
])
async def test_type_violations_are_422(client: TestClientProtocol, payload: dict[str, Any], loc: list[Any]) -> None:
    response = await client.post("/api/pods/failed", json=payload, headers=SERVICE_HEADERS)
    assert response.status_code == 422
    assert loc in [item["loc"] for item in (await body(response))["detail"]]


async def test_timestamp_offsets_and_defaults(client: TestClientProtocol) -> None:
    record = await body(await client.post("/api/pods/failed", headers=SERVICE_HEADERS, json={
        "pod_name": "tz", "namespace": "default", "creation_timestamp": "2024-01-15T12:30:00.987+02:00"}))
    assert record["creation_timestamp"] == "2024-01-15T10:30:00Z"
    assert record["failure_reason"] == "Unknown" and record["failure_message"] == ""
    assert record["labels"] == {} and record["events"] == []


# --- lists (docs/api.md#listing-failures) -----------------------------------------------------------------------------


async def test_lists_filters_pagination_and_order(
    report: Reporter, clock: ManualClock, user_client: UserClient
) -> None:
    reader = await user_client("read")
    for i in range(5):
        await report(pod=f"p{i}", namespace="team-a" if i % 2 else "team-b",
                     failure_reason="OOMKilled" if i == 4 else "CrashLoopBackOff")
        clock.advance(1)
    response = await reader.get("/api/pods/failed?limit=2&offset=1")
    assert response.headers["X-Total-Count"] == "5"
    assert [r["pod_name"] for r in await body(response)] == ["p3", "p2"]
    team_a = await reader.get("/api/pods/failed?namespace=team-a")
    assert {r["pod_name"] for r in await body(team_a)} == {"p1", "p3"}
    oom = await reader.get("/api/pods/failed?reason=OOMKilled&namespace=")
    assert [r["pod_name"] for r in await body(oom)] == ["p4"]
    beyond = await reader.get("/api/pods/failed?offset=50")
    assert await body(beyond) == [] and beyond.headers["X-Total-Count"] == "5"
    for bad in ("limit=0", "limit=1001", "offset=-1", "limit=abc"):
        assert (await reader.get(f"/api/pods/failed?{bad}")).status_code == 422
    assert (await reader.get("/api/pods/history")).headers["X-Total-Count"] == "0"


async def test_get_one_record(report: Reporter, user_client: UserClient) -> None:
    reader = await user_client("read")
    record = await body(await report())
    full = await body(await reader.get(f"/api/pods/failed/{record['id']}"))
    assert full["manifest"] and full["logs"] == "Error: Database connection failed"
    missing = await reader.get("/api/pods/failed/999")
    assert missing.status_code == 404 and await body(missing) == {"detail": "Pod failure not found"}
    assert (await reader.get("/api/pods/failed/-3")).status_code == 404
    bad = await reader.get("/api/pods/failed/abc")
    assert bad.status_code == 422 and (await body(bad))["detail"][0]["loc"] == ["path", "pod_id"]


# --- state machine (docs/api.md#pod-failure-status, docs/api.md#changing-a-failures-status) ---------------------------

TRANSITIONS = [
    ("new", "investigating", 200), ("new", "resolved", 200), ("new", "ignored", 200),
    ("investigating", "new", 200), ("investigating", "resolved", 200), ("investigating", "ignored", 200),
    ("resolved", "new", 200), ("resolved", "investigating", 409), ("resolved", "ignored", 409),
    ("ignored", "new", 200), ("ignored", "investigating", 409), ("ignored", "resolved", 409),
]


@pytest.mark.parametrize(("source", "target", "status"), TRANSITIONS)
async def test_status_transitions(
    report: Reporter, user_client: UserClient, feed: Feed, source: str, target: str, status: int
) -> None:
    writer = await user_client("write")
    record = await body(await report())
    if source != "new":
        assert (await writer.put(f"/api/pods/{record['id']}/status", json={"status": source})).status_code == 200
    feed.messages()
    response = await writer.put(f"/api/pods/{record['id']}/status", json={"status": target, "note": "n"})
    assert response.status_code == status
    if status == 409:
        assert await body(response) == {"detail": f"Cannot change status from '{source}' to '{target}'"}
        assert feed.messages() == []
        return
    changed = await body(response)
    assert changed["status"] == target
    assert changed["resolved_at"] is (None if target != "resolved" else changed["resolved_at"])
    assert (changed["resolved_at"] is not None) == (target == "resolved")
    assert (changed["ignored_at"] is not None) == (target == "ignored")
    assert changed["resolution_note"] == ("n" if target in ("resolved", "ignored") else None)
    [message] = feed.messages()
    assert message == {"type": "pod_status_change", "data": {
        "id": record["id"], "namespace": "default", "pod_name": "web-1", "status": target, "previous_status": source}}


async def test_same_status_is_a_silent_no_op(report: Reporter, user_client: UserClient, feed: Feed) -> None:
    writer = await user_client("write")
    record = await body(await report())
    feed.messages()
    response = await writer.put(f"/api/pods/{record['id']}/status", json={"status": "new"})
    assert response.status_code == 200 and (await body(response))["status"] == "new"
    assert feed.messages() == []


async def test_reopen_guard(report: Reporter, user_client: UserClient) -> None:
    writer = await user_client("write")
    first = await body(await report())
    await writer.put(f"/api/pods/{first['id']}/status", json={"status": "resolved"})
    second = await body(await report())
    response = await writer.put(f"/api/pods/{first['id']}/status", json={"status": "new"})
    assert response.status_code == 409
    assert await body(response) == {"detail": f"Pod already has an open incident (id {second['id']})"}
    await writer.delete(f"/api/pods/failed/{second['id']}")
    restored = await writer.put(f"/api/pods/ignored/{second['id']}/restore")
    assert restored.status_code == 200


async def test_dismiss_and_restore(report: Reporter, user_client: UserClient) -> None:
    writer = await user_client("write")
    record = await body(await report())
    not_ignored = await writer.put(f"/api/pods/ignored/{record['id']}/restore")
    assert not_ignored.status_code == 409 and await body(not_ignored) == {"detail": "Pod failure is not ignored"}
    dismissed = await writer.delete(f"/api/pods/failed/{record['id']}")
    assert (await body(dismissed))["status"] == "ignored"
    again = await writer.delete(f"/api/pods/failed/{record['id']}")
    assert again.status_code == 200  # already ignored: unchanged
    ignored_list = await body(await writer.get("/api/pods/ignored"))
    assert [r["id"] for r in ignored_list] == [record["id"]]
    restored = await body(await writer.put(f"/api/pods/ignored/{record['id']}/restore"))
    assert restored["status"] == "new" and restored["ignored_at"] is None
    await writer.put(f"/api/pods/{record['id']}/status", json={"status": "resolved"})
    refused = await writer.delete(f"/api/pods/failed/{record['id']}")
    assert refused.status_code == 409
    assert await body(refused) == {"detail": "Cannot change status from 'resolved' to 'ignored'"}
    assert (await writer.delete("/api/pods/failed/777")).status_code == 404


async def test_status_body_validation(report: Reporter, user_client: UserClient) -> None:
    writer = await user_client("write")
    record = await body(await report())
    bad = await writer.put(f"/api/pods/{record['id']}/status", json={"status": "done"})
    assert bad.status_code == 422
    long_note = await writer.put(f"/api/pods/{record['id']}/status", json={"status": "resolved", "note": "x" * 2001})
    assert long_note.status_code == 422
    assert (await writer.put("/api/pods/555/status", json={"status": "new"})).status_code == 404


# --- dismiss-deleted (docs/api.md#changing-a-failures-status) ---------------------------------------------------------


async def test_dismiss_deleted_resolves_open_record(
    report: Reporter, client: TestClientProtocol, feed: Feed, notifications: RecordingNotifier
) -> None:
    record = await body(await report())
    feed.messages()
    response = await client.post("/api/pods/dismiss-deleted", json={"namespace": "default", "pod_name": "web-1"},
                                 headers=SERVICE_HEADERS)
    assert await body(response) == {"resolved": 1}
    assert feed.messages() == [{"type": "pod_deleted", "data": {
        "namespace": "default", "pod_name": "web-1", "ids": [record["id"]], "reason": "recovered"}}]
    assert [e for e, _, _ in notifications.sent] == ["pod_failure", "pod_resolved"]
    none = await client.post("/api/pods/dismiss-deleted", json={"namespace": "default", "pod_name": "web-1"},
                             headers=SERVICE_HEADERS)
    assert await body(none) == {"resolved": 0}
    assert feed.messages() == []
    bad = await client.post("/api/pods/dismiss-deleted", json={"namespace": " ", "pod_name": "x"},
                            headers=SERVICE_HEADERS)
    assert bad.status_code == 400 and await body(bad) == {"detail": "Pod name and namespace are required"}
    wrong_type = await client.post("/api/pods/dismiss-deleted", json={"namespace": 1, "pod_name": "x"},
                                   headers=SERVICE_HEADERS)
    assert wrong_type.status_code == 422


# --- retry-solution (docs/api.md#changing-a-failures-status) ----------------------------------------------------------


async def test_retry_solution_without_llm_gives_rules(report: Reporter, user_client: UserClient, feed: Feed) -> None:
    writer = await user_client("write")
    record = await body(await report())
    feed.messages()
    response = await writer.post(f"/api/pods/failed/{record['id']}/retry-solution")
    assert response.status_code == 200
    assert (await body(response))["solution_source"] == "rules"
    [message] = feed.messages()
    assert message["type"] == "solution_updated" and message["data"]["id"] == record["id"]
    assert (await writer.post("/api/pods/failed/4040/retry-solution")).status_code == 404


# --- retention (docs/api.md#retention) --------------------------------------------------------------------------------


async def test_retention_deletes_only_old_closed_records(
    report: Reporter, user_client: UserClient, state: AppState, clock: ManualClock
) -> None:
    admin = await user_client("admin")
    resolved = await body(await report(pod="old-resolved"))
    ignored = await body(await report(pod="old-ignored"))
    open_record = await body(await report(pod="still-open"))
    await admin.put(f"/api/pods/{resolved['id']}/status", json={"status": "resolved"})
    await admin.delete(f"/api/pods/failed/{ignored['id']}")
    assert await state.apply_retention() == 0  # both settings 0 = disabled
    await admin.post("/api/admin/settings/history_retention_minutes", json={"value": "10"})
    await admin.post("/api/admin/settings/ignored_retention_minutes", json={"value": 20})
    clock.advance(11 * 60)
    assert await state.apply_retention() == 1
    assert await state.pods.get(resolved["id"]) is None
    assert await state.pods.get(ignored["id"]) is not None
    clock.advance(10 * 60)
    clock.advance(24 * 3600)
    assert await state.apply_retention() == 1
    assert await state.pods.get(ignored["id"]) is None
    assert await state.pods.get(open_record["id"]) is not None  # open records are never deleted
