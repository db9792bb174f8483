"""Liveness, readiness and Prometheus scrape (docs/api.md#config-health-and-metrics)."""

from __future__ import annotations

from quart import Blueprint, Response

from app.core.guards import guard
from app.core.metrics import render
from app.core.responses import Text
from app.core.validation import document
from app.schemas.health import HealthResponse
from app.state import get_state

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
@guard("public")
@document({200: HealthResponse})
async def health() -> tuple[dict[str, object], int]:
    checks = await get_state().health()
    return {"status": "ok", "checks": checks}, 200


@blueprint.get("/ready")
@guard("public")
@document({200: HealthResponse, 503: HealthResponse})
async def ready() -> tuple[dict[str, object], int]:
    checks = await get_state().health()
    if checks["mongodb"] != "ok":
        return {"status": "unavailable", "checks": checks}, 503
    return {"status": "ok", "checks": checks}, 200


@blueprint.get("/metrics")
@guard("public")
@document({200: Text("text/plain", "Prometheus text exposition format (version 0.0.4)")})
async def metrics() -> Response:
    body, content_type = render()
    return Response(body, status=200, content_type=content_type)
