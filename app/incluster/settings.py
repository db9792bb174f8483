"""Configuration shared by the agent and the scanner (docs/agent-scanner.md#agent-configuration,
docs/agent-scanner.md#scanner-configuration-and-metrics), read from the environment. Each component adds its own fields:
app/agent/settings.py, app/scanner/settings.py.

The variables keep their flat names (the operators' interface); the shared library reads them in groups, defined
here once for both components — ``settings.backend``, ``settings.pod``, ``settings.lease``, ``settings.cluster``,
``settings.health``, ``settings.logging`` — and hands each part its group; each component's own variables are
grouped beside its settings (tests/agent/test_settings_groups.py checks that every variable belongs to exactly one
group and reaches the part it configures).

An invalid value is invalid configuration: :func:`load` raises :class:`ConfigError` whose message is the one
line printed before exiting with status 2 (for example ``SERVICE_TOKEN is required``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Literal, TypeVar

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.core.logformat import LoggingSettings
from app.core.settings_values import first_error

PositiveInt = Annotated[int, Field(gt=0)]


class ConfigError(Exception):
    """Invalid configuration; the message names the variable."""


@dataclass(frozen=True)
class BackendSettings:
    """How a component talks to the backend (app/incluster/backend.py, docs/agent-scanner.md#talking-to-the-backend)."""

    url: str
    token: str = field(repr=False)
    ca_file: str | None
    timeout_seconds: int
    #: The cap of the backoff between retries while the backend is degraded.
    retry_max_seconds: int

    @property
    def ws_url(self) -> str:
        """The live feed the component subscribes to (app/incluster/ws.py): the backend's ``/api/ws``, over TLS
        when the backend is reached over TLS."""
        scheme, rest = self.url.split("://", 1)
        return f"{'wss' if scheme == 'https' else 'ws'}://{rest}/api/ws"


@dataclass(frozen=True)
class PodSettings:
    """The pod this process runs in: its name is the lease holder's identity, its namespace holds the lease."""

    name: str
    namespace: str


@dataclass(frozen=True)
class LeaseSettings:
    """The one-active-replica lease (app/incluster/lease.py, docs/agent-scanner.md#one-active-replica)."""

    name: str
    duration_seconds: int
    renew_deadline_seconds: int
    retry_seconds: int


@dataclass(frozen=True)
class ClusterSettings:
    """How a component reads the cluster: its configuration and the reflectors' list pages and watch timeout
    (``ReflectorOptions.from_settings``)."""

    kubeconfig: str | None
    list_page_size: int
    watch_timeout_seconds: int


@dataclass(frozen=True)
class HealthSettings:
    """The health and metrics server (app/incluster/health.py); port 0 picks a free port."""

    port: int


class InclusterSettings(BaseSettings):
    """What both components read."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    backend_url: str = "http://kure-monitor-backend:8000"
    service_token: str = Field(default="", repr=False)
    backend_ca_file: str | None = None
    pod_name: str = Field(default_factory=lambda: __import__("socket").gethostname())
    pod_namespace: str = "default"
    kubeconfig: str | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["json", "text"] = "json"
    kure_health_port: int = Field(default=8080, ge=0, le=65535)
    kure_lease_name: str = "kure-monitor-agent"
    kure_lease_duration_seconds: PositiveInt = 15
    kure_lease_renew_deadline_seconds: PositiveInt = 10
    kure_lease_retry_seconds: PositiveInt = 2
    kure_list_page_size: PositiveInt = 500
    kure_watch_timeout_seconds: PositiveInt = 300
    kure_backend_timeout_seconds: PositiveInt = 30
    kure_backend_retry_max_seconds: PositiveInt = 60

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("backend_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _rules(self) -> InclusterSettings:
        if not self.service_token.strip():
            raise ValueError("SERVICE_TOKEN is required")
        if self.kure_lease_renew_deadline_seconds >= self.kure_lease_duration_seconds:
            raise ValueError("KURE_LEASE_RENEW_DEADLINE_SECONDS must be less than KURE_LEASE_DURATION_SECONDS")
        return self

    # --- the groups -----------------------------------------------------------------------------------------

    @property
    def backend(self) -> BackendSettings:
        return BackendSettings(self.backend_url, self.service_token, self.backend_ca_file,
                               self.kure_backend_timeout_seconds, self.kure_backend_retry_max_seconds)

    @property
    def pod(self) -> PodSettings:
        return PodSettings(self.pod_name, self.pod_namespace)

    @property
    def lease(self) -> LeaseSettings:
        return LeaseSettings(self.kure_lease_name, self.kure_lease_duration_seconds,
                             self.kure_lease_renew_deadline_seconds, self.kure_lease_retry_seconds)

    @property
    def cluster(self) -> ClusterSettings:
        return ClusterSettings(self.kubeconfig, self.kure_list_page_size, self.kure_watch_timeout_seconds)

    @property
    def health(self) -> HealthSettings:
        return HealthSettings(self.kure_health_port)

    @property
    def logging(self) -> LoggingSettings:
        return LoggingSettings(self.log_level, self.log_format)


S = TypeVar("S", bound=InclusterSettings)


def load(cls: type[S], environ: Mapping[str, str] | None = None) -> S:
    """Build settings from ``environ`` (default: the process environment); one-line :class:`ConfigError`."""
    try:
        if environ is None:
            return cls()
        values = {k.lower(): v for k, v in environ.items() if k.lower() in cls.model_fields}
        return cls.model_validate(values)
    except ValidationError as exc:
        field, message = first_error(exc)
        if field:
            name = field.upper()
            if message.startswith(name):
                raise ConfigError(message) from None
            raise ConfigError(f"{name}: {message}") from None
        raise ConfigError(message) from None
