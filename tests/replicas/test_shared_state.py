"""What replicas share through MongoDB (docs/replicas.md), run on mongomock and on the real MongoDB-wire server:
the event log's numbering and retention, leases, per-principal slots, and a feed resumed from any position.

"Two replicas" here are two sets of objects on one database, as two processes would build them."""

from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import timedelta
from typing import Any

from app.core.clock import ManualClock
from app.ws.feed import LiveFeed
from app.ws.hub import Hub, HubClient
from storage.counters import Counters
from storage.events import EventLog
from storage.leases import LeaseRepository
from storage.slots import SlotRepository


def event_log(db: Any, max_events: int = 100, max_age: float = 3600) -> EventLog:
    return EventLog(db, max_events=max_events, max_age=timedelta(seconds=max_age))


async def test_two_writers_number_every_message_once_without_holes(db: Any, clock: ManualClock) -> None:
    first, second = event_log(db), event_log(db)
    await first.ensure_indexes()

    async def write(log: EventLog, tag: str) -> list[int]:
        numbers: list[int] = []
        for i in range(10):
            numbers += await log.append([(tag, json.dumps({"i": i}))], clock.now())
        return numbers

    a, b = await asyncio.gather(write(first, "a"), write(second, "b"))
    assert sorted(a + b) == list(range(1, 21))  # every number taken once, none skipped
    stored = await first.read_after(0, 100)
    assert [e.seq for e in stored] == list(range(1, 21))
    assert [json.loads(e.data)["i"] for e in stored if e.type == "a"] == list(range(10))  # a writer's order kept


async def test_retention_bounds_count_and_age_but_keeps_the_newest(db: Any, clock: ManualClock) -> None:
    log = event_log(db, max_events=10, max_age=60)
    await log.append([("t", "{}")] * 25, clock.now())
    await log.prune(clock.now())
    assert await log.oldest_seq() == 16 and await log.newest_seq() == 25

    clock.advance(120)
    await log.prune(clock.now())
    assert await log.oldest_seq() == 25  # all too old, but the newest stays: numbering never restarts
    assert await log.append([("t", "{}")], clock.now()) == [26]


async def test_a_lease_is_held_by_one_replica_until_it_expires_or_is_released(db: Any, clock: ManualClock) -> None:
    leases = LeaseRepository(db)
    await leases.ensure_indexes()
    results = await asyncio.gather(*(leases.acquire("job", f"r{i}", 30, clock.now()) for i in range(4)))
    assert results.count(True) == 1
    holder = f"r{results.index(True)}"
    other = "r9"
    assert await leases.acquire("job", holder, 30, clock.now())  # renewal
    assert not await leases.acquire("job", other, 30, clock.now())

    clock.advance(31)  # the holder died: its term runs out
    assert await leases.acquire("job", other, 30, clock.now())
    assert not await leases.acquire("job", holder, 30, clock.now())  # the old holder learns it lost

    await leases.release("job", other)
    assert await leases.acquire("job", holder, 30, clock.now())  # released: taken at once


async def test_slots_cap_a_principal_across_replicas(db: Any, clock: ManualClock) -> None:
    slots = SlotRepository(db)
    await slots.ensure_indexes()
    expires = clock.now() + timedelta(seconds=60)
    claims = await asyncio.gather(*(slots.claim("websocket", "user:1", f"r{i % 2}", 3, clock.now(), expires)
                                    for i in range(8)))
    held = [c for c in claims if c is not None]
    assert len(held) == 3
    assert await slots.held("websocket", "user:1", clock.now()) == 3
    assert await slots.claim("websocket", "user:2", "r0", 3, clock.now(), expires) is not None  # per principal

    await slots.release(held[0])
    assert await slots.claim("websocket", "user:1", "r1", 3, clock.now(), expires) is not None

    clock.advance(61)  # replica r0 and r1 died without releasing: their slots expire
    assert await slots.claim("websocket", "user:1", "r2", 3, clock.now(), clock.now() + timedelta(seconds=60))


async def test_counters_with_claims_hand_each_number_out_once(db: Any) -> None:
    first, second = Counters(db), Counters(db)
    for counters in (first, second):
        counters.isolated_updates = False  # the FerretDB path, also correct where updates are isolated
        await counters.ensure_indexes()
    numbers = await asyncio.gather(*(c.next("pods") for c in (first, second) for _ in range(15)))
    assert len(set(numbers)) == 30


# --- the feed: resume from any replica ------------------------------------------------------------------------

def frames(client: HubClient) -> list[dict[str, Any]]:
    out = [json.loads(f) for f in client.backlog]
    client.backlog.clear()
    while not client.queue.empty():
        out.append(json.loads(client.queue.get_nowait()))
    return out


async def replica(db: Any, clock: ManualClock, **log_bounds: Any) -> LiveFeed:
    feed = LiveFeed(event_log(db, **log_bounds), Hub(), clock, poll_seconds=0.01, window=5)
    await feed.start_position()
    return feed


async def catch_up(feed: LiveFeed) -> None:
    feed.deliver(await feed.log.read_after(feed.position, 1000))


