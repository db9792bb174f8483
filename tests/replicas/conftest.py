"""Two replicas behind a real reverse proxy (marker ``replicas``): two ``kure-monitor serve`` processes on one
MongoDB-wire server and one Neo4j, and HAProxy from Debian's packages in front of them doing plain round-robin
with WebSocket upgrade and no stickiness (docs/replicas.md#deployment).

HAProxy must be installed (``apt-get install haproxy``; ``.ci/run`` does it): without it these tests skip, and
fail under ``KURE_REQUIRE_SERVICES=1`` as every other missing server does."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import MONGO_TEST_URI, service_missing
from tests.e2e.conftest import Server, _drop_database, _mongo_reachable, free_port, start_server
from tests.graph.conftest import NEO4J_URI

#: The proxy's port: KURE_TEST_PROXY_PORT, else a free one.
PROXY_PORT = int(os.environ.get("KURE_TEST_PROXY_PORT", "0"))

HAPROXY_CONFIG = """\
global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # An open WebSocket is a tunnel: pings come every 20 s, so an hour is plenty.
    timeout tunnel 1h
    # A replica that died: try the next one for requests it never answered.
    retries 3
    option redispatch
frontend kure
    bind 127.0.0.1:{port}
    default_backend replicas
backend replicas
    balance roundrobin
    # A TCP check: a killed replica refuses connections at once, while an HTTP check of a busy replica can time
    # out on a loaded machine and take the last healthy one out of the pool.
{servers}
"""


class Proxy(Server):
    """HAProxy in front of the replicas: a process on a port, stopped and addressed like a replica."""


def start_proxy(tmp_path: Path, backends: list[Server]) -> Proxy:
    haproxy = shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy",) if Path(p).exists()), None)
    if haproxy is None:
        service_missing("HAProxy", "not installed (apt-get install haproxy)")
    assert haproxy is not None
    port = PROXY_PORT or free_port()
    servers = "\n".join(f"    server r{i} 127.0.0.1:{b.port} check inter 500ms fall 2 rise 1"
                        for i, b in enumerate(backends))
    config = tmp_path / "haproxy.cfg"
    config.write_text(HAPROXY_CONFIG.format(port=port, servers=servers))
    log_path = tmp_path / "haproxy.log"
    check = subprocess.run([haproxy, "-c", "-f", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    process = subprocess.Popen([haproxy, "-db", "-f", str(config)], stdout=log_path.open("w"),
                               stderr=subprocess.STDOUT, text=True)
    proxy = Proxy(process, port, log_path)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        assert process.poll() is None, log_path.read_text()
        try:
            if httpx.get(f"{proxy.url}/ready", timeout=2).status_code == 200:
                return proxy
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proxy.stop()
    raise AssertionError(f"HAProxy did not come up:\n{log_path.read_text()}")


@dataclass
class Replicas:
    a: Server
    b: Server
    proxy: Proxy
    database: str


@pytest.fixture
def replicas(tmp_path: Path) -> Iterator[Replicas]:
    """Two replicas sharing one database, one Neo4j and one state directory (the same generated secrets, as a
    Deployment shares its Secret), behind HAProxy."""
    _mongo_reachable()
    if shutil.which("haproxy") is None and not Path("/usr/sbin/haproxy").exists():
        service_missing("HAProxy", "not installed (apt-get install haproxy)")
    database = f"kure_replicas_{uuid.uuid4().hex[:10]}"
    env = {
        "MONGODB_DATABASE": database,
        "MONGODB_TIMEOUT_MS": "2000",
        "NEO4J_URI": NEO4J_URI,
        # The 100 clients are 5 users with 20 each; a killed replica's slots count until they expire (60 s).
        "KURE_WEBSOCKETS_PER_PRINCIPAL": "60",
    }
    started: list[Server] = []
    proxy: Proxy | None = None
    try:
        # One after the other: the first one writes the shared secrets file, the second reads it.
        started.append(start_server(tmp_path, MONGO_TEST_URI, wait_ready=True, port=None, **env))
        started.append(start_server(tmp_path, MONGO_TEST_URI, wait_ready=True, port=None, **env))
        proxy = start_proxy(tmp_path, started)
        yield Replicas(started[0], started[1], proxy, database)
    finally:
        if proxy is not None:
            proxy.stop()
        for server in started:
            server.stop()
        _drop_database(database)
