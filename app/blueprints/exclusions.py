"""Monitoring exclusions (docs/api.md#exclusions)."""

from __future__ import annotations

from typing import Any

from quart import Blueprint, Response

from app.core.guards import guard
from app.core.responses import NoContent
from app.core.validation import document, validate
from app.schemas.exclusions import ExcludedNamespace, ExcludedPod, ExcludeNamespace, ExcludePods, PodPatternScope
from app.state import get_state

blueprint = Blueprint("exclusions", __name__, url_prefix="/api/admin")


@blueprint.get("/excluded-namespaces")
@guard("read_or_service")
@document({200: list[ExcludedNamespace]})
async def list_namespaces() -> list[dict[str, Any]]:
    return await get_state().exclusions.list_namespaces()


@blueprint.post("/excluded-namespaces")
@guard("write")
@validate(body=ExcludeNamespace, responses={201: ExcludedNamespace, 200: ExcludedNamespace})
async def exclude_namespace(data: ExcludeNamespace) -> tuple[dict[str, Any], int]:
    row, created = await get_state().exclusions.exclude_namespace(data.namespace)
    return row, 201 if created else 200


@blueprint.delete("/excluded-namespaces/<namespace>")
@guard("write")
@document({204: NoContent()}, errors=(404,))
async def include_namespace(namespace: str) -> Response:
    await get_state().exclusions.include_namespace(namespace)
    return Response(status=204)


@blueprint.get("/excluded-pods")
@guard("read_or_service")
@document({200: list[ExcludedPod]})
async def list_pods() -> list[dict[str, Any]]:
    return await get_state().exclusions.list_pod_patterns()


@blueprint.post("/excluded-pods")
@guard("write")
@validate(body=ExcludePods, responses={201: ExcludedPod, 200: ExcludedPod})
async def exclude_pods(data: ExcludePods) -> tuple[dict[str, Any], int]:
    row, created = await get_state().exclusions.exclude_pods(data.pod_name, data.namespace)
    return row, 201 if created else 200


@blueprint.delete("/excluded-pods/<pod_name>")
@guard("write")
@validate(query=PodPatternScope, responses={204: NoContent()}, errors=(404,))
async def include_pods(pod_name: str, query: PodPatternScope) -> Response:
    await get_state().exclusions.include_pods(pod_name, query.namespace or None)
    return Response(status=204)
