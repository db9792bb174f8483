"""Leases in MongoDB: which replica runs a periodic job now (docs/replicas.md#leases).

A lease is a series of numbered terms, one document each (``_id`` = ``<name>#<term>``). Taking a free or expired
lease inserts the next term, so two replicas racing for it race on a primary key and exactly one wins: an
insert's key check is atomic on every server, while a conditional update is not on FerretDB 1.x (it applies
updates as an unisolated read-modify-write). The holder renews its own term's ``expires_at``; a renewal also
checks that no later term exists, so a holder that was judged expired learns it lost. Like the Kubernetes lease
the agent uses, this relies on the replicas' clocks agreeing to well within the lease time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

#: Older terms kept per lease (the rest are deleted when a term is taken).
KEEP_TERMS = 5
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


class LeaseRepository:
    def __init__(self, db: Any) -> None:
        self._leases = db["leases"]

    async def ensure_indexes(self) -> None:
        await self._leases.create_index([("name", ASCENDING), ("term", ASCENDING)], name="name_term")

    async def current(self, name: str) -> dict[str, Any] | None:
        doc: dict[str, Any] | None = await self._leases.find_one({"name": name}, sort=[("term", DESCENDING)])
        return doc

    async def acquire(self, name: str, holder: str, seconds: float, now: datetime) -> bool:
        """Hold ``name`` for ``seconds`` from ``now``: renew when ``holder`` has it, take it when free or expired.
        False while another holder's term runs."""
        current = await self.current(name)
        expires = now + timedelta(seconds=seconds)
        if current is not None and current["expires_at"] > now:
            if current["holder"] != holder:
                return False
            await self._leases.update_one({"_id": current["_id"]}, {"$set": {"expires_at": expires}})
            later = await self._leases.find_one({"name": name, "term": {"$gt": current["term"]}}, {"_id": 1})
            return later is None
        term = int(current["term"]) + 1 if current is not None else 1
        try:
            await self._leases.insert_one({"_id": f"{name}#{term}", "name": name, "term": term, "holder": holder,
                                           "acquired_at": now, "expires_at": expires})
        except DuplicateKeyError:
            return False  # another replica took this term first
        if term > KEEP_TERMS:
            await self._leases.delete_many({"name": name, "term": {"$lte": term - KEEP_TERMS}})
        return True

    async def release(self, name: str, holder: str) -> None:
        """Give the lease up now (shutdown), so another replica takes it at its next tick."""
        current = await self.current(name)
        if current is not None and current["holder"] == holder:
            await self._leases.update_one({"_id": current["_id"], "holder": holder},
                                          {"$set": {"expires_at": NEVER}})
