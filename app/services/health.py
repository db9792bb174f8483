"""Health of the backend's dependencies: ``/health``, ``/ready``, ``GET /api/config`` and ``kure-monitor check``
(docs/api.md#config-health-and-metrics).

Each dependency's state (app/core/health.py) is kept current by whoever talks to it (the Kubernetes client reports
every call, the MongoDB bootstrap job its attempts); the probes here ask again, answered from a 5 s cache
(docs/graph.md#status-and-metrics) and bounded to 1 s each (docs/api.md#config-health-and-metrics).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from neo4j import AsyncDriver

from app.core.clock import Clock
from app.core.health import DependencyState
from app.kube.access import KubeAccess
from app.settings import KubernetesSettings, MongoSettings, Neo4jSettings
from graph.driver import ping as graph_ping
from graph.status import SyncStatus
from storage.mongo import MongoHandle

HEALTH_CHECK_TIMEOUT = 1.0
PROBE_CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class Dependencies:
    """The last known state of each dependency, kept current by whoever talks to it."""

    mongodb: DependencyState
    neo4j: DependencyState
    kubernetes: DependencyState


class HealthService:
    def __init__(
        self,
        mongodb: MongoSettings,
        neo4j: Neo4jSettings,
        kubernetes: KubernetesSettings,
        clock: Clock,
        dependencies: Dependencies,
        *,
        mongo: MongoHandle,
        graph_driver: AsyncDriver | None,
        graph_status: SyncStatus,
        kube: KubeAccess,
    ) -> None:
        self._mongodb, self._neo4j, self._kubernetes = mongodb, neo4j, kubernetes
        self._clock = clock
        self.dependencies = dependencies
        self._mongo = mongo
        self._graph_driver = graph_driver
        self.graph_status = graph_status
        self._kube = kube
        self._probe_cache: dict[str, tuple[float, str]] = {}

    async def report(self) -> dict[str, str]:
        """``checks`` of ``/health`` and ``/ready``."""
        return {
            "mongodb": await self.check_mongodb(),
            "neo4j": await self.check_neo4j(),
            "kubernetes": await self.check_kubernetes(),
        }

    async def check_mongodb(self) -> str:
        try:
            await asyncio.wait_for(self._mongo.ping(), HEALTH_CHECK_TIMEOUT)
            self.dependencies.mongodb.set(True)
        except Exception:
            self.dependencies.mongodb.set(False)
        return self.dependencies.mongodb.state

    async def _cached_probe(self, name: str, probe: Callable[[], Awaitable[str]]) -> str:
        now = self._clock.monotonic()
        cached = self._probe_cache.get(name)
        if cached is not None and now - cached[0] < PROBE_CACHE_SECONDS:
            return cached[1]
        try:
            result = await asyncio.wait_for(probe(), HEALTH_CHECK_TIMEOUT)
        except Exception:
            result = "down"
        self._probe_cache[name] = (now, result)
        return result

    async def check_neo4j(self) -> str:
        state = await self._cached_probe("neo4j", lambda: graph_ping(self._graph_driver, HEALTH_CHECK_TIMEOUT))
        if state != "disabled":
            self.dependencies.neo4j.set(state == "ok")
        return state

    async def check_kubernetes(self) -> str:
        async def probe() -> str:
            if not self._kubernetes.enabled or await self._kube.api() is None:
                return "disabled"  # KURE_KUBERNETES=off, or no kubeconfig and not in a cluster
            return "ok" if await self._kube.probe() else "down"

        return await self._cached_probe("kubernetes", probe)

    async def cluster_mode(self) -> str:
        """``real``, ``simulated`` (the demo's cluster) or ``off`` (switched off, or no configuration found)."""
        if not self._kubernetes.enabled or await self._kube.api() is None:
            return "off"
        return "simulated" if self._kubernetes.simulated else "real"

    async def check_all(self) -> dict[str, tuple[str, str]]:
        """Connect to every configured dependency (the ``check`` command): name → (state, detail)."""
        results: dict[str, tuple[str, str]] = {}
        try:
            await asyncio.wait_for(self._mongo.ping(), self._mongodb.timeout_ms / 1000 + 1)
            results["mongodb"] = ("ok", await self._mongo.server_version())
        except Exception as exc:
            results["mongodb"] = ("down", type(exc).__name__)
        results["neo4j"] = (await self.check_neo4j(), self._neo4j.uri or "NEO4J_URI not set")
        kube_note = "" if self._kubernetes.enabled else "KURE_KUBERNETES=off"
        results["kubernetes"] = (await self.check_kubernetes(), kube_note)
        return results
