"""End to end against ``kure-monitor serve``: HTTP, cookies, WebSocket fan-out, outage recovery."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import time
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest
from openapi_spec_validator import validate as validate_openapi
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Request, TextMessage

from tests.e2e.conftest import TOKEN, Server, free_port, start_server

pytestmark = pytest.mark.e2e
HEADERS = {"X-Service-Token": TOKEN}


def test_health_docs_and_head(server: Server) -> None:
    health = httpx.get(f"{server.url}/health")
    assert health.json() == {"status": "ok", "checks": {"mongodb": "ok", "neo4j": "disabled",
                                                        "kubernetes": "disabled"}}
    assert len(health.headers["X-Request-ID"]) == 32
    head = httpx.head(f"{server.url}/health")
    assert head.status_code == 200 and head.content == b""
    assert "swagger-ui" in httpx.get(f"{server.url}/docs").text.lower()
    assert "redoc" in httpx.get(f"{server.url}/redoc").text.lower()
    validate_openapi(httpx.get(f"{server.url}/openapi.json").json())


def test_cookie_login_flow_over_http(server: Server) -> None:
    with httpx.Client(base_url=server.url) as browser:
        signup = browser.post("/api/auth/signup", json={"username": "admin", "password": "correct-horse-1"})
        assert signup.status_code == 201
        set_cookie = signup.headers["set-cookie"]
        assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie and "Max-Age=604800" in set_cookie
        assert browser.get("/api/auth/me").json()["user"]["username"] == "admin"
        assert browser.post("/api/auth/logout").status_code == 204
        assert browser.get("/api/auth/me").status_code == 401


def test_tokens_never_reach_the_log(server: Server) -> None:
    httpx.get(f"{server.url}/api/pods/default/web/logs/stream?token={TOKEN}")
    httpx.get(f"{server.url}/api/config", headers=HEADERS)
    time.sleep(0.2)
    log = server.log()
    assert "/api/config" in log  # the access log is there ...
    assert TOKEN not in log  # ... without the token


async def test_ingest_reaches_websocket_clients(server: Server) -> None:
    async with aiohttp.ClientSession() as session, session.ws_connect(f"{server.ws_url}?token={TOKEN}") as ws:
        await asyncio.sleep(0.1)
        async with session.post(f"{server.url}/api/pods/failed", headers=HEADERS,
                                json={"pod_name": "e2e-pod", "namespace": "default",
                                      "failure_reason": "ImagePullBackOff"}) as response:
            record = await response.json()
        message = await asyncio.wait_for(ws.receive_json(), 5)
        assert isinstance(message.pop("seq"), int)  # its number in the shared feed (docs/replicas.md)
        assert message == {"type": "pod_failure", "data": record}


async def test_websocket_without_credentials_closes_4401(server: Server) -> None:
    async with aiohttp.ClientSession() as session, session.ws_connect(server.ws_url) as ws:
        message = await asyncio.wait_for(ws.receive(), 5)
        assert message.type == aiohttp.WSMsgType.CLOSE
        assert message.data == 4401


class StuckWebSocket:
    """A WebSocket client that completes the handshake and then never reads (tiny receive buffer)."""

    def __init__(self, port: int) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.connect(("127.0.0.1", port))
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.sock.sendall(self.ws.send(Request(host=f"127.0.0.1:{port}", target=f"/api/ws?token={TOKEN}")))
        while True:
            self.ws.receive_data(self.sock.recv(4096))
            if any(isinstance(event, AcceptConnection) for event in self.ws.events()):
                return

    def drain_until_close(self, seconds: float = 20) -> tuple[int, int]:
        """Read everything now; (text messages received, close code)."""
        self.sock.settimeout(seconds)
        texts = 0
        while True:
            data = self.sock.recv(65536)
            self.ws.receive_data(data or None)
            for event in self.ws.events():
                if isinstance(event, TextMessage) and event.message_finished:
                    texts += 1
                if isinstance(event, CloseConnection):
                    return texts, event.code
            if not data:
                return texts, -1


@pytest.fixture
def fast_server(tmp_path: Path) -> Any:
    """Embedded store: this test is about WebSocket fan-out, so storage speed must not be what it measures."""
    running = start_server(tmp_path, None)
    yield running
    running.stop()


async def test_a_client_that_never_reads_is_closed_1013_and_others_are_unaffected(fast_server: Server) -> None:
    server = fast_server
    stuck = StuckWebSocket(server.port)
    reports = 400
    big = "x" * 65536  # large messages fill the kernel buffers and the 256-message queue quickly
    received: list[dict[str, Any]] = []

    async with aiohttp.ClientSession() as session, session.ws_connect(f"{server.ws_url}?token={TOKEN}") as healthy:
        async def read_all() -> None:
            while len(received) < reports:
                message = await healthy.receive_json()
                if message["type"] == "pod_failure":
                    received.append(message)

        reader = asyncio.create_task(read_all())
        await asyncio.sleep(0.1)
        for i in range(reports):
            async with session.post(f"{server.url}/api/pods/failed", headers=HEADERS, json={
                    "pod_name": f"flood-{i}", "namespace": "default", "failure_message": big}) as response:
                assert response.status == 200
        await asyncio.wait_for(reader, 30)

    assert [m["data"]["pod_name"] for m in received] == [f"flood-{i}" for i in range(reports)]
    texts, code = await asyncio.to_thread(stuck.drain_until_close)
    assert code == 1013
    assert texts < reports


def test_sigterm_stops_gracefully(tmp_path: Path) -> None:
    running = start_server(tmp_path, None)  # embedded store: no database needed for this
    running.process.send_signal(signal.SIGTERM)
    assert running.process.wait(timeout=20) == 0


def test_mongodb_outage_at_startup_recovers_without_restart(tmp_path: Path) -> None:
    from tests.infra.services_module import load

    services = load()
    port = free_port()
    running = start_server(tmp_path, f"mongodb://127.0.0.1:{port}", wait_ready=False)
    database = None
    try:
        health = httpx.get(f"{running.url}/health").json()
        assert health["checks"]["mongodb"] == "down" and health["status"] == "ok"
        ready = httpx.get(f"{running.url}/ready")
        assert ready.status_code == 503 and ready.json()["status"] == "unavailable"
        status = httpx.get(f"{running.url}/api/auth/status")
        assert status.status_code == 503 and status.json() == {"detail": "Database not available"}
        ingest = httpx.post(f"{running.url}/api/pods/failed", headers=HEADERS,
                            json={"pod_name": "p", "namespace": "n"})
        assert ingest.status_code == 503

        database = services.start_ferretdb(port, tmp_path / "ferret")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and httpx.get(f"{running.url}/ready").status_code != 200:
            time.sleep(0.5)
        assert httpx.get(f"{running.url}/ready").status_code == 200
        assert httpx.get(f"{running.url}/api/auth/status").json()["setup_required"] is True
        ok = httpx.post(f"{running.url}/api/pods/failed", headers=HEADERS, json={"pod_name": "p", "namespace": "n"})
        assert ok.status_code == 200 and ok.json()["id"] == 1
    finally:
        running.stop()
        if database is not None:
            services.stop_process(database)
    assert "Traceback" not in running.log()  # an outage is a clear 503, never a crash


def test_dump_of_request_ids_in_log(server: Server) -> None:
    response = httpx.get(f"{server.url}/api/nothing", headers={"X-Request-ID": "trace-42"})
    assert response.status_code == 404 and response.headers["X-Request-ID"] == "trace-42"
    time.sleep(0.2)
    assert "trace-42" in server.log()
    assert json.loads(response.text) == {"detail": "Not Found"}


def _raw_get(server: Server, path: str, host: str) -> tuple[str, dict[str, str]]:
    """A GET with the path exactly as written (clients normalise `//`), over a plain socket."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = {line.split(":", 1)[0].lower(): line.split(":", 1)[1].strip() for line in head[1:] if ":" in line}
    return head[0], headers


def test_no_redirect_is_built_from_the_host_header(server: Server) -> None:
    # werkzeug used to answer a doubled slash with a 308 to http://<Host header>/api/auth/status.
    for path in ("/api//auth/status", "/api/pods//failed", "/health//"):
        status_line, headers = _raw_get(server, path, "evil.example")
        assert " 404 " in status_line, (path, status_line)
        assert "location" not in headers
        assert headers["x-content-type-options"] == "nosniff"
    # Leading slashes are folded by the server before routing: the route itself answers, never a redirect.
    for path in ("//api/auth/status", "///health"):
        status_line, headers = _raw_get(server, path, "evil.example")
        assert " 200 " in status_line and "location" not in headers, (path, status_line)
    status_line, headers = _raw_get(server, "/api/auth/status", "evil.example")
    assert " 200 " in status_line and "frame-ancestors 'none'" in headers["content-security-policy"]
