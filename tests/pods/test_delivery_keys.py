"""Delivery keys (docs/api.md#delivery-keys): a report or dismissal sent again with the same ``Idempotency-Key`` is
applied once, on mongomock and on the real MongoDB-wire server, also when two replicas receive it at once."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from quart.typing import TestClientProtocol
from werkzeug.datastructures import Headers

from app.core.clock import ManualClock
from app.core.locks import KeyedLocks
from app.schemas.pods import PodReport
from app.services.pods import PodService
from app.wiring import Services
from storage.counters import Counters
from storage.pods import DELIVERY_KEYS_KEPT, PodFailureRepository
from tests.conftest import SERVICE_HEADERS
from tests.pods.conftest import Feed, RecordingNotifier, report_body

UserClient = Callable[..., Awaitable[TestClientProtocol]]


def keyed(key: str) -> dict[str, str]:
    return {**SERVICE_HEADERS, "Idempotency-Key": key}


async def post(client: TestClientProtocol, key: str | None, pod: str = "web-1", **extra: Any) -> tuple[int, Any]:
    response = await client.post("/api/pods/failed", json=report_body(pod, **extra),
                                 headers=keyed(key) if key is not None else SERVICE_HEADERS)
    return response.status_code, await response.get_json()


async def dismiss(client: TestClientProtocol, key: str | None, pod: str = "web-1") -> tuple[int, Any]:
    response = await client.post("/api/pods/dismiss-deleted", json={"namespace": "default", "pod_name": pod},
                                 headers=keyed(key) if key is not None else SERVICE_HEADERS)
    return response.status_code, await response.get_json()


async def stored(services: Services, pod: str = "web-1") -> list[dict[str, Any]]:
    """Every record of the pod as stored, delivery keys included, oldest first."""
    cursor = services.mongo.db["pod_failures"].find({"namespace": "default", "pod_name": pod}).sort("_id", 1)
    return [doc async for doc in cursor]


# --- reports ----------------------------------------------------------------------------------------------------------


async def test_a_report_sent_twice_with_one_key_is_counted_once(
    client: TestClientProtocol, clock: ManualClock, feed: Feed, notifications: RecordingNotifier
) -> None:
    status, first = await post(client, "op-1")
    clock.advance(30)
    again_status, again = await post(client, "op-1", failure_message="evidence rebuilt for the retry")
    assert (status, again_status) == (200, 200)
    assert again == first  # answered like the original: same record, nothing changed
    assert first["occurrences"] == 1
    # The replay sends the record again as it is (its first message may have died with the replica that applied
    # it), but does not notify again.
    assert [(m["type"], m["data"]) for m in feed.messages()] == [("pod_failure", first)] * 2
    assert [e for e, _, _ in notifications.sent] == ["pod_failure"]

    # A new operation (a later re-report of the pod) has a new key and counts; its own replay does not.
    clock.advance(30)
    _, second = await post(client, "op-2")
    _, second_again = await post(client, "op-2")
    _, first_late = await post(client, "op-1")  # an older key is remembered too
    assert second["occurrences"] == 2 and second_again == second and first_late == second
    assert [(m["type"], m["data"]) for m in feed.messages()] == [("pod_failure", second)] * 3


async def test_reports_without_a_key_keep_counting_every_request(client: TestClientProtocol) -> None:
    await post(client, None)
    _, again = await post(client, None)
    assert again["occurrences"] == 2
    _, keyed_one = await post(client, "op-1")
    _, unkeyed = await post(client, None)  # a keyless report never matches a key
    assert (keyed_one["occurrences"], unkeyed["occurrences"]) == (3, 4)


async def test_a_replayed_reason_change_is_not_merged_again(client: TestClientProtocol, feed: Feed) -> None:
    await post(client, "op-1")
    _, changed = await post(client, "op-2", failure_reason="OOMKilled", failure_message="OOMKilled")
    _, replay = await post(client, "op-2", failure_reason="OOMKilled", failure_message="OOMKilled")
    assert changed["failure_reason"] == "OOMKilled" and changed["occurrences"] == 2
    assert replay == changed
    assert feed.types() == ["pod_failure"] * 3


async def test_a_replay_on_an_ignored_record_is_not_counted(
    client: TestClientProtocol, user_client: UserClient, feed: Feed
) -> None:
    _, first = await post(client, "op-1")
    writer = await user_client("write")
    await writer.delete(f"/api/pods/failed/{first['id']}")
    _, quiet = await post(client, "op-2")
    feed.messages()
    _, replay = await post(client, "op-2")
    assert quiet["status"] == "ignored" and quiet["occurrences"] == 2
    assert replay == quiet
    assert feed.messages() == []  # quiet, like the original


async def test_a_replay_after_the_incident_was_resolved_opens_nothing(
    client: TestClientProtocol, user_client: UserClient, services: Services, feed: Feed
) -> None:
    _, first = await post(client, "op-1")
    writer = await user_client("write")
    resolved = await (await writer.put(f"/api/pods/{first['id']}/status", json={"status": "resolved"})).get_json()
    feed.messages()
    status, replay = await post(client, "op-1")
    assert status == 200 and replay == resolved  # the record it was applied to, as it is now
    assert feed.messages() == []  # a closed record is not sent as a failure again
    assert len(await stored(services)) == 1  # no second incident
    _, fresh = await post(client, "op-2")  # a new report after the resolution still opens one
    assert fresh["id"] != first["id"] and fresh["status"] == "new"


async def test_the_quoted_and_the_bare_form_are_one_key(client: TestClientProtocol) -> None:
    await post(client, '"8e03978e-40d5-43e8-bc93-6894a57f9324"')
    _, again = await post(client, "8e03978e-40d5-43e8-bc93-6894a57f9324")
    assert again["occurrences"] == 1


async def test_keys_never_leave_the_backend(
    client: TestClientProtocol, user_client: UserClient, feed: Feed, services: Services
) -> None:
    _, summary = await post(client, "secret-looking-key-1")
    _, merged = await post(client, "secret-looking-key-2")
    reader = await user_client("read")
    full = await (await reader.get(f"/api/pods/failed/{summary['id']}")).get_json()
    listed = await (await reader.get("/api/pods/failed")).get_json()
    shown = repr([summary, merged, full, listed, feed.messages()])
    assert "secret-looking-key" not in shown and "delivery" not in shown
    assert (await stored(services))[0]["delivery_keys"] == ["secret-looking-key-1", "secret-looking-key-2"]


async def test_a_record_remembers_the_newest_keys(client: TestClientProtocol, services: Services) -> None:
    if not services.mongo.embedded:
        pytest.skip("FerretDB 1.x ignores $push's $slice (docs/services.md): the test server keeps every key")
    for i in range(DELIVERY_KEYS_KEPT + 4):
        await post(client, f"op-{i}")
    [record] = await stored(services)
    assert record["delivery_keys"] == [f"op-{i}" for i in range(4, DELIVERY_KEYS_KEPT + 4)]
    assert record["occurrences"] == DELIVERY_KEYS_KEPT + 4


@pytest.mark.parametrize("value", [
    "", "   ", "two words", "x" * 129, '"unterminated', "caf\u00e9", "a,b", '""', "key;param=1",
])
async def test_a_malformed_key_is_400(client: TestClientProtocol, services: Services, value: str) -> None:
    for path, body in (("/api/pods/failed", report_body()),
                       ("/api/pods/dismiss-deleted", {"namespace": "default", "pod_name": "web-1"})):
        response = await client.post(path, json=body, headers=Headers([*SERVICE_HEADERS.items(),
                                                                      ("Idempotency-Key", value)]))
        assert response.status_code == 400, value
        detail = (await response.get_json())["detail"]
        assert detail.startswith("Idempotency-Key must be 1 to 128 letters, digits")
    assert await stored(services) == []


async def test_two_key_headers_are_400(client: TestClientProtocol) -> None:
    response = await client.post("/api/pods/failed", json=report_body(), headers=Headers(
        [*SERVICE_HEADERS.items(), ("Idempotency-Key", "a"), ("Idempotency-Key", "b")]))
    assert response.status_code == 400
    assert await response.get_json() == {"detail": "Send one Idempotency-Key header"}


async def test_a_key_of_the_longest_length_is_accepted(client: TestClientProtocol) -> None:
    status, record = await post(client, "k" * 128)
    assert status == 200 and record["occurrences"] == 1


# --- two replicas -----------------------------------------------------------------------------------------------------


def other_replica(services: Services) -> PodService:
    """The pod service of a second replica on the same database: its own repository, counters and locks."""
    other = copy.copy(services.pods)
    counters = Counters(services.mongo.db)
    counters.isolated_updates = services.repositories.counters.isolated_updates
    other.repository = PodFailureRepository(services.mongo.db, counters)
    other._pod_locks = KeyedLocks()  # nothing in memory is shared between processes
    return other


async def test_one_key_delivered_to_two_replicas_at_once_is_counted_once(services: Services) -> None:
    replicas = [services.pods, other_replica(services)]
    report = PodReport.model_validate(report_body())

    # Both open the incident at the same instant: the unique open slot decides who inserts, the other replays.
    answers = await asyncio.gather(*(r.ingest(report, "op-1") for r in replicas))
    assert [status for status, _ in answers] == [200, 200]
    assert answers[0][1]["id"] == answers[1][1]["id"]
    [record] = await stored(services)
    assert record["occurrences"] == 1

    # The incident exists: both merge the same re-report at once.
    answers = await asyncio.gather(*(r.ingest(report, "op-2") for r in replicas))
    assert {summary["id"] for _, summary in answers} == {record["_id"]}
    [record] = await stored(services)
    assert record["occurrences"] == 2

    # Many copies of one delivery on both replicas.
    await asyncio.gather(*(replicas[i % 2].ingest(report, "op-3") for i in range(20)))
    [record] = await stored(services)
    assert record["occurrences"] == 3


async def test_many_copies_of_one_key_on_one_replica_are_counted_once(client: TestClientProtocol) -> None:
    answers = await asyncio.gather(*(post(client, "op-1") for _ in range(20)))
    assert {status for status, _ in answers} == {200}
    assert {summary["occurrences"] for _, summary in answers} == {1}


# --- dismissals -------------------------------------------------------------------------------------------------------


async def test_a_dismissal_sent_twice_with_one_key_is_applied_once(
    client: TestClientProtocol, user_client: UserClient, feed: Feed, notifications: RecordingNotifier
) -> None:
    _, record = await post(client, "op-1")
    feed.messages()
    assert await dismiss(client, "op-2") == (200, {"resolved": 1})
    assert await dismiss(client, "op-2") == (200, {"resolved": 1})  # answered like the original
    deleted = {"namespace": "default", "pod_name": "web-1", "ids": [record["id"]], "reason": "recovered"}
    assert feed.messages() == [{"type": "pod_deleted", "data": deleted}] * 2  # its message sent again
    assert [e for e, _, _ in notifications.sent] == ["pod_failure", "pod_resolved"]

    # Someone reopens the incident; the late copy of the dismissal must not resolve it again.
    writer = await user_client("write")
    reopened = await writer.put(f"/api/pods/{record['id']}/status", json={"status": "new"})
    assert reopened.status_code == 200
    feed.messages()
    assert await dismiss(client, "op-2") == (200, {"resolved": 1})
    current = await (await writer.get(f"/api/pods/failed/{record['id']}")).get_json()
    assert current["status"] == "new"
    assert feed.messages() == []

    # A new dismissal (new key) resolves it; without a key nothing is left to resolve, as before.
    assert await dismiss(client, "op-3") == (200, {"resolved": 1})
    assert await dismiss(client, None) == (200, {"resolved": 0})
    assert await dismiss(client, "op-4") == (200, {"resolved": 0})
