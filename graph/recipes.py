# ruff: noqa: E501  (the recipes are kept verbatim as analysts paste them into Neo4j Browser)
"""The analyst recipes for Neo4j Browser (docs/graph.md#analyst-recipes-neo4j-browser), shared by the docs and the
tests.

Each runs unchanged on Neo4j 5.26 Community (plain Cypher 5, no plugins) and returns no rows on an empty graph.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Recipe:
    key: str
    title: str
    cypher: str
    params: tuple[str, ...] = ()


RECIPES: tuple[Recipe, ...] = (
    Recipe(
        "R1",
        "Who can exec into pods in namespace `$ns`",
        """\
MATCH (s:Subject)-[:MEMBER_OF*0..1]->(holder:Subject)-[:SUBJECT_OF]->(b)-[:ROLE_REF]->(r)-[:GRANTS]->(p:Permission)
WHERE b.scope IN [$ns, '*']
  AND p.api_group IN ['', '*']
  AND p.resource IN ['pods/exec', '*/exec', '*']
  AND any(v IN p.verbs WHERE v IN ['create', 'get', '*'])
RETURN s.kind AS subject_kind, s.namespace AS subject_namespace, s.name AS subject,
       holder.name AS via, b.kind AS binding_kind, b.namespace AS binding_namespace, b.name AS binding,
       r.kind AS role_kind, r.name AS role, p.verbs AS verbs, p.resource_names AS only_pods
ORDER BY subject_kind, subject_namespace, subject, binding
""",
        ("ns",),
    ),
    Recipe(
        "R2",
        "Who can read Secrets, and where",
        """\
MATCH (s:Subject)-[:MEMBER_OF*0..1]->(:Subject)-[:SUBJECT_OF]->(b)-[:ROLE_REF]->(r)-[:GRANTS]->(p:Permission)
WHERE p.api_group IN ['', '*'] AND p.resource IN ['secrets', '*']
  AND any(v IN p.verbs WHERE v IN ['get', 'list', 'watch', '*'])
RETURN s.kind AS subject_kind, s.namespace AS subject_namespace, s.name AS subject,
       CASE b.scope WHEN '*' THEN 'all namespaces' ELSE b.scope END AS scope,
       collect(DISTINCT r.kind + '/' + r.name) AS roles,
       collect(DISTINCT p.resource_names) AS limited_to
ORDER BY scope, subject_kind, subject
""",
        (),
    ),
    Recipe(
        "R3",
        "ServiceAccounts bound to `cluster-admin`",
        """\
MATCH (sa:ServiceAccount)-[:MEMBER_OF*0..1]->(h:Subject)-[:SUBJECT_OF]->(b)-[:ROLE_REF]->(:ClusterRole {name: 'cluster-admin'})
RETURN sa.namespace AS namespace, sa.name AS service_account, sa.origin AS origin,
       b.kind AS binding_kind, b.namespace AS binding_namespace, b.name AS binding, b.scope AS scope,
       CASE WHEN h = sa THEN 'direct' ELSE 'via group ' + h.name END AS how
ORDER BY namespace, service_account, binding
""",
        (),
    ),
    Recipe(
        "R4",
        "What uses the Secret `$ns/$name`",
        """\
MATCH (sec:K8s {id: 'Secret/' + $ns + '/' + $name})<-[m:MOUNTS]-(x)
RETURN x.kind AS kind, x.name AS name, m.via AS via
ORDER BY kind, name
""",
        ("name", "ns"),
    ),
    Recipe(
        "R5",
        "Ingress → Service → Pod paths in `$ns`",
        """\
MATCH path = (i:Ingress)-[:ROUTES_TO]->(s:Service)-[:SELECTS]->(p:Pod)
WHERE i.namespace = $ns
RETURN path
""",
        ("ns",),
    ),
    Recipe(
        "R5-table",
        "Ingress → Service → Pod paths in `$ns` (table form)",
        """\
MATCH (i:Ingress)-[rt:ROUTES_TO]->(s:Service)-[:SELECTS]->(p:Pod)
WHERE i.namespace = $ns
RETURN i.name AS ingress, rt.paths AS paths, s.name AS service, collect(p.name) AS pods
ORDER BY ingress, service
""",
        ("ns",),
    ),
    Recipe(
        "R6",
        "Running pods that no Service selects",
        """\
