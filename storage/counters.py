"""Per-collection integer id counters (docs/api.md#identifiers): start at 1, never reused.

One ``$inc`` round trip per id. MongoDB applies it atomically; FerretDB 1.x (the test server) does a
read-modify-write and loses concurrent increments, so allocations of one counter are also serialised within the
process (docs/storage.md). Every id is additionally the ``_id`` of its record, so a duplicate could never be
stored silently.
"""

from __future__ import annotations

from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from app.core.locks import KeyedLocks


class Counters:
    def __init__(self, db: Any) -> None:
        self._collection = db["counters"]
        self._locks = KeyedLocks()

    async def next(self, name: str) -> int:
        """Allocate the next id of ``name``."""
        async with self._locks.hold(name):
            return await self._allocate(name)

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
