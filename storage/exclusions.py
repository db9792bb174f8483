"""Excluded namespaces and excluded pod patterns (docs/api.md#small-rows, docs/api.md#exclusions)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from storage.counters import Counters


class ExclusionRepository:
    def __init__(self, db: Any, counters: Counters) -> None:
        self._namespaces = db["excluded_namespaces"]
        self._pods = db["excluded_pods"]
        self._counters = counters

    async def ensure_indexes(self) -> None:
        await self._namespaces.create_index([("namespace", ASCENDING)], unique=True, name="namespace_unique")
        # namespace is null for unscoped patterns; (pattern, null) is unique like any other pair.
        await self._pods.create_index([("pod_name", ASCENDING), ("namespace", ASCENDING)], unique=True,
                                      name="pattern_scope_unique")

    # --- namespaces ----------------------------------------------------------------------------------------

    async def namespaces(self) -> list[dict[str, Any]]:
        return [doc async for doc in self._namespaces.find({}).sort("namespace", ASCENDING)]

    async def add_namespace(self, namespace: str, at: datetime) -> tuple[dict[str, Any], bool]:
        """(row, created). An existing row is returned unchanged."""
        existing = await self._namespaces.find_one({"namespace": namespace})
        if existing is not None:
            return existing, False
        doc = {"_id": await self._counters.next("excluded_namespaces"), "namespace": namespace, "created_at": at}
        try:
            await self._namespaces.insert_one(doc)
        except DuplicateKeyError:
            raced = await self._namespaces.find_one({"namespace": namespace})
            if raced is not None:
                return raced, False
            raise
        return doc, True

    async def remove_namespace(self, namespace: str) -> bool:
        result = await self._namespaces.delete_one({"namespace": namespace})
        return bool(result.deleted_count)

    # --- pod patterns --------------------------------------------------------------------------------------

    async def pod_patterns(self) -> list[dict[str, Any]]:
        rows = [doc async for doc in self._pods.find({})]
        # Ordered by pod_name, then namespace with the unscoped (null) row first.
        rows.sort(key=lambda row: (row["pod_name"], row["namespace"] is not None, row["namespace"] or ""))
        return rows

    async def add_pod_pattern(self, pod_name: str, namespace: str | None, at: datetime) -> tuple[dict[str, Any], bool]:
        query = {"pod_name": pod_name, "namespace": namespace}
        existing = await self._pods.find_one(query)
        if existing is not None:
            return existing, False
        doc = {"_id": await self._counters.next("excluded_pods"), **query, "created_at": at}
        try:
            await self._pods.insert_one(doc)
        except DuplicateKeyError:
            raced = await self._pods.find_one(query)
            if raced is not None:
                return raced, False
            raise
        return doc, True

    async def remove_pod_pattern(self, pod_name: str, namespace: str | None) -> bool:
        result = await self._pods.delete_one({"pod_name": pod_name, "namespace": namespace})
        return bool(result.deleted_count)
