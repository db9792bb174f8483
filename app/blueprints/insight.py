"""Graph insight into one pod (docs/api.md#pod-access-and-impact): who can act on it and what it touches, read from
Neo4j."""

from __future__ import annotations

from typing import Any

from quart import Blueprint

from app.core.guards import guard
from app.core.validation import document
from app.schemas.insight import PodAccess, PodImpact
from app.state import get_state

blueprint = Blueprint("insight", __name__, url_prefix="/api/pods")


@blueprint.get("/<namespace>/<pod_name>/access")
@guard("read")
@document({200: PodAccess}, errors=(404,))
async def pod_access(namespace: str, pod_name: str) -> dict[str, Any]:
    return await get_state().insight.access(namespace, pod_name)


@blueprint.get("/<namespace>/<pod_name>/impact")
@guard("read")
@document({200: PodImpact}, errors=(404,))
async def pod_impact(namespace: str, pod_name: str) -> dict[str, Any]:
    return await get_state().insight.impact(namespace, pod_name)
