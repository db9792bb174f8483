"""Which watched objects are evaluated, as what (docs/agent-scanner.md#scope), and the Context each one gets
(docs/agent-scanner.md#check-interface).

Pure functions over raw API dicts. The caches are plain ``kind -> {(namespace, name): object}`` mappings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.kube.resources import KINDS, ResourceKind

from .checks.base import PT_KINDS, Context, Obj, pod_spec

Key = tuple[str, str]  # (namespace, name); namespace "" for cluster-scoped objects
Caches = Mapping[str, Mapping[Key, Obj]]

EVALUATED_KINDS = (
    "Namespace", "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Service",
    "Ingress", "NetworkPolicy", "ServiceAccount", "ConfigMap", "Role", "ClusterRole", "RoleBinding",
    "ClusterRoleBinding", "PersistentVolume",
)  # fmt: skip
CONTEXT_KINDS = ("PodDisruptionBudget", "ResourceQuota", "LimitRange")
WATCHED_KINDS = EVALUATED_KINDS + CONTEXT_KINDS
CLUSTER_SCOPED = frozenset({"Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume"})
RBAC_KINDS = frozenset({"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"})
_POD_CONTROLLERS = frozenset({"ReplicaSet", "StatefulSet", "DaemonSet", "Job"})


def resource_kind(kind: str) -> ResourceKind:
    return KINDS[kind]


def _controller_kind(obj: Obj) -> str | None:
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller") is True:
            return str(ref.get("kind") or "")
    return None


def key_of(obj: Obj) -> Key:
    meta = obj.get("metadata") or {}
    return str(meta.get("namespace") or ""), str(meta.get("name") or "")


def finding_namespace(obj: Obj) -> str:
    """docs/agent-scanner.md#findings: a namespaced object's namespace; a Namespace's own name; ``""`` for other
    cluster-scoped kinds."""
    if obj.get("kind") == "Namespace":
        return str((obj.get("metadata") or {}).get("name") or "")
    return str((obj.get("metadata") or {}).get("namespace") or "")


def in_scope(obj: Obj, excluded_namespaces: Iterable[str] = ()) -> bool:
    """Whether the object is evaluated at all (docs/agent-scanner.md#scope), exclusions included."""
    kind = obj.get("kind")
    meta = obj.get("metadata") or {}
    if kind not in EVALUATED_KINDS:
        return False
    namespace = finding_namespace(obj)
    if namespace and namespace in set(excluded_namespaces):
        return False
    if kind == "Namespace":
        return (obj.get("status") or {}).get("phase") != "Terminating"
    if kind == "Pod":
        return _controller_kind(obj) not in _POD_CONTROLLERS
    if kind == "ReplicaSet":
        return _controller_kind(obj) != "Deployment"
    if kind == "Job":
        return _controller_kind(obj) != "CronJob"
    if kind in RBAC_KINDS:
        labels = meta.get("labels") or {}
        if labels.get("kubernetes.io/bootstrapping") == "rbac-defaults":
            return False
        return not str(meta.get("name") or "").startswith("system:")
    return True


def _in_namespace(caches: Caches, kind: str, namespace: str) -> list[Obj]:
    return [obj for (ns, _), obj in (caches.get(kind) or {}).items() if ns == namespace]


def build_context(obj: Obj, caches: Caches, trusted_registries: frozenset[str]) -> Context:
    namespace = finding_namespace(obj)
    service_accounts = {name: sa for (ns, name), sa in (caches.get("ServiceAccount") or {}).items() if ns == namespace}
    return Context(
        namespace=(caches.get("Namespace") or {}).get(("", namespace)) if namespace else None,
        network_policies=_in_namespace(caches, "NetworkPolicy", namespace),
        pod_disruption_budgets=_in_namespace(caches, "PodDisruptionBudget", namespace),
        service_accounts=service_accounts,
        limit_ranges=_in_namespace(caches, "LimitRange", namespace),
        resource_quotas=_in_namespace(caches, "ResourceQuota", namespace),
        trusted_registries=trusted_registries,
    )


@dataclass(frozen=True)
class ResourceRef:
    """Identity of a finding set (docs/agent-scanner.md#findings): (resource_type, namespace as sent, resource_name)."""

    kind: str
    namespace: str
    name: str


def ref_of(obj: Obj) -> ResourceRef:
    return ResourceRef(str(obj.get("kind") or ""), finding_namespace(obj), key_of(obj)[1])


def dependants(changed: Obj, caches: Caches) -> list[ResourceRef]:
    """The context fan-out (docs/agent-scanner.md#incremental-rescans): the resources to re-evaluate when a context
    object changes."""
    kind = changed.get("kind")
    namespace = str((changed.get("metadata") or {}).get("namespace") or "")
    out: list[ResourceRef] = []

    def pt_resources(predicate: Any = None) -> list[ResourceRef]:
        refs = []
        for pt_kind in PT_KINDS:
            for (ns, _), obj in (caches.get(pt_kind) or {}).items():
                if ns == namespace and (predicate is None or predicate(obj)):
                    refs.append(ref_of(obj))
        return refs

    if kind in ("NetworkPolicy", "ResourceQuota"):
        out.append(ResourceRef("Namespace", namespace, namespace))
    elif kind == "PodDisruptionBudget":
        for dep_kind in ("Deployment", "StatefulSet"):
            out += [ref_of(o) for (ns, _), o in (caches.get(dep_kind) or {}).items() if ns == namespace]
    elif kind == "ServiceAccount":
        sa_name = (changed.get("metadata") or {}).get("name")
        out += pt_resources(
            lambda o: (
                (pod_spec(o).get("serviceAccountName") or pod_spec(o).get("serviceAccount") or "default") == sa_name
            )
        )
    elif kind == "LimitRange":
        out.append(ResourceRef("Namespace", namespace, namespace))
        out += pt_resources()
    return out
