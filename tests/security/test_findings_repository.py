"""The findings repository on both backends: the unique dedup index and concurrent upserts."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pymongo.errors import DuplicateKeyError

from app.core.clock import ManualClock
from storage.counters import Counters
from storage.findings import FindingFilter, FindingRepository

KEY = {"resource_type": "Pod", "namespace": "default", "resource_name": "web", "check_name": "host_pid"}
FIELDS = {"severity": "high", "message": "m", "remediation": "", "details": {}}


@pytest.fixture
async def repo(db: Any) -> FindingRepository:
    repository = FindingRepository(db, Counters(db))
    await repository.ensure_indexes()
    return repository


async def test_the_dedup_key_is_the_primary_key_and_ids_are_unique(
    repo: FindingRepository, db: Any, clock: ManualClock
) -> None:
    doc, created = await repo.upsert(KEY, FIELDS, "", [], clock.now())
    assert created and doc["_id"] == FindingRepository.key_id(KEY)
    with pytest.raises(DuplicateKeyError):  # a second document with the same key cannot exist
        await db["security_findings"].insert_one({"_id": FindingRepository.key_id(KEY), "id": 99, **KEY})
    with pytest.raises(DuplicateKeyError):  # nor a second document with the same API id
        await db["security_findings"].insert_one({"_id": "other", "id": doc["id"]})
    # The key encoding is unambiguous: parts containing separators never collide.
    tricky = {**KEY, "resource_name": 'web","host_pid', "check_name": ""}
    assert FindingRepository.key_id(tricky) != FindingRepository.key_id(KEY)


async def test_concurrent_upserts_create_one_finding(repo: FindingRepository, clock: ManualClock) -> None:
    results = await asyncio.gather(*(repo.upsert(KEY, FIELDS, "", [], clock.now()) for _ in range(30)))
    assert sum(created for _, created in results) == 1
    assert len({doc["id"] for doc, _ in results}) == 1
    docs, total = await repo.page(FindingFilter(include_dismissed=True), 10, 0)
    assert total == 1 and "manifest" not in docs[0]


async def test_manifest_is_stored_but_never_listed(repo: FindingRepository, clock: ManualClock) -> None:
    doc, _ = await repo.upsert(KEY, FIELDS, "kind: Pod\n", [], clock.now())
    assert "manifest" not in doc and doc["has_manifest"] is True
    stored = await repo.get(doc["id"], with_manifest=True)
    assert stored is not None and stored["manifest"] == "kind: Pod\n"
    doc, created = await repo.upsert(KEY, FIELDS, "", [], clock.now())
    assert not created and "manifest" not in doc
    stored = await repo.get(doc["id"], with_manifest=True)
    assert stored is not None and stored["manifest"] == "kind: Pod\n"


async def test_details_keys_that_documents_cannot_hold_round_trip(
    repo: FindingRepository, clock: ManualClock
) -> None:
    details = {"a.b": 1, "$x": {"nested.key": [{"$k": "%2E"}]}, "100%": "x", "plain": None}
    doc, _ = await repo.upsert(KEY, {**FIELDS, "details": details}, "", [], clock.now())
    assert doc["details"] == details
    again, _ = await repo.upsert(KEY, {**FIELDS, "details": details}, "", [], clock.now())
    assert again["details"] == details
    stored = await repo.get(doc["id"])
    assert stored is not None and stored["details"] == details
    docs, _ = await repo.page(FindingFilter(), 10, 0)
    assert docs[0]["details"] == details
