"""Neo4j outages mid-stream, poison objects, leadership and write fencing."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from neo4j import AsyncDriver

from app.kube import KubeConfig
from app.simulator.kubeapi import FakeKubeApi
from graph.driver import create_driver
from graph.status import SyncStatus
from graph.sync import GraphWatcher
from graph.transforms import transform
from graph.writer import GraphWriter, LeaseLost, WorkItem
from tests.graph.conftest import (
    FIXTURES,
    NEO4J_URI,
    RunningWatcher,
    eventually,
    fast_options,
    node_origins,
    rows,
)

pytestmark = pytest.mark.integration


class BoltProxy:
    """A loopback TCP proxy in front of Neo4j whose connections the test can cut (a Neo4j outage)."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.down = False
        self._writers: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.down:
            writer.close()
            return
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self._writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        self._writers -= {writer, up_writer}

    def cut(self) -> None:
        self.down = True
        for w in list(self._writers):
            w.close()

    def restore(self) -> None:
        self.down = False

    async def stop(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()


@pytest.fixture
async def proxy() -> AsyncIterator[BoltProxy]:
    host, port = NEO4J_URI.removeprefix("bolt://").split(":")
    p = BoltProxy(host, int(port))
    await p.start()
    yield p
    await p.stop()


@contextlib.asynccontextmanager
async def watching_through(
    proxy: BoltProxy, kube_config: KubeConfig, *, lease_ttl: float
) -> AsyncIterator[GraphWatcher]:
    """A watcher whose Neo4j connections go through ``proxy``, yielded once its initial sync has settled."""
    proxied = create_driver(f"bolt://127.0.0.1:{proxy.port}", password=None, max_transaction_retry_time=0.5)
    watcher = GraphWatcher(proxied, kube_config, options=fast_options(lease_ttl=lease_ttl))
    task = asyncio.create_task(watcher.run())
    try:
        await RunningWatcher(watcher, task).settle()
        yield watcher
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await proxied.close()


async def test_neo4j_outage_mid_stream_loses_nothing(
    fake_kube: FakeKubeApi, neo4j_driver: AsyncDriver, kube_config: KubeConfig, proxy: BoltProxy
) -> None:
    fake_kube.load_fixture(FIXTURES / "shop")
    async with watching_through(proxy, kube_config, lease_ttl=30) as watcher:
        proxy.cut()
        fake_kube.apply(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": "during-outage", "namespace": "shop", "labels": {"app.kubernetes.io/name": "web"}},
                "spec": {"containers": [{"name": "c", "image": "x"}]},
                "status": {"phase": "Running"},
            }
        )
        fake_kube.delete("Pod", "data", "db-0")

        async def noticed() -> bool:
            return watcher.status.neo4j == "down"

        await eventually(noticed)
        proxy.restore()

        async def caught_up() -> bool:
            origins = await node_origins(neo4j_driver)
            return "Pod/shop/during-outage" in origins and "Pod/data/db-0" not in origins

        await eventually(caught_up)
        selects = await rows(neo4j_driver, "MATCH (:K8s {id: 'Service/shop/web'})-[:SELECTS]->(p) RETURN p.name AS n")
        assert "during-outage" in {r["n"] for r in selects}
        assert watcher.status.neo4j == "ok"


async def test_an_outage_of_a_quiet_graph_shows_and_clears_in_the_status(
    fake_kube: FakeKubeApi, neo4j_driver: AsyncDriver, kube_config: KubeConfig, proxy: BoltProxy
) -> None:
    # neo4j_driver: a clean database, so no earlier test's watcher lease delays this one's leadership.
    fake_kube.load_fixture(FIXTURES / "shop")
    async with watching_through(proxy, kube_config, lease_ttl=1.5) as watcher:
        proxy.cut()  # nothing changes in the cluster, so no write notices

        async def down() -> bool:
            return watcher.status.neo4j == "down"

        await eventually(down)
        proxy.restore()

        async def ok() -> bool:
            return watcher.status.neo4j == "ok"

        await eventually(ok)


async def test_a_poison_object_is_isolated_and_the_rest_is_written(neo4j_driver: AsyncDriver) -> None:
    status = SyncStatus()
    writer = GraphWriter(neo4j_driver, status=status)
    good = [transform("Namespace", {"metadata": {"name": f"ns{i}", "resourceVersion": "1"}}) for i in range(5)]
    bad = transform("Namespace", {"metadata": {"name": "bad", "resourceVersion": "1"}})
    bad.props["phase"] = {"a": "map"}  # maps are not valid Neo4j property values
    items = [WorkItem.upsert("Namespace", t) for t in good[:2]] + [WorkItem.upsert("Namespace", bad)]
    items += [WorkItem.upsert("Namespace", t) for t in good[2:]]
    await writer.apply(items)
    origins = await node_origins(neo4j_driver)
    assert {f"Namespace/_/ns{i}" for i in range(5)} <= set(origins)
    assert "Namespace/_/bad" not in origins
    assert status.kind("Namespace").errors == 1
    assert status.kind("Namespace").last_error is not None


