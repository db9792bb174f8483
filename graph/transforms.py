"""Kubernetes objects (typed at the boundary, app/kube/bodies.py) → node properties, and the relationships the
object determines (docs/graph.md#schema).

Pure functions: no I/O, no clock (the writer stamps ``sync_gen``/``synced_at``). ConfigMap ``data``,
environment variable values and annotations never leave this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from app.core.timefmt import iso, parse_timestamp
from app.kube.bodies import (
    Container,
    CronJob,
    DaemonSet,
    Deployment,
    EndpointSlice,
    HorizontalPodAutoscaler,
    Ingress,
    Job,
    KubeObject,
    Namespace,
    NetworkPolicy,
    Node,
    PersistentVolumeClaim,
    Pod,
    PodSpec,
    ReplicaSet,
    ReplicaStatus,
    Role,
    RoleBinding,
    Service,
    ServiceAccount,
    StatefulSet,
    as_cronjob,
    as_daemonset,
    as_deployment,
    as_endpointslice,
    as_hpa,
    as_ingress,
    as_job,
    as_namespace,
    as_network_policy,
    as_node,
    as_pod,
    as_pvc,
    as_replicaset,
    as_role,
    as_role_binding,
    as_service,
    as_service_account,
    as_statefulset,
)

from .rbac import binding_scope, role_ref_of
from .relationships import (
    Ref,
    all_containers,
    ingress_backends,
    pod_spec_of,
    references_of,
    service_account_of,
    synthesized_of,
)
from .schema import KIND_INFO, SYNCED_KINDS, node_id
from .selectors import selector_json, selector_list_json, selector_string

JSON = dict[str, Any]

APP_LABELS: dict[str, str] = {
    "app": "app",
    "app.kubernetes.io/name": "app_name",
    "app.kubernetes.io/instance": "app_instance",
    "app.kubernetes.io/component": "app_component",
    "app.kubernetes.io/part-of": "app_part_of",
    "app.kubernetes.io/version": "app_version",
}


@dataclass
class Transformed:
    """One object as the writer stores it: node properties, the references it determines and the nodes it is
    made of (per relationship type, see :class:`graph.relationships.Synthesis`)."""

    kind: str
    id: str
    name: str
    namespace: str | None
    props: JSON
    refs: list[Ref] = field(default_factory=list)
    synthesized: dict[str, list[JSON]] = field(default_factory=dict)


def _iso(value: Any) -> str | None:
    """A Kubernetes timestamp in the API's one format; text that does not parse is kept as it is."""
    if not value:
        return None
    try:
        return iso(parse_timestamp(str(value)))
    except ValueError:
        return str(value)


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value) if value is not None else default
    except (TypeError, ValueError):
        return default


def _put(props: JSON, key: str, value: Any) -> None:
    """Neo4j cannot store null: absent values are simply not set."""
    if value is not None:
        props[key] = value


# ---------------------------------------------------------------------------------------------- pod specs


def _containers(spec: PodSpec) -> list[Container]:
    return [c for c in (spec.get("containers") or []) if isinstance(c, dict)]


def _template_props(kind: str, spec: PodSpec, props: JSON) -> None:
    containers = _containers(spec)
    if containers and containers[0].get("image"):
        props["image"] = str(containers[0]["image"])
    images: list[str] = []
    for c in all_containers(spec):
        image = c.get("image")
        if image and image not in images:
            images.append(str(image))
    props["images"] = images
    _put(props, "service_account", service_account_of(kind, spec))
    props["host_network"] = bool(spec.get("hostNetwork"))
    props["host_pid"] = bool(spec.get("hostPID"))
    props["host_ipc"] = bool(spec.get("hostIPC"))
    props["privileged"] = any(bool((c.get("securityContext") or {}).get("privileged")) for c in all_containers(spec))
    props["host_paths"] = [
        str((v.get("hostPath") or {}).get("path", "")) for v in spec.get("volumes") or [] if v.get("hostPath")
    ]
    if spec.get("automountServiceAccountToken") is not None:
        props["automount_token"] = bool(spec["automountServiceAccountToken"])


# ---------------------------------------------------------------------------------------------- per kind


def _ready_status(ready: Any, desired: Any) -> str:
    return f"{_int(ready)}/{_int(desired)} Ready"


