"""Login attempts for the sliding-window rate limit (docs/api.md#auth-and-users), shared by replicas through MongoDB."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING

from storage.indexes import ensure_ttl_index


class LoginAttemptRepository:
    def __init__(self, db: Any) -> None:
        self._attempts = db["login_attempts"]

    async def ensure_indexes(self) -> None:
        await self._attempts.create_index([("key", ASCENDING), ("at", ASCENDING)], name="key_at")
        await ensure_ttl_index(self._attempts, "at", 3600, "at_ttl")

    async def in_window(self, key: str, now: datetime, window: timedelta) -> list[datetime]:
        """Attempt times of ``key`` inside the window, oldest first."""
        since = now - window
        cursor = self._attempts.find({"key": key, "at": {"$gt": since}}, {"at": 1}).sort("at", ASCENDING)
        return [doc["at"] async for doc in cursor]

    async def record(self, key: str, at: datetime) -> None:
        await self._attempts.insert_one({"key": key, "at": at})

    async def purge_before(self, before: datetime) -> int:
        result = await self._attempts.delete_many({"at": {"$lte": before}})
        return int(result.deleted_count)
