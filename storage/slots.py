"""Connection slots shared by the replicas: the per-principal caps on WebSockets and log streams
(docs/replicas.md#per-principal-caps).

A principal's cap of ``n`` connections of one kind is ``n`` numbered places, each a document whose ``_id`` is
``<kind>|<principal>|<place>``. A claim inserts a free place: two claims racing for the same place race on the
primary key and exactly one wins (an insert's key check is atomic on every server), so the cap holds however the
claims interleave. A place whose holder stopped refreshing it (a replica that died) is free again once it
expires. Each claim also gets a random ``token``: releasing removes the place only while it still holds that
token, so a late release never frees someone else's claim of the same place.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pymongo import ASCENDING

from storage.errors import is_duplicate_key


def _place_id(kind: str, principal: str, place: int) -> str:
    return f"{kind}|{principal}|{place}"


class SlotRepository:
    def __init__(self, db: Any) -> None:
        self._slots = db["connection_slots"]

    async def ensure_indexes(self) -> None:
        await self._slots.create_index([("kind", ASCENDING), ("principal", ASCENDING)], name="kind_principal")
        await self._slots.create_index([("replica", ASCENDING)], name="replica")

    async def claim(self, kind: str, principal: str, replica: str, cap: int, now: datetime,
                    expires_at: datetime) -> str | None:
        """A handle for :meth:`release`, or None when ``principal`` already holds ``cap`` live places of ``kind``."""
        token = uuid.uuid4().hex
        for _ in range(3):
            cursor = self._slots.find({"kind": kind, "principal": principal}, {"_id": 1, "expires_at": 1})
            taken: set[str] = set()
            async for doc in cursor:
                if doc["expires_at"] > now:
                    taken.add(str(doc["_id"]))
                else:  # its replica stopped refreshing it: free the place (idempotent)
                    await self._slots.delete_one({"_id": doc["_id"], "expires_at": {"$lte": now}})
            free = [p for p in range(cap) if _place_id(kind, principal, p) not in taken]
            if not free:
                return None
            for place in free:
                place_id = _place_id(kind, principal, place)
                try:
                    await self._slots.insert_one({"_id": place_id, "kind": kind, "principal": principal,
                                                  "replica": replica, "token": token, "claimed_at": now,
                                                  "expires_at": expires_at})
                except Exception as exc:
                    if not is_duplicate_key(exc):
                        raise
                    continue  # another claim took this place first
                return f"{token}:{place_id}"
        return None

    async def release(self, handle: str) -> None:
        token, _, place_id = handle.partition(":")
        await self._slots.delete_one({"_id": place_id, "token": token})

    async def refresh(self, replica: str, expires_at: datetime) -> None:
        await self._slots.update_many({"replica": replica}, {"$set": {"expires_at": expires_at}})

    async def purge(self, now: datetime) -> int:
        result = await self._slots.delete_many({"expires_at": {"$lte": now}})
        return int(result.deleted_count)

    async def held(self, kind: str, principal: str, now: datetime) -> int:
        return int(await self._slots.count_documents({"kind": kind, "principal": principal,
                                                      "expires_at": {"$gt": now}}))
