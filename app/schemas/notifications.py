"""Notification setting shapes (docs/api.md#notification-setting, docs/api.md#notifications)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, Field

from app.schemas.base import RequestModel

Provider = Literal["slack", "teams", "discord", "webhook"]
Severity = Literal["critical", "high", "medium", "low", "info"]
EventName = Literal["pod_failure", "pod_resolved", "security_finding"]
ALL_EVENTS: tuple[EventName, ...] = ("pod_failure", "pod_resolved", "security_finding")


def check_webhook_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http or https URL with a host")
    return value


def _unique(events: list[str]) -> list[str]:
    if len(set(events)) != len(events):
        raise ValueError("events must not repeat")
    return events


WebhookUrl = Annotated[str, Field(max_length=2048), AfterValidator(check_webhook_url)]
Events = Annotated[list[EventName], Field(min_length=1), AfterValidator(_unique)]


class NotificationConfigIn(RequestModel):
    webhook_url: WebhookUrl
    secret: Annotated[str, Field(min_length=1, max_length=256)] | None = None


class NotificationCreate(RequestModel):
    provider: Provider
    enabled: bool = True
    config: NotificationConfigIn
    events: Events = Field(default_factory=lambda: list(ALL_EVENTS))
    min_severity: Severity = "high"


class NotificationUpdate(RequestModel):
    provider: Provider | None = None
    enabled: bool | None = None
    config: dict[str, Any] | None = None
    events: Events | None = None
    min_severity: Severity | None = None


class NotificationSetting(BaseModel):
    provider: Provider
    enabled: bool
    config: dict[str, Any]
    events: list[EventName]
    min_severity: Severity
    created_at: str
    updated_at: str


class TestResult(BaseModel):
    success: bool
