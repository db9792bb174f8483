"""The backend's background jobs: each one named, started with the server and stopped with it.

- ``mongo-bootstrap``: create the indexes once MongoDB answers (retried with backoff; startup never waits for it);
- ``session-purge``: every 60 s, expired sessions and old login attempts (real MongoDB's TTL indexes do it too);
- ``retention``: every ``KURE_RETENTION_INTERVAL_SECONDS``, closed pod-failure records past their retention;
- ``security-scan-sweep``: the full-scan clearing window's timeout (docs/api.md#the-full-scan-clearing-window),
  checked at least every 30 s;
- ``kube-probe``: once at startup, so ``/health`` knows the cluster's state from the start;
- ``mirror-reaper``: every 15 s, expired, vanished and orphaned mirror pods
  (docs/api.md#watching-and-removing-mirrors);
- ``graph-watcher``: with Neo4j configured, mirror the cluster into the graph while this replica holds the lease;
- ``live-writer`` and ``live-tail``: this replica's writes to the live feed's event log in MongoDB, and its tail of
  that log, which fans every message out to this replica's WebSocket clients (app/ws/feed.py);
- ``live-log-prune``: every ``KURE_LIVE_PRUNE_SECONDS``, the event log's retention by age and count;
- ``slot-refresh``: every 20 s, this replica's WebSocket and log-stream slots stay counted.

Several replicas (docs/replicas.md#leases): the mirror reaper and the scan-window sweep run on one replica at a time,
under a lease in MongoDB; the graph watcher under its lease in Neo4j; the others are idempotent and run everywhere.

A periodic job that fails is logged and runs again at its next tick (app/core/tasks.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from app.core.backoff import Backoff
from app.kube import load_kube_config
from app.services.mirror import REAP_SECONDS as MIRROR_REAP_SECONDS
from app.services.replicas import SLOT_REFRESH_SECONDS, outage_tolerant
from app.services.security import MAX_SWEEP_CHECK_SECONDS
from app.settings import GraphSyncSettings, KubernetesSettings, LiveLogSettings, TimerSettings
from app.wiring.container import Services
from graph.sync import GraphSyncOptions, GraphWatcher
from storage.server import detect as detect_server

log = logging.getLogger("kure.jobs")

SESSION_PURGE_SECONDS = 60.0
#: MongoDB at startup: the first retry after 0.5 s, doubling to at most 30 s.
MONGO_RETRY_INITIAL, MONGO_RETRY_MAX = 0.5, 30.0


@dataclass(frozen=True)
class Job:
    """A named job. ``every`` = None runs it once (a job that loops on its own runs until stopped)."""

    name: str
    run: Callable[[], Coroutine[Any, Any, Any]]
    every: float | None = None
    initial_delay: float = 0.0


class BackgroundJobs:
    def __init__(
        self, services: Services, *, timers: TimerSettings, live: LiveLogSettings, kubernetes: KubernetesSettings,
        graph_database: str, graph_sync: GraphSyncSettings,
    ) -> None:
        self._services = services
        self._kubernetes = kubernetes
        self._graph_database = graph_database
        self._graph_sync = graph_sync
        #: Set once the indexes exist (tests and benchmarks wait for it before their first write).
        self.indexes_ready = asyncio.Event()
        self.graph_watcher: GraphWatcher | None = None
        retention = timers.retention_interval_seconds
        sweep = min(MAX_SWEEP_CHECK_SECONDS, float(timers.scan_sweep_seconds))
        leased = services.leases.leased
        jobs = [
            Job("mongo-bootstrap", self.bootstrap_mongo),
            Job("session-purge", self.purge_sessions, every=SESSION_PURGE_SECONDS, initial_delay=SESSION_PURGE_SECONDS),
            Job("retention", self.apply_retention, every=retention, initial_delay=retention),
            Job("live-writer", services.feed.run_writer),
            Job("live-tail", services.feed.run_tail),
            Job("live-log-prune", outage_tolerant("live-log-prune", services.feed.prune),
                every=live.prune_seconds),
            Job("slot-refresh", outage_tolerant("slot-refresh", services.caps.refresh), every=SLOT_REFRESH_SECONDS,
                initial_delay=SLOT_REFRESH_SECONDS),
            Job("security-scan-sweep", leased("security-scan-sweep", 3 * sweep, services.security.sweep_expired),
                every=sweep, initial_delay=sweep),
            Job("kube-probe", services.kube.probe),
            Job("mirror-reaper", leased("mirror-reaper", 3 * MIRROR_REAP_SECONDS, services.mirrors.reap),
                every=MIRROR_REAP_SECONDS, initial_delay=MIRROR_REAP_SECONDS),
        ]
        if services.graph_driver is not None:
            jobs.append(Job("graph-watcher", self.run_graph_watcher))
        self.jobs: tuple[Job, ...] = tuple(jobs)

    def start(self) -> None:
        tasks = self._services.tasks
        for job in self.jobs:
            if job.every is None:
                tasks.spawn(job.run(), job.name, loop=True)
            else:
                tasks.every(job.every, job.run, job.name, initial_delay=job.initial_delay)

    async def stop(self) -> None:
        await self._services.tasks.close()
        await self._services.leases.release_all()
        if self.graph_watcher is not None:
            await self.graph_watcher.release()  # let another replica take the lease at once

    # --- the jobs ------------------------------------------------------------------------------------------

    async def bootstrap_mongo(self) -> None:
        """Create indexes once MongoDB answers; retry with backoff while it is down (never blocks startup)."""
        services = self._services
        backoff = Backoff(MONGO_RETRY_INITIAL, MONGO_RETRY_MAX, jitter=0.0)
        while True:
            try:
                await services.mongo.ping()
                # FerretDB does not isolate concurrent updates of one document: the counters also claim each number
                # there (storage/counters.py, storage/server.py); MongoDB needs no claim.
                traits = await detect_server(services.mongo.client, services.mongo.embedded)
                services.repositories.counters.isolated_updates = traits.isolated_updates
                for repository in services.repositories.indexed():
                    await repository.ensure_indexes()
                services.dependencies.mongodb.set(True)
                self.indexes_ready.set()
                log.info("MongoDB ready (%s)", await services.mongo.server_version())
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                services.dependencies.mongodb.set(False)
                delay = backoff.next_delay()
                log.warning("MongoDB not ready (%s: %s); retrying in %.1fs", type(exc).__name__,
                            str(exc)[:200], delay)
                await asyncio.sleep(delay)

    async def purge_sessions(self) -> None:
        # Also done by TTL indexes on real MongoDB; FerretDB has none (storage/indexes.py).
        repositories, now = self._services.repositories, self._services.clock.now()
        await repositories.sessions.purge_expired(now)
        await repositories.login_attempts.purge_before(now - timedelta(hours=1))

    async def apply_retention(self) -> int:
        """One retention pass (docs/api.md#retention) with the current settings; a failing pass is retried at the
        next tick."""
        values = await self._services.app_settings.values()
        return await self._services.pods.apply_retention(
            values["history_retention_minutes"], values["ignored_retention_minutes"]
        )

    async def run_graph_watcher(self) -> None:
        """Mirror the cluster into Neo4j (docs/graph.md#how-the-graph-is-kept-in-step). ``run`` retries Neo4j and
        Kubernetes outages itself."""
        services = self._services
        assert services.graph_driver is not None
        kubernetes = self._kubernetes
        kube = await load_kube_config(kubernetes.kubeconfig, mode=kubernetes.mode) if kubernetes.enabled else None
        self.graph_watcher = GraphWatcher(
            services.graph_driver, kube, database=self._graph_database,
            options=GraphSyncOptions.from_settings(self._graph_sync), status=services.graph_status,
        )
        await self.graph_watcher.run()
