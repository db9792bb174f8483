"""The graph schema as code (docs/graph.md#schema): node kinds and their labels, identity, constraints and
indexes. The relationships are declared in :mod:`graph.relationships`.

Cypher text is assembled only from the names in these two modules (fixed allow-lists), never from data.
"""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import AsyncDriver


@dataclass(frozen=True)
class KindInfo:
    kind: str  # API kind string, e.g. "Pod", "Subject:User"
    label: str  # kind label, e.g. "Pod", "User"
    extra_labels: tuple[str, ...]
    namespaced: bool
    synced: bool
    #: ``origin`` of a node of this kind created because something names it: ``derived`` stands for an object
    #: not (yet) listed; ``synthesized`` for one that exists only in the graph (RBAC users and groups).
    placeholder_origin: str = "derived"

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
        KindInfo("Subject:User", "User", _SUBJECT, False, False, "synthesized"),
        KindInfo("Subject:Group", "Group", _SUBJECT, False, False, "synthesized"),
    )
}

#: Listing order: referenced kinds before the kinds naming them, which reduces placeholder churn during an initial
#: sync (correctness does not depend on it).
SYNC_ORDER: tuple[str, ...] = (
    "Namespace", "Node", "ServiceAccount", "ConfigMap", "PersistentVolumeClaim", "Role", "ClusterRole",
    "Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job", "ReplicaSet", "Service", "NetworkPolicy",
    "Pod", "EndpointSlice", "Ingress", "HorizontalPodAutoscaler", "RoleBinding", "ClusterRoleBinding",
)  # fmt: skip

SYNCED_KINDS: frozenset[str] = frozenset(SYNC_ORDER)
WORKLOAD_KINDS: frozenset[str] = frozenset({"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob"})
TEMPLATE_HOLDERS = WORKLOAD_KINDS

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
    """``<Kind>/<namespace or _>/<name>`` (docs/graph.md#identity)."""
    return f"{kind}/{namespace or '_'}/{name}"


async def ensure_schema(driver: AsyncDriver, database: str | None = None) -> None:
    """Create the constraints and indexes (docs/graph.md#constraints-and-indexes; idempotent) and wait until they
    are online."""
    async with driver.session(database=database) as session:
        for statement in SCHEMA_STATEMENTS:
            result = await session.run(statement)
            await result.consume()
        result = await session.run("CALL db.awaitIndexes(60)")
        await result.consume()
