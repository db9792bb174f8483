"""Configuration of the agent and the scanner (docs/agent-scanner.md#agent-configuration,
docs/agent-scanner.md#scanner-configuration-and-metrics), read from the environment.

An invalid value is invalid configuration: :func:`load` raises :class:`ConfigError` whose message is the one
line printed before exiting with status 2 (for example ``SERVICE_TOKEN is required``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal, TypeVar

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.kube.images import valid_trusted_registry
from app.settings import first_error, split_csv

PositiveInt = Annotated[int, Field(gt=0)]


class ConfigError(Exception):
    """Invalid configuration; the message names the variable."""


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

    @property
    def ws_url(self) -> str:
        scheme, rest = self.backend_url.split("://", 1)
        return f"{'wss' if scheme == 'https' else 'ws'}://{rest}/api/ws"


class AgentSettings(InclusterSettings):
    kure_short_grace_seconds: PositiveInt = 30
    kure_pending_grace_seconds: PositiveInt = 120
    kure_scaleup_grace_seconds: PositiveInt = 600
    kure_gated_grace_seconds: PositiveInt = 900
    kure_slow_pull_grace_seconds: PositiveInt = 600
    kure_readiness_grace_seconds: PositiveInt = 300
    kure_terminating_grace_seconds: PositiveInt = 300
    kure_restart_threshold: PositiveInt = 3
    kure_restart_window_seconds: PositiveInt = 1800
    kure_recovery_seconds: PositiveInt = 120
    kure_restart_recovery_seconds: PositiveInt = 600
    kure_rereport_interval_seconds: PositiveInt = 300
    kure_reason_change_delay_seconds: PositiveInt = 30
    kure_agent_max_events: PositiveInt = 20
    kure_agent_log_lines: PositiveInt = 100
    kure_agent_log_bytes: PositiveInt = 65536
    kure_agent_send_concurrency: PositiveInt = 4
    kure_agent_queue_max: PositiveInt = 10000
    kure_agent_tombstone_bytes: PositiveInt = 33554432
    kure_agent_state_configmap: str = "kure-monitor-agent-state"
    kure_shutdown_flush_seconds: PositiveInt = 10


class ScannerSettings(InclusterSettings):
    kure_lease_name: str = "kure-monitor-scanner"
    kure_scanner_debounce_seconds: PositiveInt = 2
    kure_scanner_debounce_max_seconds: PositiveInt = 10
    kure_scanner_post_concurrency: PositiveInt = 8
    kure_scanner_trusted_registries: Annotated[list[str], NoDecode] = ["registry.k8s.io"]
    kure_scanner_disabled_checks: Annotated[list[str], NoDecode] = []
    kure_scanner_manifest_max_bytes: PositiveInt = 524288
    kure_scanner_scan_abort_seconds: PositiveInt = 600

    @field_validator("kure_scanner_trusted_registries", mode="before")
    @classmethod
    def _registries(cls, value: object) -> object:
        value = split_csv(value)
        if isinstance(value, list):
            for item in value:
                if not valid_trusted_registry(str(item)):
                    raise ValueError(f"invalid registry {item!r}")
            return [str(item).strip().lower() for item in value]
        return value

    @field_validator("kure_scanner_disabled_checks", mode="before")
    @classmethod
    def _disabled(cls, value: object) -> object:
        from app.scanner.checks import BY_NAME

        value = split_csv(value)
        if isinstance(value, list):
            unknown = [v for v in value if v not in BY_NAME]
            if unknown:
                raise ValueError(f"unknown check {', '.join(unknown)}")
        return value


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
