"""Diagram queries (docs/graph.md#diagrams; the routes: docs/api.md#diagrams): read transactions returning the wire
JSON dicts (docs/api.md#diagram-graphs).

Pure async functions taking a driver. They raise :class:`DiagramNotFound` (404, with the exact ``detail``)
and :class:`GraphUnavailable` (503: Neo4j unreachable, timed out); the HTTP layer maps them. Kind names
reaching Cypher text come from the fixed allow-lists only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from neo4j import AsyncDriver, AsyncManagedTransaction, unit_of_work
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from .relationships import (
    APPLIES_TO,
    GRANTS,
    HAS_ENDPOINT_SLICE,
    MOUNTS,
    OWNS,
    ROLE_REF,
    ROUTES_TO,
    SCALES,
    SELECTS,
    SUBJECT_OF,
    edge_kind,
)

JSON = dict[str, Any]
T = TypeVar("T")

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")

_LABEL_PROPS = (
    ("app", "app"),
    ("app_name", "app.kubernetes.io/name"),
    ("app_instance", "app.kubernetes.io/instance"),
    ("app_component", "app.kubernetes.io/component"),
    ("app_part_of", "app.kubernetes.io/part-of"),
    ("app_version", "app.kubernetes.io/version"),
)

_METADATA_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "Deployment": (("replicas", "replicas"), ("image", "image")),
    "StatefulSet": (("replicas", "replicas"), ("image", "image")),
    "DaemonSet": (("replicas", "desired_scheduled"), ("image", "image")),
    "Job": (("replicas", "parallelism"), ("image", "image")),
    "CronJob": (("schedule", "schedule"), ("image", "image")),
    "ReplicaSet": (("replicas", "replicas"), ("revision", "revision")),
    "Pod": (("image", "image"), ("node", "node_name"), ("restarts", "restarts")),
    "Service": (("type", "type"), ("cluster_ip", "cluster_ip"), ("ports", "ports")),
    "EndpointSlice": (("endpoints", "endpoints"), ("ready_endpoints", "ready_endpoints")),
    "Ingress": (("hosts", "hosts"), ("ingress_class", "ingress_class")),
    "HorizontalPodAutoscaler": (
        ("min_replicas", "min_replicas"), ("max_replicas", "max_replicas"), ("current_replicas", "current_replicas"),
    ),
    "NetworkPolicy": (("pod_selector", "pod_selector"), ("policy_types", "policy_types")),
    "PersistentVolumeClaim": (("storage_class", "storage_class"), ("requested_storage", "requested_storage")),
    "Role": (("rule_count", "rule_count"),),
    "ClusterRole": (("rule_count", "rule_count"), ("aggregated", "aggregated")),
    "RoleBinding": (("scope", "scope"), ("role_ref", "role_id")),
    "ClusterRoleBinding": (("scope", "scope"), ("role_ref", "role_id")),
}  # fmt: skip

_COMMON = (
    "id",
    "kind",
    "name",
    "namespace",
    "group",
    "status",
    "origin",
    "app",
    "app_name",
    "app_instance",
    "app_component",
    "app_part_of",
    "app_version",
)
# Only what node_json reads: transferring whole nodes ({.*}) costs more than the queries themselves.
_POD_PROJ = "{" + ", ".join(f".{p}" for p in (*_COMMON, "image", "node_name", "restarts")) + "}"
_NODE_FIELDS = ", ".join(f".{p}" for p in (
    *_COMMON, "image", "replicas", "desired_scheduled", "parallelism", "schedule", "revision", "created", "type",
    "cluster_ip", "ports", "endpoints", "ready_endpoints", "hosts", "ingress_class", "min_replicas", "max_replicas",
    "current_replicas", "pod_selector", "policy_types", "storage_class", "requested_storage", "rule_count",
    "aggregated", "scope", "role_id", "non_resource_url", "api_group", "resource", "verbs", "resource_names",
    "node_name", "restarts",
))  # fmt: skip
_NODE_PROJ = "{" + _NODE_FIELDS + "}"


def _proj(*extra: str) -> str:
    """A map projection of the common keys plus ``extra`` (null values still travel, so keep it narrow)."""
    return "{" + ", ".join(f".{p}" for p in (*_COMMON, *extra)) + "}"


_MID_FIELDS = ", ".join(f".{p}" for p in (*_COMMON, "image", "replicas", "revision", "created", "parallelism"))
_HPA_PROJ = _proj("min_replicas", "max_replicas", "current_replicas")
_REF_PROJ = _proj("storage_class", "requested_storage")
_SERVICE_PROJ = _proj("type", "cluster_ip", "ports")
_SLICE_PROJ = _proj("endpoints", "ready_endpoints")
_INGRESS_PROJ = _proj("hosts", "ingress_class")
_BINDING_PROJ = _proj("scope", "role_id")
_SUBJECT_PROJ = _proj()
_PERMISSION_PROJ = _proj("non_resource_url", "api_group", "resource", "verbs", "resource_names")

_SUBJECT_KIND = {"ServiceAccount": "ServiceAccount", "Subject:User": "User", "Subject:Group": "Group"}


class DiagramNotFound(Exception):
    """404 with the exact ``detail`` of docs/api.md#diagrams."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class GraphUnavailable(Exception):
    """503 ``Graph database not available``."""


