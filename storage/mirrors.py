"""Mirror pod records (docs/api.md#mirror, docs/api.md#mirror-pods): one document per deployed mirror, keyed by the
12-hex mirror id.

Records outlive the process on purpose: the reaper of a restarted backend finds and expires them
(docs/api.md#watching-and-removing-mirrors).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

from storage.errors import DuplicateError


class MirrorRepository:
    def __init__(self, db: Any) -> None:
        self._mirrors = db["mirrors"]
        # The active-mirror limit holds across replicas: each mirror first takes a numbered place (its _id, so the
        # server's unique primary key arbitrates a race between replicas) and frees it with its record.
        self._places = db["mirror_places"]

    async def ensure_indexes(self) -> None:
        await self._mirrors.create_index([("created_at", DESCENDING)], name="created_at")
        await self._mirrors.create_index([("expires_at", ASCENDING)], name="expires_at")

    async def insert(self, doc: dict[str, Any]) -> None:
        """Store a new record; ``doc["_id"]`` is the mirror id."""
        try:
            await self._mirrors.insert_one(dict(doc))
        except DuplicateKeyError:
            raise DuplicateError(str(doc["_id"])) from None

    async def reserve_place(self, mirror_id: str, places: int, now: datetime) -> int | None:
        """Take the lowest free place of ``places`` for ``mirror_id``; None when every place is taken."""
        for place in range(places):
            try:
                await self._places.insert_one({"_id": place, "mirror_id": mirror_id, "reserved_at": now})
            except DuplicateKeyError:
                continue
            return place
        return None

    async def release_place(self, mirror_id: str) -> None:
        await self._places.delete_many({"mirror_id": mirror_id})

    async def release_orphaned_places(self, reserved_before: datetime) -> int:
        """Free places whose mirror has no record (a replica died between reserving and storing it), once they
        are older than any deploy in progress can be."""
        result = await self._places.delete_many(
            {"mirror_id": {"$nin": sorted(await self.ids())}, "reserved_at": {"$lt": reserved_before}}
        )
        return int(result.deleted_count)

    async def get(self, mirror_id: str) -> dict[str, Any] | None:
        doc: dict[str, Any] | None = await self._mirrors.find_one({"_id": mirror_id})
        return doc

    async def count(self) -> int:
        return int(await self._mirrors.count_documents({}))

    async def newest_first(self) -> list[dict[str, Any]]:
        """Every record, newest ``created_at`` first (ties: higher id first, for a stable order)."""
        cursor = self._mirrors.find({}).sort([("created_at", DESCENDING), ("_id", DESCENDING)])
        return [doc async for doc in cursor]

    async def ids(self) -> set[str]:
        return {str(doc["_id"]) async for doc in self._mirrors.find({}, {"_id": 1})}

    async def expired(self, now: datetime) -> list[dict[str, Any]]:
        cursor = self._mirrors.find({"expires_at": {"$lte": now}}).sort([("expires_at", ASCENDING)])
        return [doc async for doc in cursor]

    async def set_status(self, mirror_id: str, status: str) -> bool:
        result = await self._mirrors.update_one({"_id": mirror_id}, {"$set": {"status": status}})
        return bool(result.matched_count)

    async def delete(self, mirror_id: str) -> bool:
        """Remove a record; False when it was already gone (a concurrent delete or reaper tick)."""
        result = await self._mirrors.delete_one({"_id": mirror_id})
        await self.release_place(mirror_id)
        return bool(result.deleted_count)
