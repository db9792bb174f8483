"""Read transactions behind the incident's graph insight (docs/graph.md#access-and-impact-at-the-incident): the
facts about one pod that the access and impact answers are computed from.

Each function returns plain dicts (projected maps, no graph objects) or None when the pod is not a synced node;
it raises :class:`graph.queries.GraphUnavailable` like the diagram queries. What the facts mean — which requests
they allow, what is down — is decided by the caller with :mod:`graph.authorize`.
"""

from __future__ import annotations

from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction

from .queries import read_transaction

JSON = dict[str, Any]

_POD = """
MATCH (p:K8s {id: $pod_id}) WHERE p.origin = 'synced'
OPTIONAL MATCH (p)-[:USES_SERVICE_ACCOUNT]->(sa:ServiceAccount)
RETURN p {.id, .name, .namespace, .phase, .status, .ready, .node_name, .restarts, .waiting_reasons, .reason,
          .automount_token, .owner_refs, .labels} AS pod,
       sa {.id, .name, .namespace, .origin, .automount_token} AS service_account,
       COLLECT {
         MATCH chain = (top:K8s)-[:OWNS*1..3]->(p)
         RETURN {nodes: [n IN nodes(chain) | n {.id, .kind, .name, .namespace, .origin, .status, .replicas,
                                              .ready_replicas, .available_replicas, .desired_scheduled,
                                              .number_ready, .active, .succeeded, .failed, .parallelism}],
                 controller: all(r IN relationships(chain) WHERE r.controller)}
       } AS chains
"""

# What a kubelet may read for the pod (the Node authorizer follows pod → node): the nodes of every pod that
# mounts the same object or runs as the same ServiceAccount.
_MOUNTS = """
MATCH (p:K8s {id: $pod_id})
RETURN COLLECT {
  MATCH (p)-[m:MOUNTS]->(x)
  RETURN x {.id, .kind, .name, .namespace, .origin, via: m.via,
            nodes: COLLECT { MATCH (q:Pod)-[:MOUNTS]->(x) MATCH (q)-[:SCHEDULED_ON]->(n:Node)
                             RETURN DISTINCT n.name AS node ORDER BY node }}
} AS mounts,
COLLECT {
  MATCH (p)-[:USES_SERVICE_ACCOUNT]->(sa)
  MATCH (q:Pod)-[:USES_SERVICE_ACCOUNT]->(sa)
  MATCH (q)-[:SCHEDULED_ON]->(n:Node)
  RETURN DISTINCT n.name AS node ORDER BY node
} AS service_account_nodes
"""

_PERMISSION_PROJ = "{.id, .api_group, .resource, .resource_names, .verbs, .non_resource_url}"
_RESOURCE_PERMISSION_PROJ = "{.id, .api_group, .resource, .resource_names, .verbs}"

# Every binding whose grants can reach namespace $ns, with its role's Permissions that may concern the resources
# asked about (the exact decision is made in Python), the ClusterRoles an aggregated role takes them from, and its
# subjects. Bindings to roles that are not (or no longer) in the cluster come back with no Permissions.
_BINDINGS = f"""
CALL () {{
  MATCH (b:K8s {{namespace: $ns, kind: 'RoleBinding'}}) RETURN b
  UNION
  MATCH (b:ClusterRoleBinding) RETURN b
}}
MATCH (b)-[:ROLE_REF]->(r)
WITH b, r, COLLECT {{
  MATCH (r)-[:GRANTS]->(perm:Permission)
  WHERE perm.api_group IN $groups AND (perm.resource IN $resources OR perm.resource STARTS WITH '*/')
  RETURN perm {_RESOURCE_PERMISSION_PROJ}
}} AS permissions
WHERE size(permissions) > 0 OR r.origin <> 'synced'
RETURN collect({{
  binding: b {{.id, .kind, .namespace, .name, .scope}},
  role: r {{.kind, .namespace, .name, .origin, .aggregated}},
  permissions: permissions,
  sources: CASE WHEN r.aggregated THEN COLLECT {{
    MATCH (r)-[:AGGREGATES]->(src:ClusterRole)-[:GRANTS]->(sp:Permission)
    WHERE sp.api_group IN $groups AND (sp.resource IN $resources OR sp.resource STARTS WITH '*/')
    RETURN {{role: src.name, permission: sp {_RESOURCE_PERMISSION_PROJ}}}
  }} ELSE [] END,
  subjects: COLLECT {{ MATCH (s:Subject)-[:SUBJECT_OF]->(b) RETURN s {{.kind, .name, .namespace, .origin}} }}
}}) AS rows
"""

# Everything the subjects $subject_ids (a ServiceAccount and the groups its tokens carry) are granted, anywhere.
_SUBJECT_GRANTS = f"""
MATCH (s:K8s) WHERE s.id IN $subject_ids
MATCH (s)-[:SUBJECT_OF]->(b)-[:ROLE_REF]->(r)
RETURN collect({{
  subject: s {{.id, .kind, .name, .namespace}},
  binding: b {{.id, .kind, .namespace, .name, .scope}},
  role: r {{.id, .kind, .namespace, .name, .origin, .aggregated}},
  permissions: COLLECT {{ MATCH (r)-[:GRANTS]->(perm:Permission) RETURN perm {_PERMISSION_PROJ} }}
}}) AS rows
"""

