"""The application's wiring: settings, clients, repositories, services, hub and background tasks.

One :class:`AppState` per app, stored in ``app.extensions["kure"]``. Blueprints reach services through
:func:`get_state`; they never see a driver.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from quart import current_app

from app.ai.llm import LlmClient
from app.ai.solutions import SolutionScheduler, SolutionService
from app.core.clock import Clock
from app.core.crypto import SecretBox
from app.core.logformat import register_secret
from app.core.metrics import DEPENDENCY_UP
from app.core.secrets import Secrets, load_secrets
from app.core.tasks import TaskGroup
from app.kube import load_kube_config
from app.kube.access import KubeAccess
from app.services.ai import AiService
from app.services.app_settings import AppSettingsService
from app.services.auth import AuthService
from app.services.diagram import DiagramService
from app.services.exclusions import ExclusionService
from app.services.insight import InsightService
from app.services.logs import LogService
from app.services.mirror import REAP_SECONDS as MIRROR_REAP_SECONDS
from app.services.mirror import MirrorService
from app.services.notifications import NotificationService
from app.services.pods import PodService
from app.services.replicas import Leases, PrincipalCaps, outage_tolerant, replica_name
from app.services.security import SecurityService
from app.settings import Settings
from app.ws.feed import LiveFeed
from app.ws.hub import Hub
from graph.driver import driver_from_settings
from graph.driver import ping as graph_ping
from graph.status import SyncStatus
from graph.sync import GraphSyncOptions, GraphWatcher
from storage.app_settings import SettingsRepository
from storage.counters import Counters
from storage.events import EventLog
from storage.exclusions import ExclusionRepository
from storage.findings import FindingRepository
from storage.leases import LeaseRepository
from storage.llm_config import LlmConfigRepository
from storage.login_attempts import LoginAttemptRepository
from storage.mirrors import MirrorRepository
from storage.mongo import MongoHandle, connect
from storage.notifications import NotificationRepository
from storage.pods import PodFailureRepository
from storage.server import detect as detect_server
from storage.sessions import SessionRepository
from storage.slots import SlotRepository
from storage.trusted_registries import TrustedRegistryRepository
from storage.users import UserRepository

log = logging.getLogger("kure.state")

COOKIE_NAME = "kure_session"
HEALTH_CHECK_TIMEOUT = 1.0
PROBE_CACHE_SECONDS = 5.0


class DependencyState:
    """Last known state of one dependency: ``ok``, ``down`` or ``disabled``."""

    def __init__(self, name: str, enabled: bool) -> None:
        self.name = name
        self.state = "down" if enabled else "disabled"

    def set(self, up: bool) -> None:
        if self.state == "disabled":
            return
        new = "ok" if up else "down"
        if new != self.state:
            log.log(logging.INFO if up else logging.WARNING, "%s is %s", self.name, "up" if up else "DOWN")
        self.state = new
        DEPENDENCY_UP.labels(self.name).set(1 if up else 0)


class AppState:
    def __init__(self, settings: Settings, *, clock: Clock | None = None, mongo: MongoHandle | None = None) -> None:
        self.settings = settings
        self.clock = clock or Clock()
        self.secrets: Secrets = load_secrets(settings)
        for secret in (self.secrets.service_token, self.secrets.session_secret, self.secrets.encryption_key):
            register_secret(secret)
        self.box = SecretBox(self.secrets.encryption_key)
        self.cookie_name = COOKIE_NAME
        # A handle passed in (tests, the CLI) belongs to the caller, who closes it.
        self._owns_mongo = mongo is None
        self.mongo = mongo or connect(settings.mongodb_uri, settings.mongodb_database, settings.mongodb_timeout_ms)
        self.tasks = TaskGroup()
        self.hub = Hub(max_per_principal=settings.kure_websockets_per_principal)
        db = self.mongo.db

        # --- several replicas: one event log for the live feed, shared caps, leases (app/services/replicas.py) ---
        self.replica = replica_name()
        self.event_log = EventLog(db, max_events=settings.kure_live_log_max_events,
                                  max_age=timedelta(seconds=settings.kure_live_log_max_age_seconds))
        self.feed = LiveFeed(self.event_log, self.hub, self.clock, poll_seconds=settings.kure_live_poll_seconds,
                             window=settings.kure_live_log_max_events)
        self.slots = SlotRepository(db)
        self.caps = PrincipalCaps(self.slots, self.clock, self.tasks, self.replica)
        self.lease_repository = LeaseRepository(db)
        self.leases = Leases(self.lease_repository, self.clock, self.replica)
        # --- end several replicas ---

        self.counters = Counters(db)
        self.users = UserRepository(db, self.counters)
        self.sessions = SessionRepository(db)
        self.login_attempts = LoginAttemptRepository(db)
        self.auth = AuthService(self.users, self.sessions, self.login_attempts, self.clock, settings.session_seconds)

        # --- area wiring (each area adds its repositories/services here; repositories() finds them) ---
        self.settings_repository = SettingsRepository(db)
        self.app_settings = AppSettingsService(self.settings_repository)
        self.exclusion_repository = ExclusionRepository(db, self.counters)
        self.exclusions = ExclusionService(self.exclusion_repository, self.feed, self.clock)
        self.feed.listeners.append(self.exclusions.on_live_message)
        self.notification_repository = NotificationRepository(db)
        self.notifier = NotificationService(self.notification_repository, self.box, self.clock, self.tasks)
        self.pods = PodFailureRepository(db, self.counters)
        self.pod_service = PodService(
            self.pods, self.exclusions, self.feed, self.notifier, self.clock,
            secrets=(self.secrets.service_token, self.secrets.session_secret, self.secrets.encryption_key),
        )
        self.exclusions.purge_open_pods = self.pod_service.purge_open
        self.llm_config_repository = LlmConfigRepository(db)
        self.llm = LlmClient()
        backend_secrets = (self.secrets.service_token, self.secrets.session_secret, self.secrets.encryption_key)
        self.ai = AiService(self.llm_config_repository, self.box, self.clock, self.tasks, self.llm,
                            SolutionService(self.llm, secrets=backend_secrets))
        self.ai.scheduler = SolutionScheduler(self.ai.solutions, self.pod_service.store_ai_solution)
        self.pod_service.ai = self.ai
        # security findings + trusted registries
        self.findings = FindingRepository(db, self.counters)
        self.trusted_registries = TrustedRegistryRepository(db, self.counters)
        self.security = SecurityService(
            self.findings, self.trusted_registries, self.feed, self.clock,
            sweep_seconds=settings.kure_scan_sweep_seconds,
            exclusions=self.exclusions, notifier=self.notifier, llm_config=self.ai, llm=self.llm,
            secrets=(self.secrets.service_token, self.secrets.session_secret, self.secrets.encryption_key),
        )
        self.exclusions.purge_findings = self.security.delete_active_in_namespace
        # logs + mirror pods; state.kube is the one shared Kubernetes client (app/kube/access.py)
        self.kube = KubeAccess(settings.kubeconfig, settings.kure_kubernetes,
                               on_status=lambda up: self.kubernetes.set(up))
        self.logs = LogService(self.kube, max_streams_per_principal=settings.kure_log_streams_per_principal,
                               caps=self.caps)
        self.mirrors = MirrorRepository(db)
        self.mirror_service = MirrorService(
            self.mirrors, self.kube, self.feed, self.clock,
            pods=lambda pod_id: self.pods.get(pod_id),
            ttl_default=lambda: self.app_settings.get("mirror_ttl_seconds"),
            llm_config=lambda: self.ai.config(), llm=self.llm, secrets=backend_secrets,
            trusted_registries=self._trusted_registry_names,
            blast_radius=lambda namespace, pod, labels: self.insight.mirror_blast_radius(namespace, pod, labels),
        )

        # cluster graph: one driver per process; the watcher runs while this replica holds the lease
        self.graph_driver = driver_from_settings(settings)
        self.graph_status = SyncStatus(enabled=self.graph_driver is not None)
        self.diagram = DiagramService(
            lambda: self.graph_driver, self.kube, database=settings.neo4j_database,
            query_timeout=settings.kure_graph_query_timeout,
        )
        self.insight = InsightService(
            lambda: self.graph_driver, database=settings.neo4j_database,
            query_timeout=settings.kure_graph_query_timeout, summary_timeout=settings.kure_graph_summary_timeout,
        )
        self.pod_service.insight = self.insight
        self.ai.impact = self.insight.impact_summary
        self.graph_watcher: GraphWatcher | None = None

        self.mongodb = DependencyState("mongodb", True)
        self.neo4j = DependencyState("neo4j", settings.neo4j_uri is not None)
        self.kubernetes = DependencyState("kubernetes", settings.kubernetes_enabled)
        self.indexes_ready = asyncio.Event()
        self._probe_cache: dict[str, tuple[float, str]] = {}

    async def _trusted_registry_names(self) -> list[str]:
        return [str(doc["registry"]) for doc in await self.trusted_registries.all()]

    # --- lifecycle -----------------------------------------------------------------------------------------

    def repositories(self) -> list[Any]:
        """Every repository wired above (anything with ``ensure_indexes``), so adding one needs no list edit."""
        found: list[Any] = []
        for value in vars(self).values():
            if callable(getattr(value, "ensure_indexes", None)) and all(value is not f for f in found):
                found.append(value)
        return found

    async def ensure_indexes(self) -> None:
        for repository in self.repositories():
            await repository.ensure_indexes()

    async def _bootstrap_mongo(self) -> None:
        """Create indexes once MongoDB answers; retry with backoff while it is down (never blocks startup)."""
        delay = 0.5
        while True:
            try:
                await self.mongo.ping()
                self.counters.isolated_updates = (await detect_server(self.mongo.client,
                                                                      self.mongo.embedded)).isolated_updates
                await self.ensure_indexes()
                self.mongodb.set(True)
                self.indexes_ready.set()
                log.info("MongoDB ready (%s)", await self.mongo.server_version())
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.mongodb.set(False)
                log.warning("MongoDB not ready (%s: %s); retrying in %.1fs", type(exc).__name__,
                            str(exc)[:200], delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)

    async def start(self) -> None:
        self.tasks.spawn(self._bootstrap_mongo(), "mongo-bootstrap", loop=True)
        # Idempotent when several replicas run them at once (docs/replicas.md#several-replicas): every replica does.
        self.tasks.every(60, self._purge_sessions, "session-purge", initial_delay=60)
        interval = self.settings.kure_retention_interval_seconds
        self.tasks.every(interval, self.apply_retention, "retention", initial_delay=interval)
        self.tasks.every(self.settings.kure_live_prune_seconds, outage_tolerant("live-log-prune", self.feed.prune),
                         "live-log-prune")
        # The live feed: this replica's writer and its tail of the event log; its connection slots stay fresh.
        self.tasks.spawn(self.feed.run_writer(), "live-writer", loop=True)
        self.tasks.spawn(self.feed.run_tail(), "live-tail", loop=True)
        self.tasks.every(20, outage_tolerant("slot-refresh", self.caps.refresh), "slot-refresh", initial_delay=20)
        # One replica at a time, under a lease in MongoDB (they broadcast what they change).
        self.security.start(self.tasks, self.leases.leased("security-scan-sweep", 3 * self.security.sweep_interval,
                                                           self.security.sweep_expired))
        self.tasks.spawn(self.kube.probe(), "kube-probe")  # /health knows the cluster state from the start
        self.tasks.every(MIRROR_REAP_SECONDS,
                         self.leases.leased("mirror-reaper", 3 * MIRROR_REAP_SECONDS, self.mirror_service.reap),
                         "mirror-reaper", initial_delay=MIRROR_REAP_SECONDS)
        if self.graph_driver is not None:
            self.tasks.spawn(self._run_graph_watcher(), "graph-watcher", loop=True)

    async def _run_graph_watcher(self) -> None:
        """Mirror the cluster into Neo4j (docs/graph.md#how-the-graph-is-kept-in-step). ``run`` retries Neo4j and
        Kubernetes outages itself."""
        assert self.graph_driver is not None
        kube = (await load_kube_config(self.settings.kubeconfig, mode=self.settings.kure_kubernetes)
                if self.settings.kubernetes_enabled else None)
        self.graph_watcher = GraphWatcher(
            self.graph_driver, kube, database=self.settings.neo4j_database,
            options=GraphSyncOptions.from_settings(self.settings), status=self.graph_status,
        )
        await self.graph_watcher.run()

    async def _purge_sessions(self) -> None:
        # Also done by TTL indexes on real MongoDB; FerretDB has none (storage/indexes.py).
        now = self.clock.now()
        await self.sessions.purge_expired(now)
        await self.login_attempts.purge_before(now - timedelta(hours=1))

    async def apply_retention(self) -> int:
        """One retention pass (docs/api.md#retention) with the current settings; a failing pass is retried at the next
        tick."""
        values = await self.app_settings.values()
        return await self.pod_service.apply_retention(
            values["history_retention_minutes"], values["ignored_retention_minutes"]
        )

    async def stop(self) -> None:
        self.hub.close_all(1001, "Server shutting down")
        await self.tasks.close()
        await self.leases.release_all()
        await self.notifier.aclose()
        if self.ai.scheduler is not None:
            await self.ai.scheduler.aclose()
        await self.llm.aclose()
        await self.kube.close()
        if self.graph_watcher is not None:
            await self.graph_watcher.release()  # let another replica take the lease at once
        if self.graph_driver is not None:
            await self.graph_driver.close()
        if self._owns_mongo:
            self.mongo.close()

    # --- health --------------------------------------------------------------------------------------------

    async def check_mongodb(self) -> str:
        try:
            await asyncio.wait_for(self.mongo.ping(), HEALTH_CHECK_TIMEOUT)
            self.mongodb.set(True)
        except Exception:
            self.mongodb.set(False)
        return self.mongodb.state

    async def check_all(self) -> dict[str, tuple[str, str]]:
        """Connect to every configured dependency (the ``check`` command): name → (state, detail)."""
        results: dict[str, tuple[str, str]] = {}
        try:
            await asyncio.wait_for(self.mongo.ping(), self.settings.mongodb_timeout_ms / 1000 + 1)
            results["mongodb"] = ("ok", await self.mongo.server_version())
        except Exception as exc:
            results["mongodb"] = ("down", type(exc).__name__)
        results["neo4j"] = (await self.check_neo4j(), self.settings.neo4j_uri or "NEO4J_URI not set")
        kube_note = "" if self.settings.kubernetes_enabled else "KURE_KUBERNETES=off"
        results["kubernetes"] = (await self.check_kubernetes(), kube_note)
        return results

    async def _cached_probe(self, name: str, probe: Callable[[], Awaitable[str]]) -> str:
        """A dependency probe answered from a 5 s cache (docs/graph.md#status-and-metrics), bounded to 1 s
        (docs/api.md#config-health-and-metrics)."""
        now = self.clock.monotonic()
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
        state = await self._cached_probe("neo4j", lambda: graph_ping(self.graph_driver, HEALTH_CHECK_TIMEOUT))
        if state != "disabled":
            self.neo4j.set(state == "ok")
        return state

    async def check_kubernetes(self) -> str:
        async def probe() -> str:
            if not self.settings.kubernetes_enabled or await self.kube.api() is None:
                return "disabled"  # KURE_KUBERNETES=off, or no kubeconfig and not in a cluster
            return "ok" if await self.kube.probe() else "down"

        return await self._cached_probe("kubernetes", probe)

    async def cluster_mode(self) -> str:
        """``real``, ``simulated`` (the demo's cluster) or ``off`` (switched off, or no configuration found)."""
        if not self.settings.kubernetes_enabled or await self.kube.api() is None:
            return "off"
        return "simulated" if self.settings.kure_simulated_cluster else "real"

    async def health(self) -> dict[str, str]:
        return {
            "mongodb": await self.check_mongodb(),
            "neo4j": await self.check_neo4j(),
            "kubernetes": await self.check_kubernetes(),
        }


def get_state() -> AppState:
    state: AppState = current_app.extensions["kure"]
    return state
