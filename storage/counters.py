"""Per-collection integer id counters (api.md §0.6): start at 1, never reused."""

from __future__ import annotations

from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError


class Counters:
    def __init__(self, db: Any) -> None:
        self._collection = db["counters"]

    async def next(self, name: str) -> int:
        """Atomically allocate the next id of ``name``."""
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
