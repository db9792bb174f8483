"""Users: integer ids, case-insensitive unique usernames, argon2id hashes only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from storage.counters import Counters
from storage.errors import DuplicateError

SETUP_LOCK_ID = "initial_admin"


class UserRepository:
    def __init__(self, db: Any, counters: Counters) -> None:
        self._users = db["users"]
        self._setup = db["setup_lock"]
        self._counters = counters

    async def ensure_indexes(self) -> None:
        await self._users.create_index([("username_lower", ASCENDING)], unique=True, name="username_lower_unique")
        await self._users.create_index([("role", ASCENDING)], name="role")

    async def count(self) -> int:
        return int(await self._users.count_documents({}))

    async def any_exists(self) -> bool:
        return await self._users.find_one({}, {"_id": 1}) is not None

    async def claim_initial_setup(self, at: datetime) -> bool:
        """Atomically claim the one-time initial-admin signup; False if someone else already did."""
        try:
            await self._setup.insert_one({"_id": SETUP_LOCK_ID, "claimed_at": at})
        except DuplicateKeyError:
            return False
        return True

    async def release_initial_setup(self) -> None:
        await self._setup.delete_one({"_id": SETUP_LOCK_ID})

    async def create(self, username: str, password_hash: str, role: str, at: datetime) -> dict[str, Any]:
        doc = {
            "_id": await self._counters.next("users"),
            "username": username,
            "username_lower": username.lower(),
            "password_hash": password_hash,
            "role": role,
            "created_at": at,
            "last_login_at": None,
        }
        try:
            await self._users.insert_one(doc)
        except DuplicateKeyError:
            raise DuplicateError(username) from None
        return doc

    async def get(self, user_id: int) -> dict[str, Any] | None:
        doc: dict[str, Any] | None = await self._users.find_one({"_id": user_id})
        return doc

    async def by_username(self, username: str) -> dict[str, Any] | None:
        doc: dict[str, Any] | None = await self._users.find_one({"username_lower": username.lower()})
        return doc

    async def all(self) -> list[dict[str, Any]]:
        return [doc async for doc in self._users.find({}).sort("_id", ASCENDING)]

    async def count_admins(self) -> int:
        return int(await self._users.count_documents({"role": "admin"}))

    async def update(self, user_id: int, changes: dict[str, Any]) -> dict[str, Any] | None:
        doc: dict[str, Any] | None = await self._users.find_one_and_update(
            {"_id": user_id}, {"$set": changes}, return_document=ReturnDocument.AFTER
        )
        return doc

    async def delete(self, user_id: int) -> bool:
        result = await self._users.delete_one({"_id": user_id})
        return bool(result.deleted_count)