_AROUND = """
MATCH (p:K8s {id: $pod_id})
RETURN COLLECT {
  MATCH (s:Service)-[:SELECTS]->(p)
  RETURN s {.id, .name, .type, .ports, .exposed, .cluster_ip,
            slices: COLLECT { MATCH (s)-[:HAS_ENDPOINT_SLICE]->(e:EndpointSlice) WHERE e.origin = 'synced'
                              RETURN e {.endpoints, .ready_endpoints} },
            pods: COUNT { (s)-[:SELECTS]->(:Pod) },
            ready_pods: COUNT { MATCH (s)-[:SELECTS]->(q:Pod) WHERE q.ready },
            ingresses: COLLECT { MATCH (i:Ingress)-[rt:ROUTES_TO]->(s) WHERE i.origin = 'synced'
                                 RETURN i {.name, .hosts, .tls_hosts, .ingress_class, paths: rt.paths} }}
} AS services,
COLLECT {
  MATCH (h:HorizontalPodAutoscaler)-[:SCALES]->(w)-[:OWNS*0..2]->(p) WHERE h.origin = 'synced'
  RETURN DISTINCT h {.name, .min_replicas, .max_replicas, .current_replicas, .desired_replicas,
                    target_kind: w.kind, target_name: w.name}
} AS autoscalers,
COLLECT {
  MATCH (np:NetworkPolicy)-[:APPLIES_TO]->(p)
  RETURN np {.name, .pod_selector, .policy_types, .ingress_rules, .egress_rules}
} AS network_policies,
COLLECT {
  MATCH (p)-[m:MOUNTS]->(x)
  RETURN x {.id, .kind, .name, .origin, .phase, .access_modes, via: m.via,
            pods: COUNT { MATCH (q:Pod)-[:MOUNTS]->(x) WHERE q <> p },
            pod_names: COLLECT { MATCH (q:Pod)-[:MOUNTS]->(x) WHERE q <> p
                                 RETURN q.name AS name ORDER BY name LIMIT $shared_limit },
            workloads: COLLECT { MATCH (w:Workload)-[:MOUNTS]->(x)
                                 WHERE w.origin = 'synced' AND NOT EXISTS { (:Workload)-[:OWNS]->(w) }
                                 RETURN w.kind + '/' + w.name AS workload ORDER BY workload }}
} AS mounts
"""


# What selects pods in the namespace: every Service's selector and NetworkPolicy's podSelector (a mirror pod's new
# labels are matched against them).
_SELECTORS = """
CALL () {
  MATCH (n:K8s {namespace: $ns, kind: 'Service'}) WHERE n.origin = 'synced' RETURN n
  UNION
  MATCH (n:K8s {namespace: $ns, kind: 'NetworkPolicy'}) WHERE n.origin = 'synced' RETURN n
}
RETURN collect(n {.kind, .name, .selector, .pod_selector_json, .policy_types}) AS selectors
"""


async def _one(tx: AsyncManagedTransaction, query: str, **params: Any) -> JSON | None:
    result = await tx.run(query, params)
    record = await result.single()
    return None if record is None else dict(record)


def pod_id(namespace: str, name: str) -> str:
    return f"Pod/{namespace}/{name}"


async def access_facts(
    driver: AsyncDriver | None,
    namespace: str,
    pod_name: str,
    *,
    groups: list[str],
    resources: list[str],
    database: str | None = None,
    timeout_seconds: float = 10,
) -> JSON | None:
    """The pod, its owners, what it mounts and who runs it, and every binding in reach of its namespace with the
    Permissions on ``resources`` of ``groups`` (include ``*`` in both to see wildcards)."""

    async def work(tx: AsyncManagedTransaction) -> JSON | None:
        pod = await _one(tx, _POD, pod_id=pod_id(namespace, pod_name))
        if pod is None:
            return None
        mounts = await _one(tx, _MOUNTS, pod_id=pod_id(namespace, pod_name)) or {}
        bindings = await _one(tx, _BINDINGS, ns=namespace, groups=groups, resources=resources) or {}
        return {**pod, **mounts, "bindings": bindings.get("rows") or []}

    result: JSON | None = await read_transaction(driver, work, database=database, timeout_seconds=timeout_seconds)
    return result


async def impact_facts(
    driver: AsyncDriver | None,
    namespace: str,
    pod_name: str,
    *,
    implicit_groups: list[str],
    shared_limit: int = 20,
    selectors: bool = False,
    database: str | None = None,
    timeout_seconds: float = 10,
) -> JSON | None:
    """The pod, its owners, the Services/Ingresses/autoscalers/policies around it, what it mounts and who else
    does, and every grant of its ServiceAccount and of ``implicit_groups`` (the groups its tokens carry); with
    ``selectors`` also every Service and NetworkPolicy selector of its namespace."""

    async def work(tx: AsyncManagedTransaction) -> JSON | None:
        pod = await _one(tx, _POD, pod_id=pod_id(namespace, pod_name))
        if pod is None:
            return None
        around = await _one(tx, _AROUND, pod_id=pod_id(namespace, pod_name), shared_limit=shared_limit) or {}
        subject_ids = [f"Subject:Group/_/{group}" for group in implicit_groups]
        if pod.get("service_account"):
            subject_ids.append(pod["service_account"]["id"])
        grants = await _one(tx, _SUBJECT_GRANTS, subject_ids=subject_ids) or {}
        found = {**pod, **around, "service_account_grants": grants.get("rows") or []}
        if selectors:
            found.update(await _one(tx, _SELECTORS, ns=namespace) or {})
        return found

    result: JSON | None = await read_transaction(driver, work, database=database, timeout_seconds=timeout_seconds)
    return result
