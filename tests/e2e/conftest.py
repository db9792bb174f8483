"""The server as a real process: ``kure-monitor serve`` (hypercorn) spoken to over real HTTP and WebSocket."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import MONGO_TEST_URI, service_missing

TOKEN = "e2e-service-token-0123456789"

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/api/ws"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return int(self.process.returncode)


def start_server(
    tmp_path: Path, mongodb_uri: str | None, *, wait_ready: bool = True, port: int | None = None, **env: str
) -> Server:
    port = port or free_port()
    log_path = tmp_path / f"server-{port}.log"
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "KURE_STATE_DIR": str(tmp_path / "state"),
        "KURE_COOKIE_SECURE": "false",
        "KURE_KUBERNETES": "off",
        "SERVICE_TOKEN": TOKEN,
        "MONGODB_DATABASE": f"kure_e2e_{uuid.uuid4().hex[:10]}",
        "MONGODB_TIMEOUT_MS": "500",
        **env,
    }
    if mongodb_uri is not None:
        environment["MONGODB_URI"] = mongodb_uri
    handle = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=handle, stderr=subprocess.STDOUT, text=True, env=environment, cwd=Path(__file__).parents[2],
    )
    server = Server(process, port, log_path)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}:\n{server.log()}")
        try:
            response = httpx.get(f"{server.url}/ready" if wait_ready else f"{server.url}/health", timeout=2)
            if response.status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop()
    raise AssertionError(f"server did not become ready:\n{server.log()}")


def _mongo_reachable() -> None:
    import pymongo

    client: pymongo.MongoClient[dict[str, object]] = pymongo.MongoClient(MONGO_TEST_URI, serverSelectionTimeoutMS=1500)
    try:
        client.admin.command("ping")
    except Exception as exc:
        service_missing("MongoDB-wire server", type(exc).__name__)
    finally:
        client.close()


def _drop_database(name: str) -> None:
    import pymongo

    client: pymongo.MongoClient[dict[str, object]] = pymongo.MongoClient(MONGO_TEST_URI, serverSelectionTimeoutMS=1500)
    try:
        client.drop_database(name)
    finally:
        client.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    _mongo_reachable()
    database = f"kure_e2e_{uuid.uuid4().hex[:10]}"
    running = start_server(tmp_path, MONGO_TEST_URI, MONGODB_DATABASE=database)
    yield running
    running.stop()
    _drop_database(database)
