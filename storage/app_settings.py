"""Integer app settings (docs/api.md#settings), one document per key."""

from __future__ import annotations

from typing import Any


class SettingsRepository:
    def __init__(self, db: Any) -> None:
        self._settings = db["settings"]

    async def ensure_indexes(self) -> None:
        """Keyed by ``_id``; nothing else to index."""

    async def all(self) -> dict[str, int]:
        return {doc["_id"]: int(doc["value"]) async for doc in self._settings.find({})}

    async def get(self, key: str) -> int | None:
        doc = await self._settings.find_one({"_id": key})
        return int(doc["value"]) if doc is not None else None

    async def set(self, key: str, value: int) -> None:
        await self._settings.update_one({"_id": key}, {"$set": {"value": value}}, upsert=True)