async def test_write_transactions_are_capped_by_rows_and_by_bytes(neo4j_driver: AsyncDriver) -> None:
    namespaces = [transform("Namespace", {"metadata": {"name": f"ns{i}", "resourceVersion": "1"}}) for i in range(10)]

    async def batches(**caps: Any) -> int:
        writer = GraphWriter(neo4j_driver, status=SyncStatus(), **caps)
        for t in namespaces:  # all queued before the writer starts, so it could take them in one transaction
            await writer.put(WorkItem.upsert("Namespace", t))
        task = asyncio.create_task(writer.run())
        try:
            await asyncio.wait_for(writer.wait_idle(), 30)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        assert {f"Namespace/_/ns{i}" for i in range(10)} <= set(await node_origins(neo4j_driver))
        return writer.applied_batches

    assert await batches() == 1
    assert await batches(batch_rows=4) == 3  # 4 + 4 + 2
    item_size = WorkItem.upsert("Namespace", namespaces[0]).size
    # A transaction stops growing once it holds batch_bytes: three items' worth here.
    assert await batches(batch_bytes=3 * item_size) == 4  # 3 + 3 + 3 + 1


async def test_only_one_replica_leads_and_writes_are_fenced(
    neo4j_driver: AsyncDriver, kube_config: KubeConfig, fake_kube: FakeKubeApi
) -> None:
    fake_kube.load_fixture(FIXTURES / "shop")
    first = GraphWatcher(neo4j_driver, kube_config, options=fast_options(lease_ttl=2), holder="replica-a")
    second = GraphWatcher(neo4j_driver, kube_config, options=fast_options(lease_ttl=2), holder="replica-b")
    t1 = asyncio.create_task(first.run())
    await RunningWatcher(first, t1).settle()
    t2 = asyncio.create_task(second.run())
    try:

        async def standby() -> bool:
            return second.status.as_dict()["state"] == "standby"

        await eventually(standby)
        assert second.status.as_dict()["kinds"] == {} and first.status.leader
        # a writer whose lease is held by someone else must not write
        fenced = GraphWriter(neo4j_driver, holder="replica-b")
        with pytest.raises(LeaseLost):
            await fenced.apply([WorkItem.upsert("Namespace", transform("Namespace", {"metadata": {"name": "x"}}))])
        assert "Namespace/_/x" not in await node_origins(neo4j_driver)
        # the leader goes away: the standby takes over and relists everything
        t1.cancel()
        await asyncio.gather(t1, return_exceptions=True)
        await first.release()

        async def took_over() -> bool:
            return second.status.leader and second.status.initial_sync_completed_at is not None

        await eventually(took_over)
    finally:
        for t in (t1, t2):
            t.cancel()
        await asyncio.gather(t1, t2, return_exceptions=True)


async def test_status_document_and_metrics(
    start_watcher: Callable[..., Awaitable[RunningWatcher]], fake_kube: FakeKubeApi
) -> None:
    from prometheus_client import REGISTRY

    fake_kube.load_fixture(FIXTURES / "shop")
    rw = await start_watcher()
    await rw.settle()
    await rw.watcher.refresh_counts()
    doc: dict[str, Any] = rw.watcher.status.as_dict()
    assert set(doc) == {"state", "leader", "neo4j", "initial_sync_completed_at", "queue_depth", "kinds"}
    assert doc["state"] == "ready" and doc["leader"] is True and doc["neo4j"] == "ok"
    assert doc["initial_sync_completed_at"].endswith("Z")
    pods = doc["kinds"]["Pod"]
    assert set(pods) == {
        "state",
        "objects",
        "last_event_at",
        "last_list_at",
        "resyncs",
        "errors",
        "last_error",
        "last_error_at",
    }
    assert pods["objects"] == 5 and pods["resyncs"] == 0 and pods["last_event_at"] is None
    assert REGISTRY.get_sample_value("kure_graph_objects", {"kind": "Pod"}) == 5
    assert REGISTRY.get_sample_value("kure_graph_leader") == 1
    before = REGISTRY.get_sample_value("kure_graph_events_total", {"kind": "Pod", "type": "DELETED"}) or 0
    fake_kube.delete("Pod", "default", "debug")

    async def counted() -> bool:
        now = REGISTRY.get_sample_value("kure_graph_events_total", {"kind": "Pod", "type": "DELETED"}) or 0
        return now == before + 1

    await eventually(counted)
    assert rw.watcher.status.as_dict()["kinds"]["Pod"]["last_event_at"] is not None


async def test_ping_reports_ok_down_and_disabled(neo4j_driver: AsyncDriver) -> None:
    from graph.driver import ping

    assert await ping(neo4j_driver) == "ok"
    assert await ping(None) == "disabled"
    dead = create_driver("bolt://127.0.0.1:1")
    try:
        assert await ping(dead, timeout_seconds=2) == "down"
    finally:
        await dead.close()
