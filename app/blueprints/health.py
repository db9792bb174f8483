"""Liveness, readiness and Prometheus scrape (docs/api.md#config-health-and-metrics)."""

from __future__ import annotations

from quart import Blueprint, Response

from app.core.metrics import render
from app.http.guards import guard
from app.http.responses import Text
from app.http.validation import document
from app.schemas.health import HealthResponse
from app.services.health import HealthService


def create_blueprint(health_checks: HealthService) -> Blueprint:
    blueprint = Blueprint("health", __name__)

    @blueprint.get("/health")
    @guard("public")
    @document({200: HealthResponse})
    async def health() -> tuple[dict[str, object], int]:
        checks = await health_checks.report()
        return {"status": "ok", "checks": checks}, 200

    @blueprint.get("/ready")
    @guard("public")
    @document({200: HealthResponse, 503: HealthResponse})
    async def ready() -> tuple[dict[str, object], int]:
        checks = await health_checks.report()
        if checks["mongodb"] != "ok":
            return {"status": "unavailable", "checks": checks}, 503
        return {"status": "ok", "checks": checks}, 200

    @blueprint.get("/metrics")
    @guard("public")
    @document({200: Text("text/plain", "Prometheus text exposition format (version 0.0.4)")})
    async def metrics() -> Response:
        body, content_type = render()
        return Response(body, status=200, content_type=content_type)

    return blueprint