# ------------------------------------------------------------------------------------------ JSON shaping


def node_json(
    props: JSON,
    *,
    rbac: bool = False,
    extra: JSON | None = None,
) -> JSON:
    """A graph node → the docs/api.md#diagram-graphs node object."""
    kind = str(props.get("kind"))
    api_kind = "Subject:ServiceAccount" if rbac and kind == "ServiceAccount" else kind
    metadata: JSON
    if props.get("origin") == "derived":
        metadata = {"derived": True}
    else:
        metadata = {}
        if kind not in ("Subject:User", "Subject:Group", "Permission"):
            metadata["labels"] = {label: props[p] for p, label in _LABEL_PROPS if props.get(p) is not None}
        for key, prop in _METADATA_KEYS.get(kind, ()):
            if props.get(prop) is not None:
                metadata[key] = props[prop]
        if kind == "Permission":
            if props.get("non_resource_url") is not None:
                metadata["nonResourceURL"] = props["non_resource_url"]
            else:
                metadata["apiGroup"] = props.get("api_group", "")
                metadata["resource"] = props.get("resource", "")
            metadata["verbs"] = list(props.get("verbs") or [])
            if props.get("non_resource_url") is None:
                metadata["resourceNames"] = list(props.get("resource_names") or [])
        if kind == "ReplicaSet" and extra and "current" in extra:
            metadata["current"] = extra["current"]
        if kind == "ReplicaSet" and props.get("image") is not None:
            metadata["image"] = props["image"]
        if extra and "nps_count" in extra:
            metadata["nps_count"] = extra["nps_count"]
    if rbac and kind in _SUBJECT_KIND:
        metadata["subject_kind"] = _SUBJECT_KIND[kind]
    return {
        "id": props["id"],
        "kind": api_kind,
        "name": props.get("name"),
        "namespace": props.get("namespace") or "",
        "group": props.get("group") if props.get("origin") != "derived" else None,
        "status": props.get("status"),
        "metadata": metadata,
    }


def edge_json(kind: str, source: str, target: str) -> JSON:
    return {"id": f"{kind}:{source}->{target}", "source": source, "target": target, "kind": kind}


class _GraphBuilder:
    def __init__(self) -> None:
        self.nodes: dict[str, JSON] = {}
        self.extra: dict[str, JSON] = {}
        self.edges: dict[str, JSON] = {}

    def node(self, props: JSON, **extra: Any) -> None:
        self.nodes.setdefault(props["id"], props)
        if extra:
            self.extra.setdefault(props["id"], {}).update(extra)

    def edge(self, kind: str, source: str, target: str) -> None:
        e = edge_json(kind, source, target)
        self.edges[e["id"]] = e

    def result(self, *, groups: bool, rbac: bool = False) -> JSON:
        nodes = [node_json(self.nodes[i], rbac=rbac, extra=self.extra.get(i)) for i in sorted(self.nodes)]
        edges = [self.edges[i] for i in sorted(self.edges)]
        group_list: list[JSON] = []
        if groups:
            members: dict[str, list[str]] = {}
            for n in nodes:
                members.setdefault(n["group"] or "ungrouped", []).append(n["id"])
            group_list = [
                {"id": f"group:{label}", "label": label, "members": sorted(ids)}
                for label, ids in sorted(members.items())
            ]
        return {"nodes": nodes, "edges": edges, "groups": group_list}


