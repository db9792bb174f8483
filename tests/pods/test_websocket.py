"""The live feed ``WS /api/ws`` (docs/api.md#websocket) through Quart's test client, and the hub's fan-out rules."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from quart import Quart
from quart.testing.connections import WebsocketDisconnectError
from quart.typing import TestClientProtocol

from app.factory import create_app
from app.wiring import Services, backend_of
from app.ws.hub import QUEUE_SIZE, TOO_MANY_CONNECTIONS_CODE, Hub, HubClient
from tests.conftest import PASSWORD, SERVICE_HEADERS

TOKEN = SERVICE_HEADERS["X-Service-Token"]
UserClient = Callable[..., Awaitable[TestClientProtocol]]


@pytest.fixture
async def fast_ping_app(settings_factory: Callable[..., Any], mongo: Any) -> AsyncIterator[Quart]:
    application = create_app(settings_factory(kure_ws_ping_seconds=0.2), mongo=mongo)
    async with application.test_app():
        await asyncio.wait_for(backend_of(application).jobs.indexes_ready.wait(), 15)
        yield application


async def next_message(ws: Any, skip_pings: bool = True) -> dict[str, Any]:
    while True:
        message = json.loads(await asyncio.wait_for(ws.receive(), 5))
        if not (skip_pings and message["type"] == "ping"):
            return dict(message)


async def close_code(ws: Any) -> int:
    """Read (and drop) messages until the server closes; the close code."""
    for _ in range(50):
        try:
            await asyncio.wait_for(ws.receive(), 5)
        except WebsocketDisconnectError as closed:
            return int(closed.args[0])
    raise AssertionError("the server did not close the WebSocket")


async def until(check: Callable[[], bool], seconds: float = 5) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


async def until_async(read: Callable[[], Awaitable[int]], expected: int, seconds: float = 5) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while (value := await read()) != expected:
        assert asyncio.get_running_loop().time() < deadline, f"{value} != {expected}"
        await asyncio.sleep(0.02)


async def joined(services: Services, clients: int) -> None:
    """Wait until the hub counts ``clients`` connections: a socket is accepted before it claims its slot in MongoDB
    and joins the hub, and a message published in between is (rightly) not its to receive."""
    await until(lambda: services.hub.client_count == clients)


async def test_token_query_parameter_receives_broadcasts(client: TestClientProtocol, services: Services) -> None:
    async with client.websocket(f"/api/ws?token={TOKEN}") as ws:
        await joined(services, 1)
        services.hub.publish("namespace_exclusion", {"namespace": "kube-system", "action": "excluded"})
        assert await next_message(ws) == {"type": "namespace_exclusion",
                                          "data": {"namespace": "kube-system", "action": "excluded"}}


async def test_ingest_is_broadcast_to_header_token_client(
    client: TestClientProtocol, app: Quart, services: Services
) -> None:
    async with client.websocket("/api/ws", headers=SERVICE_HEADERS) as ws:
        await joined(services, 1)
        response = await app.test_client().post(
            "/api/pods/failed", json={"pod_name": "ws-pod", "namespace": "default"}, headers=SERVICE_HEADERS)
        record = await response.get_json()
        message = await next_message(ws)
        assert isinstance(message.pop("seq"), int)
        assert message == {"type": "pod_failure", "data": record}
        assert "manifest" not in message["data"] and "logs" not in message["data"]


@pytest.mark.parametrize("path", ["/api/ws", "/api/ws?token=wrong"])
async def test_missing_or_invalid_credentials_close_4401(client: TestClientProtocol, path: str) -> None:
    async with client.websocket(path) as ws:
        assert await close_code(ws) == 4401


async def test_cookie_session_and_csrf(app: Quart, services: Services) -> None:
    await services.auth.create_user("wsuser", PASSWORD, "read")
    client = app.test_client()
    await client.post("/api/auth/login", json={"username": "wsuser", "password": PASSWORD})
    async with client.websocket("/api/ws", headers={"Origin": "https://evil.example"}) as ws:
        assert await close_code(ws) == 4403
    async with client.websocket("/api/ws") as ws:
        await joined(services, 1)
        services.hub.publish("pod_deleted", {"namespace": "n", "pod_name": "p", "ids": [1], "reason": "recovered"})
        assert (await next_message(ws))["type"] == "pod_deleted"


async def test_ping_and_revoked_session_closes_4401(fast_ping_app: Quart) -> None:
    services: Services = backend_of(fast_ping_app).services
    await services.auth.create_user("pinger", PASSWORD, "read")
    client = fast_ping_app.test_client()
    await client.post("/api/auth/login", json={"username": "pinger", "password": PASSWORD})
    async with client.websocket("/api/ws") as ws:
        assert await next_message(ws, skip_pings=False) == {"type": "ping", "data": {}}
        user = await services.repositories.users.by_username("pinger")
        assert user is not None
        await services.repositories.sessions.delete_for_user(user["_id"])
        assert await close_code(ws) == 4401


async def test_oversized_client_frame_closes_1009(client: TestClientProtocol) -> None:
    async with client.websocket(f"/api/ws?token={TOKEN}") as ws:
        await ws.send("x" * (64 * 1024 + 1))
        assert await close_code(ws) == 1009


async def test_one_user_cannot_open_hundreds_of_websockets(app: Quart, services: Services) -> None:
    services.hub.max_per_principal = 3
    await services.auth.create_user("hoarder", PASSWORD, "read")
    await services.auth.create_user("neighbour", PASSWORD, "read")
    hoarder, neighbour = app.test_client(), app.test_client()
    await hoarder.post("/api/auth/login", json={"username": "hoarder", "password": PASSWORD})
    await neighbour.post("/api/auth/login", json={"username": "neighbour", "password": PASSWORD})
    async with contextlib.AsyncExitStack() as stack:
        for _ in range(3):
            await stack.enter_async_context(hoarder.websocket("/api/ws"))  # type: ignore[arg-type]
        await until(lambda: services.hub.client_count == 3)  # each connection claims a slot in MongoDB first
        async with hoarder.websocket("/api/ws") as refused:
            assert await close_code(refused) == TOO_MANY_CONNECTIONS_CODE == 4429
        async with neighbour.websocket("/api/ws") as welcome:
            await joined(services, 4)
            services.hub.publish("pod_deleted", {"namespace": "n", "pod_name": "p", "ids": [1], "reason": "recovered"})
            assert (await next_message(welcome))["type"] == "pod_deleted"
    await until(lambda: services.hub.client_count == 0)
    assert services.hub.connections_of("service") == 0
    await until_async(lambda: services.mongo.db["connection_slots"].count_documents({}), 0)  # released (async)
    async with hoarder.websocket("/api/ws") as again:  # the slots came back when the sockets closed
        await joined(services, 1)
        services.hub.publish("pod_deleted", {"namespace": "n", "pod_name": "p", "ids": [2], "reason": "recovered"})
        assert (await next_message(again))["type"] == "pod_deleted"


async def test_websocket_counts_connections(client: TestClientProtocol, services: Services) -> None:
    async with client.websocket(f"/api/ws?token={TOKEN}"):
        await joined(services, 1)  # fails after 5 s if the connection is never counted
    await joined(services, 0)


# --- hub rules (no server needed) ---------------------------------------------------------------------------


async def test_slow_client_overflows_alone_and_publishing_never_blocks() -> None:
    hub = Hub()
    stuck = HubClient(user_id=None, session_id=None)
    healthy = HubClient(user_id=None, session_id=None)
    hub.register(stuck)
    hub.register(healthy)
    received: list[str] = []
    for i in range(QUEUE_SIZE + 10):
        hub.publish("n", {"i": i})  # synchronous: cannot wait on anyone
        while not healthy.queue.empty():
            received.append(healthy.queue.get_nowait())
    assert stuck.close_code == 1013 and stuck.close_reason == "Client too slow"
    assert stuck.closed.is_set()
    assert healthy.close_code is None
    assert [json.loads(f)["data"]["i"] for f in received] == list(range(QUEUE_SIZE + 10))  # in order


async def test_shutdown_closes_with_1001() -> None:
    hub = Hub()
    client = HubClient(user_id=None, session_id=None)
    hub.register(client)
    hub.close_all(1001, "Server shutting down")
    assert (client.close_code, client.close_reason) == (1001, "Server shutting down")


async def test_session_store_outage_closes_1011(fast_ping_app: Quart, monkeypatch: pytest.MonkeyPatch) -> None:
    services: Services = backend_of(fast_ping_app).services
    await services.auth.create_user("outage", PASSWORD, "read")
    client = fast_ping_app.test_client()
    await client.post("/api/auth/login", json={"username": "outage", "password": PASSWORD})
    async with client.websocket("/api/ws") as ws:
        assert await next_message(ws, skip_pings=False) == {"type": "ping", "data": {}}

        async def unavailable(_: str) -> None:
            from pymongo.errors import ServerSelectionTimeoutError

            raise ServerSelectionTimeoutError("down")

        monkeypatch.setattr(services.auth, "resolve_session", unavailable)
        assert await close_code(ws) == 1011


async def test_event_log_outage_at_connect_closes_1011_and_frees_the_slot(
    client: TestClientProtocol, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unavailable(*_: object) -> bool:
        from pymongo.errors import ServerSelectionTimeoutError

        raise ServerSelectionTimeoutError("down")

    monkeypatch.setattr(services.feed, "attach", unavailable)
    async with client.websocket(f"/api/ws?token={TOKEN}&after=5") as ws:
        assert await close_code(ws) == 1011
    assert services.hub.client_count == 0
    # The slot claimed before the resume is given back: a client retrying through an outage never hits its cap.
    await until_async(lambda: services.mongo.db["connection_slots"].count_documents({}), 0)


async def test_slot_store_outage_at_connect_closes_1011(
    client: TestClientProtocol, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unavailable(*_: object) -> str | None:
        from pymongo.errors import ServerSelectionTimeoutError

        raise ServerSelectionTimeoutError("down")

    monkeypatch.setattr(services.caps, "claim", unavailable)
    async with client.websocket(f"/api/ws?token={TOKEN}") as ws:
        assert await close_code(ws) == 1011
    assert services.hub.client_count == 0
