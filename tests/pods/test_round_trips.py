"""Database round trips of one report, counted on the real MongoDB-wire server: at most 4 for the record, plus the
live feed's one append to the event log (batched with other messages under load), the budget of
docs/benchmarks.md. Not counted: each replica's tail of the event log (one read per poll interval, whatever the
number of reports) and, on a server without isolated updates only (FerretDB), the id claim (docs/storage.md).

Counted with a pymongo command listener on the app's own client: what the report's request does, and what it
sets off in the background (notification fan-out, the AI hook) before things are quiet again.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from pymongo import monitoring
from quart import Quart

from app.core.clock import ManualClock
from app.factory import create_app
from app.settings import Settings
from app.wiring import backend_of
from storage.mongo import MongoHandle
from tests.conftest import MONGO_TEST_URI, SERVICE_HEADERS, service_missing
from tests.pods.conftest import report_body

pytestmark = pytest.mark.integration

HOUSEKEEPING = {"ping", "hello", "isMaster", "endSessions", "buildInfo"}


class Commands(monitoring.CommandListener):
    def __init__(self) -> None:
        self.seen: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name not in HOUSEKEEPING:
            self.seen.append(f"{event.command_name} {event.command.get(event.command_name)}")

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


@pytest.fixture
async def counted(settings: Settings, clock: ManualClock) -> AsyncIterator[tuple[Quart, Commands]]:
    from motor.motor_asyncio import AsyncIOMotorClient

    commands = Commands()
    client: AsyncIOMotorClient = AsyncIOMotorClient(
        MONGO_TEST_URI, tz_aware=True, serverSelectionTimeoutMS=2000, event_listeners=[commands]
    )
    handle = MongoHandle(client=client, db=client[f"kure_test_{uuid.uuid4().hex[:12]}"], embedded=False)
    try:
        await handle.ping()
    except Exception as exc:
        client.close()
        service_missing("MongoDB-wire server", type(exc).__name__)
    application = create_app(settings, clock=clock, mongo=handle)
    try:
        async with application.test_app():
            await asyncio.wait_for(backend_of(application).jobs.indexes_ready.wait(), 15)
            yield application, commands
    finally:
        await client.drop_database(handle.db.name)
        client.close()


async def report(
    app: Quart, commands: Commands, pod: str, delivery_key: str | None = None
) -> tuple[list[str], list[str]]:
    """(commands of the request, commands it set off afterwards)."""
    await asyncio.sleep(0.3)  # earlier background work is done
    commands.seen.clear()
    headers = SERVICE_HEADERS if delivery_key is None else {**SERVICE_HEADERS, "Idempotency-Key": delivery_key}
    response = await app.test_client().post("/api/pods/failed", json=report_body(pod), headers=headers)
    assert response.status_code == 200
    during = list(commands.seen)
    await asyncio.sleep(0.3)
    return own(during), own(commands.seen[len(during):])


def own(seen: list[str]) -> list[str]:
    return [c for c in seen if c not in ("find live_events", "insert counter_claims")]


async def test_a_new_incident_takes_four_round_trips_and_a_re_report_one(counted: tuple[Quart, Commands]) -> None:
    app, commands = counted
    await report(app, commands, "warm-up")  # the exclusion, notification and LLM settings are read once here

    during, after = await report(app, commands, "web-1")
    assert len(during) + len(after) <= 5, during + after
    assert {c.split()[1] for c in during + after} <= {"pod_failures", "counters", "live_events"}
    assert during.count("insert live_events") == 1  # the message is stored before the answer

    during, after = await report(app, commands, "web-1")
    assert during + after == ["findAndModify pod_failures", "insert live_events"]


async def test_a_delivery_key_adds_no_round_trip(counted: tuple[Quart, Commands]) -> None:
    """The key rides in the same writes and the same look-up (docs/api.md#delivery-keys)."""
    app, commands = counted
    await report(app, commands, "warm-up")

    during, after = await report(app, commands, "web-1", "op-1")
    assert len(during) + len(after) <= 5, during + after
    assert {c.split()[1] for c in during + after} <= {"pod_failures", "counters", "live_events"}

    during, after = await report(app, commands, "web-1", "op-2")
    assert during + after == ["findAndModify pod_failures", "insert live_events"]

    # A replay: the conditional write misses, the look-up finds the key, one read answers, and the record is sent
    # to the feed again (its first message may have died with the replica that applied it).
    during, after = await report(app, commands, "web-1", "op-2")
    assert during + after == ["findAndModify pod_failures", "find pod_failures", "find pod_failures",
                              "insert live_events"]

