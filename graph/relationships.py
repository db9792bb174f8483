"""Every relationship of the graph, declared once (docs/graph.md#relationships-as-schema-objects).

A declaration says which relationship type joins which kinds, in which direction, what in the cluster decides
that it exists, which end it keeps alive as a placeholder and which write removes it. The transforms ask the
declarations which references an object makes (:func:`references_of`); the writer turns the declarations into
Cypher (:mod:`graph.statements`) and has one code path per *sort* of relationship, none per kind:

- :class:`Containment` — the namespace holds the object. Follows from the object's identity, so every node
  written (placeholders too) gets it; it never changes while the object exists.
- :class:`Reference` — one end's Kubernetes object names the other end (an owner reference, a volume, a
  ``roleRef``, a binding's subject…). Recomputed on every write of the naming object, removed with it; the named
  end is created as a placeholder when absent and kept alive by it.
- :class:`Selection` — a label selector held by one end matches the labels of the other, within a namespace (or
  among cluster-scoped objects). Recomputed from whichever end was written; keeps nothing alive; removed when
  either end goes.
- :class:`Membership` — implicit membership of a ServiceAccount in the groups its namespace implies, only for
  groups that exist. Written when either end is written; removed when either end goes.
- :class:`Synthesis` — nodes the source object is made of (a role's Permission nodes): written and deleted only
  with their source.

Adding a relationship is one declaration here (with the function that finds its other ends) plus its test.
Names from this module are the only names that reach Cypher text as labels or relationship types.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from app.kube.bodies import (
    Container,
    Ingress,
    KubeObject,
    PodSpec,
    as_hpa,
    as_ingress,
    as_pod,
    as_role,
    as_role_binding,
)
from app.kube.objects import pod_template

from .rbac import permissions_of, role_ref_of, subject_of
from .schema import KIND_INFO, SYNCED_KINDS, TEMPLATE_HOLDERS, node_id
from .selectors import LabelSelector, labels_to_map, parse_selector_json, parse_selector_list_json

JSON = dict[str, Any]


class End(enum.Enum):
    """One end of a relationship: the node the arrow leaves (SOURCE) or the one it points at (TARGET)."""

    SOURCE = "source"
    TARGET = "target"

    @property
    def other(self) -> End:
        return End.TARGET if self is End.SOURCE else End.SOURCE


class Target(NamedTuple):
    """The other end of a reference, as the naming object states it (the node may not exist yet)."""

    kind: str
    namespace: str | None
    name: str
    props: tuple[tuple[str, Any], ...] = ()

    @property
    def id(self) -> str:
        return node_id(self.kind, self.namespace if KIND_INFO[self.kind].namespaced else None, self.name)


class Ref(NamedTuple):
    """A relationship an object determines, with the other end it names. (Tuples: an initial sync builds one
    per reference of 23,000 objects.)"""

    rel: str
    target_kind: str
    target_namespace: str | None
    target_name: str
    props: tuple[tuple[str, Any], ...] = ()

    @property
    def target_id(self) -> str:
        ns = self.target_namespace if KIND_INFO[self.target_kind].namespaced else None
        return node_id(self.target_kind, ns, self.target_name)

    @property
    def direction(self) -> str:
        """ "out" when the arrow leaves the object that determines it, "in" when it points at it."""
        return "out" if BY_TYPE[self.rel].determined_at is End.SOURCE else "in"


#: Finds the other ends a Kubernetes object names: (kind of the object, its namespace, the object). A finder
#: declared for one sort of kind reads the object as that kind (app/kube/bodies.py).
Finder = Callable[[str, "str | None", KubeObject], Iterable[Target]]


@dataclass(frozen=True, kw_only=True)
class Relationship:
    type: str
    source: tuple[str, ...]  # kinds at the start of the arrow
    target: tuple[str, ...]  # kinds the arrow points at
    meaning: str  # what the relationship says about the cluster, for people
    edge_kind: str | None  # the diagram API's edge kind; None: not shown in diagrams
    properties: tuple[str, ...] = ()

    #: The end whose Kubernetes state decides whether the relationship exists (None: both ends).
    determined_at: End | None = None

    @property
    def keeps_alive(self) -> End | None:
        """The end kept as a placeholder while the relationship exists (None: it keeps nothing alive)."""
        return None

    def kinds_at(self, end: End) -> tuple[str, ...]:
        return self.source if end is End.SOURCE else self.target

    def touches(self, kind: str) -> bool:
        return kind in self.source or kind in self.target


@dataclass(frozen=True, kw_only=True)
class Containment(Relationship):
    """The container holds every node of the target kinds that has a namespace; determined by the contained
    node's identity, so it is written with every node (placeholders included) and never goes stale."""

    determined_at: End | None = End.TARGET

    @property
    def keeps_alive(self) -> End | None:
        return End.SOURCE


