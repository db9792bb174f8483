"""Kubernetes resource descriptors: how to address a kind over REST (group, version, plural, scope).

Every Kubernetes access in the project goes through :mod:`app.kube`; callers name a kind and get its paths
from here instead of hand-writing URLs.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class ResourceKind:
    kind: str
    group: str  # "" = core
    version: str
    plural: str
    namespaced: bool

    @property
    def api_version(self) -> str:
        return self.version if not self.group else f"{self.group}/{self.version}"

    def _base(self) -> str:
        return f"/api/{self.version}" if not self.group else f"/apis/{self.group}/{self.version}"

    def list_path(self, namespace: str | None = None) -> str:
        """Collection path; ``namespace=None`` lists across all namespaces (or a cluster-scoped kind)."""
        if namespace is not None and self.namespaced:
            return f"{self._base()}/namespaces/{quote(namespace, safe='')}/{self.plural}"
        return f"{self._base()}/{self.plural}"

    def item_path(self, namespace: str | None, name: str) -> str:
        return f"{self.list_path(namespace if self.namespaced else None)}/{quote(name, safe='')}"


_ALL: tuple[ResourceKind, ...] = (
    ResourceKind("Namespace", "", "v1", "namespaces", False),
    ResourceKind("Node", "", "v1", "nodes", False),
    ResourceKind("Pod", "", "v1", "pods", True),
    ResourceKind("Service", "", "v1", "services", True),
    ResourceKind("ConfigMap", "", "v1", "configmaps", True),
    ResourceKind("PersistentVolumeClaim", "", "v1", "persistentvolumeclaims", True),
    ResourceKind("PersistentVolume", "", "v1", "persistentvolumes", False),
    ResourceKind("ResourceQuota", "", "v1", "resourcequotas", True),
    ResourceKind("LimitRange", "", "v1", "limitranges", True),
    ResourceKind("PodDisruptionBudget", "policy", "v1", "poddisruptionbudgets", True),
    ResourceKind("ServiceAccount", "", "v1", "serviceaccounts", True),
    ResourceKind("Endpoints", "", "v1", "endpoints", True),
    ResourceKind("Event", "", "v1", "events", True),
    ResourceKind("Deployment", "apps", "v1", "deployments", True),
    ResourceKind("ReplicaSet", "apps", "v1", "replicasets", True),
    ResourceKind("StatefulSet", "apps", "v1", "statefulsets", True),
    ResourceKind("DaemonSet", "apps", "v1", "daemonsets", True),
    ResourceKind("Job", "batch", "v1", "jobs", True),
    ResourceKind("CronJob", "batch", "v1", "cronjobs", True),
    ResourceKind("EndpointSlice", "discovery.k8s.io", "v1", "endpointslices", True),
    ResourceKind("Ingress", "networking.k8s.io", "v1", "ingresses", True),
    ResourceKind("NetworkPolicy", "networking.k8s.io", "v1", "networkpolicies", True),
    ResourceKind("HorizontalPodAutoscaler", "autoscaling", "v2", "horizontalpodautoscalers", True),
    ResourceKind("Role", "rbac.authorization.k8s.io", "v1", "roles", True),
    ResourceKind("ClusterRole", "rbac.authorization.k8s.io", "v1", "clusterroles", False),
    ResourceKind("RoleBinding", "rbac.authorization.k8s.io", "v1", "rolebindings", True),
    ResourceKind("ClusterRoleBinding", "rbac.authorization.k8s.io", "v1", "clusterrolebindings", False),
    ResourceKind("Lease", "coordination.k8s.io", "v1", "leases", True),
)

KINDS: dict[str, ResourceKind] = {r.kind: r for r in _ALL}


def resource(kind: str) -> ResourceKind:
    """The descriptor of a kind by its exact API ``kind`` string; KeyError when unknown."""
    return KINDS[kind]