# ------------------------------------------------------------------------------------------ execution


async def read_transaction(
    driver: AsyncDriver | None,
    work: Callable[[AsyncManagedTransaction], Awaitable[T]],
    *,
    database: str | None,
    timeout_seconds: float,
) -> T:
    if driver is None:
        raise GraphUnavailable
    try:
        # The server ends a slow query at ``timeout_seconds``; the client-side bound also covers what the server
        # never sees: while Neo4j is down the driver retries connecting for 30 s, and a diagram should answer 503
        # well before that.
        async with asyncio.timeout(timeout_seconds + 1), driver.session(database=database) as session:
            return await session.execute_read(unit_of_work(timeout=timeout_seconds)(work))
    except (TimeoutError, ServiceUnavailable, SessionExpired, OSError) as exc:
        raise GraphUnavailable from exc
    except Neo4jError as exc:
        # Transaction timeouts and other transient server states are availability problems, not bugs.
        if exc.code and (".Transaction." in exc.code or "TransientError" in exc.code):
            raise GraphUnavailable from exc
        raise
    except DriverError as exc:
        raise GraphUnavailable from exc


async def _data(tx: AsyncManagedTransaction, query: str, **params: Any) -> list[JSON]:
    result = await tx.run(query, params)
    # Not ``result.data()``: it walks every value recursively to turn graph objects into dicts, which cost 80 %
    # of a large diagram's time. The queries return only projected maps, lists and scalars.
    return [dict(record) async for record in result]


# ------------------------------------------------------------------------------------------ namespaces


async def list_namespaces(
    driver: AsyncDriver | None, *, database: str | None = None, timeout_seconds: float = 10
) -> JSON:
    async def work(tx: AsyncManagedTransaction) -> JSON:
        rows = await _data(tx, "MATCH (n:Namespace) RETURN n.name AS name ORDER BY name")
        return {"namespaces": [r["name"] for r in rows]}

    return await read_transaction(driver, work, database=database, timeout_seconds=timeout_seconds)


_ROOTS_QUERY = """
MATCH (w:K8s {namespace: $ns})
WHERE w.origin = 'synced'
  AND (w:Deployment OR w:StatefulSet OR w:DaemonSet OR w:CronJob
       OR (w:Job AND NOT EXISTS { (:CronJob)-[:OWNS]->(w) })
       OR (w:ReplicaSet AND NOT EXISTS { (:Deployment)-[:OWNS]->(w) })
       OR (w:Pod AND NOT EXISTS { ()-[:OWNS]->(w) }))
RETURN w.id AS root
"""

_SKELETON_QUERY = f"""
UNWIND $root_ids AS rid
MATCH (w:K8s {{id: rid}})
RETURN collect({{
  root: w {_NODE_PROJ},
  mids: COLLECT {{ MATCH (w)-[:OWNS]->(m:K8s)
            WHERE m.origin = 'synced' AND ((w:Deployment AND m:ReplicaSet) OR (w:CronJob AND m:Job))
            RETURN m {{{_MID_FIELDS}, pods: COLLECT {{ MATCH (m)-[:OWNS]->(p:Pod) WHERE p.origin = 'synced'
                                                     RETURN p {_POD_PROJ} }} }} }},
  direct_pods: COLLECT {{ MATCH (w)-[:OWNS]->(p:Pod) WHERE p.origin = 'synced' RETURN p {_POD_PROJ} }},
  hpas: COLLECT {{ MATCH (h:HorizontalPodAutoscaler)-[:SCALES]->(w) WHERE h.origin = 'synced'
                  RETURN h {_HPA_PROJ} }},
  refs: COLLECT {{ MATCH (w)-[:MOUNTS|USES_SERVICE_ACCOUNT]->(x) RETURN x {_REF_PROJ} }}
}}) AS rows
"""

