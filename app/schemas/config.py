from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class SettingsValues(BaseModel):
    history_retention_minutes: int
    ignored_retention_minutes: int
    mirror_ttl_seconds: int


class AppConfig(BaseModel):
    version: str
    ai_enabled: bool
    ai_provider: str | None
    ai_model: str | None
    graph_enabled: bool
    kubernetes_connected: bool
    settings: SettingsValues
    graph_sync: dict[str, Any]
