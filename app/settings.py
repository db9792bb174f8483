"""Process configuration, read from the environment (pydantic-settings).

Every variable is documented in the README's configuration table. An invalid value stops startup with one clear
line naming the variable (see :func:`load_settings`), never a traceback.

The variables keep their flat names (they are the operators' interface); the code reads them in groups —
``settings.mongodb``, ``settings.neo4j``, ``settings.kubernetes``, ``settings.http``, ``settings.graph_sync``,
``settings.timers``, ``settings.live``, ``settings.logging``, ``settings.state`` — and the composition root
(app/wiring/) hands each component its group, not the whole object. Every field belongs to exactly one group
(tests/api/test_settings_groups.py checks it).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.core.logformat import LoggingSettings
from app.core.settings_values import first_error, split_csv


class SettingsError(Exception):
    """A configuration value is invalid; the message names the variable."""


@dataclass(frozen=True)
class MongoSettings:
    uri: str | None
    database: str
    timeout_ms: int


@dataclass(frozen=True)
class Neo4jSettings:
    uri: str | None
    username: str
    password: str | None
    database: str
    #: The diagram and insight queries' timeout (seconds).
    query_timeout: float
    #: The budget of the access and impact summaries an incident record and the AI prompt carry (seconds).
    summary_timeout: float


@dataclass(frozen=True)
class KubernetesSettings:
    kubeconfig: str | None
    mode: Literal["auto", "off"]
    #: The configured cluster is the demo's simulated one.
    simulated: bool

    @property
    def enabled(self) -> bool:
        return self.mode != "off"


@dataclass(frozen=True)
class HttpSettings:
    cookie_secure: bool
    session_seconds: int
    allowed_origins: tuple[str, ...]
    trusted_proxies: tuple[str, ...]
    ws_ping_seconds: float
    websockets_per_principal: int
    log_streams_per_principal: int
    web_dir: str | None


@dataclass(frozen=True)
class GraphSyncSettings:
    """The graph watcher's knobs (docs/graph.md#configuration), named as graph/sync.py's options name them."""

    page_size: int
    batch_rows: int
    batch_bytes: int
    queue_size: int
    watch_timeout: int
    backoff_max: float
    forbidden_retry: float
    resync_hours: float
    lease_ttl: int
    watcher_enabled: bool


@dataclass(frozen=True)
class TimerSettings:
    """The background jobs' own timers (app/wiring/jobs.py)."""

    #: A full scan's clearing window closes by itself after this (docs/api.md#the-full-scan-clearing-window).
    scan_sweep_seconds: int
    #: How often the retention pass runs.
    retention_interval_seconds: float


@dataclass(frozen=True)
class LiveLogSettings:
    """The live feed's event log in MongoDB (docs/replicas.md#the-live-event-log)."""

    #: Messages kept (the count bound; also each replica's memory window).
    max_events: int
    max_age_seconds: float
    poll_seconds: float
    prune_seconds: float


@dataclass(frozen=True)
class StateSettings:
    """The process's local state directory and the secrets that, when unset, are generated and kept there
    (app/wiring/secrets.py)."""

    dir: str
    session_secret: str | None = field(repr=False)
    service_token: str | None = field(repr=False)
    encryption_key: str | None = field(repr=False)