_AROUND_PODS_QUERY = """
UNWIND $pod_ids AS pid
MATCH (p:K8s {id: pid})
RETURN collect({
  pid: pid,
  services: COLLECT { MATCH (s:Service)-[:SELECTS]->(p) RETURN s.id },
  policies: COLLECT { MATCH (np:NetworkPolicy)-[:APPLIES_TO]->(p) RETURN np.id }
}) AS rows
"""

_NODES_QUERY = f"""
UNWIND $ids AS nid
MATCH (n:K8s {{id: nid}})
RETURN collect(n {_NODE_PROJ}) AS rows
"""

_AROUND_SERVICES_QUERY = f"""
UNWIND $service_ids AS sid
MATCH (s:K8s {{id: sid}})
RETURN collect({{
  service: s {_SERVICE_PROJ},
  slices: COLLECT {{ MATCH (s)-[:HAS_ENDPOINT_SLICE]->(e) WHERE e.origin = 'synced' RETURN e {_SLICE_PROJ} }},
  ingresses: COLLECT {{ MATCH (i:Ingress)-[:ROUTES_TO]->(s) WHERE i.origin = 'synced' RETURN i {_INGRESS_PROJ} }}
}}) AS rows
"""


async def _rows(tx: AsyncManagedTransaction, query: str, **params: Any) -> list[JSON]:
    """Queries that collect their result into one ``rows`` list: one record instead of thousands."""
    result = await tx.run(query, params)
    record = await result.single()
    return [] if record is None else [{k: v for k, v in row.items()} for row in record["rows"]]


def _clean(props: JSON) -> JSON:
    return {k: v for k, v in props.items() if v is not None}


def _current_replicaset(replicasets: list[JSON]) -> str | None:
    if not replicasets:
        return None
    scaled = [rs for rs in replicasets if (rs.get("replicas") or 0) > 0] or replicasets
    best = max(scaled, key=lambda rs: (rs.get("revision") or 0, rs.get("created") or "", rs["id"]))
    return str(best["id"])


