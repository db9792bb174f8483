"""Notification settings, one document per provider; the config is stored as one Fernet ciphertext."""

from __future__ import annotations

from typing import Any

from pymongo.errors import DuplicateKeyError

from storage.errors import DuplicateError


class NotificationRepository:
    def __init__(self, db: Any) -> None:
        self._settings = db["notification_settings"]

    async def ensure_indexes(self) -> None:
        """Keyed by ``_id`` = provider."""

    async def all(self) -> list[dict[str, Any]]:
        return [doc async for doc in self._settings.find({}).sort("_id", 1)]

    async def get(self, provider: str) -> dict[str, Any] | None:
        doc: dict[str, Any] | None = await self._settings.find_one({"_id": provider})
        return doc

    async def insert(self, doc: dict[str, Any]) -> None:
        try:
            await self._settings.insert_one(doc)
        except DuplicateKeyError:
            raise DuplicateError(doc["_id"]) from None

    async def replace(self, doc: dict[str, Any]) -> None:
        await self._settings.replace_one({"_id": doc["_id"]}, doc)

    async def delete(self, provider: str) -> bool:
        result = await self._settings.delete_one({"_id": provider})
        return bool(result.deleted_count)