class Settings(BaseSettings):
    """Backend settings. Field name upper-cased is the environment variable unless an alias says otherwise."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    # --- MongoDB -------------------------------------------------------------------------------------------
    mongodb_uri: str | None = None
    mongodb_database: str = Field(default="kure", min_length=1, max_length=63)
    mongodb_timeout_ms: int = Field(default=2000, ge=100, le=60000)

    # --- Neo4j ---------------------------------------------------------------------------------------------
    neo4j_uri: str | None = None
    neo4j_username: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str = "neo4j"

    # --- Secrets (generated and persisted when unset) ------------------------------------------------------
    session_secret: str | None = Field(default=None, min_length=16)
    service_token: str | None = Field(default=None, min_length=16)
    encryption_key: str | None = None

    # --- Kubernetes ----------------------------------------------------------------------------------------
    kubeconfig: str | None = None
    kure_kubernetes: Literal["auto", "off"] = "auto"
    #: Set by ``kure-monitor demo`` for its own backend: the configured cluster is the simulated one.
    kure_simulated_cluster: bool = False

    # --- HTTP / sessions -----------------------------------------------------------------------------------
    kure_cookie_secure: bool = True
    kure_session_days: int = Field(default=7, ge=1, le=365)
    kure_allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    kure_trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # --- Behaviour timers ----------------------------------------------------------------------------------
    kure_scan_sweep_seconds: int = Field(default=1800, ge=1)
    kure_retention_interval_seconds: float = Field(default=60.0, gt=0)
    kure_ws_ping_seconds: float = Field(default=20.0, gt=0)

    # --- Per-principal caps (docs/security.md#http-hardening) ---------------------------------------------
    kure_log_streams_per_principal: int = Field(default=10, ge=1)
    kure_websockets_per_principal: int = Field(default=20, ge=1)

    # --- Several replicas: the live event log (docs/replicas.md#the-live-event-log) ----------------------------
    kure_live_log_max_events: int = Field(default=10000, ge=10)
    kure_live_log_max_age_seconds: float = Field(default=3600.0, gt=0)
    kure_live_poll_seconds: float = Field(default=0.1, gt=0, le=10)
    kure_live_prune_seconds: float = Field(default=5.0, gt=0)

    # --- Graph (docs/graph.md#configuration) -------------------------------------------------------------------
    kure_graph_watcher: bool = True
    kure_graph_page_size: int = Field(default=500, ge=1)
    kure_graph_batch_rows: int = Field(default=1000, ge=1)
    kure_graph_batch_bytes: int = Field(default=4194304, ge=1024)
    kure_graph_queue_size: int = Field(default=10000, ge=1)
    kure_graph_watch_timeout: int = Field(default=300, ge=1)
    kure_graph_backoff_max: float = Field(default=60, gt=0)
    kure_graph_forbidden_retry: float = Field(default=300, gt=0)
    kure_graph_resync_hours: float = Field(default=12, ge=0)
    kure_graph_query_timeout: float = Field(default=10, gt=0)
    kure_graph_summary_timeout: float = Field(default=2, gt=0)
    kure_graph_lease_ttl: int = Field(default=30, ge=1)

    # --- Logging -------------------------------------------------------------------------------------------
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["json", "text"] = "text"

    # The dashboard's build output (web/dist); unset = the checkout's web/dist (docs/dashboard.md).
    kure_web_dir: str | None = None

    # Where generated secrets are persisted when MongoDB is not configured (embedded store).
    kure_state_dir: str = Field(
        default=".kure", validation_alias=AliasChoices("KURE_STATE_DIR", "kure_state_dir")
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", "kure_kubernetes", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("kure_allowed_origins", mode="before")
    @classmethod
    def _parse_origins(cls, value: object) -> object:
        return split_csv(value)

    @field_validator("kure_trusted_proxies", mode="before")
    @classmethod
    def _parse_proxies(cls, value: object) -> object:
        items = split_csv(value)
        if isinstance(items, list):
            for item in items:
                ipaddress.ip_network(str(item), strict=False)  # ValueError names the bad entry
        return items

    @field_validator("mongodb_uri", "neo4j_uri", "session_secret", "service_token", "encryption_key",
                     "kubeconfig", "neo4j_password", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and value.strip() == "" else value

    @field_validator("mongodb_uri")
    @classmethod
    def _mongo_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("mongodb://", "mongodb+srv://")):
            raise ValueError("must start with mongodb:// or mongodb+srv://")
        return value

    @field_validator("neo4j_uri")
    @classmethod
    def _neo4j_scheme(cls, value: str | None) -> str | None:
        schemes = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")
        if value is not None and not value.startswith(schemes):
            raise ValueError("must be a bolt:// or neo4j:// URI")
        return value

    @field_validator("encryption_key")
    @classmethod
    def _fernet_key(cls, value: str | None) -> str | None:
        if value is not None:
            from cryptography.fernet import Fernet

            try:
                Fernet(value.encode())
            except Exception as exc:  # cryptography raises ValueError/binascii.Error
                raise ValueError("must be a urlsafe-base64 32-byte Fernet key") from exc
        return value

    # --- the groups -----------------------------------------------------------------------------------------

    @property
    def mongodb(self) -> MongoSettings:
        return MongoSettings(self.mongodb_uri, self.mongodb_database, self.mongodb_timeout_ms)

    @property
    def neo4j(self) -> Neo4jSettings:
        return Neo4jSettings(self.neo4j_uri, self.neo4j_username, self.neo4j_password, self.neo4j_database,
                             self.kure_graph_query_timeout, self.kure_graph_summary_timeout)

    @property
    def kubernetes(self) -> KubernetesSettings:
        return KubernetesSettings(self.kubeconfig, self.kure_kubernetes, self.kure_simulated_cluster)

    @property
    def http(self) -> HttpSettings:
        return HttpSettings(
            cookie_secure=self.kure_cookie_secure, session_seconds=self.kure_session_days * 86400,
            allowed_origins=tuple(self.kure_allowed_origins), trusted_proxies=tuple(self.kure_trusted_proxies),
            ws_ping_seconds=self.kure_ws_ping_seconds, websockets_per_principal=self.kure_websockets_per_principal,
            log_streams_per_principal=self.kure_log_streams_per_principal, web_dir=self.kure_web_dir,
        )

    @property
    def graph_sync(self) -> GraphSyncSettings:
        return GraphSyncSettings(
            page_size=self.kure_graph_page_size, batch_rows=self.kure_graph_batch_rows,
            batch_bytes=self.kure_graph_batch_bytes, queue_size=self.kure_graph_queue_size,
            watch_timeout=self.kure_graph_watch_timeout, backoff_max=self.kure_graph_backoff_max,
            forbidden_retry=self.kure_graph_forbidden_retry, resync_hours=self.kure_graph_resync_hours,
            lease_ttl=self.kure_graph_lease_ttl, watcher_enabled=self.kure_graph_watcher,
        )

    @property
    def timers(self) -> TimerSettings:
        return TimerSettings(self.kure_scan_sweep_seconds, self.kure_retention_interval_seconds)

    @property
    def live(self) -> LiveLogSettings:
        return LiveLogSettings(
            max_events=self.kure_live_log_max_events, max_age_seconds=self.kure_live_log_max_age_seconds,
            poll_seconds=self.kure_live_poll_seconds, prune_seconds=self.kure_live_prune_seconds,
        )

    @property
    def logging(self) -> LoggingSettings:
        return LoggingSettings(self.log_level, self.log_format)

    @property
    def state(self) -> StateSettings:
        return StateSettings(self.kure_state_dir, self.session_secret, self.service_token, self.encryption_key)


def env_name(field: str) -> str:
    """The environment variable that sets ``field``."""
    info = Settings.model_fields[field]
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        first = alias.choices[0]
        return str(first)
    return field.upper()


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; raise :class:`SettingsError` with one line on a bad value."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        field, message = first_error(exc)
        field = field or "?"
        name = env_name(field) if field in Settings.model_fields else field.upper()
        raise SettingsError(f"Invalid configuration: {name}: {message}") from None


