"""Security findings and the full-scan clearing window (docs/api.md#finding, docs/api.md#deduplicating-findings,
docs/api.md#security-findings).

A finding's ``_id`` is its dedup key (resource_type, namespace, resource_name, check_name) encoded as a JSON array
string; the API's integer id is the ``id`` field (own unique index). So the key is enforced by the primary unique
index, concurrent duplicate reports can never create two documents, and the ingest hot path is a primary-key update.
That matters on FerretDB 1.x (SQLite), which pushes down only string ``_id`` equality for plain updates and finds:
every other filter, and every ``findAndModify``, scans the collection. Derived fields kept on each document:

- ``has_manifest``: lets list queries skip the (possibly large) manifest;
- ``registry_keys``: every trusted-registry value that would match the finding (docs/api.md#trusted-registries), so
  "does a trusted registry cover this finding" is one indexed equality test in both directions (ingest and registry
  add).

The clearing window lives in its own one-document collection so it survives a backend restart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from storage.counters import Counters
from storage.keys import decode_keys as decode_details
from storage.keys import encode_keys as encode_details

COLLECTION = "security_findings"
WINDOW_COLLECTION = "security_scan_window"
WINDOW_ID = "full_scan"
KEY_FIELDS = ("resource_type", "namespace", "resource_name", "check_name")
# Lists never carry the manifest (it may be hundreds of KiB and is never returned by the API).
WITHOUT_MANIFEST = {"manifest": 0}


def _out(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    """A stored finding as the service sees it (``details`` decoded); None stays None."""
    if doc is not None and "details" in doc:
        doc["details"] = decode_details(doc["details"])
    return doc


@dataclass(frozen=True)
class FindingFilter:
    severities: tuple[str, ...] = ()
    namespace: str | None = None
    check_name: str | None = None
    resource_type: str | None = None
    include_dismissed: bool = False

    def query(self) -> dict[str, Any]:
        query: dict[str, Any] = {}
        if not self.include_dismissed:
            query["dismissed"] = False
        if self.severities:
            query["severity"] = self.severities[0] if len(self.severities) == 1 else {"$in": list(self.severities)}
        if self.namespace is not None:
            query["namespace"] = self.namespace
        if self.check_name is not None:
            query["check_name"] = self.check_name
        if self.resource_type is not None:
            query["resource_type"] = self.resource_type
        return query


@dataclass(frozen=True)
class ScanWindow:
    opened_at: datetime
    deadline: datetime


class FindingRepository:
    def __init__(self, db: Any, counters: Counters) -> None:
        self._findings = db[COLLECTION]
        self._window = db[WINDOW_COLLECTION]
        self._counters = counters

    async def ensure_indexes(self) -> None:
        await self._findings.create_index([("id", ASCENDING)], unique=True, name="id_unique")
        await self._findings.create_index([("last_seen", DESCENDING), ("id", DESCENDING)], name="newest")
        await self._findings.create_index([("dismissed", ASCENDING), ("last_seen", ASCENDING)],
                                          name="active_last_seen")
        # The UI's default list (active, by severity, newest first) and its count, without a document fetch.
        await self._findings.create_index([("dismissed", ASCENDING), ("severity", ASCENDING),
                                           ("last_seen", DESCENDING), ("id", DESCENDING)], name="active_severity")
        await self._findings.create_index([("check_name", ASCENDING), ("registry_keys", ASCENDING)],
                                          name="registry_keys")
        await self._findings.create_index([("namespace", ASCENDING), ("dismissed", ASCENDING)],
                                          name="namespace_active")
        await self._findings.create_index([("resource_type", ASCENDING), ("namespace", ASCENDING),
                                           ("resource_name", ASCENDING)], name="resource")

    # --- ingest --------------------------------------------------------------------------------------------

    @staticmethod
    def key_id(key: dict[str, str]) -> str:
        """The ``_id`` of the finding with this dedup key (unambiguous: a JSON array of the four parts)."""
        return json.dumps([key[name] for name in KEY_FIELDS], separators=(",", ":"), ensure_ascii=False)

    async def upsert(
        self,
        key: dict[str, str],
        fields: dict[str, Any],
        manifest: str,
        registry_keys: list[str],
        now: datetime,
    ) -> tuple[dict[str, Any], bool]:
        """Apply a report (docs/api.md#deduplicating-findings): update the key's finding in place, or insert it. Returns
        (finding, created).

        ``manifest`` replaces the stored one only when non-empty. The update is tried first because most reports
        are re-reports; a lost insert race (duplicate ``_id``) is applied as the update it should have been.
        """
        key_id = self.key_id(key)
        fields = {**fields, "details": encode_details(fields.get("details", {}))}
        changes: dict[str, Any] = {**fields, "last_seen": now, "registry_keys": registry_keys}
        if manifest:
            changes["manifest"] = manifest
            changes["has_manifest"] = True
        for _ in range(5):
            # update + find rather than findAndModify: both are primary-key operations on FerretDB too.
            result = await self._findings.update_one({"_id": key_id}, {"$set": changes})
            if result.matched_count:
                doc = _out(await self._findings.find_one({"_id": key_id}, WITHOUT_MANIFEST))
                if doc is not None:
                    return doc, False
                continue  # deleted between the update and the read: report it again as new
            new = {
                "_id": key_id,
                "id": await self._counters.next(COLLECTION),
                **key,
                **fields,
                "manifest": manifest,
                "has_manifest": bool(manifest),
                "registry_keys": registry_keys,
                "dismissed": False,
                "dismissed_at": None,
                "first_seen": now,
                "last_seen": now,
            }
            try:
                await self._findings.insert_one(new)
            except DuplicateKeyError:
                continue  # a concurrent report inserted the key first: update that finding instead
            new.pop("manifest")
            new["details"] = decode_details(new["details"])
            return new, True
        raise RuntimeError(f"could not apply the finding report for {key!r}")

    # --- reads ---------------------------------------------------------------------------------------------

    async def get(self, finding_id: int, *, with_manifest: bool = False) -> dict[str, Any] | None:
        projection = None if with_manifest else WITHOUT_MANIFEST
        return _out(await self._findings.find_one({"id": finding_id}, projection))

    async def page(self, selection: FindingFilter, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        """One page, newest ``last_seen`` first (ties: highest id first), and the total before paging."""
        query = selection.query()
        total = int(await self._findings.count_documents(query))
        if offset >= total:
            return [], total
        cursor = (self._findings.find(query, WITHOUT_MANIFEST)
                  .sort([("last_seen", DESCENDING), ("id", DESCENDING)]).skip(offset).limit(limit))
        docs = [doc async for doc in cursor]
        for doc in docs:
            _out(doc)
        return docs, total

    async def count_active_before(self, moment: datetime) -> int:
        return int(await self._findings.count_documents({"dismissed": False, "last_seen": {"$lt": moment}}))

    # --- dismissal -----------------------------------------------------------------------------------------

    async def set_dismissed(self, finding_id: int, dismissed: bool, now: datetime) -> dict[str, Any] | None:
        """Dismiss or restore; a finding already in the wanted state is returned unchanged. None: unknown id."""
        doc: dict[str, Any] | None = await self._findings.find_one_and_update(
            {"id": finding_id, "dismissed": not dismissed},
            {"$set": {"dismissed": dismissed, "dismissed_at": now if dismissed else None}},
            return_document=ReturnDocument.AFTER,
        )
        if doc is None:
            return await self.get(finding_id)
        doc.pop("manifest", None)
        return _out(doc)

    # --- deletions (each returns the ids it deleted) -------------------------------------------------------

    async def _delete_where(self, query: dict[str, Any]) -> list[int]:
        ids = [int(doc["id"]) async for doc in self._findings.find(query, {"id": 1})]
        if not ids:
            return []
        await self._findings.delete_many({**query, "id": {"$in": ids}})
        # A finding re-reported or dismissed between the read and the delete no longer matches the query and
        # survives; report only what is really gone.
        survivors = {int(doc["id"]) async for doc in self._findings.find({"id": {"$in": ids}}, {"id": 1})}
        return sorted(set(ids) - survivors)

    async def delete_resource(
        self, resource_type: str, namespace: str, resource_name: str, check_names: list[str] | None
    ) -> list[int]:
        query: dict[str, Any] = {"resource_type": resource_type, "namespace": namespace,
                                 "resource_name": resource_name}
        if check_names is not None:
            query["check_name"] = {"$in": check_names}
        return await self._delete_where(query)

    async def delete_active_in_namespace(self, namespace: str) -> list[int]:
        return await self._delete_where({"namespace": namespace, "dismissed": False})

    async def delete_active_before(self, moment: datetime) -> list[int]:
        return await self._delete_where({"dismissed": False, "last_seen": {"$lt": moment}})

    async def delete_active_matching_registry(self, check_name: str, registry: str) -> list[int]:
        return await self._delete_where({"check_name": check_name, "registry_keys": registry, "dismissed": False})

    # --- the clearing window (docs/api.md#the-full-scan-clearing-window) ----------------------------------------------

    async def open_window(self, opened_at: datetime, deadline: datetime) -> None:
        """Open the window, or restart an open one with a new moment T."""
        await self._window.update_one(
            {"_id": WINDOW_ID}, {"$set": {"opened_at": opened_at, "deadline": deadline}}, upsert=True
        )

    async def current_window(self) -> ScanWindow | None:
        doc = await self._window.find_one({"_id": WINDOW_ID})
        return None if doc is None else ScanWindow(doc["opened_at"], doc["deadline"])

    async def take_window(self, *, expired_at: datetime | None = None) -> ScanWindow | None:
        """Atomically close the open window (only one that expired by ``expired_at`` when given).

        Exactly one caller gets a given window, so a completion racing the timeout sweeps once.
        """
        query: dict[str, Any] = {"_id": WINDOW_ID}
        if expired_at is not None:
            query["deadline"] = {"$lte": expired_at}
        doc = await self._window.find_one_and_delete(query)
        return None if doc is None else ScanWindow(doc["opened_at"], doc["deadline"])

