"""``GET /api/config`` (docs/api.md#config-health-and-metrics): app status for the dashboard, agents and scanners."""

from __future__ import annotations

from typing import Any

from quart import Blueprint

from app import __version__
from app.http.guards import guard
from app.http.validation import document
from app.schemas.config import AppConfig
from app.services.ai import AiService
from app.services.app_settings import AppSettingsService
from app.services.health import HealthService


def create_blueprint(
    ai: AiService, app_settings: AppSettingsService, health: HealthService
) -> Blueprint:
    blueprint = Blueprint("config", __name__, url_prefix="/api")

    @blueprint.get("/config")
    @guard("read_or_service")
    @document({200: AppConfig})
    async def app_config() -> dict[str, Any]:
        status = await ai.status()
        return {
            "version": __version__,
            "ai_enabled": status["configured"],
            "ai_provider": status["provider"],
            "ai_model": status["model"],
            "graph_enabled": await health.check_neo4j() == "ok",
            "kubernetes_connected": await health.check_kubernetes() == "ok",
            "cluster_mode": await health.cluster_mode(),
            "settings": await app_settings.values(),
            "graph_sync": health.graph_status.as_dict(),
        }

    return blueprint