@dataclass(frozen=True, kw_only=True)
class Reference(Relationship):
    """The object at ``determined_at`` names the other end in its spec or metadata (``determined_by`` says
    where). Each write of that object replaces its set of these relationships; its deletion removes them. The
    named end is created as a placeholder when absent and kept alive while named."""

    determined_at: End | None
    determined_by: str
    find: Finder

    @property
    def keeps_alive(self) -> End | None:
        assert self.determined_at is not None
        return self.determined_at.other

    @property
    def declaring_kinds(self) -> tuple[str, ...]:
        assert self.determined_at is not None
        return self.kinds_at(self.determined_at)


@dataclass(frozen=True, kw_only=True)
class Selection(Relationship):
    """Selectors stored on the source node (property ``selector_property``) match the ``labels`` of another
    target node in the same namespace (for cluster-scoped kinds: any other target node). Both ends determine it:
    a write of either recomputes every pair involving the written object, against the synced nodes of the other
    end read in the same transaction. A node never selects itself."""

    selector_property: str
    #: The stored property → the LabelSelectors it means, any one of which selects; () selects nothing.
    read_selectors: Callable[[Any], tuple[LabelSelector, ...]]


@dataclass(frozen=True, kw_only=True)
class Membership(Relationship):
    """A source node belongs to the target groups its namespace implies, for target nodes that exist.
    ``group_scope`` reads a group's name: "" for a group of every namespace, a namespace name, or None for a
    group nobody joins implicitly; ``groups_of`` lists the group names of a namespace."""

    group_scope: Callable[[str], str | None]
    groups_of: Callable[[str], tuple[str, ...]]


@dataclass(frozen=True, kw_only=True)
class Synthesis(Relationship):
    """The source object is made of target nodes (``build`` computes their full properties); they are written
    with it, replaced by its next write and deleted with it."""

    determined_at: End | None = End.SOURCE
    build: Callable[[str, str | None, KubeObject], list[JSON]]


# ------------------------------------------------------------------------------------------ finders


def _owners(kind: str, namespace: str | None, obj: KubeObject) -> list[Target]:
    # An owner lives in the object's scope: a namespaced owner in the same namespace, or a cluster-scoped one.
    out = []
    for owner in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if not isinstance(owner, dict) or not owner.get("name"):
            continue
        owner_kind = str(owner.get("kind"))
        if owner_kind in SYNCED_KINDS and KIND_INFO[owner_kind].namespaced == bool(namespace):
            controller = (("controller", bool(owner.get("controller"))),)
            out.append(Target(owner_kind, namespace or None, str(owner["name"]), controller))
    return out


def pod_spec_of(kind: str, obj: KubeObject) -> PodSpec | None:
    """The pod spec of a Pod or a pod-template holder; None for other kinds."""
    if kind != "Pod" and kind not in TEMPLATE_HOLDERS:
        return None
    return pod_template(obj, kind)[1]


def all_containers(spec: PodSpec) -> list[Container]:
    """Regular then init containers (ephemeral containers reference nothing the graph models)."""
    return [c for c in (spec.get("containers") or []) + (spec.get("initContainers") or []) if isinstance(c, dict)]


