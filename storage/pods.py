"""Pod-failure records (docs/api.md#pod-failure, docs/api.md#pod-failure-status, docs/api.md#retention).

At most one *open* record (status new/investigating) per (namespace, pod_name) is guaranteed by the database on
every backend — real MongoDB, FerretDB (no partial indexes) and mongomock — with one plain unique index on
``open_slot``: an open record holds ``"<namespace>/<pod_name>"`` there, a closed one holds ``"#<id>"`` (unique by
itself). Creating or reopening a second open record for the same pod therefore fails with a duplicate key, which
the service turns into "update the existing incident" (ingest) or a 409 (reopen guard).

Keyed deliveries (docs/api.md#delivery-keys): a record keeps the delivery keys of the last
:data:`DELIVERY_KEYS_KEPT` keyed reports and dismissals applied to it in ``delivery_keys``. Every write a keyed
delivery makes is conditional on its key not being there and adds it in the same single-document update, so two
deliveries of one key — on one replica or two — change the record once, without transactions or locks.
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
SUMMARY_PROJECTION = {"manifest": 0, "logs": 0, "delivery_keys": 0}
# Ingest's own bookkeeping: never part of what the repository hands out, so never in an answer, the feed or a prompt.
FULL_PROJECTION = {"delivery_keys": 0}
#: How many applied delivery keys a record remembers. The agent sends one operation at a time per pod, so its own
#: retries only ever need the newest; the rest covers a second sender (a leader hand-over) interleaving with it.
#: MongoDB trims with ``$slice``; FerretDB 1.x ignores ``$slice`` and keeps them all (docs/services.md): harmless
#: on a test server, where records do not live long.
DELIVERY_KEYS_KEPT = 16


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
    if doc is not None:
        # findAndModify returns whole documents (FerretDB ignores its projection): drop the keys here.
        doc.pop("delivery_keys", None)
        if isinstance(doc.get("labels"), dict):
            doc["labels"] = decode_keys(doc["labels"])
    return doc


def _once(query: dict[str, Any], update: dict[str, Any], delivery_key: str | None) -> None:
    """Make an update apply at most once per delivery key: it matches only a record that has not seen the key,
    and records the key in the same atomic single-document write."""
    if delivery_key is None:
        return
    query["delivery_keys"] = {"$ne": delivery_key}
    update["$push"] = {"delivery_keys": {"$each": [delivery_key], "$slice": -DELIVERY_KEYS_KEPT}}


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
            {"_id": record_id}, SUMMARY_PROJECTION if summary else FULL_PROJECTION
        )
        return _out(doc)

    async def find_open(self, namespace: str, pod_name: str) -> dict[str, Any] | None:
        doc: dict[str, Any] | None = await self._records.find_one({"open_slot": open_slot(namespace, pod_name)})
        return _out(doc)

    async def recent(
        self, namespace: str, pod_name: str, limit: int, *, delivery_key: str | None = None
    ) -> list[dict[str, Any]]:
        """The pod's newest records (id and status), newest first. With ``delivery_key``, each also says whether
        that delivery was applied to it (``applied``), in the same read."""
        projection: dict[str, Any] = {"_id": 1, "status": 1}
        if delivery_key is not None:
            projection["delivery_keys"] = 1
        cursor = (
            self._records.find({"namespace": namespace, "pod_name": pod_name}, projection)
            .sort("_id", DESCENDING)
            .limit(limit)
        )
        records = [doc async for doc in cursor]
        if delivery_key is not None:
            for doc in records:
                doc["applied"] = delivery_key in (doc.pop("delivery_keys", None) or ())
        return records

    async def applied_to(self, namespace: str, pod_name: str, delivery_key: str) -> dict[str, Any] | None:
        """The pod's record (id and status) a delivery with this key was applied to; None when there is none."""
        doc: dict[str, Any] | None = await self._records.find_one(
            {"namespace": namespace, "pod_name": pod_name, "delivery_keys": delivery_key}, {"_id": 1, "status": 1}
        )
        return doc

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

    async def insert_open(self, doc: dict[str, Any], *, delivery_key: str | None = None) -> dict[str, Any]:
        """Insert a new open record (``_id`` allocated here); DuplicateError when the pod already has one.

        Two deliveries of one key racing to open the incident are decided by the same unique open slot: the loser
        finds the key on the winner's record."""
        record = dict(doc)
        record["_id"] = await self._counters.next("pod_failures")
        record["open_slot"] = open_slot(record["namespace"], record["pod_name"])
        stored = _in(record)
        if delivery_key is not None:
            stored = {**stored, "delivery_keys": [delivery_key]}
        try:
            await self._records.insert_one(stored)
        except OperationFailure as exc:
            if is_duplicate_key(exc):
                raise DuplicateError(record["open_slot"]) from None
            raise
        return record

    async def update_open(
        self, namespace: str, pod_name: str, changes: dict[str, Any], *, require_reason: str | None = None,
        delivery_key: str | None = None,
    ) -> dict[str, Any] | None:
        """Merge a re-report into the pod's open record in one round trip; None when there is none (or, with
        ``require_reason``, when its reason differs, or, with ``delivery_key``, when that delivery was applied)."""
        query: dict[str, Any] = {"open_slot": open_slot(namespace, pod_name)}
        if require_reason is not None:
            query["failure_reason"] = require_reason
        update: dict[str, Any] = {"$set": _in(changes), "$inc": {"occurrences": 1}}
        _once(query, update, delivery_key)
        doc: dict[str, Any] | None = await self._records.find_one_and_update(
            query, update, return_document=ReturnDocument.AFTER
        )
        return _out(doc)

    async def update_by_id(
        self, record_id: int, changes: dict[str, Any], *, expect_status: str | None = None, inc: bool = False,
        delivery_key: str | None = None,
    ) -> dict[str, Any] | None:
        """Update one record; None when it is gone, has another status than ``expect_status``, or has seen
        ``delivery_key`` already."""
        query: dict[str, Any] = {"_id": record_id}
        if expect_status is not None:
            query["status"] = expect_status
        update: dict[str, Any] = {"$set": _in(changes)}
        if inc:
            update["$inc"] = {"occurrences": 1}
        _once(query, update, delivery_key)
        doc: dict[str, Any] | None = await self._records.find_one_and_update(
            query, update, return_document=ReturnDocument.AFTER
        )
        return _out(doc)

    async def set_status(
        self, record: dict[str, Any], status: str, changes: dict[str, Any], *, delivery_key: str | None = None
    ) -> dict[str, Any] | None:
        """Move ``record`` to ``status`` if it still has the status it was read with.

        Opening claims the pod's open slot (DuplicateError when another record holds it); closing frees it.
        Returns None when the record changed or vanished meanwhile, or has seen ``delivery_key`` already.
        """
        slot = (
            open_slot(record["namespace"], record["pod_name"]) if status in OPEN_STATUSES
            else closed_slot(record["_id"])
        )
        try:
            return await self.update_by_id(
                record["_id"], {**changes, "status": status, "open_slot": slot}, expect_status=record["status"],
                delivery_key=delivery_key,
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
