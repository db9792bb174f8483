"""Trusted image registries (docs/api.md#small-rows TrustedRegistry, docs/api.md#trusted-registries). Values arrive
already normalised."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from storage.counters import Counters

COLLECTION = "trusted_registries"


class TrustedRegistryRepository:
    def __init__(self, db: Any, counters: Counters) -> None:
        self._registries = db[COLLECTION]
        self._counters = counters

    async def ensure_indexes(self) -> None:
        await self._registries.create_index([("registry", ASCENDING)], unique=True, name="registry_unique")

    async def all(self) -> list[dict[str, Any]]:
        return [doc async for doc in self._registries.find({}).sort("registry", ASCENDING)]

    async def get(self, registry: str) -> dict[str, Any] | None:
        doc: dict[str, Any] | None = await self._registries.find_one({"registry": registry})
        return doc

    async def present(self, candidates: Iterable[str]) -> list[str]:
        """The stored registries among ``candidates``."""
        values = list(dict.fromkeys(candidates))
        if not values:
            return []
        return [doc["registry"] async for doc in self._registries.find({"registry": {"$in": values}}, {"registry": 1})]

    async def add(self, registry: str, now: datetime) -> tuple[dict[str, Any], bool]:
        """Insert ``registry`` unless present. Returns (row, created); a concurrent add of the same value loses
        cleanly and gets the winner's row."""
        existing = await self.get(registry)
        if existing is not None:
            return existing, False
        doc = {"_id": await self._counters.next(COLLECTION), "registry": registry, "created_at": now}
        try:
            await self._registries.insert_one(doc)
        except DuplicateKeyError:
            winner = await self.get(registry)
            if winner is None:  # the winner was already removed again: surface the conflict
                raise
            return winner, False
        return doc, True

    async def delete(self, registry: str) -> dict[str, Any] | None:
        doc: dict[str, Any] | None = await self._registries.find_one_and_delete({"registry": registry})
        return doc
