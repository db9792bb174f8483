"""Which watched objects are evaluated, as what (docs/agent-scanner.md#scope), and the Context each one gets
(docs/agent-scanner.md#check-interface).

Pure functions. The caches are the watch's plain ``kind -> {(namespace, name): raw object}`` mappings; what is read
from them is typed here (app/kube/bodies.py), and the evaluated object arrives typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from app.kube.bodies import (
    as_limit_range,
    as_namespace,
    as_network_policy,
    as_object,
    as_pod_disruption_budget,
    as_resource_quota,
    as_service_account,
)
from app.kube.resources import KINDS, ResourceKind

from .checks.base import PT_KINDS, Context, KubeObject, pod_spec

Key = tuple[str, str]  # (namespace, name); namespace "" for cluster-scoped objects
Caches = Mapping[str, Mapping[Key, Mapping[str, Any]]]

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


def _controller_kind(obj: KubeObject) -> str | None:
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller") is True:
            return str(ref.get("kind") or "")
    return None


def key_of(obj: KubeObject) -> Key:
    meta = obj.get("metadata") or {}
    return str(meta.get("namespace") or ""), str(meta.get("name") or "")


def finding_namespace(obj: KubeObject) -> str:
    """docs/agent-scanner.md#findings: a namespaced object's namespace; a Namespace's own name; ``""`` for other
    cluster-scoped kinds."""
    if obj.get("kind") == "Namespace":
        return str((obj.get("metadata") or {}).get("name") or "")
    return str((obj.get("metadata") or {}).get("namespace") or "")


def in_scope(obj: KubeObject, excluded_namespaces: Iterable[str] = ()) -> bool:
    """Whether the object is evaluated at all (docs/agent-scanner.md#scope), exclusions included."""
    kind = obj.get("kind")
    meta = obj.get("metadata") or {}
    if kind not in EVALUATED_KINDS:
        return False
    namespace = finding_namespace(obj)
    if namespace and namespace in set(excluded_namespaces):
        return False
    if kind == "Namespace":
        return (as_namespace(obj).get("status") or {}).get("phase") != "Terminating"
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


_Body = TypeVar("_Body")


def _in_namespace(
    caches: Caches, kind: str, namespace: str, read: Callable[[Mapping[str, Any]], _Body]
) -> list[_Body]:
    return [read(obj) for (ns, _), obj in (caches.get(kind) or {}).items() if ns == namespace]


def build_context(obj: KubeObject, caches: Caches, trusted_registries: frozenset[str]) -> Context:
    namespace = finding_namespace(obj)
    service_accounts = {
        name: as_service_account(sa)
        for (ns, name), sa in (caches.get("ServiceAccount") or {}).items()
        if ns == namespace
    }
    namespace_obj = (caches.get("Namespace") or {}).get(("", namespace)) if namespace else None
    return Context(
        namespace=as_namespace(namespace_obj) if namespace_obj is not None else None,
        network_policies=_in_namespace(caches, "NetworkPolicy", namespace, as_network_policy),
        pod_disruption_budgets=_in_namespace(caches, "PodDisruptionBudget", namespace, as_pod_disruption_budget),
        service_accounts=service_accounts,
        limit_ranges=_in_namespace(caches, "LimitRange", namespace, as_limit_range),
        resource_quotas=_in_namespace(caches, "ResourceQuota", namespace, as_resource_quota),
        trusted_registries=trusted_registries,
    )


@dataclass(frozen=True)
class ResourceRef:
    """Identity of a finding set (docs/agent-scanner.md#findings): (resource_type, namespace as sent, resource_name)."""

    kind: str
    namespace: str
    name: str


def ref_of(obj: KubeObject) -> ResourceRef:
    return ResourceRef(str(obj.get("kind") or ""), finding_namespace(obj), key_of(obj)[1])


def dependants(changed: KubeObject, caches: Caches) -> list[ResourceRef]:
    """The context fan-out (docs/agent-scanner.md#incremental-rescans): the resources to re-evaluate when a context
    object changes."""
    kind = changed.get("kind")
    namespace = str((changed.get("metadata") or {}).get("namespace") or "")
    out: list[ResourceRef] = []

    def pt_resources(predicate: Callable[[KubeObject], bool] | None = None) -> list[ResourceRef]:
        refs = []
        for pt_kind in PT_KINDS:
            for (ns, _), raw in (caches.get(pt_kind) or {}).items():
                obj = as_object(raw)
                if ns == namespace and (predicate is None or predicate(obj)):
                    refs.append(ref_of(obj))
        return refs

    if kind in ("NetworkPolicy", "ResourceQuota"):
        out.append(ResourceRef("Namespace", namespace, namespace))
    elif kind == "PodDisruptionBudget":
        for dep_kind in ("Deployment", "StatefulSet"):
            out += [ref_of(as_object(o)) for (ns, _), o in (caches.get(dep_kind) or {}).items() if ns == namespace]
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
