"""The in-cluster components against the real backend: the agent and the scanner watch the fake Kubernetes API
server and post to ``kure-monitor serve`` (real process, FerretDB); what a dashboard user then sees is checked
through the backend's own API."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.agent.main import run_agent
from app.agent.settings import AgentSettings
from app.incluster.settings import load
from app.scanner.main import run_scanner
from app.scanner.settings import ScannerSettings
from app.simulator.kubeapi.resources import BY_KIND
from app.simulator.kubeapi.server import FakeKubeApi
from tests.agent.fixtures import load as load_agent_fixture
from tests.e2e.conftest import MONGO_TEST_URI, TOKEN, Server, _drop_database, _mongo_reachable, start_server
from tests.fakes.lossy_proxy import LossyProxy
from tests.scanner.fixtures import load as load_scanner_fixture

pytestmark = pytest.mark.e2e

NS = "kure"
PLANTED = "planted-db-password-7781"


@pytest.fixture
async def kube() -> AsyncIterator[FakeKubeApi]:
    server = FakeKubeApi(bookmark_interval=0.5)
    await server.start()
    server.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}})
    server.apply({"apiVersion": "v1", "kind": "ConfigMap",
                  "metadata": {"name": "kure-monitor-agent-state", "namespace": NS}})
    yield server
    await server.stop()


@pytest.fixture
async def dashboard(server: Server) -> AsyncIterator[httpx.AsyncClient]:
    """A logged-in admin, the way the dashboard talks to the backend."""
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
        response = await client.post("/api/auth/signup", json={"username": "admin", "password": "dashboard-pass"})
        assert response.status_code == 201
        yield client


def _env(kube: FakeKubeApi, server: Server, tmp_path: Path, name: str) -> dict[str, str]:
    return {
        "BACKEND_URL": server.url,
        "SERVICE_TOKEN": TOKEN,
        "KUBECONFIG": str(kube.write_kubeconfig(tmp_path / f"kubeconfig-{name}")),
        "POD_NAME": name,
        "POD_NAMESPACE": NS,
        "KURE_HEALTH_PORT": "0",
        "KURE_LEASE_DURATION_SECONDS": "3",
        "KURE_LEASE_RENEW_DEADLINE_SECONDS": "2",
        "KURE_LEASE_RETRY_SECONDS": "1",
        "KURE_BACKEND_RETRY_MAX_SECONDS": "1",
    }


@contextlib.asynccontextmanager
async def running(component: Callable[..., Awaitable[None]], settings: Any) -> AsyncIterator[None]:
    stop = asyncio.Event()
    task = asyncio.ensure_future(component(settings, stop, health_host="127.0.0.1"))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)


async def eventually(check: Callable[[], Awaitable[Any]], seconds: float = 30) -> Any:
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.3)


def _agent_pod(name: str, fixture: str, step: int | None = None) -> dict[str, Any]:
    doc, _ = load_agent_fixture(fixture)
    pod = copy.deepcopy(doc["pod"])
    if step is not None:
        pod["status"] = copy.deepcopy(doc["steps"][step]["status"])
    pod["metadata"].update(name=name, namespace="shop")
    pod["metadata"].pop("uid", None)
    return pod


async def test_agent_reports_reach_the_dashboard(
    kube: FakeKubeApi, server: Server, dashboard: httpx.AsyncClient, tmp_path: Path
) -> None:
    oom = _agent_pod("oom-1", "oom-killed", step=-1)
    oom["spec"]["containers"][0]["env"] = [{"name": "DB_PASSWORD", "value": PLANTED}]
    kube.apply(oom)
    kube.apply(_agent_pod("evicted-1", "evicted"))
    settings = load(AgentSettings, _env(kube, server, tmp_path, "agent-a"))

    async def listed() -> list[dict[str, Any]] | None:
        records: list[dict[str, Any]] = (await dashboard.get("/api/pods/failed")).json()
        return records if len(records) >= 2 else None

    async with running(run_agent, settings):
        records = await eventually(listed)
        assert {r["pod_name"]: r["failure_reason"] for r in records} == {"evicted-1": "Evicted", "oom-1": "OOMKilled"}
        assert all(r["occurrences"] == 1 and r["solution"].startswith("## Root Cause") for r in records)
        oom_id = next(r["id"] for r in records if r["pod_name"] == "oom-1")
        full = (await dashboard.get(f"/api/pods/failed/{oom_id}")).json()
        assert full["manifest"].startswith("apiVersion: v1") and "DB_PASSWORD" in full["manifest"]
        assert PLANTED not in full["manifest"] and PLANTED not in full["logs"]  # redacted before it left the agent

        kube.delete("Pod", "shop", "evicted-1")

        async def resolved() -> list[dict[str, Any]] | None:
            history: list[dict[str, Any]] = (await dashboard.get("/api/pods/history")).json()
            return history or None

        [record] = await eventually(resolved)
        assert record["pod_name"] == "evicted-1"
        assert record["resolution_note"] == "Pod recovered or deleted"
    assert [r["pod_name"] for r in (await dashboard.get("/api/pods/failed")).json()] == ["oom-1"]


async def test_a_report_and_a_dismissal_whose_answers_were_lost_are_applied_once(
    kube: FakeKubeApi, server: Server, dashboard: httpx.AsyncClient, tmp_path: Path
) -> None:
    """The backend writes, then the answer is lost (the proxy drops the connection, as a dying replica would): the
    agent's outbox sends the same operation again with its delivery key, and the backend counts it once
    (docs/api.md#delivery-keys)."""
    proxy = await LossyProxy(server.url, lose=1).start()
    try:
        kube.apply(_agent_pod("lost-1", "evicted"))
        settings = load(AgentSettings, {**_env(kube, server, tmp_path, "agent-a"), "BACKEND_URL": proxy.url})

        def answered(path: str) -> int:
            return sum(1 for p, status in proxy.answered if p == path and status == 200)

        async with running(run_agent, settings):
            await eventually(lambda: _true(answered("/api/pods/failed") == 1))
            [record] = (await dashboard.get("/api/pods/failed")).json()
            assert proxy.lost == [("/api/pods/failed", 200)]  # the first send was stored, its answer lost
            assert record["pod_name"] == "lost-1" and record["occurrences"] == 1

            proxy.lose = 1
            kube.delete("Pod", "shop", "lost-1")
            await eventually(lambda: _true(answered("/api/pods/dismiss-deleted") == 1))
            assert proxy.lost[1:] == [("/api/pods/dismiss-deleted", 200)]
            [closed] = (await dashboard.get("/api/pods/history")).json()
            assert closed["id"] == record["id"] and closed["resolution_note"] == "Pod recovered or deleted"
            assert closed["occurrences"] == 1
    finally:
        await proxy.stop()


async def _true(value: bool) -> bool:
    return value


async def test_scanner_findings_reach_the_dashboard(
    kube: FakeKubeApi, server: Server, dashboard: httpx.AsyncClient, tmp_path: Path
) -> None:
    docs, expect = load_scanner_fixture("insecure-nginx")
    for obj in docs:
        if obj["kind"] in BY_KIND:
            kube.apply(copy.deepcopy(obj))
    settings = load(ScannerSettings, _env(kube, server, tmp_path, "scanner-a"))

    async def findings() -> list[dict[str, Any]] | None:
        response = await dashboard.get("/api/security/findings?limit=1000")
        items: list[dict[str, Any]] = response.json()
        return items if any(f["resource_name"] == "insecure-nginx" for f in items) else None

    async with running(run_scanner, settings):
        found = await eventually(findings)
        await asyncio.sleep(2)  # let the full scan finish posting
        found = (await dashboard.get("/api/security/findings?limit=1000")).json()
    stored = {f["check_name"] for f in found
              if (f["resource_type"], f["namespace"], f["resource_name"]) == ("Deployment", "test-security",
                                                                            "insecure-nginx")}
    assert stored == set(expect["objects"]["Deployment/test-security/insecure-nginx"])
    keys = [(f["resource_type"], f["namespace"], f["resource_name"], f["check_name"]) for f in found]
    assert len(keys) == len(set(keys))  # nothing stored twice


async def _login(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/auth/login", json={"username": "admin", "password": "dashboard-pass"})
    assert response.status_code == 200


async def test_two_agent_replicas_report_each_failure_once(
    kube: FakeKubeApi, server: Server, dashboard: httpx.AsyncClient, tmp_path: Path
) -> None:
    kube.apply(_agent_pod("evicted-9", "evicted"))
    first = load(AgentSettings, _env(kube, server, tmp_path, "agent-a"))
    second = load(AgentSettings, _env(kube, server, tmp_path, "agent-b"))

    async def listed() -> list[dict[str, Any]] | None:
        records: list[dict[str, Any]] = (await dashboard.get("/api/pods/failed")).json()
        return records or None

    async with running(run_agent, first), running(run_agent, second):
        await eventually(listed)
        await asyncio.sleep(3)  # both replicas have had time to act
        records = (await dashboard.get("/api/pods/failed")).json()
    assert [(r["pod_name"], r["occurrences"]) for r in records] == [("evicted-9", 1)]


async def test_backend_restart_in_the_middle_loses_no_report(kube: FakeKubeApi, tmp_path: Path) -> None:
    _mongo_reachable()
    database = f"kure_e2e_{uuid.uuid4().hex[:10]}"
    backend = start_server(tmp_path, MONGO_TEST_URI, MONGODB_DATABASE=database)
    port = backend.port
    try:
        async with httpx.AsyncClient(base_url=backend.url, timeout=10) as dashboard:
            assert (await dashboard.post("/api/auth/signup",
                                         json={"username": "admin", "password": "dashboard-pass"})).status_code == 201
        kube.apply(_agent_pod("before-1", "evicted"))
        settings = load(AgentSettings, _env(kube, backend, tmp_path, "agent-a"))
        async with running(run_agent, settings):
            async with httpx.AsyncClient(base_url=backend.url, timeout=10) as dashboard:
                await _login(dashboard)

                async def count(n: int) -> bool:
                    return len((await dashboard.get("/api/pods/failed")).json()) >= n

                await eventually(lambda: count(1))
            # Blocking process control runs in a thread: the agent and the fake API share this event loop, and
            # a frozen loop would cost the agent its lease (a different scenario from a backend outage).
            await asyncio.to_thread(backend.stop)  # the backend goes away ...
            kube.apply(_agent_pod("during-1", "evicted"))  # ... while a new failure happens
            kube.apply(_agent_pod("during-2", "oom-killed", step=-1))
            await asyncio.sleep(3)
            backend = await asyncio.to_thread(
                lambda: start_server(tmp_path, MONGO_TEST_URI, port=port, MONGODB_DATABASE=database))
            async with httpx.AsyncClient(base_url=backend.url, timeout=10) as dashboard:
                await _login(dashboard)
                await eventually(lambda: count(3), seconds=45)
                records = (await dashboard.get("/api/pods/failed")).json()
        assert sorted((r["pod_name"], r["occurrences"]) for r in records) == [
            ("before-1", 1), ("during-1", 1), ("during-2", 1)]
    finally:
        backend.stop()
        _drop_database(database)