def _mounts(kind: str, namespace: str | None, obj: KubeObject) -> list[Target]:
    """Every ConfigMap/Secret/PVC a pod spec references, one target per object with its sorted ``via``."""
    spec = pod_spec_of(kind, obj)
    if spec is None or not namespace:
        return []
    found: dict[tuple[str, str], set[str]] = {}

    def add(target_kind: str, name: Any, via: str) -> None:
        if name:
            found.setdefault((target_kind, str(name)), set()).add(via)

    for vol in spec.get("volumes") or []:
        add("ConfigMap", (vol.get("configMap") or {}).get("name"), "volume")
        add("Secret", (vol.get("secret") or {}).get("secretName"), "volume")
        add("PersistentVolumeClaim", (vol.get("persistentVolumeClaim") or {}).get("claimName"), "volume")
        for source in (vol.get("projected") or {}).get("sources") or []:
            add("ConfigMap", (source.get("configMap") or {}).get("name"), "projected")
            add("Secret", (source.get("secret") or {}).get("name"), "projected")
    for container in all_containers(spec):
        for env_from in container.get("envFrom") or []:
            add("ConfigMap", (env_from.get("configMapRef") or {}).get("name"), "envFrom")
            add("Secret", (env_from.get("secretRef") or {}).get("name"), "envFrom")
        for env in container.get("env") or []:
            value_from = env.get("valueFrom") or {}
            add("ConfigMap", (value_from.get("configMapKeyRef") or {}).get("name"), "env")
            add("Secret", (value_from.get("secretKeyRef") or {}).get("name"), "env")
    for pull in spec.get("imagePullSecrets") or []:
        add("Secret", pull.get("name"), "imagePullSecret")
    return [
        Target(target_kind, namespace, name, (("via", sorted(vias)),))
        for (target_kind, name), vias in sorted(found.items())
    ]


def service_account_of(kind: str, spec: PodSpec) -> str | None:
    """A Pod always runs as a ServiceAccount (``default`` when unset); a template names one only when set."""
    named = spec.get("serviceAccountName") or spec.get("serviceAccount")
    if kind == "Pod":
        return str(named or "default")
    return str(named) if named else None


def _service_account(kind: str, namespace: str | None, obj: KubeObject) -> list[Target]:
    spec = pod_spec_of(kind, obj)
    if spec is None or not namespace:
        return []
    name = service_account_of(kind, spec)
    return [Target("ServiceAccount", namespace, name)] if name else []


def _node(kind: str, namespace: str | None, obj: KubeObject) -> list[Target]:
    node_name = (as_pod(obj).get("spec") or {}).get("nodeName")
    return [Target("Node", None, str(node_name))] if kind == "Pod" and namespace and node_name else []


SERVICE_NAME_LABEL = "kubernetes.io/service-name"


def _slice_service(kind: str, namespace: str | None, obj: KubeObject) -> list[Target]:
    service = ((obj.get("metadata") or {}).get("labels") or {}).get(SERVICE_NAME_LABEL)
    return [Target("Service", namespace, str(service))] if service and namespace else []


def ingress_backends(obj: Ingress) -> dict[str, list[str]]:
    """Service name → sorted ``<host or *><path>`` routes to it (``*`` alone: the default backend); resource
    backends are ignored."""
    spec = obj.get("spec") or {}
    paths: dict[str, set[str]] = {}
    default = ((spec.get("defaultBackend") or {}).get("service") or {}).get("name")
    if default:
        paths.setdefault(str(default), set()).add("*")
    for rule in spec.get("rules") or []:
        host = rule.get("host") or "*"
        for path in (rule.get("http") or {}).get("paths") or []:
            name = ((path.get("backend") or {}).get("service") or {}).get("name")
            if name:
                paths.setdefault(str(name), set()).add(f"{host}{path.get('path') or ''}")
    return {name: sorted(p) for name, p in paths.items()}


def _ingress_services(kind: str, namespace: str | None, obj: KubeObject) -> list[Target]:
    if not namespace:
        return []
    backends = ingress_backends(as_ingress(obj))
    return [Target("Service", namespace, svc, (("paths", paths),)) for svc, paths in sorted(backends.items())]


SCALABLE_KINDS = ("Deployment", "StatefulSet", "ReplicaSet")


