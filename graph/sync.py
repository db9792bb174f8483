"""The graph watcher (docs/graph.md#how-the-graph-is-kept-in-step): lease → writer + one reflector per kind + status
refresher.

``GraphWatcher.run()`` never raises into the app: every component is supervised and restarted with backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import socket
import uuid
from dataclasses import dataclass
from typing import Any

from kubernetes_asyncio import client
from neo4j import AsyncDriver

from app.core.backoff import Backoff
from app.kube import KubeConfig, Reflector, ReflectorOptions, create_api_client, reload_credentials, resource
from app.kube.bodies import as_object

from .metrics import GRAPH_EVENTS, GRAPH_LEADER, GRAPH_RESYNCS
from .schema import LEASE_NAME, SYNC_ORDER, ensure_schema
from .status import SyncStatus
from .transforms import object_id, transform
from .writer import GraphWriter, LeaseLost, WorkItem

log = logging.getLogger("kure.graph.sync")

MAX_CONCURRENT_LISTS = 4

LEASE_QUERY = (
    "MERGE (l:KureLease {name: $name}) "
    "WITH l WHERE l.holder IS NULL OR l.holder = $me OR l.expires_at < timestamp() "
    "SET l.holder = $me, l.expires_at = timestamp() + $ttl_ms "
    "RETURN l.holder = $me AS leader"
)


@dataclass
class GraphSyncOptions:
    """docs/graph.md#configuration knobs (build with :meth:`from_settings`; tests shorten the timers)."""

    page_size: int = 500
    batch_rows: int = 1000
    batch_bytes: int = 4 * 1024 * 1024
    queue_size: int = 10000
    watch_timeout: int = 300
    backoff_initial: float = 1.0
    backoff_max: float = 60.0
    forbidden_retry: float = 300.0
    resync_hours: float = 12.0
    lease_ttl: int = 30
    status_interval: float = 30.0
    watcher_enabled: bool = True
    kinds: tuple[str, ...] = SYNC_ORDER

    @classmethod
    def from_settings(cls, group: Any) -> GraphSyncOptions:
        """From the backend's ``settings.graph_sync`` group (app/settings.py), whose fields carry these names."""
        return cls(**{f.name: getattr(group, f.name) for f in dataclasses.fields(group)})


class WriterSink:
    """ReflectorSink that transforms raw objects and queues them for the writer: the graph's boundary, where a
    watched object's JSON becomes a typed KubeObject (app/kube/bodies.py)."""

    def __init__(self, writer: GraphWriter, status: SyncStatus, forbidden_retry: float = 300.0) -> None:
        self.writer = writer
        self.status = status
        self.forbidden_retry = forbidden_retry

    async def relist_begin(self, kind: str, reason: str) -> None:
        GRAPH_RESYNCS.labels(kind=kind, reason=reason).inc()
        self.status.kind(kind).lists += 1
        await self.writer.put(WorkItem("relist_begin", kind))

    async def item(self, kind: str, event_type: str, obj: dict[str, Any]) -> None:
        if event_type == "DELETED":
            try:
                oid = object_id(kind, as_object(obj))
            except (KeyError, TypeError):
                return
            await self.writer.put(WorkItem.delete(kind, oid))
            return
        try:
            transformed = transform(kind, as_object(obj))
        except (ValueError, KeyError, TypeError) as exc:
            # Never log the object body (it may hold ConfigMap data or env values).
            self.status.record_error(kind, f"transform failed: {type(exc).__name__}", "list")
            return
        await self.writer.put(WorkItem.upsert(kind, transformed, event_type))

    async def relist_end(self, kind: str, resource_version: str, count: int) -> None:
        await self.writer.put(WorkItem("sweep", kind, resource_version=resource_version, count=count))

    async def bookmark(self, kind: str, resource_version: str) -> None:
        GRAPH_EVENTS.labels(kind=kind, type="BOOKMARK").inc()

    def state(self, kind: str, state: str, error: str | None) -> None:
        previous = self.status.kind(kind).state
        if state in ("forbidden", "unavailable") and previous != state:
            log.warning(
                "graph sync: %s list %s (%s); keeping %d existing nodes; retrying in %s s",
                kind,
                state,
                "403" if state == "forbidden" else "404",
                self.status.kind(kind).objects,
                "?",
            )
        self.status.set_kind_state(kind, state, error)


