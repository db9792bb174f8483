"""The graph schema as code (graph.md §2): labels, relationship types, constraints and indexes.

Cypher text is assembled only from the names in this module (fixed allow-lists), never from data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neo4j import AsyncDriver


@dataclass(frozen=True)
class KindInfo:
    kind: str  # API kind string, e.g. "Pod", "Subject:User"
    label: str  # kind label, e.g. "Pod", "User"
    extra_labels: tuple[str, ...]
    namespaced: bool
    synced: bool

    @property
    def label_clause(self) -> str:
        """``:Pod`` / ``:Deployment:Workload`` — for ``SET n<clause>`` (allow-listed names only)."""
        return "".join(f":{label}" for label in (self.label, *self.extra_labels))


_WORKLOAD = ("Workload",)
_SUBJECT = ("Subject",)

KIND_INFO: dict[str, KindInfo] = {
    k.kind: k
    for k in (
        KindInfo("Namespace", "Namespace", (), False, True),
        KindInfo("Node", "Node", (), False, True),
        KindInfo("Pod", "Pod", (), True, True),
        KindInfo("Service", "Service", (), True, True),
        KindInfo("ConfigMap", "ConfigMap", (), True, True),
        KindInfo("PersistentVolumeClaim", "PersistentVolumeClaim", (), True, True),
        KindInfo("ServiceAccount", "ServiceAccount", _SUBJECT, True, True),
        KindInfo("Deployment", "Deployment", _WORKLOAD, True, True),
        KindInfo("ReplicaSet", "ReplicaSet", _WORKLOAD, True, True),
        KindInfo("StatefulSet", "StatefulSet", _WORKLOAD, True, True),
        KindInfo("DaemonSet", "DaemonSet", _WORKLOAD, True, True),
        KindInfo("Job", "Job", _WORKLOAD, True, True),
        KindInfo("CronJob", "CronJob", _WORKLOAD, True, True),
        KindInfo("EndpointSlice", "EndpointSlice", (), True, True),
        KindInfo("Ingress", "Ingress", (), True, True),
        KindInfo("NetworkPolicy", "NetworkPolicy", (), True, True),
        KindInfo("HorizontalPodAutoscaler", "HorizontalPodAutoscaler", (), True, True),
        KindInfo("Role", "Role", (), True, True),
        KindInfo("ClusterRole", "ClusterRole", (), False, True),
        KindInfo("RoleBinding", "RoleBinding", (), True, True),
        KindInfo("ClusterRoleBinding", "ClusterRoleBinding", (), False, True),
        KindInfo("Secret", "Secret", (), True, False),
        KindInfo("Permission", "Permission", (), True, False),
        KindInfo("Subject:User", "User", _SUBJECT, False, False),
        KindInfo("Subject:Group", "Group", _SUBJECT, False, False),
    )
}

#: Listing order of graph.md §3.3 (reduces placeholder churn; correctness does not depend on it).
SYNC_ORDER: tuple[str, ...] = (
    "Namespace", "Node", "ServiceAccount", "ConfigMap", "PersistentVolumeClaim", "Role", "ClusterRole",
    "Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job", "ReplicaSet", "Service", "NetworkPolicy",
    "Pod", "EndpointSlice", "Ingress", "HorizontalPodAutoscaler", "RoleBinding", "ClusterRoleBinding",
)  # fmt: skip

SYNCED_KINDS: frozenset[str] = frozenset(SYNC_ORDER)
WORKLOAD_KINDS: frozenset[str] = frozenset({"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob"})
TEMPLATE_HOLDERS = WORKLOAD_KINDS

#: Relationship types (graph.md §2.4) → API edge kind (None = not exposed).
REL_EDGE_KIND: dict[str, str | None] = {
    "CONTAINS": None,
    "OWNS": "owns",
    "SELECTS": "selects",
    "HAS_ENDPOINT_SLICE": "routes",
    "ROUTES_TO": "routes",
    "SCALES": "scales",
    "APPLIES_TO": "policy",
    "MOUNTS": "mounts",
    "USES_SERVICE_ACCOUNT": "mounts",
    "SCHEDULED_ON": None,
    "ROLE_REF": "refs",
    "SUBJECT_OF": "bound",
    "GRANTS": "grants",
    "MEMBER_OF": None,
}

#: Relationships an object of a kind *determines* (graph.md §2.4 / §3.4), as (type, direction from the
#: object). "in" means the relationship points at the object. CONTAINS is handled separately.
DETERMINED: dict[str, tuple[tuple[str, str], ...]] = {}
for _kind in SYNC_ORDER:
    _rels: list[tuple[str, str]] = [("OWNS", "in")]
    if _kind == "Pod":
        _rels += [("MOUNTS", "out"), ("USES_SERVICE_ACCOUNT", "out"), ("SCHEDULED_ON", "out")]
    elif _kind in TEMPLATE_HOLDERS:
        _rels += [("MOUNTS", "out"), ("USES_SERVICE_ACCOUNT", "out")]
    elif _kind == "EndpointSlice":
        _rels += [("HAS_ENDPOINT_SLICE", "in")]
    elif _kind == "Ingress":
        _rels += [("ROUTES_TO", "out")]
    elif _kind == "HorizontalPodAutoscaler":
        _rels += [("SCALES", "out")]
    elif _kind in ("RoleBinding", "ClusterRoleBinding"):
        _rels += [("ROLE_REF", "out"), ("SUBJECT_OF", "in")]
    DETERMINED[_kind] = tuple(_rels)

#: Both-ends relationship types removed when either end is deleted.
BOTH_ENDS: tuple[str, ...] = ("SELECTS", "APPLIES_TO", "MEMBER_OF")

#: graph.md §2.6: a node ``y`` has a keeper iff one of these exists.
KEEPER_IN = "MOUNTS|USES_SERVICE_ACCOUNT|SCHEDULED_ON|ROUTES_TO|SCALES|ROLE_REF"
KEEPER_OUT = "CONTAINS|OWNS|HAS_ENDPOINT_SLICE|SUBJECT_OF"
HAS_KEEPER = f"(EXISTS {{ (y)<-[:{KEEPER_IN}]-() }} OR EXISTS {{ (y)-[:{KEEPER_OUT}]->() }})"

LEASE_NAME = "graph-watcher"

SCHEMA_STATEMENTS: tuple[str, ...] = (
    "CREATE CONSTRAINT k8s_id IF NOT EXISTS FOR (n:K8s) REQUIRE n.id IS UNIQUE",
    "CREATE INDEX k8s_namespace IF NOT EXISTS FOR (n:K8s) ON (n.namespace)",
    "CREATE INDEX k8s_namespace_kind IF NOT EXISTS FOR (n:K8s) ON (n.namespace, n.kind)",
    "CREATE INDEX k8s_name IF NOT EXISTS FOR (n:K8s) ON (n.name)",
    "CREATE CONSTRAINT kure_sync_state_kind IF NOT EXISTS FOR (s:KureSyncState) REQUIRE s.kind IS UNIQUE",
    "CREATE CONSTRAINT kure_lease_name IF NOT EXISTS FOR (l:KureLease) REQUIRE l.name IS UNIQUE",
)


def node_id(kind: str, namespace: str | None, name: str) -> str:
    """``<Kind>/<namespace or _>/<name>`` (graph.md §2.2)."""
    return f"{kind}/{namespace or '_'}/{name}"


async def ensure_schema(driver: AsyncDriver, database: str | None = None) -> None:
    """Create the constraints and indexes of graph.md §2.7 (idempotent) and wait until they are online."""
    async with driver.session(database=database) as session:
        for statement in SCHEMA_STATEMENTS:
            result = await session.run(statement)
            await result.consume()
        result = await session.run("CALL db.awaitIndexes(60)")
        await result.consume()


def placeholder_props(kind: str, namespace: str | None, name: str) -> dict[str, Any]:
    """The five common properties of a placeholder (graph.md §2.6)."""
    props: dict[str, Any] = {"id": node_id(kind, namespace, name), "kind": kind, "name": name, "origin": "derived"}
    if namespace and KIND_INFO[kind].namespaced:
        props["namespace"] = namespace
    return props
