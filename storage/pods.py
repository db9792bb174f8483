"""Pod-failure records (docs/api.md#pod-failure, docs/api.md#pod-failure-status, docs/api.md#retention).

At most one *open* record (status new/investigating) per (namespace, pod_name) is guaranteed by the database on
every backend — real MongoDB, FerretDB (no partial indexes) and mongomock — with one plain unique index on
``open_slot``: an open record holds ``"<namespace>/<pod_name>"`` there, a closed one holds ``"#<id>"`` (unique by
itself). Creating or reopening a second open record for the same pod therefore fails with a duplicate key, which
the service turns into "update the existing incident" (ingest) or a 409 (reopen guard).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.errors import OperationFailure

from storage.counters import Counters
from storage.errors import DuplicateError, is_duplicate_key
from storage.keys import decode_keys, encode_keys

OPEN_STATUSES = ("new", "investigating")
# Reads of summaries leave the bulky fields out. (findAndModify cannot: FerretDB does not implement its
# projection, so updates return whole documents and the presenter drops manifest/logs.)
SUMMARY_PROJECTION = {"manifest": 0, "logs": 0}


def open_slot(namespace: str, pod_name: str) -> str:
    # Namespaces and pod names cannot contain '/', so the slot is unambiguous.
    return f"{namespace}/{pod_name}"


def closed_slot(record_id: int) -> str:
    return f"#{record_id}"


async def _aggregate(collection: Any, pipeline: list[dict[str, Any]]) -> Any:
    # motor's aggregate() returns a cursor at once; mongomock-motor's must be awaited first.
    cursor = collection.aggregate(pipeline)
    return await cursor if hasattr(cursor, "__await__") else cursor


# Kubernetes label keys contain dots (`app.kubernetes.io/name`), which FerretDB refuses in document keys: labels
# are stored with escaped keys (storage/keys.py) and decoded on the way out.
def _in(fields: dict[str, Any]) -> dict[str, Any]:
    return {**fields, "labels": encode_keys(fields["labels"])} if isinstance(fields.get("labels"), dict) else fields


def _out(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    if doc is not None and isinstance(doc.get("labels"), dict):
        doc["labels"] = decode_keys(doc["labels"])
    return doc


class PodFailureRepository:
    def __init__(self, db: Any, counters: Counters) -> None:
        self._records = db["pod_failures"]
        self._counters = counters

    async def ensure_indexes(self) -> None:
        await self._records.create_index([("open_slot", ASCENDING)], unique=True, name="open_slot_unique")
        await self._records.create_index(
            [("namespace", ASCENDING), ("pod_name", ASCENDING), ("_id", DESCENDING)], name="pod_latest"
        )
        await self._records.create_index(
            [("status", ASCENDING), ("last_seen", DESCENDING), ("_id", DESCENDING)], name="status_last_seen"
        )

    # --- reads ---------------------------------------------------------------------------------------------

    async def get(self, record_id: int, *, summary: bool = False) -> dict[str, Any] | None:
        doc: dict[str, Any] | None = await self._records.find_one(
            {"_id": record_id}, SUMMARY_PROJECTION if summary else None
        )
        return _out(doc)

    async def find_open(self, namespace: str, pod_name: str) -> dict[str, Any] | None:
        doc: dict[str, Any] | None = await self._records.find_one({"open_slot": open_slot(namespace, pod_name)})
        return _out(doc)

    async def recent(self, namespace: str, pod_name: str, limit: int) -> list[dict[str, Any]]:
        """The pod's newest records (id and status only), newest first."""
        cursor = (
            self._records.find({"namespace": namespace, "pod_name": pod_name}, {"_id": 1, "status": 1})
            .sort("_id", DESCENDING)
            .limit(limit)
        )
        return [doc async for doc in cursor]

    async def find_page(
        self, statuses: tuple[str, ...], namespace: str | None, reason: str | None, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        query: dict[str, Any] = {"status": {"$in": list(statuses)}}
        if namespace:
            query["namespace"] = namespace
        if reason:
            query["failure_reason"] = reason
        total = int(await self._records.count_documents(query))
        cursor = (
            self._records.find(query, SUMMARY_PROJECTION)
            .sort([("last_seen", DESCENDING), ("_id", DESCENDING)])
            .skip(offset)
            .limit(limit)
        )
        docs = [doc async for doc in cursor]
        for doc in docs:
            _out(doc)
        return docs, total

    async def reason_counts(self, statuses: tuple[str, ...], namespace: str | None) -> list[tuple[str, int]]:
        """(failure_reason, number of records) among the records with these statuses, in one aggregation."""
        match: dict[str, Any] = {"status": {"$in": list(statuses)}}
        if namespace:
            match["namespace"] = namespace
        pipeline = [{"$match": match}, {"$group": {"_id": "$failure_reason", "count": {"$sum": 1}}}]
        return [(str(doc["_id"]), int(doc["count"])) async for doc in await _aggregate(self._records, pipeline)]

    async def open_records(self, namespace: str | None = None) -> list[dict[str, Any]]:
        query: dict[str, Any] = {"status": {"$in": list(OPEN_STATUSES)}}
        if namespace is not None:
            query["namespace"] = namespace
        return [doc async for doc in self._records.find(query, {"_id": 1, "namespace": 1, "pod_name": 1})]

    # --- writes --------------------------------------------------------------------------------------------

    async def insert_open(self, doc: dict[str, Any]) -> dict[str, Any]:
        """Insert a new open record (``_id`` allocated here); DuplicateError when the pod already has one."""
        record = dict(doc)
        record["_id"] = await self._counters.next("pod_failures")
        record["open_slot"] = open_slot(record["namespace"], record["pod_name"])
        try:
            await self._records.insert_one(_in(record))
        except OperationFailure as exc:
            if is_duplicate_key(exc):
                raise DuplicateError(record["open_slot"]) from None
            raise
        return record

    async def update_open(
        self, namespace: str, pod_name: str, changes: dict[str, Any], *, require_reason: str | None = None
    ) -> dict[str, Any] | None:
        """Merge a re-report into the pod's open record in one round trip; None when there is none (or, with
        ``require_reason``, when its reason differs)."""
        query: dict[str, Any] = {"open_slot": open_slot(namespace, pod_name)}
        if require_reason is not None:
            query["failure_reason"] = require_reason
        doc: dict[str, Any] | None = await self._records.find_one_and_update(
            query,
            {"$set": _in(changes), "$inc": {"occurrences": 1}},
            return_document=ReturnDocument.AFTER,
        )
        return _out(doc)

    async def update_by_id(
        self, record_id: int, changes: dict[str, Any], *, expect_status: str | None = None, inc: bool = False
    ) -> dict[str, Any] | None:
        query: dict[str, Any] = {"_id": record_id}
        if expect_status is not None:
            query["status"] = expect_status
        update: dict[str, Any] = {"$set": _in(changes)}
        if inc:
            update["$inc"] = {"occurrences": 1}
        doc: dict[str, Any] | None = await self._records.find_one_and_update(
            query, update, return_document=ReturnDocument.AFTER
        )
        return _out(doc)

    async def set_status(
        self, record: dict[str, Any], status: str, changes: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Move ``record`` to ``status`` if it still has the status it was read with.

        Opening claims the pod's open slot (DuplicateError when another record holds it); closing frees it.
        Returns None when the record changed or vanished meanwhile.
        """
        slot = (
            open_slot(record["namespace"], record["pod_name"]) if status in OPEN_STATUSES
            else closed_slot(record["_id"])
        )
        try:
            return await self.update_by_id(
                record["_id"], {**changes, "status": status, "open_slot": slot}, expect_status=record["status"]
            )
        except OperationFailure as exc:
            if is_duplicate_key(exc):
                raise DuplicateError(slot) from None
            raise

    async def delete_ids(self, ids: list[int]) -> int:
        if not ids:
            return 0
        result = await self._records.delete_many({"_id": {"$in": ids}})
        return int(result.deleted_count)

    async def delete_closed_before(self, status: str, field: str, before: datetime) -> int:
        """Retention: hard-delete records of ``status`` whose ``field`` is older than ``before``."""
        result = await self._records.delete_many({"status": status, field: {"$lt": before}})
        return int(result.deleted_count)