async def test_a_client_resumes_on_another_replica_with_every_missed_message_once(db: Any, clock: ManualClock) -> None:
    a, b = await replica(db, clock), await replica(db, clock)
    on_a = HubClient(user_id=None, session_id=None)
    assert await a.attach(on_a, None)
    seqs = [n for i in range(12) for n in await a.log.append([("pod_failure", json.dumps({"i": i}))], clock.now())]
    await catch_up(a)
    seen = frames(on_a)
    assert [m["seq"] for m in seen] == seqs and [m["data"]["i"] for m in seen] == list(range(12))

    # The client saw up to seqs[3], then its replica died; it reconnects to b, whose window (5) starts later.
    await catch_up(b)
    resumed = HubClient(user_id=None, session_id=None)
    assert await b.attach(resumed, seqs[3])
    await b.log.append([("pod_failure", json.dumps({"i": 12}))], clock.now())
    await catch_up(b)
    again = frames(resumed)
    assert [m["seq"] for m in again] == list(range(seqs[3] + 1, seqs[-1] + 2))  # once each, in order
    assert again[-1]["data"] == {"i": 12}


async def test_a_gap_older_than_the_log_is_answered_with_resync(db: Any, clock: ManualClock) -> None:
    feed = await replica(db, clock, max_events=10)
    await feed.log.append([("t", "{}")] * 30, clock.now())
    await catch_up(feed)
    await feed.prune()
    client = HubClient(user_id=None, session_id=None)
    assert await feed.attach(client, 3)
    assert frames(client) == [{"type": "resync", "data": {"seq": 30, "reason": "expired"}}]

    unknown = HubClient(user_id=None, session_id=None)
    assert await feed.attach(unknown, 10_000)  # a number this log never reached
    assert frames(unknown)[0]["data"]["reason"] == "unknown"

    current = HubClient(user_id=None, session_id=None)
    assert await feed.attach(current, 30)  # nothing missed: nothing but what comes next
    assert frames(current) == []


# --- a replica that fell behind the log -----------------------------------------------------------------------

async def test_a_writer_whose_view_retention_pruned_appends_above_the_newest(db: Any, clock: ManualClock) -> None:
    behind, other = event_log(db, max_events=10), event_log(db, max_events=10)
    assert await behind.append([("t", "{}")] * 3, clock.now()) == [1, 2, 3]
    await other.append([("t", "{}")] * 30, clock.now())
    await other.prune(clock.now())  # keeps 24..33: the number after the one `behind` saw last is free again
    assert await other.oldest_seq() == 24

    assert await behind.append([("late", "{}")], clock.now()) == [34]
    assert [(e.seq, e.type) for e in await other.read_after(33, 10)] == [(34, "late")]  # a reader at 33 gets it


async def wait_for_position(feed: LiveFeed, seq: int) -> None:
    for _ in range(1000):  # 10 s
        if feed.position >= seq:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"the tail stopped at {feed.position}, never reached {seq}")


async def test_a_replica_whose_tail_fell_behind_the_log_tells_its_clients_once_then_goes_on(
        db: Any, clock: ManualClock) -> None:
    a, b = await replica(db, clock, max_events=10), await replica(db, clock, max_events=10)
    on_a, on_b = HubClient(user_id=None, session_id=None), HubClient(user_id=None, session_id=None)
    assert await a.attach(on_a, None) and await b.attach(on_b, None)
    await a.log.append([("pod_failure", json.dumps({"i": i})) for i in range(3)], clock.now())  # 1..3
    await catch_up(a)
    await catch_up(b)

    # b's tail stops reading (paused, or cut off from the database) while a stores 30 more and retention keeps
    # only the newest 10 (24..33): b never reads 4..23.
    await a.log.append([("pod_failure", json.dumps({"i": i})) for i in range(3, 33)], clock.now())
    await catch_up(a)
    await a.prune()
    # A client that saw 30 on a reconnects to b, which is still at 3: it has missed nothing b could not give it.
    from_a = HubClient(user_id=None, session_id=None)
    assert await b.attach(from_a, 30)
    # A request on b, the moment b is back, publishes before b's tail has read anything.
    await b.log.append([("pod_failure", json.dumps({"i": 33}))], clock.now())

    tail = asyncio.create_task(b.run_tail())
    try:
        await wait_for_position(b, 34)
        await a.log.append([("pod_failure", json.dumps({"i": i})) for i in range(34, 36)], clock.now())
        await wait_for_position(b, 36)
    finally:
        tail.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await tail
    await catch_up(a)

    resync = {"type": "resync", "data": {"seq": 23, "reason": "lost"}}
    got = frames(on_b)
    assert got[:3] == [{"type": "pod_failure", "seq": n, "data": {"i": n - 1}} for n in (1, 2, 3)]
    assert got[3] == resync  # once, then every message still kept, in order, none twice
    assert got[4:] == [{"type": "pod_failure", "seq": n, "data": {"i": n - 1}} for n in range(24, 37)]
    assert frames(from_a) == [{"type": "pod_failure", "seq": n, "data": {"i": n - 1}} for n in range(31, 37)]
    # What b published while it was behind reaches a's clients too, between what a stored before and after it.
    assert [m["seq"] for m in frames(on_a)] == list(range(1, 37))
