"""Diagram service (docs/api.md#diagrams, docs/graph.md#diagrams): graph reads through graph.queries, and the live
manifest viewer.

Error order per docs/graph.md#diagrams: path validation (400) → graph availability (503) → existence (404).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import yaml
from neo4j import AsyncDriver

from app.core.errors import ApiError, DependencyUnavailable
from app.kube import resource
from app.kube.access import KubeAccess
from app.kube.bodies import KubeObject, as_object
from app.kube.manifests import strip_object
from graph import queries

log = logging.getLogger("kure.diagram")

GRAPH_UNAVAILABLE = "Graph database not available"
SECRET_FORBIDDEN = "Secret manifests are not readable by design."
MANIFEST_TIMEOUT = 10.0

#: docs/api.md#diagrams allow-list (canonical spelling); Subject:ServiceAccount is served as the ServiceAccount.
MANIFEST_KINDS: tuple[str, ...] = (
    "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "Service", "Endpoints",
    "EndpointSlice", "Ingress", "ConfigMap", "PersistentVolumeClaim", "ServiceAccount", "HorizontalPodAutoscaler",
    "NetworkPolicy", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "Subject:ServiceAccount",
)  # fmt: skip
SYNTHESIZED_KINDS: tuple[str, ...] = ("Permission", "Subject:User", "Subject:Group")

_DROP_METADATA = ("managedFields", "resourceVersion", "uid", "selfLink", "creationTimestamp", "generation")


def clean_manifest(obj: KubeObject) -> dict[str, Any]:
    """The object as shown to users (docs/api.md#diagrams): without status, server-managed metadata and the last-applied
    copy."""
    return strip_object(obj, drop_metadata=_DROP_METADATA)


class DiagramService:
    def __init__(
        self,
        driver: AsyncDriver | None,
        kube: KubeAccess,
        *,
        database: str | None = None,
        query_timeout: float = 10.0,
    ) -> None:
        self._driver = driver
        self._kube = kube
        self._database = database
        self._timeout = query_timeout

    async def _graph(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            result: dict[str, Any] = await call(
                self._driver, *args, database=self._database, timeout_seconds=self._timeout, **kwargs
            )
            return result
        except queries.GraphUnavailable:
            raise DependencyUnavailable(GRAPH_UNAVAILABLE) from None
        except queries.DiagramNotFound as exc:
            raise ApiError(404, exc.detail) from None

    async def namespaces(self) -> dict[str, Any]:
        return await self._graph(queries.list_namespaces)

    async def namespace(self, namespace: str) -> dict[str, Any]:
        return await self._graph(queries.namespace_graph, namespace)

    async def workload(self, namespace: str, kind: str, name: str) -> dict[str, Any]:
        canonical = queries.canonical_workload_kind(kind)
        if canonical is None:
            raise ApiError(
                400,
                f"Invalid workload kind '{kind}'. Valid kinds: Deployment, StatefulSet, DaemonSet, Job, CronJob",
            )
        return await self._graph(queries.workload_graph, namespace, canonical, name)

    async def roles(self, include_system: bool) -> dict[str, Any]:
        return await self._graph(queries.list_roles, include_system)

    async def role(self, namespace: str, name: str) -> dict[str, Any]:
        return await self._graph(queries.role_graph, namespace, name)

    async def clusterrole(self, name: str) -> dict[str, Any]:
        return await self._graph(queries.clusterrole_graph, name)

    async def manifest(self, namespace: str, kind: str, name: str) -> dict[str, Any]:
        lowered = kind.lower()
        if lowered == "secret":
            raise ApiError(403, SECRET_FORBIDDEN)
        synthesized = next((k for k in SYNTHESIZED_KINDS if k.lower() == lowered), None)
        if synthesized is not None:
            raise ApiError(400, f"'{synthesized}' is a synthesized node and has no manifest")
        canonical = next((k for k in MANIFEST_KINDS if k.lower() == lowered), None)
        if canonical is None:
            raise ApiError(400, f"Unsupported kind '{kind}'")
        api_kind = "ServiceAccount" if canonical == "Subject:ServiceAccount" else canonical
        res = resource(api_kind)
        # KubeAccess.read checks both names against Kubernetes' naming rules before building the path: a name
        # such as `..` or one with an encoded slash cannot exist, so it is "not found" without any API call.
        scope = namespace if res.namespaced else None
        obj = await self._kube.read(api_kind, scope, name, read_timeout=MANIFEST_TIMEOUT)
        if obj is None:
            if res.namespaced:
                raise ApiError(404, f"{api_kind} '{name}' not found in namespace '{namespace}'")
            raise ApiError(404, f"{api_kind} '{name}' not found")
        cleaned = clean_manifest(as_object(obj))
        return {
            "kind": api_kind,
            "name": name,
            "namespace": namespace if res.namespaced else "",
            "manifest": yaml.safe_dump(cleaned, sort_keys=False, default_flow_style=False),
        }
