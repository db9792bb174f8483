"""Shared fixtures.

``mongo`` is parametrised over the embedded mongomock-motor store (unit) and the real MongoDB-wire server started by
``scripts/services.py up`` (integration), so every storage behaviour runs on both. With ``KURE_REQUIRE_SERVICES=1``
an unreachable server fails the test instead of skipping it.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from quart import Quart
from quart.typing import TestClientProtocol

from app.core.clock import ManualClock, utcnow
from app.factory import create_app
from app.kube import KubeConfig, load_kube_config
from app.settings import Settings
from app.simulator.kubeapi import FakeKubeApi
from app.wiring import Services, backend_of
from storage.mongo import MongoHandle, connect

# The same port variables scripts/services.py reads, so tests follow a server moved to another port.
MONGO_TEST_URI = os.environ.get(
    "KURE_TEST_MONGODB_URI", f"mongodb://127.0.0.1:{os.environ.get('KURE_TEST_MONGODB_PORT', '27017')}"
)
REQUIRE_SERVICES = os.environ.get("KURE_REQUIRE_SERVICES") == "1"

_reported_versions: set[str] = set()


def service_missing(name: str, reason: str) -> None:
    """Skip — or fail under KURE_REQUIRE_SERVICES=1 — a test whose real server is unreachable."""
    message = f"{name} not reachable ({reason}); start it with: python3 scripts/services.py up"
    if REQUIRE_SERVICES:
        pytest.fail(message)
    pytest.skip(message)


async def _real_mongo() -> MongoHandle:
    handle = connect(MONGO_TEST_URI, f"kure_test_{uuid.uuid4().hex[:12]}", timeout_ms=2000)
    try:
        await handle.ping()
    except Exception as exc:
        handle.close()
        service_missing("MongoDB-wire server", type(exc).__name__)
    version = await handle.server_version()
    if version not in _reported_versions:
        _reported_versions.add(version)
        print(f"\n[services] MongoDB-wire server at {MONGO_TEST_URI}: version {version}")
    return handle


@pytest.fixture(params=[
    pytest.param("mongomock", marks=pytest.mark.unit),
    pytest.param("real", marks=pytest.mark.integration),
])
async def mongo(request: pytest.FixtureRequest) -> AsyncIterator[MongoHandle]:
    """A fresh, empty database on each backend."""
    if request.param == "mongomock":
        from mongomock_motor import AsyncMongoMockClient

        client: Any = AsyncMongoMockClient(tz_aware=True)
        yield MongoHandle(client=client, db=client[f"kure_{uuid.uuid4().hex[:8]}"], embedded=True)
        return
    handle = await _real_mongo()
    try:
        yield handle
    finally:
        try:
            await handle.client.drop_database(handle.db.name)
        finally:
            handle.close()


@pytest.fixture
def db(mongo: MongoHandle) -> Any:
    return mongo.db


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with minimal cost: same code path and hash format, milliseconds instead of tens of them."""
    from argon2 import PasswordHasher

    import app.services.auth as auth

    monkeypatch.setattr(auth, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def clock() -> ManualClock:
    # Start at the real time so a real server's TTL monitor never mistakes test documents for old ones.
    return ManualClock(utcnow())


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    path = tmp_path / "state"
    path.mkdir()
    return path


@pytest.fixture
def settings_factory(state_dir: Path) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "kure_state_dir": str(state_dir),
            "kure_cookie_secure": False,
            "kure_kubernetes": "off",
            "service_token": "test-service-token-0123456789",
        }
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    return settings_factory()


@pytest.fixture
async def app(settings: Settings, clock: ManualClock, mongo: MongoHandle) -> AsyncIterator[Quart]:
    application = create_app(settings, clock=clock, mongo=mongo)
    async with application.test_app():
        await asyncio.wait_for(backend_of(application).jobs.indexes_ready.wait(), 15)
        yield application


@pytest.fixture
def services(app: Quart) -> Services:
    return backend_of(app).services


@pytest.fixture
def client(app: Quart) -> TestClientProtocol:
    return app.test_client()


SERVICE_HEADERS = {"X-Service-Token": "test-service-token-0123456789"}
PASSWORD = "correct-horse-battery"


@pytest.fixture
def user_client(app: Quart, services: Services) -> Callable[[str], Awaitable[TestClientProtocol]]:
    """``await user_client("write")`` → a test client logged in as a fresh user with that role."""

    async def make(role: str, username: str | None = None) -> TestClientProtocol:
        name = username or f"{role}-{uuid.uuid4().hex[:6]}"
        await services.auth.create_user(name, PASSWORD, role)
        test_client = app.test_client()
        response = await test_client.post("/api/auth/login", json={"username": name, "password": PASSWORD})
        assert response.status_code == 200, await response.get_data(as_text=True)
        return test_client

    return make


@pytest.fixture
async def fake_kube() -> AsyncIterator[FakeKubeApi]:
    """The project's fake Kubernetes API server (real HTTP on loopback), empty; tests load fixtures into it."""
    fake = FakeKubeApi(token="test-token", bookmark_interval=0.2)
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def kube_config(fake_kube: FakeKubeApi, tmp_path: Path) -> KubeConfig:
    """kubernetes-asyncio configuration for ``fake_kube``, loaded from an ordinary kubeconfig file."""
    cfg = await load_kube_config(str(fake_kube.write_kubeconfig(tmp_path / "kubeconfig")))
    assert cfg is not None
    return cfg


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that names no tier needs no service: it belongs to the unit tier."""
    tiers = ("unit", "integration", "e2e", "kubeapi", "replicas", "fuzz")
    for item in items:
        if not any(item.get_closest_marker(tier) for tier in tiers):
            item.add_marker(pytest.mark.unit)
