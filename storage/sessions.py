"""Server-side login sessions. The cookie carries a random id; only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING

from storage.indexes import ensure_ttl_index


def session_key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class SessionRepository:
    # last_seen is refreshed at most this often, so a busy dashboard does not write on every request.
    LAST_SEEN_RESOLUTION = timedelta(seconds=60)

    def __init__(self, db: Any) -> None:
        self._sessions = db["sessions"]

    async def ensure_indexes(self) -> None:
        # TTL clean-up where the server supports it; expiry is also checked on every read.
        await ensure_ttl_index(self._sessions, "expires_at", 0, "expires_ttl")
        await self._sessions.create_index([("user_id", ASCENDING)], name="user_id")

    async def create(
        self, session_id: str, user_id: int, at: datetime, expires_at: datetime,
        user_agent: str | None, client_ip: str | None,
    ) -> None:
        await self._sessions.insert_one({
            "_id": session_key(session_id),
            "user_id": user_id,
            "created_at": at,
            "expires_at": expires_at,
            "last_seen_at": at,
            "user_agent": (user_agent or "")[:512],
            "client_ip": client_ip,
        })

    async def get_valid(self, session_id: str, now: datetime) -> dict[str, Any] | None:
        doc: dict[str, Any] | None = await self._sessions.find_one({"_id": session_key(session_id)})
        if doc is None:
            return None
        if doc["expires_at"] <= now:
            await self._sessions.delete_one({"_id": doc["_id"]})
            return None
        return doc

    async def touch(self, doc: dict[str, Any], now: datetime) -> None:
        if now - doc["last_seen_at"] >= self.LAST_SEEN_RESOLUTION:
            await self._sessions.update_one({"_id": doc["_id"]}, {"$set": {"last_seen_at": now}})

    async def delete(self, session_id: str) -> None:
        await self._sessions.delete_one({"_id": session_key(session_id)})

    async def delete_for_user(self, user_id: int, except_session_id: str | None = None) -> int:
        query: dict[str, Any] = {"user_id": user_id}
        if except_session_id is not None:
            query["_id"] = {"$ne": session_key(except_session_id)}
        result = await self._sessions.delete_many(query)
        return int(result.deleted_count)

    async def purge_expired(self, now: datetime) -> int:
        result = await self._sessions.delete_many({"expires_at": {"$lte": now}})
        return int(result.deleted_count)
