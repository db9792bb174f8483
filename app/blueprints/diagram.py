"""Diagram routes (docs/api.md#diagrams): topology and RBAC graphs read from Neo4j, and the live manifest viewer."""

from __future__ import annotations

from typing import Any

from quart import Blueprint

from app.core.guards import guard
from app.core.validation import document, validate
from app.schemas.diagram import DiagramGraph, Manifest, NamespaceList, RoleList, RolesQuery
from app.services.diagram import DiagramService
from app.state import get_state

blueprint = Blueprint("diagram", __name__, url_prefix="/api/diagram")


def _service() -> DiagramService:
    return get_state().diagram


@blueprint.get("/namespaces")
@guard("read")
@document({200: NamespaceList})
async def list_namespaces() -> dict[str, Any]:
    result: dict[str, Any] = await _service().namespaces()
    return result


@blueprint.get("/namespace/<namespace>")
@guard("read")
@document({200: DiagramGraph}, errors=(404,))
async def namespace_graph(namespace: str) -> dict[str, Any]:
    result: dict[str, Any] = await _service().namespace(namespace)
    return result


@blueprint.get("/workload/<namespace>/<kind>/<name>")
@guard("read")
@document({200: DiagramGraph}, errors=(400, 404))
async def workload_graph(namespace: str, kind: str, name: str) -> dict[str, Any]:
    result: dict[str, Any] = await _service().workload(namespace, kind, name)
    return result


@blueprint.get("/manifest/<namespace>/<kind>/<name>")
@guard("read")
@document({200: Manifest}, errors=(400, 404, 502))
async def manifest(namespace: str, kind: str, name: str) -> dict[str, Any]:
    result: dict[str, Any] = await _service().manifest(namespace, kind, name)
    return result


@blueprint.get("/roles")
@guard("read")
@validate(query=RolesQuery, responses={200: RoleList})
async def list_roles(query: RolesQuery) -> dict[str, Any]:
    result: dict[str, Any] = await _service().roles(query.include_system)
    return result


@blueprint.get("/role/<namespace>/<name>")
@guard("read")
@document({200: DiagramGraph}, errors=(404,))
async def role_graph(namespace: str, name: str) -> dict[str, Any]:
    result: dict[str, Any] = await _service().role(namespace, name)
    return result


@blueprint.get("/clusterrole/<name>")
@guard("read")
@document({200: DiagramGraph}, errors=(404,))
async def clusterrole_graph(name: str) -> dict[str, Any]:
    result: dict[str, Any] = await _service().clusterrole(name)
    return result
