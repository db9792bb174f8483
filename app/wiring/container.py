"""The composition root: every repository, adapter and service of the backend, built once, in dependency order.

:func:`build_services` is the only place that calls the constructors; it passes each service what it needs (no
attribute is set after construction, nothing is found by scanning). The result is an immutable
:class:`Services`: the app factory hands each blueprint the services it uses; the background jobs
(app/wiring/jobs.py) get theirs the same way.

Services that would need each other are built in one direction instead:

- the exclusion *rules* (what ingest asks) come first; the pod and security services read them; the exclusion
  *service* (what changes the lists, and purges what a new exclusion covers) comes last, with their purge
  operations;
- the AI service gets a solution writer over the pod repository for its background answers, so the pod service can
  call the AI service without the AI service calling back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from neo4j import AsyncDriver

from app.ai.llm import LlmClient
from app.ai.solutions import SolutionScheduler, SolutionService
from app.core.clock import Clock
from app.core.crypto import SecretBox
from app.core.health import DependencyState
from app.core.logformat import register_secret
from app.core.tasks import TaskGroup
from app.kube.access import KubeAccess
from app.services.ai import AiService
from app.services.app_settings import AppSettingsService
from app.services.auth import AuthService
from app.services.diagram import DiagramService
from app.services.exclusions import ExclusionRules, ExclusionService
from app.services.health import Dependencies, HealthService
from app.services.insight import InsightService
from app.services.live import LiveFeedService
from app.services.logs import LogService
from app.services.mirror import MirrorService
from app.services.notifications import NotificationService
from app.services.pods import PodService, SolutionWriter
from app.services.replicas import Leases, PrincipalCaps, replica_name
from app.services.security import SecurityService
from app.settings import LiveLogSettings, Settings
from app.wiring.secrets import Secrets, load_secrets
from app.ws.feed import LiveFeed
from app.ws.hub import Hub
from graph.driver import driver_from_settings
from graph.status import SyncStatus
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
from storage.sessions import SessionRepository
from storage.slots import SlotRepository
from storage.trusted_registries import TrustedRegistryRepository
from storage.users import UserRepository

COOKIE_NAME = "kure_session"


class Repository(Protocol):
    async def ensure_indexes(self) -> None: ...


@dataclass(frozen=True)
class Repositories:
    """The MongoDB repositories, over one database."""

    counters: Counters
    users: UserRepository
    sessions: SessionRepository
    login_attempts: LoginAttemptRepository
    settings: SettingsRepository
    exclusions: ExclusionRepository
    notifications: NotificationRepository
    pods: PodFailureRepository
    llm_config: LlmConfigRepository
    findings: FindingRepository
    trusted_registries: TrustedRegistryRepository
    mirrors: MirrorRepository
    #: What the replicas share (docs/replicas.md): the live feed's event log, connection slots, job leases.
    event_log: EventLog
    slots: SlotRepository
    leases: LeaseRepository

    @classmethod
    def over(cls, mongo: MongoHandle, live: LiveLogSettings) -> Repositories:
        db = mongo.db
        counters = Counters(db)
        return cls(
            counters=counters,
            users=UserRepository(db, counters),
            sessions=SessionRepository(db),
            login_attempts=LoginAttemptRepository(db),
            settings=SettingsRepository(db),
            exclusions=ExclusionRepository(db, counters),
            notifications=NotificationRepository(db),
            pods=PodFailureRepository(db, counters),
            llm_config=LlmConfigRepository(db),
            findings=FindingRepository(db, counters),
            trusted_registries=TrustedRegistryRepository(db, counters),
            mirrors=MirrorRepository(db),
            event_log=EventLog.from_settings(db, live),
            slots=SlotRepository(db),
            leases=LeaseRepository(db),
        )

    def indexed(self) -> tuple[Repository, ...]:
        """The repositories that keep indexes (created once MongoDB answers, app/wiring/jobs.py)."""
        return (self.users, self.sessions, self.login_attempts, self.settings, self.exclusions, self.notifications,
                self.pods, self.llm_config, self.findings, self.trusted_registries, self.mirrors, self.event_log,
                self.slots, self.leases)


@dataclass(frozen=True)
class Services:
    """Everything the backend is made of, built by :func:`build_services`."""

    settings: Settings
    clock: Clock
    secrets: Secrets
    box: SecretBox
    mongo: MongoHandle
    #: Whether :meth:`aclose` closes ``mongo`` (a handle passed in by a test or the CLI belongs to the caller).
    owns_mongo: bool
    repositories: Repositories
    dependencies: Dependencies
    tasks: TaskGroup
    hub: Hub
    #: This process's name among the replicas (slots and leases are held under it).
    replica: str
    feed: LiveFeed
    caps: PrincipalCaps
    #: The WebSocket route's service: connections over the feed, the hub and the caps.
    live: LiveFeedService
    leases: Leases
    kube: KubeAccess
    llm: LlmClient
    graph_driver: AsyncDriver | None
    graph_status: SyncStatus
    health: HealthService
    auth: AuthService
    app_settings: AppSettingsService
    exclusion_rules: ExclusionRules
    notifier: NotificationService
    ai: AiService
    pods: PodService
    security: SecurityService
    exclusions: ExclusionService
    logs: LogService
    mirrors: MirrorService
    diagram: DiagramService
    insight: InsightService

    async def aclose(self) -> None:
        """Close every client (after the background jobs stopped)."""
        await self.notifier.aclose()
        if self.ai.scheduler is not None:
            await self.ai.scheduler.aclose()
        await self.llm.aclose()
        await self.kube.close()
        if self.graph_driver is not None:
            await self.graph_driver.close()
        if self.owns_mongo:
            self.mongo.close()


def build_services(settings: Settings, *, clock: Clock | None = None, mongo: MongoHandle | None = None) -> Services:
    """Build the backend. Nothing connects here: clients connect lazily, the jobs start in ``before_serving``."""
    clock = clock or Clock()
    secrets = load_secrets(settings.state)
    for secret in (secrets.service_token, secrets.session_secret, secrets.encryption_key):
        register_secret(secret)
    backend_secrets = (secrets.service_token, secrets.session_secret, secrets.encryption_key)
    box = SecretBox(secrets.encryption_key)
    owns_mongo = mongo is None
    mongodb, neo4j, kubernetes, http = settings.mongodb, settings.neo4j, settings.kubernetes, settings.http
    mongo = mongo or connect(mongodb.uri, mongodb.database, mongodb.timeout_ms)
    repositories = Repositories.over(mongo, settings.live)
    dependencies = Dependencies(
        mongodb=DependencyState("mongodb", True),
        neo4j=DependencyState("neo4j", neo4j.uri is not None),
        kubernetes=DependencyState("kubernetes", kubernetes.enabled),
    )
    tasks = TaskGroup()
    hub = Hub(max_per_principal=http.websockets_per_principal)
    # Several replicas share one live feed (every message goes through the event log in MongoDB), the
    # per-principal connection caps and the leases of the jobs that run on one replica at a time.
    replica = replica_name()
    feed = LiveFeed.from_settings(repositories.event_log, hub, clock, settings.live)
    caps = PrincipalCaps(repositories.slots, clock, tasks, replica)
    live = LiveFeedService(hub, feed, caps)
    leases = Leases(repositories.leases, clock, replica)
    # The one Kubernetes client of the process (app/kube/access.py); every call reports reachability.
    kube = KubeAccess(kubernetes.kubeconfig, kubernetes.mode, on_status=dependencies.kubernetes.set)
    llm = LlmClient()
    graph_driver = driver_from_settings(neo4j)
    graph_status = SyncStatus(enabled=graph_driver is not None)
    health = HealthService(mongodb, neo4j, kubernetes, clock, dependencies, mongo=mongo, graph_driver=graph_driver,
                           graph_status=graph_status, kube=kube)

    auth = AuthService(repositories.users, repositories.sessions, repositories.login_attempts, clock,
                       http.session_seconds)
    app_settings = AppSettingsService(repositories.settings)
    exclusion_rules = ExclusionRules(repositories.exclusions, clock)
    feed.listeners.append(exclusion_rules.on_live_message)
    notifier = NotificationService(repositories.notifications, box, clock, tasks)
    # Graph insight reads Neo4j only; the pod service, the AI prompt and the mirror preview ask it.
    insight = InsightService(lambda: graph_driver, database=neo4j.database, query_timeout=neo4j.query_timeout,
                             summary_timeout=neo4j.summary_timeout)
    solutions = SolutionService(llm, secrets=backend_secrets)
    ai = AiService(repositories.llm_config, box, clock, tasks, llm, solutions,
                   scheduler=SolutionScheduler(solutions, SolutionWriter(repositories.pods, feed).store),
                   impact=insight.impact_summary)
    pods = PodService(repositories.pods, exclusion_rules, feed, notifier, clock, ai=ai, insight=insight,
                      secrets=backend_secrets)
    security = SecurityService(
        repositories.findings, repositories.trusted_registries, feed, clock,
        sweep_seconds=settings.timers.scan_sweep_seconds,
        exclusions=exclusion_rules, notifier=notifier, llm_config=ai, llm=llm, secrets=backend_secrets,
    )
    exclusions = ExclusionService(repositories.exclusions, exclusion_rules, feed, clock,
                                  purge_open_pods=pods.purge_open, purge_findings=security.delete_active_in_namespace)
    logs = LogService(kube, max_streams_per_principal=http.log_streams_per_principal, caps=caps)

    async def trusted_registries() -> list[str]:
        return [str(doc["registry"]) for doc in await repositories.trusted_registries.all()]

    async def mirror_ttl() -> int:
        return await app_settings.get("mirror_ttl_seconds")

    mirrors = MirrorService(
        repositories.mirrors, kube, feed, clock,
        pods=repositories.pods.get, ttl_default=mirror_ttl, llm_config=ai.config, llm=llm, secrets=backend_secrets,
        trusted_registries=trusted_registries, blast_radius=insight.mirror_blast_radius,
    )
    diagram = DiagramService(graph_driver, kube, database=neo4j.database, query_timeout=neo4j.query_timeout)
    return Services(
        settings=settings, clock=clock, secrets=secrets, box=box, mongo=mongo, owns_mongo=owns_mongo,
        repositories=repositories, dependencies=dependencies, tasks=tasks, hub=hub, replica=replica, feed=feed,
        caps=caps, live=live, leases=leases, kube=kube, llm=llm,
        graph_driver=graph_driver, graph_status=graph_status, health=health,
        auth=auth, app_settings=app_settings, exclusion_rules=exclusion_rules, notifier=notifier, ai=ai, pods=pods,
        security=security, exclusions=exclusions, logs=logs, mirrors=mirrors, diagram=diagram,
        insight=insight,
    )
