"""Users, sessions, login and its rate limit (docs/api.md#principals-and-guards, docs/api.md#auth-and-users)."""

from __future__ import annotations

import asyncio
import math
import secrets
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.core.clock import Clock
from app.core.errors import ApiError
from storage.errors import DuplicateError, LastAdminError
from storage.login_attempts import LoginAttemptRepository
from storage.sessions import SessionRepository
from storage.users import UserRepository

LOGIN_WINDOW = timedelta(seconds=30)
LOGIN_LIMIT = 5
#: Per client IP, whatever the usernames: password spraying tries one password on many accounts.
IP_LOGIN_WINDOW = timedelta(minutes=5)
IP_LOGIN_LIMIT = 30
OWN_PASSWORD = "Change your own password with POST /api/auth/password (it asks for the current one)"

# argon2id with OWASP's baseline (19 MiB, 2 passes, 1 lane): ~25 ms per verification on an idle core of this
# machine, so login p95 stays far below 250 ms on 2 cores while guessing stays memory-hard (docs/benchmarks.md).
PASSWORD_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


async def hash_password(password: str) -> str:
    # argon2 runs tens of ms in C without the GIL: keep it off the event loop.
    return await asyncio.to_thread(PASSWORD_HASHER.hash, password)


async def verify_password(password_hash: str, password: str) -> bool:
    def _verify() -> bool:
        try:
            return PASSWORD_HASHER.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(_verify)


def public_user(doc: dict[str, Any]) -> dict[str, Any]:
    """The User shape of docs/api.md#user (never the hash)."""
    from app.core.timefmt import iso

    return {
        "id": doc["_id"],
        "username": doc["username"],
        "role": doc["role"],
        "created_at": iso(doc["created_at"]),
        "last_login_at": iso(doc.get("last_login_at")),
    }


def user_ref(doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc["_id"], "username": doc["username"], "role": doc["role"]}


