"""A REAL Neo4j process restarted mid-stream: the graph watcher notices, catches up, and loses nothing.

``tests/graph/test_graph_resilience.py`` simulates an outage by cutting a TCP proxy; here the server process itself
gets SIGTERM and comes back on the same port and store (``services.start_neo4j``, the launcher's persistent mode),
so the driver sees refused connections, a dead pool and then a freshly started DBMS, like a real Neo4j restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from neo4j import AsyncDriver

from app.kube import KubeConfig
from app.simulator.kubeapi import FakeKubeApi
from graph.driver import create_driver
from graph.sync import GraphWatcher
from tests.conftest import service_missing
from tests.e2e.conftest import free_port
from tests.graph.conftest import FIXTURES, RunningWatcher, edge_set, eventually, fast_options, node_origins, rows
from tests.infra import services_module

pytestmark = pytest.mark.e2e

services = services_module.load()

NEW_POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "during-outage", "namespace": "shop", "labels": {"app.kubernetes.io/name": "web"}},
    "spec": {"containers": [{"name": "c", "image": "x"}]},
    "status": {"phase": "Running"},
}


class PrivateNeo4j:
    """A Neo4j of this test only: its own port and store directory, stopped and started at will."""

    def __init__(self, port: int, data_dir: Path) -> None:
        self.port = port
        self.data_dir = data_dir
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    async def start(self) -> float:
        """Start (in a thread: the watcher keeps running meanwhile); returns the seconds it took."""
        started = time.monotonic()
        self.proc = await asyncio.to_thread(services.start_neo4j, self.port, self.data_dir)
        return time.monotonic() - started

    async def stop(self) -> None:
        assert self.proc is not None
        await asyncio.to_thread(services.stop_process, self.proc)
        self.proc = None
        # The launcher's shutdown hook removes the ready file before closing the DBMS: SIGTERM was a clean stop.
        assert not (self.data_dir / "ready.json").exists()


@pytest.fixture
def neo4j_server(tmp_path: Path) -> Iterator[PrivateNeo4j]:
    if shutil.which("java") is None:
        service_missing("Java 17+ (runs the Neo4j launcher)", "java not found")
    try:
        services.neo4j_classpath()  # builds the launcher with Maven when its sources changed
    except services.ServiceError as exc:
        service_missing("Neo4j launcher", str(exc).splitlines()[0])
    server = PrivateNeo4j(free_port(), tmp_path / "neo4j")
    try:
        yield server
    finally:
        if server.proc is not None:
            services.stop_process(server.proc)


async def synced_ids(driver: AsyncDriver) -> set[str]:
    return {node_id for node_id, origin in (await node_origins(driver)).items() if origin == "synced"}


@contextlib.asynccontextmanager
async def settled_watcher(driver: AsyncDriver, kube_config: KubeConfig) -> AsyncIterator[GraphWatcher]:
    # A lease far longer than the outage: the leader keeps leading, so what catches up is the writer retrying
    # the events queued during the outage, not a relist after a change of leadership.
    watcher = GraphWatcher(driver, kube_config, options=fast_options(lease_ttl=300))
    task = asyncio.create_task(watcher.run())
    try:

        async def synced() -> bool:
            return watcher.status.initial_sync_completed_at is not None

        # RunningWatcher.settle() allows 30 s; an initial sync against a cold JVM on a busy machine can take longer.
        await eventually(synced, attempts=1200, pause=0.1)
        await RunningWatcher(watcher, task).idle()
        yield watcher
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_a_real_neo4j_restart_mid_stream_loses_nothing(
    neo4j_server: PrivateNeo4j, fake_kube: FakeKubeApi, kube_config: KubeConfig
) -> None:
    fake_kube.load_fixture(FIXTURES / "shop")
    first_start = await neo4j_server.start()
    # Short driver retries, as in the proxy test: the watcher's own retry loop is what is under test.
    async with (
        create_driver(neo4j_server.uri, password=None, max_transaction_retry_time=0.5) as watched,
        create_driver(neo4j_server.uri, password=None) as checker,
    ):
        sync_started = time.monotonic()
        async with settled_watcher(watched, kube_config) as watcher:
            initial_sync = time.monotonic() - sync_started
            writer = watcher.writer
            before_synced = await synced_ids(checker)
            assert "Pod/data/db-0" in before_synced and "Pod/shop/during-outage" not in before_synced

            # The real outage: SIGTERM to the Neo4j process; the cluster changes while it is down.
            await neo4j_server.stop()
            fake_kube.apply(NEW_POD)
            fake_kube.delete("Pod", "data", "db-0")

            async def noticed() -> bool:
                return watcher.status.neo4j == "down"

            await eventually(noticed, attempts=300, pause=0.1)
            restart = await neo4j_server.start()  # same port, same store
            restarted_at = time.monotonic()

            async def caught_up() -> bool:
                origins = await node_origins(checker)
                return "Pod/shop/during-outage" in origins and "Pod/data/db-0" not in origins

            await eventually(caught_up, attempts=1200, pause=0.1)
            catch_up = time.monotonic() - restarted_at
            assert watcher.writer is writer is not None  # same leadership round: nothing was relisted
            await asyncio.wait_for(writer.wait_idle(), 60)

            # Every object of the fixture is still there (the store survived the restart), plus exactly the two
            # changes made during the outage.
            assert await synced_ids(checker) == (before_synced - {"Pod/data/db-0"}) | {"Pod/shop/during-outage"}
            selects = await rows(checker, "MATCH (:K8s {id: 'Service/shop/web'})-[:SELECTS]->(p) RETURN p.name AS n")
            assert "during-outage" in {r["n"] for r in selects}
            assert watcher.status.neo4j == "ok" and watcher.status.leader
            caught_up_graph = (await node_origins(checker), await edge_set(checker))
            print(
                f"\nNeo4j first start {first_start:.1f}s, initial sync {initial_sync:.1f}s, restart {restart:.1f}s, "
                f"watcher caught up {catch_up:.1f}s after the restart"
            )

        # ... and it is the graph a fresh initial sync of the same cluster builds: nothing lost, nothing extra.
        async with checker.session() as session:
            await (await session.run("MATCH (n) DETACH DELETE n")).consume()
        async with settled_watcher(checker, kube_config):
            assert (await node_origins(checker), await edge_set(checker)) == caught_up_graph