def _scale_target(kind: str, namespace: str | None, obj: KubeObject) -> list[Target]:
    target = (as_hpa(obj).get("spec") or {}).get("scaleTargetRef") or {}
    if namespace and target.get("kind") in SCALABLE_KINDS and target.get("name"):
        return [Target(str(target["kind"]), namespace, str(target["name"]))]
    return []


def _role(kind: str, namespace: str | None, obj: KubeObject) -> list[Target]:
    ref = role_ref_of(kind, namespace, as_role_binding(obj))
    if ref is None:
        return []
    role_kind, role_ns, role_name, scope = ref
    return [Target(role_kind, role_ns, role_name, (("scope", scope),))]


def _subjects(kind: str, namespace: str | None, obj: KubeObject) -> list[Target]:
    out: dict[str, Target] = {}
    for subject in as_role_binding(obj).get("subjects") or []:
        if not isinstance(subject, dict):
            continue
        found = subject_of(subject, namespace)
        if found is not None:
            target = Target(*found)
            out.setdefault(target.id, target)
    return list(out.values())


def _service_selector(value: Any) -> tuple[LabelSelector, ...]:
    """A Service selector (stored as its sorted ``key=value`` list) selects only when it names a label."""
    wanted = labels_to_map(value)
    return ({"matchLabels": wanted},) if wanted else ()


def _pod_selector(value: Any) -> tuple[LabelSelector, ...]:
    selector = parse_selector_json(value)
    return () if selector is None else (selector,)


#: ServiceAccounts belong implicitly to these groups (the API server adds them to every token's groups).
ALL_SERVICE_ACCOUNTS = "system:serviceaccounts"


def _sa_groups(namespace: str) -> tuple[str, ...]:
    return (ALL_SERVICE_ACCOUNTS, f"{ALL_SERVICE_ACCOUNTS}:{namespace}")


def _sa_group_scope(name: str) -> str | None:
    if name == ALL_SERVICE_ACCOUNTS:
        return ""
    if name.startswith(ALL_SERVICE_ACCOUNTS + ":"):
        return name.split(":", 2)[2]
    return None


def _grants(kind: str, namespace: str | None, obj: KubeObject) -> list[JSON]:
    role = as_role(obj)
    name = str((role.get("metadata") or {}).get("name") or "")
    rules = [r for r in role.get("rules") or [] if isinstance(r, dict)]
    return permissions_of(kind, namespace, name, rules)


# ------------------------------------------------------------------------------------------ declarations

_POD_SPEC_HOLDERS = ("Pod", *sorted(TEMPLATE_HOLDERS))
_BINDINGS = ("RoleBinding", "ClusterRoleBinding")
_ROLES = ("Role", "ClusterRole")
_NAMESPACED = tuple(k for k, info in KIND_INFO.items() if info.namespaced and k != "Permission")
_SYNCED = tuple(k for k in KIND_INFO if k in SYNCED_KINDS)

