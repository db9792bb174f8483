"""Users: integer ids, case-insensitive unique usernames, argon2id hashes only.

"At least one admin" holds under concurrency, across backend processes sharing the database, through an admin
ledger (collection ``admin_ledger``): numbered versions ``{_id: <n>, ids: [<admin ids>]}``, the highest being the
current admin set. Every change of that set is a compare-and-swap: read version ``n``, compute the new set, and
insert version ``n + 1``. ``_id`` is the primary key, so of two changes computed from the same version exactly
one insert succeeds; the other reads the new version and decides again — two admins demoting each other cannot
both see the other one remaining. The ledger leads the ``role`` field: an admin leaves it before losing the role
and joins it after gaining it, so a crash in between leaves the ledger a subset of the real admins, which can
only refuse more. docs/storage.md ("Users") says why the compare-and-swap is an insert and not a conditional
update.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from storage.counters import Counters
from storage.errors import DuplicateError, LastAdminError, StorageError

SETUP_LOCK_ID = "initial_admin"
#: Attempts of one admin-set change against concurrent ones (each lost race means another change succeeded).
LEDGER_ATTEMPTS = 20
#: Ledger versions kept behind the current one.
LEDGER_KEEP = 10


class UserRepository:
    def __init__(self, db: Any, counters: Counters) -> None:
        self._users = db["users"]
        self._setup = db["setup_lock"]
        self._ledger_docs = db["admin_ledger"]
        self._counters = counters

    async def ensure_indexes(self) -> None:
        await self._users.create_index([("username_lower", ASCENDING)], unique=True, name="username_lower_unique")
        await self._users.create_index([("role", ASCENDING)], name="role")
        await self._ledger()

    async def _ledger(self) -> tuple[int, list[int]]:
        """(version, admin ids) of the current admin set; version 1 is built from the users on first use."""
        latest = await self._ledger_docs.find_one({}, sort=[("_id", DESCENDING)])
        if latest is None:
            ids = [doc["_id"] async for doc in self._users.find({"role": "admin"}, {"_id": 1})]
            with contextlib.suppress(DuplicateKeyError):
                await self._ledger_docs.insert_one({"_id": 1, "ids": ids})
            latest = await self._ledger_docs.find_one({}, sort=[("_id", DESCENDING)])
            assert latest is not None
        return int(latest["_id"]), [int(i) for i in latest["ids"]]

    async def _change_admins(self, change: Callable[[list[int]], list[int] | None]) -> bool:
        """Apply ``change`` to the current admin set as one compare-and-swap (retried on a lost race); ``change``
        returns the new set, or None to refuse. False when refused."""
        for _ in range(LEDGER_ATTEMPTS):
            version, ids = await self._ledger()
            wanted = change(list(ids))
            if wanted is None:
                return False
            if wanted == ids:
                return True
            try:
                await self._ledger_docs.insert_one({"_id": version + 1, "ids": wanted})
            except DuplicateKeyError:
                continue  # another change won this version: decide again on the new set
            # Old versions are history nobody reads; keep a short tail.
            await self._ledger_docs.delete_many({"_id": {"$lt": version + 1 - LEDGER_KEEP}})
            return True
        raise StorageError("admin ledger: too many concurrent changes")

    async def add_admin(self, user_id: int) -> None:
        """Put ``user_id`` on the ledger (after it gained the admin role); idempotent."""
        await self._change_admins(lambda ids: ids if user_id in ids else [*ids, user_id])

    async def release_admin(self, user_id: int) -> bool:
        """Take ``user_id`` off the ledger if another admin remains. False means it is the last admin: the caller
        must not take the role away. A user missing from the ledger (a crash between two writes) may go as long
        as the ledger — every one of them a real admin — is not empty."""

        def without(ids: list[int]) -> list[int] | None:
            remaining = [i for i in ids if i != user_id]
            return remaining if remaining else None

        return await self._change_admins(without)

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
        user_id = await self._counters.next("users")
        doc: dict[str, Any] = {
            "_id": user_id,
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
        if role == "admin":
            await self.add_admin(user_id)
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

    async def set_role(self, user_id: int, role: str) -> dict[str, Any] | None:
        """Change a role, the guard list ahead of the role; None when the user does not exist. Raises
        :class:`LastAdminError` when it would take the role from the last admin."""
        current = await self.get(user_id)
        if current is None:
            return None
        if current["role"] == "admin" and role != "admin":
            if not await self.release_admin(user_id):
                raise LastAdminError(user_id)
            return await self.update(user_id, {"role": role})
        updated = await self.update(user_id, {"role": role})
        if updated is not None and role == "admin":
            await self.add_admin(user_id)
        return updated

    async def delete_user(self, user_id: int) -> bool:
        """Delete a user; an admin only while another admin remains (:class:`LastAdminError` otherwise)."""
        current = await self.get(user_id)
        if current is None:
            return False
        if current["role"] == "admin" and not await self.release_admin(user_id):
            raise LastAdminError(user_id)
        return await self.delete(user_id)

    async def update(self, user_id: int, changes: dict[str, Any]) -> dict[str, Any] | None:
        doc: dict[str, Any] | None = await self._users.find_one_and_update(
            {"_id": user_id}, {"$set": changes}, return_document=ReturnDocument.AFTER
        )
        return doc

    async def delete(self, user_id: int) -> bool:
        result = await self._users.delete_one({"_id": user_id})
        return bool(result.deleted_count)
