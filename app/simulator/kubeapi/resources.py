"""The resource table of the fake Kubernetes API server (kinds, groups, plurals, scope)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Resource:
    kind: str
    group: str  # "" = core
    version: str
    plural: str
    namespaced: bool
    short_names: tuple[str, ...] = ()

    @property
    def api_version(self) -> str:
        return self.version if not self.group else f"{self.group}/{self.version}"

    @property
    def key(self) -> str:
        """Unique key of the resource: ``<group or core>/<plural>``."""
        return f"{self.group or 'core'}/{self.plural}"

    @property
    def group_resource(self) -> str:
        """``pods`` or ``leases.coordination.k8s.io`` — the form used in Kubernetes error messages."""
        return self.plural if not self.group else f"{self.plural}.{self.group}"


RESOURCES: tuple[Resource, ...] = (
    Resource("Namespace", "", "v1", "namespaces", False, ("ns",)),
    Resource("Node", "", "v1", "nodes", False, ("no",)),
    Resource("Pod", "", "v1", "pods", True, ("po",)),
    Resource("Service", "", "v1", "services", True, ("svc",)),
    Resource("ConfigMap", "", "v1", "configmaps", True, ("cm",)),
    Resource("Secret", "", "v1", "secrets", True),
    Resource("PersistentVolumeClaim", "", "v1", "persistentvolumeclaims", True, ("pvc",)),
    Resource("PersistentVolume", "", "v1", "persistentvolumes", False, ("pv",)),
    Resource("ResourceQuota", "", "v1", "resourcequotas", True, ("quota",)),
    Resource("LimitRange", "", "v1", "limitranges", True, ("limits",)),
    Resource("PodDisruptionBudget", "policy", "v1", "poddisruptionbudgets", True, ("pdb",)),
    Resource("ServiceAccount", "", "v1", "serviceaccounts", True, ("sa",)),
    Resource("Endpoints", "", "v1", "endpoints", True, ("ep",)),
    Resource("Event", "", "v1", "events", True, ("ev",)),
    Resource("Deployment", "apps", "v1", "deployments", True, ("deploy",)),
    Resource("ReplicaSet", "apps", "v1", "replicasets", True, ("rs",)),
    Resource("StatefulSet", "apps", "v1", "statefulsets", True, ("sts",)),
    Resource("DaemonSet", "apps", "v1", "daemonsets", True, ("ds",)),
    Resource("Job", "batch", "v1", "jobs", True),
    Resource("CronJob", "batch", "v1", "cronjobs", True, ("cj",)),
    Resource("EndpointSlice", "discovery.k8s.io", "v1", "endpointslices", True),
    Resource("Ingress", "networking.k8s.io", "v1", "ingresses", True, ("ing",)),
    Resource("NetworkPolicy", "networking.k8s.io", "v1", "networkpolicies", True, ("netpol",)),
    Resource("HorizontalPodAutoscaler", "autoscaling", "v2", "horizontalpodautoscalers", True, ("hpa",)),
    Resource("Role", "rbac.authorization.k8s.io", "v1", "roles", True),
    Resource("ClusterRole", "rbac.authorization.k8s.io", "v1", "clusterroles", False),
    Resource("RoleBinding", "rbac.authorization.k8s.io", "v1", "rolebindings", True),
    Resource("ClusterRoleBinding", "rbac.authorization.k8s.io", "v1", "clusterrolebindings", False),
    Resource("Lease", "coordination.k8s.io", "v1", "leases", True),
)

BY_KIND: dict[str, Resource] = {r.kind: r for r in RESOURCES}
BY_PATH: dict[tuple[str, str, str], Resource] = {(r.group, r.version, r.plural): r for r in RESOURCES}


def resource_for(kind_or_plural: str) -> Resource:
    """Find a resource by kind (``Pod``), plural (``pods``) or short name (``po``), case-insensitively."""
    wanted = kind_or_plural.lower()
    for r in RESOURCES:
        if wanted in (r.kind.lower(), r.plural, *r.short_names):
            return r
    raise KeyError(f"unknown resource {kind_or_plural!r}")
