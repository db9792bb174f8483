"""Per-collection integer id counters (docs/api.md#identifiers): start at 1, never reused.

One ``$inc`` round trip per id. MongoDB applies it atomically. FerretDB 1.x (the test server) does a
read-modify-write and loses concurrent increments: within one process allocations of one counter are serialised,
and on a server without isolated updates (``ServerTraits.isolated_updates``) every number is also *claimed* by
inserting ``<counter>:<n>`` into ``counter_claims``: a number two replicas both received is claimed by one, and
the other allocates again (docs/storage.md). Every id is also the ``_id`` of its record, or unique-indexed.
"""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from app.core.locks import KeyedLocks

#: Claims kept per counter below the newest (older numbers can no longer be handed out twice).
CLAIMS_KEPT = 1000


class Counters:
    def __init__(self, db: Any) -> None:
        self._collection = db["counters"]
        self._claims = db["counter_claims"]
        self._locks = KeyedLocks()
        #: Set from the server's traits at start; False means claims make numbers unique across processes.
        self.isolated_updates = True

    async def ensure_indexes(self) -> None:
        await self._claims.create_index([("counter", ASCENDING), ("n", ASCENDING)], name="counter_n")

    async def next(self, name: str) -> int:
        """Allocate the next id of ``name``."""
        async with self._locks.hold(name):
            for _ in range(20):
                number = await self._allocate(name)
                if self.isolated_updates or await self._claim(name, number):
                    return number
        raise RuntimeError(f"could not allocate an id for {name!r}")

    async def _claim(self, name: str, number: int) -> bool:
        try:
            await self._claims.insert_one({"_id": f"{name}:{number}", "counter": name, "n": number})
        except DuplicateKeyError:
            return False  # another process received the same number and claimed it first
        if number % 100 == 0:
            await self._claims.delete_many({"counter": name, "n": {"$lt": number - CLAIMS_KEPT}})
        return True

    async def _allocate(self, name: str) -> int:
        for _ in range(3):
            try:
                doc = await self._collection.find_one_and_update(
                    {"_id": name},
                    {"$inc": {"seq": 1}},
                    upsert=True,
                    return_document=ReturnDocument.AFTER,
                )
                return int(doc["seq"])
            except DuplicateKeyError:
                # Two first-ever allocations raced on the upsert; the counter exists now, so retry.
                continue
        raise RuntimeError(f"could not allocate an id for {name!r}")