def _pod(obj: Pod, props: JSON) -> None:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    statuses = [s for s in status.get("containerStatuses") or [] if isinstance(s, dict)]
    init_statuses = [s for s in status.get("initContainerStatuses") or [] if isinstance(s, dict)]
    _put(props, "phase", status.get("phase"))
    _put(props, "node_name", spec.get("nodeName"))
    _put(props, "pod_ip", status.get("podIP"))
    _put(props, "qos_class", status.get("qosClass"))
    _put(props, "reason", status.get("reason"))
    ready = sum(1 for s in statuses if s.get("ready"))
    total = len(_containers(spec))
    # The Ready condition, as Services and controllers count a pod (readiness gates included); absent = not ready.
    props["ready"] = any(
        isinstance(c, dict) and c.get("type") == "Ready" and c.get("status") == "True"
        for c in status.get("conditions") or []
    )
    props["ready_containers"] = ready
    props["total_containers"] = total
    props["restarts"] = sum(_int(s.get("restartCount")) for s in statuses + init_statuses)
    props["waiting_reasons"] = sorted(
        {
            str(((s.get("state") or {}).get("waiting") or {}).get("reason"))
            for s in statuses + init_statuses
            if ((s.get("state") or {}).get("waiting") or {}).get("reason")
        }
    )
    if not obj.get("status"):
        props["status"] = "Unknown"
    elif status.get("phase") == "Running" and statuses:
        props["status"] = f"{ready}/{total} Ready"
    else:
        _put(props, "status", status.get("phase") or "Unknown")


def _replicated_status(replicas: int | None, status: ReplicaStatus | None) -> str:
    """``<ready>/<desired> Ready`` of a Deployment, ReplicaSet or StatefulSet; Unknown before it has a status."""
    if not status:
        return "Unknown"
    desired = replicas if replicas is not None else status.get("replicas")
    return _ready_status(status.get("readyReplicas"), desired)


def _deployment(obj: Deployment, props: JSON) -> None:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    props["replicas"] = _int(spec.get("replicas"), 1)
    props["ready_replicas"] = _int(status.get("readyReplicas"))
    props["available_replicas"] = _int(status.get("availableReplicas"))
    props["updated_replicas"] = _int(status.get("updatedReplicas"))
    props["selector"] = selector_string(spec.get("selector"))
    props["status"] = _replicated_status(spec.get("replicas"), obj.get("status"))


def _replicaset(obj: ReplicaSet, props: JSON) -> None:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    props["replicas"] = _int(spec.get("replicas"), 1)
    props["ready_replicas"] = _int(status.get("readyReplicas"))
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    props["revision"] = _int(annotations.get("deployment.kubernetes.io/revision"))
    props["status"] = _replicated_status(spec.get("replicas"), obj.get("status"))


def _statefulset(obj: StatefulSet, props: JSON) -> None:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    props["replicas"] = _int(spec.get("replicas"), 1)
    props["ready_replicas"] = _int(status.get("readyReplicas"))
    _put(props, "service_name", spec.get("serviceName"))
    props["status"] = _replicated_status(spec.get("replicas"), obj.get("status"))


def _daemonset(obj: DaemonSet, props: JSON) -> None:
    status = obj.get("status") or {}
    props["desired_scheduled"] = _int(status.get("desiredNumberScheduled"))
    props["number_ready"] = _int(status.get("numberReady"))
    if obj.get("status"):
        props["status"] = _ready_status(status.get("numberReady"), status.get("desiredNumberScheduled"))


def _job(obj: Job, props: JSON) -> None:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    props["parallelism"] = _int(spec.get("parallelism"), 1)
    _put(props, "completions", spec.get("completions"))
    props["active"] = _int(status.get("active"))
    props["succeeded"] = _int(status.get("succeeded"))
    props["failed"] = _int(status.get("failed"))
    conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
    if not obj.get("status"):
        props["status"] = "Unknown"
    elif conditions.get("Complete") == "True":
        props["status"] = "Succeeded"
    elif conditions.get("Failed") == "True":
        props["status"] = "Failed"
    elif _int(status.get("active")) > 0:
        props["status"] = "Active"
    else:
        props["status"] = "Pending"


def _cronjob(obj: CronJob, props: JSON) -> None:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    _put(props, "schedule", spec.get("schedule"))
    props["suspend"] = bool(spec.get("suspend"))
    _put(props, "last_schedule_time", _iso(status.get("lastScheduleTime")))
    if not obj.get("status"):
        props["status"] = "Unknown"
    else:
        props["status"] = "Scheduled" if status.get("lastScheduleTime") else "Pending"


def _service(obj: Service, props: JSON) -> None:
    spec = obj.get("spec") or {}
    svc_type = spec.get("type") or "ClusterIP"
    props["type"] = svc_type
    _put(props, "cluster_ip", spec.get("clusterIP"))
    props["selector"] = sorted(f"{k}={v}" for k, v in (spec.get("selector") or {}).items())
    ports = []
    for port in spec.get("ports") or []:
        text = f"{port.get('port')}/{port.get('protocol') or 'TCP'}"
        ports.append(f"{port['name']}:{text}" if port.get("name") else text)
    props["ports"] = ports
    props["exposed"] = svc_type in ("LoadBalancer", "NodePort") or bool(spec.get("externalIPs"))
    props["status"] = "Unknown" if not obj.get("status") else svc_type