MATCH (p:Pod)
WHERE p.origin = 'synced' AND p.phase = 'Running'
  AND NOT EXISTS { (:Service)-[:SELECTS]->(p) }
  AND NOT EXISTS { (:Job)-[:OWNS]->(p) }
RETURN p.namespace AS namespace, p.name AS pod, p.owner_refs AS owners
ORDER BY namespace, pod
""",
        (),
    ),
    Recipe(
        "R7",
        "Workloads with pods that no NetworkPolicy covers",
        """\
MATCH (w:Workload)-[:OWNS*1..2]->(p:Pod)
WHERE w.origin = 'synced' AND (w:Deployment OR w:StatefulSet OR w:DaemonSet)
WITH w, p, EXISTS { (:NetworkPolicy)-[:APPLIES_TO]->(p) } AS covered
WITH w, count(p) AS pods, sum(CASE WHEN covered THEN 0 ELSE 1 END) AS uncovered
WHERE uncovered > 0
RETURN w.kind AS kind, w.namespace AS namespace, w.name AS name, pods, uncovered
ORDER BY namespace, kind, name
""",
        (),
    ),
    Recipe(
        "R8",
        "Subjects holding wildcard permissions",
        """\
MATCH (s:Subject)-[:SUBJECT_OF]->(b)-[:ROLE_REF]->(r)-[:GRANTS]->(p:Permission)
WHERE '*' IN p.verbs OR p.resource = '*' OR p.api_group = '*' OR p.non_resource_url = '*'
RETURN s.kind AS subject_kind, s.namespace AS subject_namespace, s.name AS subject,
       b.scope AS scope, r.kind + '/' + r.name AS role, collect(DISTINCT p.name) AS wildcard_permissions
ORDER BY subject_kind, subject_namespace, subject, scope
""",
        (),
    ),
    Recipe(
        "R9",
        "Everything the ServiceAccount `$ns/$name` may do",
        """\
MATCH (sa:K8s {id: 'ServiceAccount/' + $ns + '/' + $name})-[:MEMBER_OF*0..1]->(:Subject)-[:SUBJECT_OF]->(b)-[:ROLE_REF]->(r)-[:GRANTS]->(p:Permission)
RETURN b.scope AS scope, p.api_group AS api_group, p.resource AS resource, p.non_resource_url AS url,
       p.resource_names AS resource_names, p.verbs AS verbs, r.kind + '/' + r.name AS role,
       b.kind + '/' + coalesce(b.namespace + '/', '') + b.name AS binding
ORDER BY scope, api_group, resource, url
""",
        ("name", "ns"),
    ),
    Recipe(
        "R10",
        "Who can create pods (or workloads) in `$ns`",
        """\
MATCH (s:Subject)-[:MEMBER_OF*0..1]->(:Subject)-[:SUBJECT_OF]->(b)-[:ROLE_REF]->(r)-[:GRANTS]->(p:Permission)
WHERE b.scope IN [$ns, '*']
  AND any(v IN p.verbs WHERE v IN ['create', '*'])
  AND ((p.api_group IN ['', '*'] AND p.resource IN ['pods', '*'])
       OR (p.api_group IN ['apps', '*'] AND p.resource IN ['deployments', 'statefulsets', 'daemonsets', 'replicasets', '*'])
       OR (p.api_group IN ['batch', '*'] AND p.resource IN ['jobs', 'cronjobs', '*']))
RETURN DISTINCT s.kind AS subject_kind, s.namespace AS subject_namespace, s.name AS subject,
       p.api_group AS api_group, p.resource AS resource, b.scope AS scope
ORDER BY subject_kind, subject_namespace, subject, resource
""",
        ("ns",),
    ),
    Recipe(
        "R11",
        "Who can escalate RBAC",
        """\
