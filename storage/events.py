"""The live feed's event log (docs/replicas.md#the-live-event-log): every WebSocket message, written once, numbered.

A message's number is its ``_id`` (the *sequence*). A writer inserts at ``newest + 1`` where ``newest`` is a
number it has seen stored *and that is still stored* (one primary-key read: retention may have deleted it while
the writer was not looking, and a number in a pruned range is free but must not be taken again), and retries
higher after a duplicate key. So a number is only ever taken while the one below it is still stored: the log
has no holes, and no message can become visible after a higher one did. A reader that has
delivered everything up to ``n`` therefore never skips a message by asking for ``_id > n`` — there is no
"commits later with a lower number" case to wait for, on any server, because the unique ``_id`` is the only
thing the writers race on (an insert's key check is atomic on MongoDB and on FerretDB alike).

The message is stored as its JSON text (``data``), not as a sub-document: replicas fan out the text unchanged, and
free-form keys inside a payload (a finding's ``details``) need no escaping.

Retention is by count and by age; with numbers that have no holes the count bound is one range delete. The newest
message is never deleted, so the numbering never starts over while the collection exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import BulkWriteError

from storage.errors import is_duplicate_key

COLLECTION = "live_events"


@dataclass(frozen=True)
class StoredEvent:
    seq: int
    type: str
    data: str  # the JSON text of the message's ``data``
    at: datetime


class EventLogBounds(Protocol):
    """The retention bounds of the backend's ``settings.live`` group (app/settings.py)."""

    @property
    def max_events(self) -> int: ...

    @property
    def max_age_seconds(self) -> float: ...


class EventLog:
    @classmethod
    def from_settings(cls, db: Any, live: EventLogBounds) -> EventLog:
        return cls(db, max_events=live.max_events, max_age=timedelta(seconds=live.max_age_seconds))

    def __init__(self, db: Any, *, max_events: int, max_age: timedelta) -> None:
        self._events = db[COLLECTION]
        self.max_events = max_events
        self.max_age = max_age
        self._next_hint = 0  # 0 = ask the database

    async def ensure_indexes(self) -> None:
        # The sequence is the _id (always indexed); the age bound deletes by time.
        await self._events.create_index([("at", ASCENDING)], name="at")

    async def newest_seq(self) -> int:
        """The highest stored number; 0 for an empty log."""
        doc = await self._events.find_one({}, {"_id": 1}, sort=[("_id", DESCENDING)])
        return int(doc["_id"]) if doc is not None else 0

    async def oldest_seq(self) -> int | None:
        doc = await self._events.find_one({}, {"_id": 1}, sort=[("_id", ASCENDING)])
        return int(doc["_id"]) if doc is not None else None

    def observe(self, seq: int) -> None:
        """A number this process saw stored (the tail): the next append starts above it."""
        self._next_hint = max(self._next_hint, seq + 1)

    async def append(self, messages: list[tuple[str, str]], at: datetime) -> list[int]:
        """Store ``(type, data_json)`` messages in order; returns their numbers.

        One ordered ``insert_many`` per attempt. A duplicate key means another writer took the number first: the
        messages stored before it keep their numbers, the rest are retried above the newest stored number.
        """
        numbers: list[int] = []
        pending = list(messages)
        for _ in range(100):
            if not pending:
                return numbers
            start = await self._next_number()
            docs = [{"_id": start + i, "type": kind, "data": data, "at": at} for i, (kind, data) in enumerate(pending)]
            try:
                await self._events.insert_many(docs, ordered=True)
                stored = len(docs)
            except BulkWriteError as exc:
                stored = int(exc.details.get("nInserted", 0))
                errors = exc.details.get("writeErrors") or []
                if not errors or not all(error.get("code") == 11000 or "UNIQUE constraint failed"
                                         in str(error.get("errmsg", "")) for error in errors):
                    raise
                self._next_hint = 0  # someone else is ahead: read the newest number again
            except Exception as exc:
                if not is_duplicate_key(exc):
                    raise
                stored, self._next_hint = 0, 0
            numbers.extend(start + i for i in range(stored))
            pending = pending[stored:]
            if stored:
                self.observe(start + stored - 1)
        raise RuntimeError("could not append to the live event log: the sequence is contended without end")

    async def _next_number(self) -> int:
        """Where the next insert starts: above the newest number this process saw, if that one is still stored.

        A number is free either because nobody took it yet or because retention deleted it. Only the first kind may
        be taken: a message inserted into a pruned range would sit below numbers the other replicas have already
        read past, and they would never deliver it. A process whose view is old (its tail was stopped, or cut off
        from the database, while retention pruned past it) therefore reads the newest number again. Retention
        deletes the lowest numbers (by count exactly; by age as far as the replicas' clocks agree) and never the
        newest, so while ``hint - 1`` is stored, ``hint`` is either free and never used, or taken (a duplicate key:
        retried above the newest).
        """
        hint = self._next_hint
        if hint > 1 and await self._events.find_one({"_id": hint - 1}, {"_id": 1}) is not None:
            return hint
        return await self.newest_seq() + 1

    async def read_after(self, seq: int, limit: int) -> list[StoredEvent]:
        """Up to ``limit`` messages numbered above ``seq``, in order."""
        cursor = self._events.find({"_id": {"$gt": seq}}).sort("_id", ASCENDING).limit(limit)
        return [StoredEvent(int(doc["_id"]), str(doc["type"]), str(doc["data"]), doc["at"]) async for doc in cursor]

    async def read_last(self, count: int) -> list[StoredEvent]:
        """The newest ``count`` messages, in order (a replica's memory window at start)."""
        cursor = self._events.find({}).sort("_id", DESCENDING).limit(count)
        newest_first = [StoredEvent(int(doc["_id"]), str(doc["type"]), str(doc["data"]), doc["at"])
                        async for doc in cursor]
        return newest_first[::-1]

    async def prune(self, now: datetime) -> int:
        """Apply the count and age bounds; idempotent (replicas may run it at once). Returns how many went."""
        newest = await self.newest_seq()
        if newest == 0:
            return 0
        deleted = 0
        if newest > self.max_events:
            result = await self._events.delete_many({"_id": {"$lte": newest - self.max_events}})
            deleted += int(result.deleted_count)
        result = await self._events.delete_many({"_id": {"$lt": newest}, "at": {"$lt": now - self.max_age}})
        return deleted + int(result.deleted_count)