def _endpointslice(obj: EndpointSlice, props: JSON) -> None:
    labels = (obj.get("metadata") or {}).get("labels") or {}
    _put(props, "service_name", labels.get("kubernetes.io/service-name"))
    _put(props, "address_type", obj.get("addressType"))
    endpoints = [e for e in obj.get("endpoints") or [] if isinstance(e, dict)]
    props["endpoints"] = len(endpoints)
    props["ready_endpoints"] = sum(1 for e in endpoints if (e.get("conditions") or {}).get("ready") is not False)


def _ingress(obj: Ingress, props: JSON) -> None:
    spec = obj.get("spec") or {}
    _put(props, "ingress_class", spec.get("ingressClassName"))
    props["hosts"] = sorted({str(r["host"]) for r in spec.get("rules") or [] if r.get("host")})
    props["tls_hosts"] = sorted({str(h) for t in spec.get("tls") or [] for h in t.get("hosts") or []})
    props["backend_services"] = sorted(ingress_backends(obj))


def _pvc(obj: PersistentVolumeClaim, props: JSON) -> None:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    _put(props, "phase", status.get("phase"))
    _put(props, "storage_class", spec.get("storageClassName"))
    props["access_modes"] = [str(m) for m in spec.get("accessModes") or []]
    _put(props, "requested_storage", ((spec.get("resources") or {}).get("requests") or {}).get("storage"))
    _put(props, "volume_name", spec.get("volumeName"))
    props["status"] = "Unknown" if not obj.get("status") else (status.get("phase") or "Unknown")


def _hpa(obj: HorizontalPodAutoscaler, props: JSON) -> None:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    target = spec.get("scaleTargetRef") or {}
    _put(props, "target_kind", target.get("kind"))
    _put(props, "target_name", target.get("name"))
    props["min_replicas"] = _int(spec.get("minReplicas"), 1)
    _put(props, "max_replicas", spec.get("maxReplicas"))
    _put(props, "current_replicas", status.get("currentReplicas"))
    _put(props, "desired_replicas", status.get("desiredReplicas"))


def _networkpolicy(obj: NetworkPolicy, props: JSON) -> None:
    spec = obj.get("spec") or {}
    selector = spec.get("podSelector") or {}
    props["pod_selector"] = selector_string(selector)
    props["pod_selector_json"] = selector_json(selector)
    types = spec.get("policyTypes")
    if not types:
        types = ["Ingress"] + (["Egress"] if spec.get("egress") else [])
    props["policy_types"] = [str(t) for t in types]
    props["ingress_rules"] = len(spec.get("ingress") or [])
    props["egress_rules"] = len(spec.get("egress") or [])


def _namespace(obj: Namespace, props: JSON) -> None:
    phase = (obj.get("status") or {}).get("phase")
    _put(props, "phase", phase)
    props["status"] = phase or "Unknown"


def _node(obj: Node, props: JSON) -> None:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    ready = next((c.get("status") for c in status.get("conditions") or [] if c.get("type") == "Ready"), None)
    props["ready"] = ready == "True"
    props["unschedulable"] = bool(spec.get("unschedulable"))
    # A real API server always returns nodeInfo; its fields are "" until a kubelet reports them.
    _put(props, "kubelet_version", (status.get("nodeInfo") or {}).get("kubeletVersion") or None)
    _put(
        props,
        "internal_ip",
        next((a.get("address") for a in status.get("addresses") or [] if a.get("type") == "InternalIP"), None),
    )
    labels = (obj.get("metadata") or {}).get("labels") or {}
    prefix = "node-role.kubernetes.io/"
    props["roles"] = sorted(k[len(prefix) :] for k in labels if k.startswith(prefix) and k[len(prefix) :])
    props["status"] = "Unknown" if ready is None else ("Ready" if ready == "True" else "NotReady")


def _role(obj: Role, props: JSON) -> None:
    rules = [r for r in obj.get("rules") or [] if isinstance(r, dict)]
    props["rule_count"] = len(rules)
    props["system"] = str(props["name"]).startswith("system:")
    if props["kind"] == "ClusterRole":
        rule = obj.get("aggregationRule")
        props["aggregated"] = bool(rule)
        if isinstance(rule, dict):
            selectors = [s for s in rule.get("clusterRoleSelectors") or [] if isinstance(s, dict)]
            props["aggregation_selectors"] = selector_list_json(selectors)


