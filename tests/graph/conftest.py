"""Fixtures of the graph tests: a wiped real Neo4j per test, the fake Kubernetes API, a running watcher."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from neo4j import AsyncDriver, AsyncGraphDatabase

from app.kube import KubeConfig
from app.kube.bodies import as_object
from graph.schema import ensure_schema
from graph.sync import GraphSyncOptions, GraphWatcher

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "clusters"
NEO4J_URI = os.environ.get(
    "KURE_TEST_NEO4J_URI", f"bolt://127.0.0.1:{os.environ.get('KURE_TEST_NEO4J_BOLT_PORT', '7687')}"
)


@pytest.fixture
async def neo4j_driver() -> AsyncIterator[AsyncDriver]:
    driver = AsyncGraphDatabase.driver(NEO4J_URI, auth=None, telemetry_disabled=True, notifications_min_severity="OFF")
    try:
        await driver.verify_connectivity()
    except Exception as exc:
        await driver.close()
        if os.environ.get("KURE_REQUIRE_SERVICES") == "1":
            pytest.fail(f"Neo4j not reachable at {NEO4J_URI}: {exc}")
        pytest.skip(f"Neo4j not reachable at {NEO4J_URI}")
    async with driver.session() as session:
        await (await session.run("MATCH (n) DETACH DELETE n")).consume()
    await ensure_schema(driver)
    yield driver
    await driver.close()


def fast_options(**overrides: Any) -> GraphSyncOptions:
    base: dict[str, Any] = {
        "page_size": 7,
        "watch_timeout": 5,
        "backoff_initial": 0.05,
        "backoff_max": 0.2,
        "forbidden_retry": 0.3,
        "resync_hours": 0,
        "lease_ttl": 5,
        "status_interval": 0.2,
    }
    base.update(overrides)
    return GraphSyncOptions(**base)


async def eventually(check: Callable[[], Awaitable[bool]], *, attempts: int = 600, pause: float = 0.05) -> None:
    """Poll until ``check`` is true (the watcher is asynchronous); fails with the last state otherwise."""
    for _ in range(attempts):
        if await check():
            return
        await asyncio.sleep(pause)
    raise AssertionError("condition not reached")


class RunningWatcher:
    def __init__(self, watcher: GraphWatcher, task: asyncio.Task[None]) -> None:
        self.watcher = watcher
        self.task = task

    async def settle(self) -> None:
        """Wait for the initial sync, then until the writer has drained everything queued so far."""
        status = self.watcher.status

        async def synced() -> bool:
            return status.initial_sync_completed_at is not None

        await eventually(synced)
        await self.idle()

    async def idle(self) -> None:
        await asyncio.sleep(0.3)  # let in-flight watch events reach the queue
        assert self.watcher.writer is not None
        await asyncio.wait_for(self.watcher.writer.wait_idle(), 30)


@pytest.fixture
async def start_watcher(
    neo4j_driver: AsyncDriver, kube_config: KubeConfig
) -> AsyncIterator[Callable[..., Awaitable[RunningWatcher]]]:
    running: list[RunningWatcher] = []

    async def start(**overrides: Any) -> RunningWatcher:
        watcher = GraphWatcher(neo4j_driver, kube_config, options=fast_options(**overrides))
        task = asyncio.create_task(watcher.run())
        rw = RunningWatcher(watcher, task)
        running.append(rw)
        return rw

    yield start
    for rw in running:
        rw.task.cancel()
        await asyncio.gather(rw.task, return_exceptions=True)


async def rows(driver: AsyncDriver, query: str, **params: Any) -> list[dict[str, Any]]:
    async with driver.session() as session:
        result = await session.run(query, params)
        return [dict(r) for r in await result.data()]


async def edge_set(driver: AsyncDriver) -> set[tuple[str, str, str]]:
    return {
        (r["s"], r["t"], r["t_"])
        for r in await rows(driver, "MATCH (a:K8s)-[r]->(b:K8s) RETURN a.id AS s, type(r) AS t, b.id AS t_")
    }


async def node_origins(driver: AsyncDriver) -> dict[str, str]:
    return {r["id"]: r["origin"] for r in await rows(driver, "MATCH (n:K8s) RETURN n.id AS id, n.origin AS origin")}


async def load_graph(driver: AsyncDriver, fixture: str = "shop", *, resource_version: int = 1) -> int:
    """Write a fixture cluster straight through the writer (no API server, one transaction): the graph an
    initial sync builds, minus the sweep bookkeeping (there is nothing to sweep in a wiped database)."""
    import yaml

    from graph.schema import SYNC_ORDER
    from graph.transforms import transform
    from graph.writer import GraphWriter, WorkItem

    by_kind: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((FIXTURES / fixture).glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                doc.setdefault("metadata", {}).setdefault("resourceVersion", str(resource_version))
                by_kind.setdefault(doc["kind"], []).append(doc)
    writer = GraphWriter(driver)
    items: list[WorkItem] = []
    for kind in SYNC_ORDER:
        items.append(WorkItem("relist_begin", kind))
        items += [WorkItem.upsert(kind, transform(kind, as_object(obj))) for obj in by_kind.get(kind, [])]
    await writer.apply(items)
    return sum(len(v) for v in by_kind.values())
