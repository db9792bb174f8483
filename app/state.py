"""The application's wiring: settings, clients, repositories, services, hub and background tasks.

One :class:`AppState` per app, stored in ``app.extensions["kure"]``. Blueprints reach services through
:func:`get_state`; they never see a driver.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from quart import current_app

from app.core.clock import Clock
from app.core.crypto import SecretBox
from app.core.metrics import DEPENDENCY_UP
from app.core.secrets import Secrets, load_secrets
from app.core.tasks import TaskGroup
from app.services.auth import AuthService
from app.settings import Settings
from app.ws.hub import Hub
from storage.counters import Counters
from storage.login_attempts import LoginAttemptRepository
from storage.mongo import MongoHandle, connect
from storage.sessions import SessionRepository
from storage.users import UserRepository

log = logging.getLogger("kure.state")

COOKIE_NAME = "kure_session"
HEALTH_CHECK_TIMEOUT = 1.0


class DependencyState:
    """Last known state of one dependency: ``ok``, ``down`` or ``disabled``."""

    def __init__(self, name: str, enabled: bool) -> None:
        self.name = name
        self.state = "down" if enabled else "disabled"

    def set(self, up: bool) -> None:
        if self.state == "disabled":
            return
        new = "ok" if up else "down"
        if new != self.state:
            log.log(logging.INFO if up else logging.WARNING, "%s is %s", self.name, "up" if up else "DOWN")
        self.state = new
        DEPENDENCY_UP.labels(self.name).set(1 if up else 0)


class AppState:
    def __init__(self, settings: Settings, *, clock: Clock | None = None, mongo: MongoHandle | None = None) -> None:
        self.settings = settings
        self.clock = clock or Clock()
        self.secrets: Secrets = load_secrets(settings)
        self.box = SecretBox(self.secrets.encryption_key)
        self.cookie_name = COOKIE_NAME
        # A handle passed in (tests, the CLI) belongs to the caller, who closes it.
        self._owns_mongo = mongo is None
        self.mongo = mongo or connect(settings.mongodb_uri, settings.mongodb_database, settings.mongodb_timeout_ms)
        self.tasks = TaskGroup()
        self.hub = Hub()

        db = self.mongo.db
        self.counters = Counters(db)
        self.users = UserRepository(db, self.counters)
        self.sessions = SessionRepository(db)
        self.login_attempts = LoginAttemptRepository(db)
        self.auth = AuthService(self.users, self.sessions, self.login_attempts, self.clock, settings.session_seconds)

        self.mongodb = DependencyState("mongodb", True)
        self.neo4j = DependencyState("neo4j", settings.neo4j_uri is not None)
        self.kubernetes = DependencyState("kubernetes", settings.kubernetes_enabled)
        self.indexes_ready = asyncio.Event()

    # --- lifecycle -----------------------------------------------------------------------------------------

    def repositories(self) -> list[Any]:
        """Every repository with indexes to create."""
        return [self.users, self.sessions, self.login_attempts]

    async def ensure_indexes(self) -> None:
        for repository in self.repositories():
            await repository.ensure_indexes()

    async def _bootstrap_mongo(self) -> None:
        """Create indexes once MongoDB answers; retry with backoff while it is down (never blocks startup)."""
        delay = 0.5
        while True:
            try:
                await self.mongo.ping()
                await self.ensure_indexes()
                self.mongodb.set(True)
                self.indexes_ready.set()
                log.info("MongoDB ready (%s)", await self.mongo.server_version())
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.mongodb.set(False)
                log.warning("MongoDB not ready (%s: %s); retrying in %.1fs", type(exc).__name__,
                            str(exc)[:200], delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)

    async def start(self) -> None:
        self.tasks.spawn(self._bootstrap_mongo(), "mongo-bootstrap")
        self.tasks.every(60, self._purge_sessions, "session-purge", initial_delay=60)

    async def _purge_sessions(self) -> None:
        # Also done by TTL indexes on real MongoDB; FerretDB has none (storage/indexes.py).
        now = self.clock.now()
        await self.sessions.purge_expired(now)
        await self.login_attempts.purge_before(now - timedelta(hours=1))

    async def stop(self) -> None:
        self.hub.close_all(1001, "Server shutting down")
        await self.tasks.close()
        if self._owns_mongo:
            self.mongo.close()

    # --- health --------------------------------------------------------------------------------------------

    async def check_mongodb(self) -> str:
        try:
            await asyncio.wait_for(self.mongo.ping(), HEALTH_CHECK_TIMEOUT)
            self.mongodb.set(True)
        except Exception:
            self.mongodb.set(False)
        return self.mongodb.state

    async def check_all(self) -> dict[str, tuple[str, str]]:
        """Connect to every configured dependency (the ``check`` command): name → (state, detail)."""
        results: dict[str, tuple[str, str]] = {}
        try:
            await asyncio.wait_for(self.mongo.ping(), self.settings.mongodb_timeout_ms / 1000 + 1)
            results["mongodb"] = ("ok", await self.mongo.server_version())
        except Exception as exc:
            results["mongodb"] = ("down", type(exc).__name__)
        results["neo4j"] = (self.neo4j.state, self.settings.neo4j_uri or "NEO4J_URI not set")
        kube_note = "" if self.settings.kubernetes_enabled else "KURE_KUBERNETES=off"
        results["kubernetes"] = (self.kubernetes.state, kube_note)
        return results

    async def health(self) -> dict[str, str]:
        return {
            "mongodb": await self.check_mongodb(),
            "neo4j": self.neo4j.state,
            "kubernetes": self.kubernetes.state,
        }


def get_state() -> AppState:
    state: AppState = current_app.extensions["kure"]
    return state