async def _closure(tx: AsyncManagedTransaction, root_ids: list[str], *, workload_mode: bool) -> _GraphBuilder:
    b = _GraphBuilder()
    skeletons = await _rows(tx, _SKELETON_QUERY, root_ids=root_ids)
    pod_owner: dict[str, list[str]] = {}  # pod id → root ids whose pod set holds it
    for row in skeletons:
        w = _clean(row["root"])
        wid = w["id"]
        b.node(w)
        kind = w["kind"]
        pods: list[JSON] = []
        if kind == "Deployment":
            mids = [_clean(m) for m in row["mids"]]
            current = _current_replicaset(mids)
            for rs in mids:
                rs_props = {k: v for k, v in rs.items() if k != "pods"}
                b.node(rs_props, current=rs["id"] == current)
                b.edge(edge_kind(OWNS), wid, rs["id"])
                if rs["id"] == current:
                    for p in rs["pods"]:
                        pods.append(_clean(p))
                        b.edge(edge_kind(OWNS), rs["id"], p["id"])
        elif kind == "CronJob":
            for job in row["mids"]:
                b.node(_clean({k: v for k, v in job.items() if k != "pods"}))
                b.edge(edge_kind(OWNS), wid, job["id"])
                for p in job["pods"]:
                    pods.append(_clean(p))
                    b.edge(edge_kind(OWNS), job["id"], p["id"])
        elif kind == "Pod":
            pods.append(w)
        else:
            for p in row["direct_pods"]:
                pods.append(_clean(p))
                b.edge(edge_kind(OWNS), wid, p["id"])
        for p in pods:
            b.node(p)
            pod_owner.setdefault(p["id"], []).append(wid)
        for h in row["hpas"]:
            b.node(_clean(h))
            b.edge(edge_kind(SCALES), h["id"], wid)
        for x in row["refs"]:
            b.node(_clean(x))
            b.edge(edge_kind(MOUNTS), wid, x["id"])
        if not workload_mode:
            b.extra.setdefault(wid, {})["nps_count"] = 0
    around = await _rows(tx, _AROUND_PODS_QUERY, pod_ids=sorted(pod_owner))
    service_ids: set[str] = set()
    policy_ids: set[str] = set()
    policies_per_root: dict[str, set[str]] = {}
    for row in around:
        pid = row["pid"]
        for sid in row["services"]:
            b.edge(edge_kind(SELECTS), sid, pid)
            service_ids.add(sid)
        for npid in row["policies"]:
            if workload_mode:
                policy_ids.add(npid)
                b.edge(edge_kind(APPLIES_TO), npid, pid)
            for wid in pod_owner.get(pid, []):
                policies_per_root.setdefault(wid, set()).add(npid)
    if not workload_mode:
        for wid, nps in policies_per_root.items():
            b.extra.setdefault(wid, {})["nps_count"] = len(nps)
    if policy_ids:
        for np in await _rows(tx, _NODES_QUERY, ids=sorted(policy_ids)):
            b.node(_clean(np))
    for row in await _rows(tx, _AROUND_SERVICES_QUERY, service_ids=sorted(service_ids)):
        sid = row["service"]["id"]
        b.node(_clean(row["service"]))
        for e in row["slices"]:
            b.node(_clean(e))
            b.edge(edge_kind(HAS_ENDPOINT_SLICE), sid, e["id"])
        for i in row["ingresses"]:
            b.node(_clean(i))
            b.edge(edge_kind(ROUTES_TO), i["id"], sid)
    return b


async def namespace_graph(
    driver: AsyncDriver | None, namespace: str, *, database: str | None = None, timeout_seconds: float = 10
) -> JSON:
    async def work(tx: AsyncManagedTransaction) -> JSON | None:
        exists = await _data(tx, "MATCH (n:K8s {id: $id}) RETURN n.id AS id", id=f"Namespace/_/{namespace}")
        if not exists:
            return None
        roots = [r["root"] for r in await _data(tx, _ROOTS_QUERY, ns=namespace)]
        b = await _closure(tx, sorted(roots), workload_mode=False)
        return b.result(groups=True)

    result = await read_transaction(driver, work, database=database, timeout_seconds=timeout_seconds)
    if result is None:
        raise DiagramNotFound(f"Namespace '{namespace}' not found")
    return result


def canonical_workload_kind(kind: str) -> str | None:
    return next((k for k in WORKLOAD_KINDS if k.lower() == kind.lower()), None)


async def workload_graph(
    driver: AsyncDriver | None,
    namespace: str,
    kind: str,
    name: str,
    *,
    database: str | None = None,
    timeout_seconds: float = 10,
) -> JSON:
    """``kind`` must already be canonical (see :func:`canonical_workload_kind`)."""
    if kind not in WORKLOAD_KINDS:
        raise ValueError(f"not a workload kind: {kind}")
    root_id = f"{kind}/{namespace}/{name}"

    async def work(tx: AsyncManagedTransaction) -> JSON | None:
        found = await _data(tx, "MATCH (w:K8s {id: $id}) WHERE w.origin = 'synced' RETURN w.id AS id", id=root_id)
        if not found:
            return None
        b = await _closure(tx, [root_id], workload_mode=True)
        return b.result(groups=False)

    result = await read_transaction(driver, work, database=database, timeout_seconds=timeout_seconds)
    if result is None:
        raise DiagramNotFound(f"{kind} '{name}' not found in namespace '{namespace}'")
    return result


# ------------------------------------------------------------------------------------------ RBAC