class GraphWatcher:
    """Owns leadership and, while leader, the writer, the reflectors and the status refresher."""

    def __init__(
        self,
        driver: AsyncDriver,
        kube: KubeConfig | None,
        *,
        database: str | None = None,
        options: GraphSyncOptions | None = None,
        status: SyncStatus | None = None,
        holder: str | None = None,
    ) -> None:
        self.driver = driver
        self.kube = kube
        self.database = database
        self.options = options or GraphSyncOptions()
        self.status = status or SyncStatus()
        self.holder = holder or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.writer: GraphWriter | None = None
        self.reflectors: dict[str, Reflector] = {}
        self._api: client.ApiClient | None = None
        self._credentials_lock = asyncio.Lock()
        self._credentials_reloaded_at = float("-inf")

    # -------------------------------------------------------------- leadership

    async def try_acquire(self) -> bool:
        async with self.driver.session(database=self.database) as session:
            result = await session.run(
                LEASE_QUERY, name=LEASE_NAME, me=self.holder, ttl_ms=int(self.options.lease_ttl * 1000)
            )
            record = await result.single()
        return bool(record and record["leader"])

    async def release(self) -> None:
        with contextlib.suppress(Exception):
            async with self.driver.session(database=self.database) as session:
                result = await session.run(
                    "MATCH (l:KureLease {name: $name, holder: $me}) SET l.expires_at = 0",
                    name=LEASE_NAME,
                    me=self.holder,
                )
                await result.consume()

    # -------------------------------------------------------------- run

    async def run(self) -> None:
        if not self.options.watcher_enabled:
            self.status.state = "standby"
            return
        backoff = Backoff(1.0, self.options.backoff_max, jitter=0.0)
        while True:
            try:
                await ensure_schema(self.driver, self.database)
                break
            except Exception as exc:
                self.status.neo4j = "down"
                delay = backoff.next_delay()
                log.warning("graph: Neo4j not ready (%s); retrying in %.0f s", type(exc).__name__, delay)
                await asyncio.sleep(delay)
        self.status.neo4j = "ok"
        renew_every = max(0.2, min(10.0, self.options.lease_ttl / 3))
        while True:
            try:
                leader = await self.try_acquire()
                self.status.neo4j = "ok"
            except Exception as exc:
                log.warning("graph: lease check failed: %s", type(exc).__name__)
                self.status.neo4j = "down"
                leader = False
            if not leader:
                self.status.leader = False
                self.status.state = "standby"
                GRAPH_LEADER.set(0)
                await asyncio.sleep(renew_every)
                continue
            try:
                await self._lead(renew_every)
            except LeaseLost:
                log.warning("graph: lost the watcher lease; standing by")
            except Exception:
                # A bug in a component must not end the watcher for good: step down, wait, start over
                # (the next leadership begins with a full list, which repairs anything).
                log.exception("graph: watcher component failed; restarting in %.0f s", self.options.backoff_max)
                await asyncio.sleep(min(self.options.backoff_max, 10.0))
            finally:
                self.status.leader = False
                self.status.state = "standby"
                GRAPH_LEADER.set(0)

    async def _lead(self, renew_every: float) -> None:
        self.status.leader = True
        self.status.kinds.clear()
        self.status.initial_sync_completed_at = None
        GRAPH_LEADER.set(1)
        writer = GraphWriter(
            self.driver,
            database=self.database,
            status=self.status,
            batch_rows=self.options.batch_rows,
            batch_bytes=self.options.batch_bytes,
            queue_size=self.options.queue_size,
            holder=self.holder,
            # Same backoff as the reflectors: after a Neo4j restart the first retry comes within backoff_max.
            retry_initial=self.options.backoff_initial,
            retry_max=self.options.backoff_max,
        )
        self.writer = writer
        await writer.load_generations()
        tasks: list[asyncio.Task[Any]] = [asyncio.create_task(writer.run(), name="graph-writer")]
        if self.kube is None:
            self.status.kubernetes_ok = False
        else:
            self.status.kubernetes_ok = True
            self._api = create_api_client(self.kube)
            sink = WriterSink(writer, self.status, self.options.forbidden_retry)
            gate = asyncio.Semaphore(MAX_CONCURRENT_LISTS)
            for kind in self.options.kinds:
                self.status.kind(kind)
                reflector = Reflector(
                    self._api,
                    resource(kind),
                    sink,
                    ReflectorOptions(
                        page_size=self.options.page_size,
                        watch_timeout=self.options.watch_timeout,
                        backoff_initial=self.options.backoff_initial,
                        backoff_max=self.options.backoff_max,
                        forbidden_retry=self.options.forbidden_retry,
                        resync_seconds=self.options.resync_hours * 3600,
                        metadata_only=kind == "ConfigMap",
                    ),
                    list_gate=gate,
                    on_unauthorized=self.reload_credentials,
                )
                self.reflectors[kind] = reflector
                tasks.append(asyncio.create_task(self._supervise(reflector), name=f"graph-reflector-{kind}"))
        tasks.append(asyncio.create_task(self._refresh_status_forever(), name="graph-status"))
        renew = asyncio.create_task(self._renew_forever(renew_every), name="graph-lease")
        tasks.append(renew)
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                exc = task.exception()
                if exc is not None:
                    raise exc
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if self._api is not None:
                await self._api.close()
                self._api = None
            self.reflectors.clear()

    async def reload_credentials(self) -> None:
        """A reflector got 401: re-read the token (docs/graph.md#credentials-and-safety-nets). Every reflector hits the
        same 401 at about
        the same time, so one reload serves all of them for a second."""
        if self.kube is None:
            return
        async with self._credentials_lock:
            now = asyncio.get_running_loop().time()
            if now - self._credentials_reloaded_at < 1.0:
                return
            await reload_credentials(self.kube)
            self._credentials_reloaded_at = asyncio.get_running_loop().time()

    async def _supervise(self, reflector: Reflector) -> None:
        backoff = Backoff(1.0, self.options.backoff_max, jitter=0.0)
        while True:
            try:
                await reflector.run()
            except asyncio.CancelledError:
                raise
            except Exception:
                delay = backoff.next_delay()
                log.exception("graph sync: reflector %s crashed; restarting in %.0f s", reflector.kind, delay)
                self.status.record_error(reflector.kind, "reflector crashed", "watch")
                await asyncio.sleep(delay)

    async def _renew_forever(self, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                leader = await self.try_acquire()
            except Exception as exc:
                # Also how an outage shows in /health while no write is pending (a quiet cluster).
                log.warning("graph: lease renewal failed: %s", type(exc).__name__)
                self.status.neo4j = "down"
                continue
            if self.status.neo4j == "down" and (self.writer is None or self.writer.queue.empty()):
                self.status.neo4j = "ok"  # while writes are pending, the writer's retries tell how Neo4j is
            if not leader:
                raise LeaseLost

    async def _refresh_status_forever(self) -> None:
        while True:
            await self.refresh_counts()
            await asyncio.sleep(self.options.status_interval)

    async def refresh_counts(self) -> None:
        try:
            async with self.driver.session(database=self.database) as session:
                result = await session.run(
                    "MATCH (n:K8s) WHERE n.origin = 'synced' RETURN n.kind AS kind, count(*) AS c"
                )
                counts = {str(r["kind"]): int(r["c"]) for r in await result.data()}
        except Exception as exc:
            log.debug("graph status refresh failed: %s", exc)
            return
        self.status.set_objects(counts)