MATCH (s:Subject)-[:MEMBER_OF*0..1]->(:Subject)-[:SUBJECT_OF]->(b)-[:ROLE_REF]->(r)-[:GRANTS]->(p:Permission)
WHERE (any(v IN p.verbs WHERE v IN ['bind', 'escalate', '*'])
       AND p.api_group IN ['rbac.authorization.k8s.io', '*']
       AND p.resource IN ['roles', 'clusterroles', '*'])
   OR (any(v IN p.verbs WHERE v IN ['impersonate', '*'])
       AND p.api_group IN ['', '*']
       AND p.resource IN ['users', 'groups', 'serviceaccounts', '*'])
RETURN DISTINCT s.kind AS subject_kind, s.namespace AS subject_namespace, s.name AS subject,
       p.name AS permission, p.verbs AS verbs, b.scope AS scope, r.name AS role
ORDER BY subject_kind, subject, permission
""",
        (),
    ),
    Recipe(
        "R12",
        "Dangling references",
        """\
MATCH (x:K8s)-[rel:MOUNTS|USES_SERVICE_ACCOUNT|ROLE_REF|ROUTES_TO|SCALES]->(t:K8s)
WHERE x.origin = 'synced' AND t.origin = 'derived' AND NOT t:Secret
RETURN x.kind AS from_kind, x.namespace AS namespace, x.name AS from_name,
       type(rel) AS relationship, t.kind AS missing_kind, t.name AS missing_name
ORDER BY namespace, from_kind, from_name, missing_kind, missing_name
""",
        (),
    ),
    Recipe(
        "R13",
        "Blast radius of the ConfigMap `$ns/$name`",
        """\
MATCH (cm:K8s {id: 'ConfigMap/' + $ns + '/' + $name})<-[:MOUNTS]-(w)
WHERE NOT EXISTS { (:Workload)-[:OWNS]->(w) }
OPTIONAL MATCH (w)-[:OWNS*0..2]->(p:Pod)
OPTIONAL MATCH (p)<-[:SELECTS]-(s:Service)
OPTIONAL MATCH (s)<-[:ROUTES_TO]-(i:Ingress)
RETURN w.kind AS kind, w.name AS name, count(DISTINCT p) AS pods,
       collect(DISTINCT s.name) AS services, collect(DISTINCT i.name) AS ingresses
ORDER BY kind, name
""",
        ("name", "ns"),
    ),
    Recipe(
        "R14",
        "Exposed pods with host-level privileges",
        """\
MATCH (s:Service)-[:SELECTS]->(p:Pod)
WHERE (s.exposed OR EXISTS { (:Ingress)-[:ROUTES_TO]->(s) })
  AND (p.privileged OR p.host_network OR p.host_pid OR size(p.host_paths) > 0)
RETURN p.namespace AS namespace, p.name AS pod, s.name AS service, s.type AS type,
       p.privileged AS privileged, p.host_network AS host_network, p.host_paths AS host_paths
ORDER BY namespace, pod
""",
        (),
    ),
    Recipe(
        "R15",
        "Pods whose mounted token can read Secrets",
        """\
MATCH (p:Pod)-[:USES_SERVICE_ACCOUNT]->(sa:ServiceAccount)
WHERE p.origin = 'synced' AND coalesce(p.automount_token, sa.automount_token, true)
MATCH (sa)-[:MEMBER_OF*0..1]->(:Subject)-[:SUBJECT_OF]->(b)-[:ROLE_REF]->()-[:GRANTS]->(perm:Permission)
WHERE perm.api_group IN ['', '*'] AND perm.resource IN ['secrets', '*']
  AND any(v IN perm.verbs WHERE v IN ['get', 'list', 'watch', '*'])
RETURN p.namespace AS namespace, p.name AS pod, sa.name AS service_account,
       collect(DISTINCT b.scope) AS secret_scopes
ORDER BY namespace, pod
""",
        (),
    ),
    Recipe(
        "R16",
        "ClusterRoles granted inside a single namespace",
        """\
MATCH (b:RoleBinding)-[ref:ROLE_REF]->(r:ClusterRole)
RETURN b.namespace AS namespace, b.name AS binding, r.name AS cluster_role, ref.scope AS scope,
       r.origin AS role_origin, b.subject_count AS subjects
ORDER BY namespace, binding
""",
        (),
    ),
)

BY_KEY: dict[str, Recipe] = {r.key: r for r in RECIPES}