CONTAINS = Containment(
    type="CONTAINS",
    source=("Namespace",),
    target=_NAMESPACED,
    meaning="the object lives in the namespace (Permissions excepted: they belong to their role)",
    edge_kind=None,
)
OWNS = Reference(
    type="OWNS",
    source=_SYNCED,
    target=_SYNCED,
    meaning="an ownerReferences entry of the dependent names the owner (owners of kinds not synced are left out)",
    edge_kind="owns",
    properties=("controller",),
    determined_at=End.TARGET,
    determined_by="metadata.ownerReferences (owner reference)",
    find=_owners,
)
SELECTS = Selection(
    type="SELECTS",
    source=("Service",),
    target=("Pod",),
    meaning="the Service's selector matches the Pod's labels, same namespace; an empty selector selects nothing",
    edge_kind="selects",
    selector_property="selector",
    read_selectors=_service_selector,
)
HAS_ENDPOINT_SLICE = Reference(
    type="HAS_ENDPOINT_SLICE",
    source=("Service",),
    target=("EndpointSlice",),
    meaning="the slice serves the Service",
    edge_kind="routes",
    determined_at=End.TARGET,
    determined_by=f"the slice's {SERVICE_NAME_LABEL} label (name reference)",
    find=_slice_service,
)
ROUTES_TO = Reference(
    type="ROUTES_TO",
    source=("Ingress",),
    target=("Service",),
    meaning="the Ingress sends traffic to the Service (default backend or a rule path)",
    edge_kind="routes",
    properties=("paths",),
    determined_at=End.SOURCE,
    determined_by="spec.defaultBackend and spec.rules[].http.paths[].backend service names (name reference)",
    find=_ingress_services,
)
SCALES = Reference(
    type="SCALES",
    source=("HorizontalPodAutoscaler",),
    target=SCALABLE_KINDS,
    meaning="the autoscaler scales the workload (other target kinds: no relationship)",
    edge_kind="scales",
    determined_at=End.SOURCE,
    determined_by="spec.scaleTargetRef kind and name, same namespace (name reference)",
    find=_scale_target,
)
APPLIES_TO = Selection(
    type="APPLIES_TO",
    source=("NetworkPolicy",),
    target=("Pod",),
    meaning="the policy's podSelector matches the Pod's labels, same namespace; an empty selector matches all",
    edge_kind="policy",
    selector_property="pod_selector_json",
    read_selectors=_pod_selector,
)
MOUNTS = Reference(
    type="MOUNTS",
    source=_POD_SPEC_HOLDERS,
    target=("ConfigMap", "Secret", "PersistentVolumeClaim"),
    meaning="the pod spec reads the object (volume, projected volume, envFrom, env, image pull secret)",
    edge_kind="mounts",
    properties=("via",),
    determined_at=End.SOURCE,
    determined_by="the pod spec's volumes, env sources and imagePullSecrets (name references)",
    find=_mounts,
)
USES_SERVICE_ACCOUNT = Reference(
    type="USES_SERVICE_ACCOUNT",
    source=_POD_SPEC_HOLDERS,
    target=("ServiceAccount",),
    meaning="pods run as the ServiceAccount (a Pod always, `default` when unset; a template only when set)",
    edge_kind="mounts",
    determined_at=End.SOURCE,
    determined_by="the pod spec's serviceAccountName (name reference)",
    find=_service_account,
)
SCHEDULED_ON = Reference(
    type="SCHEDULED_ON",
    source=("Pod",),
    target=("Node",),
    meaning="the Pod is bound to the Node",
    edge_kind=None,
    determined_at=End.SOURCE,
    determined_by="spec.nodeName (name reference)",
    find=_node,
)
ROLE_REF = Reference(
    type="ROLE_REF",
    source=_BINDINGS,
    target=_ROLES,
    meaning="the binding grants the role's permissions, within its scope",
    edge_kind="refs",
    properties=("scope",),
    determined_at=End.SOURCE,
    determined_by="roleRef (a RoleBinding may name a Role of its namespace or a ClusterRole)",
    find=_role,
)
SUBJECT_OF = Reference(
    type="SUBJECT_OF",
    source=("ServiceAccount", "Subject:User", "Subject:Group"),
    target=_BINDINGS,
    meaning="the binding lists the subject",
    edge_kind="bound",
    determined_at=End.TARGET,
    determined_by="the binding's subjects (RBAC subject)",
    find=_subjects,
)
GRANTS = Synthesis(
    type="GRANTS",
    source=_ROLES,
    target=("Permission",),
    meaning="the role's rules grant exactly this (one Permission per resource key, verbs unioned within it)",
    edge_kind="grants",
    build=_grants,
)
MEMBER_OF = Membership(
    type="MEMBER_OF",
    source=("ServiceAccount",),
    target=("Subject:Group",),
    meaning=f"implicit membership of {ALL_SERVICE_ACCOUNTS} and {ALL_SERVICE_ACCOUNTS}:<namespace>",
    edge_kind=None,
    group_scope=_sa_group_scope,
    groups_of=_sa_groups,
)