async def list_roles(
    driver: AsyncDriver | None,
    include_system: bool = False,
    *,
    database: str | None = None,
    timeout_seconds: float = 10,
) -> JSON:
    async def work(tx: AsyncManagedTransaction) -> JSON:
        cluster = await _rows(
            tx,
            "MATCH (r:ClusterRole) WHERE r.origin = 'synced' AND ($inc OR NOT r.name STARTS WITH 'system:') "
            "WITH r.name AS name ORDER BY name RETURN collect({name: name}) AS rows",
            inc=include_system,
        )
        roles = await _rows(
            tx,
            "MATCH (r:Role) WHERE r.origin = 'synced' AND ($inc OR NOT r.name STARTS WITH 'system:') "
            "WITH r.namespace AS namespace, r.name AS name ORDER BY namespace, name "
            "RETURN collect({namespace: namespace, name: name}) AS rows",
            inc=include_system,
        )
        return {"cluster_roles": cluster, "roles": roles}

    return await read_transaction(driver, work, database=database, timeout_seconds=timeout_seconds)


_ROLE_QUERY = f"""
MATCH (r:K8s {{id: $role_id}}) WHERE r.origin = 'synced'
RETURN r {_NODE_PROJ} AS role,
  COLLECT {{ MATCH (r)-[:GRANTS]->(p:Permission) RETURN p {_PERMISSION_PROJ} }} AS permissions,
  COLLECT {{ MATCH (b)-[:ROLE_REF]->(r) RETURN b {_BINDING_PROJ} }} AS bindings,
  COLLECT {{ MATCH (s:Subject)-[:SUBJECT_OF]->(b)-[:ROLE_REF]->(r) RETURN [s.id, b.id] }} AS bound,
  COLLECT {{ MATCH (s:Subject)-[:SUBJECT_OF]->()-[:ROLE_REF]->(r) WITH DISTINCT s RETURN s {_SUBJECT_PROJ} }}
    AS subjects
"""


async def _role_graph(
    driver: AsyncDriver | None, role_id: str, missing: str, *, database: str | None, timeout_seconds: float
) -> JSON:
    async def work(tx: AsyncManagedTransaction) -> JSON | None:
        rows = await _data(tx, _ROLE_QUERY, role_id=role_id)
        if not rows:
            return None
        row = rows[0]
        b = _GraphBuilder()
        b.node(_clean(row["role"]))
        for p in row["permissions"]:
            b.node(_clean(p))
            b.edge(edge_kind(GRANTS), role_id, p["id"])
        for binding in row["bindings"]:
            b.node(_clean(binding))
            b.edge(edge_kind(ROLE_REF), binding["id"], role_id)
        for subject in row["subjects"]:
            b.node(_clean(subject))
        for subject_id, binding_id in row["bound"]:
            b.edge(edge_kind(SUBJECT_OF), subject_id, binding_id)
        return b.result(groups=False, rbac=True)

    result = await read_transaction(driver, work, database=database, timeout_seconds=timeout_seconds)
    if result is None:
        raise DiagramNotFound(missing)
    return result


async def role_graph(
    driver: AsyncDriver | None, namespace: str, name: str, *, database: str | None = None, timeout_seconds: float = 10
) -> JSON:
    return await _role_graph(
        driver,
        f"Role/{namespace}/{name}",
        f"Role '{name}' not found in namespace '{namespace}'",
        database=database,
        timeout_seconds=timeout_seconds,
    )


async def clusterrole_graph(
    driver: AsyncDriver | None, name: str, *, database: str | None = None, timeout_seconds: float = 10
) -> JSON:
    return await _role_graph(
        driver,
        f"ClusterRole/_/{name}",
        f"ClusterRole '{name}' not found",
        database=database,
        timeout_seconds=timeout_seconds,
    )


def sort_graph(graph: JSON) -> JSON:
    """Canonical ordering helper for comparisons (the functions above already return sorted output)."""

    def by_id(items: Iterable[JSON]) -> list[JSON]:
        return sorted(items, key=lambda x: x["id"])

    return {
        "nodes": by_id(graph["nodes"]),
        "edges": by_id(graph["edges"]),
        "groups": sorted(graph["groups"], key=lambda g: g["label"]),
    }
