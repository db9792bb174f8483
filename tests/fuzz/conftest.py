"""The fuzz tier: schemathesis against a real ``kure-monitor serve`` (tests/fuzz/test_openapi_fuzz.py).

The server runs on the MongoDB-wire test server with the fake Kubernetes API as a separate process (the shop
cluster), so the log, mirror and manifest routes answer from a cluster. Every outbound HTTP call of the server
(LLM providers, webhooks) goes to a proxy address where nothing listens, because the fuzzer invents URLs and no
request may leave the machine; those calls fail fast and the routes answer their documented 502.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import MONGO_TEST_URI, service_missing
from tests.e2e.conftest import Server, _drop_database, _mongo_reachable, start_server
from tests.graph.conftest import NEO4J_URI

REPO = Path(__file__).parents[2]
SHOP = REPO / "tests" / "fixtures" / "clusters" / "shop"
#: Outbound HTTP goes here: a loopback port nothing listens on (connections are refused at once).
DEAD_PROXY = "http://127.0.0.1:9"
ADMIN_PASSWORD = "fuzz-admin-password"


@dataclass
class FuzzTarget:
    server: Server
    admin_cookie: str

    @property
    def origin(self) -> str:
        return self.server.url


#: The fake Kubernetes API listens on its own loopback address, the one address exempt from the dead proxy.
KUBE_HOST = "127.0.0.2"


def _start_fake_kube(tmp_path: Path) -> tuple[subprocess.Popen[str], Path]:
    kubeconfig = tmp_path / "kubeconfig"
    log = (tmp_path / "fake-kube.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "app.simulator.kubeapi", "--fixture", str(SHOP), "--host", KUBE_HOST, "--port", "0",
         "--kubeconfig", str(kubeconfig)],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    deadline = time.monotonic() + 30
    while not kubeconfig.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"fake Kubernetes API did not start:\n{(tmp_path / 'fake-kube.log').read_text()}")
        time.sleep(0.1)
    return process, kubeconfig


def _neo4j_reachable() -> None:
    from neo4j import GraphDatabase

    driver = GraphDatabase.driver(NEO4J_URI, auth=None)
    try:
        driver.verify_connectivity()
    except Exception as exc:
        service_missing("Neo4j", type(exc).__name__)
    finally:
        driver.close()


@contextmanager
def fuzz_server(tmp_path: Path) -> Iterator[FuzzTarget]:
    """A real server on the test MongoDB and Neo4j, the fake cluster as its Kubernetes, and an admin."""
    _mongo_reachable()
    _neo4j_reachable()
    kube, kubeconfig = _start_fake_kube(tmp_path)
    database = f"kure_fuzz_{uuid.uuid4().hex[:10]}"
    try:
        server = start_server(
            tmp_path, MONGO_TEST_URI, MONGODB_DATABASE=database, KURE_KUBERNETES="auto", KUBECONFIG=str(kubeconfig),
            NEO4J_URI=NEO4J_URI, HTTP_PROXY=DEAD_PROXY, HTTPS_PROXY=DEAD_PROXY, ALL_PROXY=DEAD_PROXY,
            NO_PROXY=KUBE_HOST, LOG_LEVEL="WARNING",
        )
        try:
            signup = httpx.post(f"{server.url}/api/auth/signup", timeout=10,
                                json={"username": "fuzz-admin", "password": ADMIN_PASSWORD})
            assert signup.status_code == 201, signup.text
            yield FuzzTarget(server, signup.cookies["kure_session"])
        finally:
            server.stop()
    finally:
        kube.terminate()
        kube.wait(timeout=15)
        _drop_database(database)


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzTarget]:
    with fuzz_server(tmp_path_factory.mktemp("fuzz")) as target:
        yield target
