"""What a real API server does to an object on its way in (defaulting and the mutating admission plugins), for
the fake server's HTTP create path. Each rule here was found by the parity test against a real kube-apiserver
(tests/kubeapi/test_graph.py): the same fixture, created over HTTP on both, must give the same graph.

Only what a client can observe in the stored object is reproduced; validation and refusals are not.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Callable, Iterator
from typing import Any

Obj = dict[str, Any]

SERVICE_ACCOUNT_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount"
#: The real server's default Service range in docs/services.md (kubeadm's default).
SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/12")


def namespace_name_label(obj: Obj) -> None:
    """Every namespace carries ``kubernetes.io/metadata.name`` (set on create and on every update)."""
    meta = obj.setdefault("metadata", {})
    labels = meta.get("labels") or {}
    labels["kubernetes.io/metadata.name"] = meta["name"]
    meta["labels"] = labels


def _containers(spec: Obj) -> Iterator[Obj]:
    for key in ("initContainers", "containers"):
        for container in spec.get(key) or []:
            if isinstance(container, dict):
                yield container


def qos_class(spec: Obj) -> str:
    """The pod's QoS class from its containers' requests and limits (cpu and memory only)."""
    requests: dict[str, str] = {}
    limits: dict[str, str] = {}
    guaranteed = True
    for container in _containers(spec):
        resources = container.get("resources") or {}
        container_requests = {k: str(v) for k, v in (resources.get("requests") or {}).items() if k in ("cpu", "memory")}
        container_limits = {k: str(v) for k, v in (resources.get("limits") or {}).items() if k in ("cpu", "memory")}
        requests.update(container_requests)
        limits.update(container_limits)
        if set(container_limits) != {"cpu", "memory"}:
            guaranteed = False
        # Requests default to the limits; a different request makes the container burstable.
        if any(container_requests.get(k, v) != v for k, v in container_limits.items()):
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def pod_admission(obj: Obj, service_account: Callable[[str], Obj | None]) -> None:
    """Defaulting plus the ServiceAccount plugin: ``serviceAccountName`` defaults to ``default``, and unless
    the pod or its account opts out, a projected token volume is mounted in every container."""
    spec = obj.setdefault("spec", {})
    name = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
    spec["serviceAccountName"] = spec["serviceAccount"] = name
    status = obj.setdefault("status", {})
    status.setdefault("phase", "Pending")
    status["qosClass"] = qos_class(spec)
    automount = spec.get("automountServiceAccountToken")
    if automount is None:
        account = service_account(name)
        automount = (account or {}).get("automountServiceAccountToken")
    if automount is False:
        return
    containers = list(_containers(spec))
    if any(m.get("mountPath") == SERVICE_ACCOUNT_MOUNT for c in containers for m in c.get("volumeMounts") or []):
        return
    volume = f"kube-api-access-{secrets.token_hex(3)[:5]}"
    spec.setdefault("volumes", []).append({"name": volume, "projected": {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
        {"downwardAPI": {"items": [{"path": "namespace",
                                    "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
    ]}})
    for container in containers:
        container.setdefault("volumeMounts", []).append(
            {"name": volume, "mountPath": SERVICE_ACCOUNT_MOUNT, "readOnly": True})


def service_defaults(obj: Obj, taken: set[str]) -> None:
    """``type`` defaults to ClusterIP and a cluster IP is allocated from the service range unless the Service
    is headless (``None``) or an ExternalName."""
    spec = obj.setdefault("spec", {})
    spec.setdefault("type", "ClusterIP")
    if spec["type"] == "ExternalName" or spec.get("clusterIP"):
        if spec.get("clusterIP"):
            spec.setdefault("clusterIPs", [spec["clusterIP"]])
        return
    addresses = SERVICE_CIDR.hosts()
    next(addresses)  # the first address belongs to the `kubernetes` Service
    for address in addresses:
        if str(address) not in taken:
            spec["clusterIP"], spec["clusterIPs"] = str(address), [str(address)]
            return


def job_defaults(obj: Obj, uid: str) -> None:
    """The Job strategy: a generated selector on the controller uid, the matching template labels, the Job's
    own labels taken from its template when it has none, one pod at a time and six retries."""
    meta = obj.setdefault("metadata", {})
    spec = obj.setdefault("spec", {})
    if not spec.get("manualSelector"):
        generated = {"batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": meta["name"],
                     "controller-uid": uid, "job-name": meta["name"]}
        template_meta = spec.setdefault("template", {}).setdefault("metadata", {})
        template_meta["labels"] = {**(template_meta.get("labels") or {}), **generated}
        spec["selector"] = {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    if not meta.get("labels"):
        meta["labels"] = dict((spec.get("template") or {}).get("metadata", {}).get("labels") or {})
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
    spec.setdefault("parallelism", 1)
    spec.setdefault("backoffLimit", 6)
    spec.setdefault("completionMode", "NonIndexed")
    spec.setdefault("suspend", False)