def _binding(obj: RoleBinding, props: JSON) -> None:
    kind, namespace = str(props["kind"]), props.get("namespace")
    props["scope"] = binding_scope(kind, namespace)
    props["subject_count"] = sum(1 for s in obj.get("subjects") or [] if isinstance(s, dict))
    role = role_ref_of(kind, namespace, obj)
    if role is not None:
        role_kind, role_ns, role_name, _ = role
        props["role_kind"] = role_kind
        props["role_name"] = role_name
        props["role_id"] = node_id(role_kind, role_ns, role_name)


def _service_account(obj: ServiceAccount, props: JSON) -> None:
    if obj.get("automountServiceAccountToken") is not None:
        props["automount_token"] = bool(obj["automountServiceAccountToken"])


# ---------------------------------------------------------------------------------------------- entry point

_Body = TypeVar("_Body")
_KindProps = Callable[[KubeObject, JSON], None]


def _as(read: Callable[[KubeObject], _Body], handle: Callable[[_Body, JSON], None]) -> _KindProps:
    """A kind's handler over the object read as that kind."""
    return lambda obj, props: handle(read(obj), props)


_KIND_PROPS: dict[str, _KindProps] = {
    "Pod": _as(as_pod, _pod),
    "Deployment": _as(as_deployment, _deployment),
    "ReplicaSet": _as(as_replicaset, _replicaset),
    "StatefulSet": _as(as_statefulset, _statefulset),
    "DaemonSet": _as(as_daemonset, _daemonset),
    "Job": _as(as_job, _job),
    "CronJob": _as(as_cronjob, _cronjob),
    "Service": _as(as_service, _service),
    "EndpointSlice": _as(as_endpointslice, _endpointslice),
    "Ingress": _as(as_ingress, _ingress),
    "PersistentVolumeClaim": _as(as_pvc, _pvc),
    "HorizontalPodAutoscaler": _as(as_hpa, _hpa),
    "NetworkPolicy": _as(as_network_policy, _networkpolicy),
    "Namespace": _as(as_namespace, _namespace),
    "Node": _as(as_node, _node),
    "Role": _as(as_role, _role),
    "ClusterRole": _as(as_role, _role),
    "RoleBinding": _as(as_role_binding, _binding),
    "ClusterRoleBinding": _as(as_role_binding, _binding),
    "ServiceAccount": _as(as_service_account, _service_account),
}


def object_id(kind: str, obj: KubeObject) -> str:
    meta = obj.get("metadata") or {}
    ns = meta.get("namespace") if KIND_INFO[kind].namespaced else None
    return node_id(kind, ns, str(meta.get("name", "")))


def transform(kind: str, obj: KubeObject) -> Transformed:
    """Transform one raw object of a synced kind (list item or watch event object)."""
    if kind not in SYNCED_KINDS:
        raise ValueError(f"not a synced kind: {kind}")
    meta = obj.get("metadata") or {}
    name = str(meta.get("name") or "")
    namespace = str(meta.get("namespace") or "") if KIND_INFO[kind].namespaced else None
    if not name or (KIND_INFO[kind].namespaced and not namespace):
        raise ValueError(f"{kind} without name/namespace")
    labels = {str(k): str(v) for k, v in (meta.get("labels") or {}).items()}
    props: JSON = {"id": node_id(kind, namespace, name), "kind": kind, "name": name, "origin": "synced"}
    if namespace:
        props["namespace"] = namespace
    _put(props, "uid", meta.get("uid"))
    _put(props, "resource_version", str(meta["resourceVersion"]) if meta.get("resourceVersion") else None)
    _put(props, "created", _iso(meta.get("creationTimestamp")))
    props["deleting"] = bool(meta.get("deletionTimestamp"))
    props["labels"] = sorted(f"{k}={v}" for k, v in labels.items())
    for label, prop in APP_LABELS.items():
        _put(props, prop, labels.get(label))
    _put(props, "group", labels.get("app.kubernetes.io/name") or labels.get("app"))
    owners = [o for o in meta.get("ownerReferences") or [] if isinstance(o, dict) and o.get("name")]
    props["owner_refs"] = [f"{o.get('kind')}/{o.get('name')}" for o in owners]

    handler = _KIND_PROPS.get(kind)
    if handler is not None:
        handler(obj, props)
    if kind == "DaemonSet" and "status" not in props:
        props["status"] = "Unknown"
    spec = pod_spec_of(kind, obj)
    if spec is not None and namespace:
        _template_props(kind, spec, props)

    return Transformed(
        kind,
        props["id"],
        name,
        namespace,
        props,
        refs=references_of(kind, namespace, obj),
        synthesized=synthesized_of(kind, namespace, obj),
    )