class AuthService:
    def __init__(
        self,
        users: UserRepository,
        sessions: SessionRepository,
        attempts: LoginAttemptRepository,
        clock: Clock,
        session_seconds: int,
    ) -> None:
        self.users = users
        self.sessions = sessions
        self.attempts = attempts
        self.clock = clock
        self.session_seconds = session_seconds
        self._dummy_hash: str | None = None

    async def dummy_hash(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = await hash_password(secrets.token_urlsafe(16))
        return self._dummy_hash

    # --- sessions ------------------------------------------------------------------------------------------

    async def start_session(self, user_id: int, user_agent: str | None, client_ip: str | None) -> str:
        session_id = secrets.token_urlsafe(32)
        now = self.clock.now()
        await self.sessions.create(
            session_id, user_id, now, now + timedelta(seconds=self.session_seconds), user_agent, client_ip
        )
        return session_id

    async def resolve_session(self, session_id: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(user, session) for a live session of an existing user, else None. Reads the *current* role."""
        now = self.clock.now()
        session = await self.sessions.get_valid(session_id, now)
        if session is None:
            return None
        user = await self.users.get(session["user_id"])
        if user is None:
            await self.sessions.delete(session_id)
            return None
        await self.sessions.touch(session, now)
        return user, session

    async def end_session(self, session_id: str) -> None:
        await self.sessions.delete(session_id)

    # --- signup / login ------------------------------------------------------------------------------------

    async def setup_required(self) -> bool:
        return not await self.users.any_exists()

    async def signup(self, username: str, password: str) -> dict[str, Any]:
        if await self.users.any_exists():
            raise ApiError(409, "Setup already completed")
        now = self.clock.now()
        if not await self.users.claim_initial_setup(now):
            raise ApiError(409, "Setup already completed")
        try:
            user = await self.users.create(username, await hash_password(password), "admin", now)
        except BaseException:
            await self.users.release_initial_setup()
            raise
        return await self.users.update(user["_id"], {"last_login_at": now}) or user

    async def check_rate_limit(self, key: str, window: timedelta = LOGIN_WINDOW, limit: int = LOGIN_LIMIT) -> None:
        now = self.clock.now()
        recent = await self.attempts.in_window(key, now, window)
        if len(recent) >= limit:
            # Retry when the oldest counted attempt leaves the window.
            oldest = recent[-limit]
            wait = (oldest + window - now).total_seconds()
            raise ApiError(429, "Too many login attempts", {"Retry-After": str(max(1, math.ceil(wait)))})

    async def login(self, username: str, password: str, client_ip: str) -> dict[str, Any]:
        """Verify credentials (counted against both rate limits); the user document on success.

        Two sliding windows, both stored in MongoDB: 5 attempts per 30 s per (client IP, lower-cased username)
        (docs/api.md#auth-and-users), and 30 attempts per 5 minutes per client IP whatever the username, which caps
        password spraying (docs/api-decisions.md#auth). Refused attempts count against neither.
        """
        pair_key, ip_key = f"{client_ip}|{username.lower()}", f"ip|{client_ip}"
        await self.check_rate_limit(pair_key)
        await self.check_rate_limit(ip_key, IP_LOGIN_WINDOW, IP_LOGIN_LIMIT)
        now = self.clock.now()
        await self.attempts.record(pair_key, now)
        await self.attempts.record(ip_key, now)
        user = await self.users.by_username(username)
        # Unknown users verify a dummy hash so both failure paths take the same time.
        stored_hash = user["password_hash"] if user is not None else await self.dummy_hash()
        valid = await verify_password(stored_hash, password)
        if user is None or not valid:
            raise ApiError(401, "Invalid username or password")
        return await self.users.update(user["_id"], {"last_login_at": now}) or user

    # --- password ------------------------------------------------------------------------------------------

    async def change_password(self, user: dict[str, Any], session_id: str | None, current: str, new: str) -> None:
        if not await verify_password(user["password_hash"], current):
            raise ApiError(400, "Current password is incorrect")
        await self.users.update(user["_id"], {"password_hash": await hash_password(new)})
        await self.sessions.delete_for_user(user["_id"], except_session_id=session_id)

    # --- user administration -------------------------------------------------------------------------------

    async def create_user(self, username: str, password: str, role: str) -> dict[str, Any]:
        if await self.users.by_username(username) is not None:
            raise ApiError(409, "Username already exists")
        try:
            return await self.users.create(username, await hash_password(password), role, self.clock.now())
        except DuplicateError:
            raise ApiError(409, "Username already exists") from None

    async def update_user(
        self, caller: dict[str, Any], user_id: int, role: str | None, password: str | None,
    ) -> dict[str, Any]:
        target = await self.users.get(user_id)
        if target is None:
            raise ApiError(404, "User not found")
        is_self = target["_id"] == caller["_id"]
        if role is not None and is_self and role != caller["role"]:
            raise ApiError(400, "Cannot change your own role")
        if password is not None and is_self:
            # Administration must not bypass the current-password check of the user's own route.
            raise ApiError(400, OWN_PASSWORD)
        updated: dict[str, Any] | None = target
        # The role first: a refused demotion must leave the password untouched as well.
        if role is not None and role != target["role"]:
            try:
                updated = await self.users.set_role(user_id, role)
            except LastAdminError:
                raise ApiError(400, "Cannot demote the last admin") from None
        if password is not None and updated is not None:
            updated = await self.users.update(user_id, {"password_hash": await hash_password(password)})
        if updated is None:
            raise ApiError(404, "User not found")
        if password is not None:
            await self.sessions.delete_for_user(user_id)
        return updated

    async def delete_user(self, caller: dict[str, Any], user_id: int) -> None:
        target = await self.users.get(user_id)
        if target is None:
            raise ApiError(404, "User not found")
        if target["_id"] == caller["_id"]:
            raise ApiError(400, "Cannot delete yourself")
        try:
            await self.users.delete_user(user_id)
        except LastAdminError:
            raise ApiError(400, "Cannot delete the last admin") from None
        await self.sessions.delete_for_user(user_id)
