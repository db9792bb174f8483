"""Fixtures shared by the log and mirror tests: the project's fake Kubernetes API server, and an app wired to it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from quart import Quart

from app.factory import create_app
from app.settings import Settings
from app.simulator.kubeapi import FakeKubeApi
from app.wiring import Services, backend_of
from app.ws.hub import HubClient


def pod(name: str, namespace: str = "default", *, containers: tuple[str, ...] = ("app",),
        init: tuple[str, ...] = (), phase: str = "Running", **spec: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "containers": [{"name": c, "image": f"registry.example.com/{c}:1"} for c in containers],
        **spec,
    }
    if init:
        body["initContainers"] = [{"name": c, "image": f"registry.example.com/{c}:1"} for c in init]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": {"app": name}},
        "spec": body,
        "status": {"phase": phase},
    }


@pytest.fixture
async def fake_kube() -> AsyncIterator[FakeKubeApi]:
    fake = FakeKubeApi(token="kube-test-token")
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def kube_settings(settings_factory: Callable[..., Settings], fake_kube: FakeKubeApi, tmp_path: Path) -> Settings:
    path = fake_kube.write_kubeconfig(tmp_path / "kubeconfig")
    return settings_factory(kure_kubernetes="auto", kubeconfig=str(path), kure_graph_watcher=False)


async def eventually(check: Callable[[], Awaitable[bool] | bool], attempts: int = 200) -> None:
    """Poll an asynchronous outcome (a stream closing, a socket noticed gone); fails after ~10 s."""
    for _ in range(attempts):
        result = check()
        if isinstance(result, Awaitable):
            result = await result
        if result:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not reached")


class StartedApp:
    """A second app on the same database (a "restart"), started and stopped by the test."""

    def __init__(self, app: Quart) -> None:
        self.app = app

    @property
    def services(self) -> Services:
        return backend_of(self.app).services


@pytest.fixture
async def start_app() -> AsyncIterator[Callable[..., Awaitable[StartedApp]]]:
    running: list[Any] = []

    async def start(settings: Settings, **kwargs: Any) -> StartedApp:
        application = create_app(settings, **kwargs)
        ctx = application.test_app()
        await ctx.__aenter__()
        running.append(ctx)
        started = StartedApp(application)
        await asyncio.wait_for(backend_of(application).jobs.indexes_ready.wait(), 15)
        return started

    yield start
    for ctx in reversed(running):
        await ctx.__aexit__(None, None, None)


def listen(services: Services) -> HubClient:
    """Register a WebSocket-less hub client to observe broadcasts."""
    client = HubClient(user_id=None, session_id=None)
    services.hub.register(client)
    return client


def messages(client: HubClient) -> list[dict[str, Any]]:
    import json

    out = []
    while not client.queue.empty():
        message = json.loads(client.queue.get_nowait())
        assert isinstance(message.pop("seq"), int)  # every logged message is numbered
        out.append(message)
    return out
