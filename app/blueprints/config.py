"""``GET /api/config`` (docs/api.md#config-health-and-metrics): app status for the dashboard, agents and scanners."""

from __future__ import annotations

from typing import Any

from quart import Blueprint

from app import __version__
from app.core.guards import guard
from app.core.validation import document
from app.schemas.config import AppConfig
from app.state import get_state

blueprint = Blueprint("config", __name__, url_prefix="/api")


@blueprint.get("/config")
@guard("read_or_service")
@document({200: AppConfig})
async def app_config() -> dict[str, Any]:
    state = get_state()
    ai = await state.ai.status()
    return {
        "version": __version__,
        "ai_enabled": ai["configured"],
        "ai_provider": ai["provider"],
        "ai_model": ai["model"],
        "graph_enabled": await state.check_neo4j() == "ok",
        "kubernetes_connected": await state.check_kubernetes() == "ok",
        "cluster_mode": await state.cluster_mode(),
        "settings": await state.app_settings.values(),
        "graph_sync": state.graph_status.as_dict(),
    }
