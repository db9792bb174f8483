from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


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
    cluster_mode: Literal["real", "simulated", "off"] = Field(
        description="Which cluster Kure watches: `real` (a kubeconfig or in-cluster configuration), `simulated` "
        "(the simulated cluster of `kure-monitor demo`) or `off` (KURE_KUBERNETES=off, or no cluster "
        "configuration found). docs/api-decisions.md."
    )
    settings: SettingsValues
    graph_sync: dict[str, Any]