AGGREGATES = Selection(
    type="AGGREGATES",
    source=("ClusterRole",),
    target=("ClusterRole",),
    meaning="one of the aggregated ClusterRole's clusterRoleSelectors matches the other ClusterRole's labels: "
    "the aggregation controller copies the other's rules into it",
    edge_kind=None,
    selector_property="aggregation_selectors",
    read_selectors=parse_selector_list_json,
)

RELATIONSHIPS: tuple[Relationship, ...] = (
    CONTAINS, OWNS, SELECTS, HAS_ENDPOINT_SLICE, ROUTES_TO, SCALES, APPLIES_TO, MOUNTS, USES_SERVICE_ACCOUNT,
    SCHEDULED_ON, ROLE_REF, SUBJECT_OF, GRANTS, MEMBER_OF, AGGREGATES,
)  # fmt: skip
BY_TYPE: dict[str, Relationship] = {r.type: r for r in RELATIONSHIPS}
REFERENCES: tuple[Reference, ...] = tuple(r for r in RELATIONSHIPS if isinstance(r, Reference))
SELECTIONS: tuple[Selection, ...] = tuple(r for r in RELATIONSHIPS if isinstance(r, Selection))
MEMBERSHIPS: tuple[Membership, ...] = tuple(r for r in RELATIONSHIPS if isinstance(r, Membership))
SYNTHESES: tuple[Synthesis, ...] = tuple(r for r in RELATIONSHIPS if isinstance(r, Synthesis))
CONTAINMENTS: tuple[Containment, ...] = tuple(r for r in RELATIONSHIPS if isinstance(r, Containment))


_DECLARED_BY: dict[str, tuple[Reference, ...]] = {
    kind: tuple(r for r in REFERENCES if kind in r.declaring_kinds) for kind in KIND_INFO
}
_SYNTHESIZED_BY: dict[str, tuple[Synthesis, ...]] = {
    kind: tuple(r for r in SYNTHESES if kind in r.source) for kind in KIND_INFO
}


def references_declared_by(kind: str) -> tuple[Reference, ...]:
    """The references an object of ``kind`` determines, in declaration order."""
    return _DECLARED_BY[kind]


def references_of(kind: str, namespace: str | None, obj: KubeObject) -> list[Ref]:
    """Every reference the object determines (the transforms call this)."""
    return [Ref(rel.type, *target) for rel in _DECLARED_BY[kind] for target in rel.find(kind, namespace, obj)]


def synthesized_of(kind: str, namespace: str | None, obj: KubeObject) -> dict[str, list[JSON]]:
    """The nodes the object is made of, per relationship type (a role's Permissions)."""
    return {rel.type: rel.build(kind, namespace, obj) for rel in _SYNTHESIZED_BY[kind]}


def edge_kind(rel: Relationship) -> str:
    """The diagram API's edge kind of a relationship diagrams show."""
    if rel.edge_kind is None:
        raise ValueError(f"{rel.type} is not shown in diagrams")
    return rel.edge_kind


def _keeper_clause() -> str:
    """Cypher: node ``y`` is kept alive by some relationship (placeholders without one are garbage)."""
    kept_as_target = [r.type for r in RELATIONSHIPS if r.keeps_alive is End.TARGET]
    kept_as_source = [r.type for r in RELATIONSHIPS if r.keeps_alive is End.SOURCE]
    return f"(EXISTS {{ (y)<-[:{'|'.join(kept_as_target)}]-() }} OR EXISTS {{ (y)-[:{'|'.join(kept_as_source)}]->() }})"


#: ``y`` has a keeper (docs/graph.md#placeholders-and-garbage).
HAS_KEEPER = _keeper_clause()


def _check(declarations: Iterable[Relationship], kinds: Mapping[str, Any]) -> None:
    """Every declared end is a known kind and every type is declared once (fails at import, not mid-sync)."""
    seen: set[str] = set()
    for rel in declarations:
        if rel.type in seen:
            raise ValueError(f"relationship {rel.type} declared twice")
        seen.add(rel.type)
        unknown = [kind for kind in rel.source + rel.target if kind not in kinds]
        if unknown:
            raise ValueError(f"{rel.type}: unknown kinds {unknown}")


_check(RELATIONSHIPS, KIND_INFO)
