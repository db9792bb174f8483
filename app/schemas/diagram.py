"""Response and query shapes of the diagram routes (docs/api.md#diagram-graphs, docs/api.md#diagrams)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator

from app.schemas.base import QueryModel, text_bool

# docs/graph.md#role-diagrams: include_system also accepts yes/no (case-insensitive); anything else is a 422.
DiagramBool = Annotated[bool, BeforeValidator(text_bool(("true", "1", "yes"), ("false", "0", "no")))]


class RolesQuery(QueryModel):
    include_system: DiagramBool = False


class DiagramNode(BaseModel):
    id: str
    kind: str
    name: str
    namespace: str
    group: str | None
    status: str | None
    metadata: dict[str, Any]


class DiagramEdge(BaseModel):
    id: str
    source: str
    target: str
    kind: str


class DiagramGroup(BaseModel):
    id: str
    label: str
    members: list[str]


class DiagramGraph(BaseModel):
    nodes: list[DiagramNode]
    edges: list[DiagramEdge]
    groups: list[DiagramGroup]


class NamespaceList(BaseModel):
    namespaces: list[str]


class ClusterRoleName(BaseModel):
    name: str


class RoleName(BaseModel):
    namespace: str
    name: str


class RoleList(BaseModel):
    cluster_roles: list[ClusterRoleName]
    roles: list[RoleName]


class Manifest(BaseModel):
    kind: str
    name: str
    namespace: str
    manifest: str
