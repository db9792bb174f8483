"""The simulated control plane: the controllers that turn workloads into pods, and the small ones around them.

Deployments roll out through ReplicaSets (maxSurge / maxUnavailable; a rollout whose new pods never become ready
stalls with the old pods serving, as on a real cluster), StatefulSets keep ``<name>-<ordinal>`` pods and their
claims, DaemonSets one pod per eligible node, Jobs run pods to completion, CronJobs create Jobs on their
schedule and keep a short history. Namespaces get their ``default`` ServiceAccount and ``kube-root-ca.crt``,
claims are bound to volumes, Services get cluster IPs. Controllers reconcile when something they own changes;
nothing polls.
"""

from __future__ import annotations

import copy
import math
import re
from typing import TYPE_CHECKING, Any

from .clock import iso
from .kubeapi import admission
from .objects import (
    controller_of,
    hex_id,
    owner_ref,
    quantity,
    random_suffix,
    template_hash,
)
from .scenario import NodeSpec
from .scheduler import _tolerates

if TYPE_CHECKING:
    from .engine import Simulation
    from .kubelet import PodRun

Obj = dict[str, Any]

WORKLOAD_KINDS = ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob")
_DEPENDENT_KINDS = ("ReplicaSet", "Job", "Pod")
_DAY = 86400.0
_NODE_PRESSURE_SECONDS = 120.0
_ROOT_CA = ("-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIKure0simulated0ca0wDQYJKoZIhvcNAQELBQAwFTET\n"
            "-----END CERTIFICATE-----\n")  # fmt: skip
_CRON_EVERY = re.compile(r"^\*/(\d+) ")
_CRON_HOURLY = re.compile(r"^\d+ \* ")


def _percent(value: object, replicas: int, round_up: bool) -> int:
    text = str(value)
    if text.endswith("%"):
        amount = replicas * float(text[:-1]) / 100
        return math.ceil(amount) if round_up else math.floor(amount)
    return int(text)


def cron_period(schedule: str) -> float:
    """Seconds between runs of a cron schedule: ``*/N`` minutes, hourly (``M * * * *``), otherwise daily."""
    schedule = schedule.strip()
    if schedule == "@hourly" or _CRON_HOURLY.match(schedule):
        return 3600.0
    match = _CRON_EVERY.match(schedule)
    if match:
        return max(1, int(match.group(1))) * 60.0
    return _DAY


class Controllers:
    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self._dirty: set[tuple[str, str, str]] = set()
        self._initial: set[tuple[str, str, str]] = set()
        self._drain_due = False
        self._ages: dict[str, float] = {}
        self._cron_next: dict[tuple[str, str], float] = {}

    @property
    def api(self) -> Any:
        return self.sim.api

    # ------------------------------------------------------------------ creating objects

    def _age(self, key: str, low_days: float = 2, high_days: float = 60) -> float:
        if key not in self._ages:
            self._ages[key] = self.sim.rng.uniform(low_days, high_days) * _DAY
        return self._ages[key]

    def create(self, obj: Obj, *, initial: bool = False) -> Obj:
        """Store a new object as the API server and its admission would, with the side effects of its kind."""
        meta = obj.setdefault("metadata", {})
        kind = str(obj["kind"])
        meta.setdefault("uid", self.sim.uid())
        age = self._age(f"{kind}/{meta.get('namespace', '')}/{meta['name']}") if initial else 0.0
        meta.setdefault("creationTimestamp", self.sim.stamp(self.sim.now - age))
        if kind in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"):
            meta.setdefault("generation", 1)
        if kind == "Namespace":
            obj["status"] = {"phase": "Active"}
            obj.setdefault("spec", {"finalizers": ["kubernetes"]})
            meta.setdefault("labels", {})["kubernetes.io/metadata.name"] = meta["name"]
        elif kind == "Service":
            self._service_defaults(obj)
        elif kind == "Ingress":
            obj["status"] = {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}}
        elif kind == "HorizontalPodAutoscaler":
            self._hpa_status(obj)
        elif kind == "PersistentVolumeClaim":
            obj["status"] = {"phase": "Pending"}
        stored: Obj = self.api.apply(obj)
        if kind == "Namespace":
            self._namespace_defaults(stored, initial)
        elif kind == "PersistentVolumeClaim":
            self._bind_claim(stored, initial)
        elif kind == "Pod":
            self.sim.kubelet.adopt(stored, initial=initial, age=age)
        elif kind in WORKLOAD_KINDS:
            self.mark(kind, meta.get("namespace", ""), meta["name"], initial=initial)
        return stored

    def _namespace_defaults(self, ns: Obj, initial: bool) -> None:
        name = ns["metadata"]["name"]
        stamp = ns["metadata"]["creationTimestamp"]
        if self.api.get("ServiceAccount", name, "default") is None:
            self.api.apply({"apiVersion": "v1", "kind": "ServiceAccount",
                            "metadata": {"name": "default", "namespace": name, "uid": self.sim.uid(),
                                         "creationTimestamp": stamp}})  # fmt: skip
        if self.api.get("ConfigMap", name, "kube-root-ca.crt") is None:
            self.api.apply({"apiVersion": "v1", "kind": "ConfigMap",
                            "metadata": {"name": "kube-root-ca.crt", "namespace": name, "uid": self.sim.uid(),
                                         "creationTimestamp": stamp,
                                         "annotations": {"kubernetes.io/description": "Contains a CA bundle that "
                                                         "can be used to verify the kube-apiserver when using "
                                                         "internal endpoints such as the internal service IP or "
                                                         "kubernetes.default.svc. No other usage is guaranteed "
                                                         "across distributions of Kubernetes clusters."}},
                            "data": {"ca.crt": _ROOT_CA}})  # fmt: skip

    def _service_defaults(self, svc: Obj) -> None:
        taken = {ip for other in self.api.list_objects("Service") for ip in other["spec"].get("clusterIPs") or []}
        admission.service_defaults(svc, taken)
        spec = svc["spec"]
        spec.setdefault("ipFamilies", ["IPv4"])
        spec.setdefault("ipFamilyPolicy", "SingleStack")
        spec.setdefault("sessionAffinity", "None")
        spec.setdefault("internalTrafficPolicy", "Cluster")
        for port in spec.get("ports") or []:
            port.setdefault("protocol", "TCP")
            port.setdefault("targetPort", port.get("port"))
        if spec["type"] == "LoadBalancer":
            svc["status"] = {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}}
        else:
            svc["status"] = {"loadBalancer": {}}

    def _hpa_status(self, hpa: Obj) -> None:
        spec = hpa.get("spec") or {}
        minimum = int(spec.get("minReplicas") or 1)
        metrics = []
        for metric in spec.get("metrics") or []:
            resource = (metric.get("resource") or {}).get("name")
            if resource:
                utilization = 35 + self.sim.rng.randint(0, 30)
                metrics.append({"type": "Resource", "resource": {"name": resource, "current": {
                    "averageUtilization": utilization, "averageValue": f"{utilization * 4}m"}}})  # fmt: skip
        hpa["status"] = {
            "currentReplicas": minimum,
            "desiredReplicas": minimum,
            "currentMetrics": metrics,
            "conditions": [
                {"type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale",
                 "lastTransitionTime": self.sim.stamp()},
                {"type": "ScalingActive", "status": "True", "reason": "ValidMetricFound",
                 "lastTransitionTime": self.sim.stamp()},
            ],
        }  # fmt: skip

    def _bind_claim(self, pvc: Obj, initial: bool) -> None:
        meta = pvc["metadata"]
        spec = pvc.get("spec") or {}
        size = ((spec.get("resources") or {}).get("requests") or {}).get("storage", "1Gi")
        volume_name = f"pvc-{meta['uid']}"
        storage_class = spec.get("storageClassName") or "gp3"
        self.api.apply({
            "apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": {"name": volume_name, "uid": self.sim.uid(), "creationTimestamp": meta["creationTimestamp"],
                         "annotations": {"pv.kubernetes.io/provisioned-by": "ebs.csi.aws.com"},
                         "finalizers": ["kubernetes.io/pv-protection"]},
            "spec": {"accessModes": spec.get("accessModes") or ["ReadWriteOnce"], "capacity": {"storage": size},
                     "claimRef": {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": meta["name"],
                                  "namespace": meta["namespace"], "uid": meta["uid"]},
                     "csi": {"driver": "ebs.csi.aws.com", "fsType": "ext4",
                             "volumeHandle": f"vol-{hex_id(meta['uid'], length=17)}"},
                     "persistentVolumeReclaimPolicy": "Delete", "storageClassName": storage_class,
                     "volumeMode": "Filesystem"},
            "status": {"phase": "Bound"},
        })  # fmt: skip

        def bound(claim: Obj) -> None:
            claim["spec"]["volumeName"] = volume_name
            claim["spec"].setdefault("storageClassName", storage_class)
            claim["spec"].setdefault("volumeMode", "Filesystem")
            claim["status"] = {"phase": "Bound", "accessModes": spec.get("accessModes") or ["ReadWriteOnce"],
                               "capacity": {"storage": size}}  # fmt: skip

        self.api.modify("PersistentVolumeClaim", meta["namespace"], meta["name"], bound)

    # ------------------------------------------------------------------ nodes

    def add_node(self, node: NodeSpec, *, initial: bool = False) -> None:
        index = len(self.api.list_objects("Node"))
        labels = {
            "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
            "kubernetes.io/hostname": node.name, "kubernetes.io/os": "linux",
            "node.kubernetes.io/instance-type": node.instance_type, "topology.kubernetes.io/region": "eu-west-1",
            "topology.kubernetes.io/zone": node.zone, **node.labels,
        }  # fmt: skip
        taints = []
        if node.role == "control-plane":
            labels["node-role.kubernetes.io/control-plane"] = ""
            taints.append({"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"})
        memory = quantity(node.memory)
        capacity = {"cpu": node.cpu, "memory": f"{int(memory / 1024)}Ki", "pods": str(node.pods),
                    "ephemeral-storage": "104845292Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0"}  # fmt: skip
        allocatable = dict(capacity, cpu=f"{int(quantity(node.cpu) * 1000) - 90}m",
                           memory=f"{int(memory * 0.94 / 1024)}Ki", **{"ephemeral-storage": "95551679587"})  # fmt: skip
        age = self._age(f"Node/{node.name}", 20, 120) if initial else 0.0
        since = self.sim.stamp(self.sim.now - age)
        ip = f"10.0.{index // 200}.{10 + index % 200}"

        def condition(kind: str, status: str, reason: str, message: str) -> Obj:
            return {"type": kind, "status": status, "reason": reason, "message": message,
                    "lastHeartbeatTime": self.sim.stamp(), "lastTransitionTime": since}  # fmt: skip

        stored = self.api.apply({
            "apiVersion": "v1", "kind": "Node",
            "metadata": {"name": node.name, "uid": self.sim.uid(), "creationTimestamp": since, "labels": labels,
                         "annotations": {"node.alpha.kubernetes.io/ttl": "0",
                                         "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
            "spec": {"podCIDR": f"10.244.{index}.0/24", "podCIDRs": [f"10.244.{index}.0/24"],
                     "providerID": f"aws:///{node.zone}/i-{hex_id(self.sim.seed, node.name, length=17)}",
                     **({"taints": taints} if taints else {})},
            "status": {
                "capacity": capacity, "allocatable": allocatable,
                "conditions": [
                    condition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                              "kubelet has sufficient memory available"),
                    condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                    condition("PIDPressure", "False", "KubeletHasSufficientPID",
                              "kubelet has sufficient PID available"),
                    condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
                ],
                "addresses": [{"type": "InternalIP", "address": ip}, {"type": "Hostname", "address": node.name}],
                "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
                "nodeInfo": {"architecture": "amd64", "containerRuntimeVersion": "containerd://1.7.22",
                             "kernelVersion": "6.8.0-1019-aws", "kubeProxyVersion": "v1.31.4",
                             "kubeletVersion": "v1.31.4", "operatingSystem": "linux",
                             "osImage": "Ubuntu 22.04.5 LTS", "machineID": hex_id(node.name, length=32),
                             "systemUUID": hex_id(node.name, "uuid", length=32),
                             "bootID": hex_id(node.name, "boot", length=32)},
            },
        })  # fmt: skip
        self.sim.record(f"node {node.name} joins ({node.cpu} CPU, {node.memory})")
        if not initial:
            self.sim.events.emit(stored, "Normal", "Starting", "Starting kubelet.", host=node.name)
            self.sim.events.emit(stored, "Normal", "RegisteredNode",
                                 f"Node {node.name} event: Registered Node {node.name} in Controller",
                                 component="node-controller")  # fmt: skip
            self.sim.scheduler.retry_soon()
            for ds in self.api.list_objects("DaemonSet"):
                self.mark("DaemonSet", ds["metadata"]["namespace"], ds["metadata"]["name"])

    def remove_node(self, name: str) -> None:
        for run in sorted(self.sim.kubelet.runs.values(), key=lambda r: (r.namespace, r.name)):
            if run.node == name:
                self.sim.kubelet.remove(run.namespace, run.name)
                self.pod_changed(run)
        if self.api.delete("Node", None, name) is not None:
            self.sim.record(f"node {name} removed")
        for ds in self.api.list_objects("DaemonSet"):
            self.mark("DaemonSet", ds["metadata"]["namespace"], ds["metadata"]["name"])

    def node_pressure(self, name: str, resource: str) -> None:
        """The node reports memory/disk pressure for two minutes (tainted: nothing new is scheduled there)."""
        kind, taint_key = (("MemoryPressure", "node.kubernetes.io/memory-pressure") if resource == "memory"
                           else ("DiskPressure", "node.kubernetes.io/disk-pressure"))  # fmt: skip
        node = self.api.get("Node", None, name)
        if node is None:
            return

        def pressure(on: bool) -> None:
            def change(obj: Obj) -> None:
                for cond in obj["status"]["conditions"]:
                    if cond["type"] == kind:
                        cond["status"] = "True" if on else "False"
                        cond["lastTransitionTime"] = self.sim.stamp()
                        cond["reason"] = (f"KubeletHas{kind}" if on else
                                          ("KubeletHasSufficientMemory" if resource == "memory"
                                           else "KubeletHasNoDiskPressure"))  # fmt: skip
                taints = [t for t in obj["spec"].get("taints") or [] if t.get("key") != taint_key]
                if on:
                    taints.append({"key": taint_key, "effect": "NoSchedule", "timeAdded": self.sim.stamp()})
                obj["spec"]["taints"] = taints

            if self.api.get("Node", None, name) is not None:
                self.api.modify("Node", None, name, change)
                if not on:
                    self.sim.scheduler.retry_soon()

        pressure(True)
        self.sim.events.emit(node, "Warning", "EvictionThresholdMet", f"Attempting to reclaim {resource}",
                             host=name)  # fmt: skip
        self.sim.after(_NODE_PRESSURE_SECONDS, lambda: pressure(False))

    # ------------------------------------------------------------------ changes

    def update(self, kind: str, namespace: str, name: str, change: Any) -> None:
        """Change an object as a user would (``kubectl edit``); a workload then reconciles (a rollout)."""

        def apply(obj: Obj) -> None:
            before = copy.deepcopy(obj.get("spec"))
            change(obj)
            if kind in WORKLOAD_KINDS and obj.get("spec") != before:
                obj["metadata"]["generation"] = int(obj["metadata"].get("generation") or 1) + 1

        self.api.modify(kind, namespace or None, name, apply)
        if kind in WORKLOAD_KINDS:
            self.mark(kind, namespace, name)

    def delete_failed_pods(self, target: tuple[str, str, str]) -> None:
        for run in sorted(self.sim.kubelet.runs.values(), key=lambda r: r.name):
            if run.workload == target and run.phase == "Failed":
                self.sim.kubelet.remove(run.namespace, run.name, announce=False)

    def pod_changed(self, run: PodRun) -> None:
        """A pod's readiness or phase changed: its controller (and the Deployment above it) reconcile."""
        ref = controller_of({"metadata": run.meta})
        if ref is not None and ref.get("kind") in WORKLOAD_KINDS:
            self.mark(str(ref["kind"]), run.namespace, str(ref["name"]))
        if run.workload is not None and run.workload[0] in WORKLOAD_KINDS:
            self.mark(*run.workload)

    def client_change(self, event_type: str, obj: Obj) -> None:
        """An API client created, changed or deleted something."""
        kind = str(obj.get("kind"))
        meta = obj.get("metadata") or {}
        namespace, name = str(meta.get("namespace") or ""), str(meta.get("name"))
        if kind == "Pod":
            if event_type == "ADDED":
                self.sim.record(f"pod {namespace}/{name} created by an API client")
                self.sim.kubelet.adopt(obj)
            elif event_type == "DELETED":
                run = self.sim.kubelet.run_of(namespace, name)
                self.sim.kubelet.remove(namespace, name, delete=False)
                if run is not None:
                    self.pod_changed(run)
            return
        if event_type == "DELETED":
            self._collect_dependents(str(meta.get("uid")), namespace)
            if kind == "Node":
                self.remove_node(name)
            return
        if kind in WORKLOAD_KINDS:
            self.mark(kind, namespace, name)
        elif kind in ("ConfigMap", "Secret"):
            self.sim.kubelet.config_changed(namespace)
        elif kind == "Namespace" and event_type == "ADDED":
            self._namespace_defaults(obj, False)
        elif kind == "PersistentVolumeClaim" and event_type == "ADDED":
            self._bind_claim(obj, False)
        elif kind == "Node":
            self.sim.scheduler.retry_soon()

    def _collect_dependents(self, owner_uid: str, namespace: str) -> None:
        """Garbage collection: delete what the deleted object owned (and what that owned)."""
        for kind in _DEPENDENT_KINDS:
            for obj in self.api.list_objects(kind, namespace or None):
                refs = (obj.get("metadata") or {}).get("ownerReferences") or []
                if not any(ref.get("uid") == owner_uid for ref in refs):
                    continue
                meta = obj["metadata"]
                if kind == "Pod":
                    self.sim.kubelet.remove(meta["namespace"], meta["name"])
                else:
                    self.api.delete(kind, meta["namespace"], meta["name"])
                    self._collect_dependents(meta["uid"], meta["namespace"])

    # ------------------------------------------------------------------ reconciliation

    def mark(self, kind: str, namespace: str, name: str, *, initial: bool = False) -> None:
        key = (kind, namespace, name)
        self._dirty.add(key)
        if initial:
            self._initial.add(key)
        if not self._drain_due:
            self._drain_due = True
            self.sim.after(0, self._drain)

    def sync_all(self, *, initial: bool = False) -> None:
        self._drain()
        self.sim.scheduler.periodic()

    def _drain(self) -> None:
        self._drain_due = False
        rounds = 0
        while self._dirty and rounds < 50:
            rounds += 1
            order = {k: i for i, k in enumerate(WORKLOAD_KINDS)}
            batch = sorted(self._dirty, key=lambda key: (order.get(key[0], 9), key))
            self._dirty.clear()
            for key in batch:
                initial = key in self._initial
                self._initial.discard(key)
                reconcile = getattr(self, f"_reconcile_{key[0].lower()}", None)
                if reconcile is not None:
                    reconcile(key[1], key[2], initial)

    def _owned(self, kind: str, namespace: str, owner_uid: str) -> list[Obj]:
        return [
            obj for obj in self.api.list_objects(kind, namespace)
            if any(ref.get("uid") == owner_uid and ref.get("controller")
                   for ref in (obj.get("metadata") or {}).get("ownerReferences") or [])
        ]  # fmt: skip

    def _new_pod(self, owner: Obj, template: Obj, name: str, labels: dict[str, str], *, initial: bool,
                 age: float = 0.0, node: str | None = None, extra_spec: Obj | None = None) -> PodRun:  # fmt: skip
        tmeta = template.get("metadata") or {}
        spec = copy.deepcopy(template.get("spec") or {})
        spec.update(extra_spec or {})
        namespace = owner["metadata"]["namespace"]
        _pod_defaults(spec, self.sim, namespace)
        if node is not None:
            spec["affinity"] = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In",
                                                        "values": [node]}]}]}}}  # fmt: skip
        meta: Obj = {
            "name": name, "namespace": namespace, "uid": self.sim.uid(),
            "creationTimestamp": self.sim.stamp(self.sim.now - age),
            "labels": {**(tmeta.get("labels") or {}), **labels},
            "ownerReferences": [owner_ref(owner)],
        }  # fmt: skip
        if owner["kind"] in ("ReplicaSet", "Job", "DaemonSet"):
            meta["generateName"] = name.rsplit("-", 1)[0] + "-"
        if tmeta.get("annotations"):
            meta["annotations"] = dict(tmeta["annotations"])
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": {"phase": "Pending"}}
        stored = self.api.apply(pod)
        if not initial:
            self.sim.record(f"pod {namespace}/{name} created by {owner['kind']} {owner['metadata']['name']}")
        return self.sim.kubelet.adopt(stored, initial=initial, age=age)

    # -- Deployment

    def _reconcile_deployment(self, namespace: str, name: str, initial: bool) -> None:
        dep = self.api.get("Deployment", namespace, name)
        if dep is None:
            return
        spec = dep.get("spec") or {}
        replicas = int(spec.get("replicas", 1))
        template = spec.get("template") or {}
        pod_hash = template_hash(template)
        owned = self._owned("ReplicaSet", namespace, dep["metadata"]["uid"])

        def revision(rs: Obj) -> int:
            return int(((rs["metadata"].get("annotations") or {}).get("deployment.kubernetes.io/revision")) or 0)

        top = max((revision(rs) for rs in owned), default=0)
        new = next((rs for rs in owned if rs["metadata"]["name"] == f"{name}-{pod_hash}"), None)
        if new is None:
            new = self._create_replicaset(dep, pod_hash, top + 1, initial)
        elif revision(new) != top:
            self.api.modify("ReplicaSet", namespace, new["metadata"]["name"],
                            lambda rs: rs["metadata"].setdefault("annotations", {}).__setitem__(
                                "deployment.kubernetes.io/revision", str(top + 1)))  # fmt: skip
        old = sorted((rs for rs in owned if rs["metadata"]["name"] != new["metadata"]["name"]),
                     key=revision, reverse=True)  # fmt: skip
        new_runs = [r for r in self.sim.kubelet.pods_of(new["metadata"]["uid"]) if not r.terminal]
        new_ready = sum(1 for r in new_runs if r.ready)
        old_live = sum(int(rs["spec"].get("replicas", 0)) for rs in old)
        if initial or old_live == 0:
            new_target, old_total = replicas, 0
        else:
            rolling = (spec.get("strategy") or {}).get("rollingUpdate") or {}
            surge = _percent(rolling.get("maxSurge", "25%"), replicas, True)
            unavailable = _percent(rolling.get("maxUnavailable", "25%"), replicas, False)
            if surge == 0 and unavailable == 0:
                surge = 1
            if (spec.get("strategy") or {}).get("type") == "Recreate":
                new_target, old_total = replicas, 0
            else:
                new_target = min(replicas, max(new_ready + surge, int(new["spec"].get("replicas", 0))))
                old_total = min(old_live, max(0, replicas - unavailable - new_ready))
        self._scale_replicaset(dep, new, new_target)
        remaining = old_total
        for rs in old:
            keep = min(int(rs["spec"].get("replicas", 0)), remaining)
            remaining -= keep
            self._scale_replicaset(dep, rs, keep)
        self._deployment_status(dep, new, replicas)

    def _create_replicaset(self, dep: Obj, pod_hash: str, revision: int, initial: bool) -> Obj:
        meta = dep["metadata"]
        template = copy.deepcopy(dep["spec"]["template"])
        template.setdefault("metadata", {}).setdefault("labels", {})["pod-template-hash"] = pod_hash
        selector = copy.deepcopy(dep["spec"].get("selector") or {})
        selector.setdefault("matchLabels", {})["pod-template-hash"] = pod_hash
        rs_name = f"{meta['name']}-{pod_hash}"
        desired = int(dep["spec"].get("replicas", 1))
        age = self._age(f"Deployment/{meta['namespace']}/{meta['name']}") * self.sim.rng.uniform(0.2, 1.0) \
            if initial else 0.0
        rs = {
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": rs_name, "namespace": meta["namespace"], "uid": self.sim.uid(),
                         "creationTimestamp": self.sim.stamp(self.sim.now - age), "generation": 1,
                         "labels": dict(template["metadata"]["labels"]),
                         "annotations": {"deployment.kubernetes.io/desired-replicas": str(desired),
                                         "deployment.kubernetes.io/max-replicas": str(desired + 1),
                                         "deployment.kubernetes.io/revision": str(revision)},
                         "ownerReferences": [owner_ref(dep)]},
            "spec": {"replicas": 0, "selector": selector, "template": template},
            "status": {"replicas": 0, "observedGeneration": 1},
        }  # fmt: skip
        self._ages[f"ReplicaSet/{meta['namespace']}/{rs_name}"] = age
        if initial:
            self._initial.add(("ReplicaSet", meta["namespace"], rs_name))
        return dict(self.api.apply(rs))

    def _scale_replicaset(self, dep: Obj, rs: Obj, replicas: int) -> None:
        current = int(rs["spec"].get("replicas", 0))
        name, namespace = rs["metadata"]["name"], rs["metadata"]["namespace"]
        if current == replicas:
            self.mark("ReplicaSet", namespace, name, initial=("ReplicaSet", namespace, name) in self._initial)
            return
        self.api.modify("ReplicaSet", namespace, name, lambda obj: obj["spec"].__setitem__("replicas", replicas))
        if ("ReplicaSet", namespace, name) not in self._initial:
            verb = "up" if replicas > current else "down"
            self.sim.events.emit(dep, "Normal", "ScalingReplicaSet",
                                 f"Scaled {verb} replica set {name} from {current} to {replicas}",
                                 component="deployment-controller")  # fmt: skip
        self.mark("ReplicaSet", namespace, name, initial=("ReplicaSet", namespace, name) in self._initial)

    def _deployment_status(self, dep: Obj, new: Obj, replicas: int) -> None:
        runs = [r for rs in self._owned("ReplicaSet", dep["metadata"]["namespace"], dep["metadata"]["uid"])
                for r in self.sim.kubelet.pods_of(rs["metadata"]["uid"]) if not r.terminal]  # fmt: skip
        ready = sum(1 for r in runs if r.ready)
        updated = sum(1 for r in runs if r.meta.get("labels", {}).get("pod-template-hash")
                      == new["spec"]["template"]["metadata"]["labels"]["pod-template-hash"])  # fmt: skip
        progressing = updated < replicas or len(runs) > replicas
        available = ready >= replicas - math.floor(replicas * 0.25)
        status = {
            "observedGeneration": dep["metadata"].get("generation", 1),
            "replicas": len(runs), "updatedReplicas": updated, "readyReplicas": ready,
            "availableReplicas": ready, **({"unavailableReplicas": len(runs) - ready} if len(runs) > ready else {}),
            "conditions": [
                {"type": "Available", "status": "True" if available else "False",
                 "reason": "MinimumReplicasAvailable" if available else "MinimumReplicasUnavailable",
                 "message": "Deployment has minimum availability." if available
                 else "Deployment does not have minimum availability."},
                {"type": "Progressing", "status": "True",
                 "reason": "ReplicaSetUpdated" if progressing else "NewReplicaSetAvailable",
                 "message": f'ReplicaSet "{new["metadata"]["name"]}" '
                            + ("is progressing." if progressing else "has successfully progressed.")},
            ],
        }  # fmt: skip
        self._write_status("Deployment", dep, status)

    def _write_status(self, kind: str, obj: Obj, status: Obj) -> None:
        """Store a controller's status; conditions keep their transition time while their status holds."""
        previous = {c.get("type"): c for c in (obj.get("status") or {}).get("conditions") or []}
        for cond in status.get("conditions") or []:
            before = previous.get(cond["type"])
            if before is not None and before.get("status") == cond["status"]:
                cond["lastTransitionTime"] = before.get("lastTransitionTime")
                cond["lastUpdateTime"] = before.get("lastUpdateTime", before.get("lastTransitionTime"))
                if before.get("reason") != cond.get("reason"):
                    cond["lastUpdateTime"] = self.sim.stamp()
            else:
                cond["lastTransitionTime"] = cond["lastUpdateTime"] = self.sim.stamp()
            if kind not in ("Deployment",):
                cond.pop("lastUpdateTime", None)
        if obj.get("status") == status:
            return
        meta = obj["metadata"]
        self.api.modify(kind, meta.get("namespace") or None, meta["name"], lambda o: o.__setitem__("status", status))

    # -- ReplicaSet

    def _reconcile_replicaset(self, namespace: str, name: str, initial: bool) -> None:
        rs = self.api.get("ReplicaSet", namespace, name)
        if rs is None:
            return
        replicas = int(rs["spec"].get("replicas", 0))
        runs = self.sim.kubelet.pods_of(rs["metadata"]["uid"])
        active = [r for r in runs if not r.terminal]
        missing = replicas - len(active)
        age = self._ages.get(f"ReplicaSet/{namespace}/{name}", 0.0)
        for _ in range(max(0, missing)):
            pod_name = f"{name}-{random_suffix(self.sim.rng)}"
            pod_age = age * self.sim.rng.uniform(0.3, 1.0) if initial else 0.0
            self._new_pod(rs, rs["spec"]["template"], pod_name, {}, initial=initial, age=pod_age)
            if not initial:
                self.sim.events.emit(rs, "Normal", "SuccessfulCreate", f"Created pod: {pod_name}",
                                     component="replicaset-controller")  # fmt: skip
        if missing < 0:
            doomed = sorted(active, key=lambda r: (r.node is not None, r.ready, r.phase == "Running",
                                                   r.meta.get("creationTimestamp", "")))  # fmt: skip
            for run in doomed[: -missing]:
                self.sim.kubelet.remove(run.namespace, run.name)
                self.sim.events.emit(rs, "Normal", "SuccessfulDelete", f"Deleted pod: {run.name}",
                                     component="replicaset-controller")  # fmt: skip
        active = [r for r in self.sim.kubelet.pods_of(rs["metadata"]["uid"]) if not r.terminal]
        ready = sum(1 for r in active if r.ready)
        status: Obj = {"replicas": len(active), "fullyLabeledReplicas": len(active), "readyReplicas": ready,
                       "availableReplicas": ready,
                       "observedGeneration": rs["metadata"].get("generation", 1)}  # fmt: skip
        if not ready:
            status.pop("readyReplicas")
            status.pop("availableReplicas")
        self._write_status("ReplicaSet", rs, status)
        parent = controller_of(rs)
        if parent is not None and parent.get("kind") == "Deployment" and missing:
            self.mark("Deployment", namespace, str(parent["name"]))

    # -- StatefulSet

    def _reconcile_statefulset(self, namespace: str, name: str, initial: bool) -> None:
        sts = self.api.get("StatefulSet", namespace, name)
        if sts is None:
            return
        spec = sts["spec"]
        replicas = int(spec.get("replicas", 1))
        template = spec.get("template") or {}
        revision = f"{name}-{template_hash(template)}"
        age = self._age(f"StatefulSet/{namespace}/{name}")
        runs = {r.name: r for r in self.sim.kubelet.pods_of(sts["metadata"]["uid"])}
        for ordinal in range(replicas):
            pod_name = f"{name}-{ordinal}"
            run = runs.get(pod_name)
            if run is not None and run.terminal:
                self.sim.kubelet.remove(namespace, pod_name)
                self.sim.events.emit(sts, "Normal", "SuccessfulDelete",
                                     f"delete Pod {pod_name} in StatefulSet {name} successful",
                                     component="statefulset-controller")  # fmt: skip
                run = None
            if run is None:
                volumes = []
                for claim in spec.get("volumeClaimTemplates") or []:
                    claim_name = f"{claim['metadata']['name']}-{pod_name}"
                    if self.api.get("PersistentVolumeClaim", namespace, claim_name) is None:
                        self.create({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                                     "metadata": {"name": claim_name, "namespace": namespace,
                                                  "labels": dict((template.get("metadata") or {}).get("labels") or {})},
                                     "spec": copy.deepcopy(claim.get("spec") or {})}, initial=initial)  # fmt: skip
                    volumes.append({"name": claim["metadata"]["name"],
                                    "persistentVolumeClaim": {"claimName": claim_name}})  # fmt: skip
                extra: Obj = {"hostname": pod_name}
                if spec.get("serviceName"):
                    extra["subdomain"] = spec["serviceName"]
                if volumes:
                    extra["volumes"] = list((template.get("spec") or {}).get("volumes") or []) + volumes
                labels = {"controller-revision-hash": revision, "statefulset.kubernetes.io/pod-name": pod_name,
                          "apps.kubernetes.io/pod-index": str(ordinal)}  # fmt: skip
                pod_age = age * self.sim.rng.uniform(0.5, 1.0) if initial else 0.0
                self._new_pod(sts, template, pod_name, labels, initial=initial, age=pod_age, extra_spec=extra)
                if not initial:
                    self.sim.events.emit(sts, "Normal", "SuccessfulCreate",
                                         f"create Pod {pod_name} in StatefulSet {name} successful",
                                         component="statefulset-controller")  # fmt: skip
                    break  # OrderedReady: one pod at a time
            elif not run.ready:
                break
        for run_name in sorted(runs, reverse=True):
            if int(run_name.rsplit("-", 1)[1]) >= replicas and self.sim.kubelet.run_of(namespace, run_name):
                self.sim.kubelet.remove(namespace, run_name)
        live = [r for r in self.sim.kubelet.pods_of(sts["metadata"]["uid"]) if not r.terminal]
        outdated = [r for r in live if r.meta.get("labels", {}).get("controller-revision-hash") != revision]
        if outdated and all(r.ready for r in live):
            victim = max(outdated, key=lambda r: int(r.name.rsplit("-", 1)[1]))
            self.sim.kubelet.remove(namespace, victim.name)
            self.mark("StatefulSet", namespace, name)
        ready = sum(1 for r in live if r.ready)
        self._write_status("StatefulSet", sts, {
            "observedGeneration": sts["metadata"].get("generation", 1), "replicas": len(live),
            "readyReplicas": ready, "currentReplicas": len(live) - len(outdated),
            "updatedReplicas": len(live) - len(outdated), "availableReplicas": ready,
            "currentRevision": revision, "updateRevision": revision, "collisionCount": 0,
        })  # fmt: skip

    # -- DaemonSet

    def _reconcile_daemonset(self, namespace: str, name: str, initial: bool) -> None:
        ds = self.api.get("DaemonSet", namespace, name)
        if ds is None:
            return
        template = copy.deepcopy(ds["spec"].get("template") or {})
        tspec = template.setdefault("spec", {})
        tolerations = list(tspec.get("tolerations") or [])
        for key, effect in (("node.kubernetes.io/not-ready", "NoExecute"), ("node.kubernetes.io/unreachable",
                            "NoExecute"), ("node.kubernetes.io/disk-pressure", "NoSchedule"),
                            ("node.kubernetes.io/memory-pressure", "NoSchedule"),
                            ("node.kubernetes.io/pid-pressure", "NoSchedule"),
                            ("node.kubernetes.io/unschedulable", "NoSchedule")):  # fmt: skip
            tolerations.append({"key": key, "operator": "Exists", "effect": effect})
        tspec["tolerations"] = tolerations
        revision = template_hash(ds["spec"].get("template") or {})
        selector = tspec.get("nodeSelector") or {}
        nodes = []
        for node in self.api.list_objects("Node"):
            labels = node["metadata"].get("labels") or {}
            taints = [t for t in (node.get("spec") or {}).get("taints") or []
                      if t.get("effect") in ("NoSchedule", "NoExecute")]  # fmt: skip
            if any(labels.get(k) != v for k, v in selector.items()):
                continue
            if any(not _tolerates(tolerations, t) for t in taints):
                continue
            nodes.append(node["metadata"]["name"])
        runs = self.sim.kubelet.pods_of(ds["metadata"]["uid"])
        by_node: dict[str, list[PodRun]] = {}
        for run in runs:
            pinned = _pinned(run.spec)
            if pinned is None or pinned not in nodes:
                self.sim.kubelet.remove(run.namespace, run.name)
                continue
            by_node.setdefault(pinned, []).append(run)
        age = self._age(f"DaemonSet/{namespace}/{name}")
        for node_name in nodes:
            if not by_node.get(node_name):
                pod_name = f"{name}-{random_suffix(self.sim.rng)}"
                labels = {"controller-revision-hash": revision, "pod-template-generation": "1"}
                by_node[node_name] = [self._new_pod(ds, template, pod_name, labels, initial=initial,
                                                    age=age * self.sim.rng.uniform(0.5, 1.0) if initial else 0.0,
                                                    node=node_name)]  # fmt: skip
                if not initial:
                    self.sim.events.emit(ds, "Normal", "SuccessfulCreate", f"Created pod: {pod_name}",
                                         component="daemonset-controller")  # fmt: skip
        live = [r for rs in by_node.values() for r in rs if not r.terminal]
        outdated = [r for r in live if r.meta.get("labels", {}).get("controller-revision-hash") != revision]
        if outdated and all(r.ready for r in live):
            victim = min(outdated, key=lambda r: r.name)
            self.sim.kubelet.remove(namespace, victim.name)
            self.mark("DaemonSet", namespace, name)
        ready = sum(1 for r in live if r.ready)
        self._write_status("DaemonSet", ds, {
            "observedGeneration": ds["metadata"].get("generation", 1), "desiredNumberScheduled": len(nodes),
            "currentNumberScheduled": len(live), "numberReady": ready, "numberAvailable": ready,
            "updatedNumberScheduled": len(live) - len(outdated), "numberMisscheduled": 0,
            **({"numberUnavailable": len(nodes) - ready} if len(nodes) > ready else {}),
        })  # fmt: skip

    # -- Job and CronJob

    def _reconcile_job(self, namespace: str, name: str, initial: bool) -> None:
        job = self.api.get("Job", namespace, name)
        if job is None:
            return
        spec, status = job["spec"], dict(job.get("status") or {})
        if any(c.get("type") in ("Complete", "Failed") and c.get("status") == "True"
               for c in status.get("conditions") or []):  # fmt: skip
            return
        completions = int(spec.get("completions") or 1)
        parallelism = int(spec.get("parallelism") or 1)
        backoff_limit = int(spec.get("backoffLimit", 6))
        runs = self.sim.kubelet.pods_of(job["metadata"]["uid"])
        succeeded = sum(1 for r in runs if r.phase == "Succeeded")
        failed = sum(1 for r in runs if r.phase == "Failed")
        active = [r for r in runs if not r.terminal]
        new_status: Obj = {"startTime": status.get("startTime") or job["metadata"]["creationTimestamp"],
                           "active": len(active), "ready": sum(1 for r in active if r.ready),
                           "succeeded": succeeded, "failed": failed, "terminating": 0,
                           "uncountedTerminatedPods": {}}  # fmt: skip
        finished: str | None = None
        historic = self._ages.get(f"Job/{namespace}/{name}", 0.0) > 0
        if succeeded >= completions:
            finished = "Complete"
            ends = [r.containers[-1].state.get("terminated", {}).get("finishedAt", "") for r in runs]
            new_status["completionTime"] = max(ends) if historic and any(ends) else self.sim.stamp()
            new_status["conditions"] = [
                {"type": "SuccessCriteriaMet", "status": "True", "reason": "CompletionsReached",
                 "message": "Reached expected number of succeeded pods", "lastProbeTime": self.sim.stamp()},
                {"type": "Complete", "status": "True", "reason": "CompletionsReached",
                 "message": "Reached expected number of succeeded pods", "lastProbeTime": self.sim.stamp()},
            ]  # fmt: skip
        elif failed > backoff_limit:
            finished = "Failed"
            new_status["conditions"] = [
                {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
                 "message": "Job has reached the specified backoff limit", "lastProbeTime": self.sim.stamp()},
            ]  # fmt: skip
            for run in active:
                self.sim.kubelet.remove(run.namespace, run.name)
        else:
            wanted = min(parallelism, completions - succeeded) - len(active)
            uid = job["metadata"]["uid"]
            for _ in range(max(0, wanted)):
                pod_name = f"{name}-{random_suffix(self.sim.rng)}"
                labels = {"batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": name,
                          "controller-uid": uid, "job-name": name}  # fmt: skip
                self._new_pod(job, spec["template"], pod_name, labels, initial=initial,
                              age=self._ages.get(f"Job/{namespace}/{name}", 0.0))  # fmt: skip
                if not initial:
                    self.sim.events.emit(job, "Normal", "SuccessfulCreate", f"Created pod: {pod_name}",
                                         component="job-controller")  # fmt: skip
            new_status["active"] = len([r for r in self.sim.kubelet.pods_of(uid) if not r.terminal])
        for cond in new_status.get("conditions") or []:
            cond["lastTransitionTime"] = self.sim.stamp()
        meta = job["metadata"]
        self.api.modify("Job", namespace, name, lambda o: o.__setitem__("status", new_status))
        if finished is not None and not historic:
            self.sim.record(f"job {namespace}/{name} {finished.lower()}")
            self.sim.events.emit(job, "Normal" if finished == "Complete" else "Warning",
                                 "Completed" if finished == "Complete" else "BackoffLimitExceeded",
                                 "Job completed" if finished == "Complete" else "Job has reached the specified "
                                 "backoff limit", component="job-controller")  # fmt: skip
        if finished is not None:
            parent = controller_of(job)
            if parent is not None and parent.get("kind") == "CronJob":
                self.mark("CronJob", namespace, str(parent["name"]))
            ttl = spec.get("ttlSecondsAfterFinished")
            if ttl is not None:
                self.sim.after(float(ttl), lambda: self._delete_job(namespace, name, str(meta["uid"])))

    def _delete_job(self, namespace: str, name: str, uid: str) -> None:
        job = self.api.get("Job", namespace, name)
        if job is None or job["metadata"]["uid"] != uid:
            return
        self.api.delete("Job", namespace, name)
        self._collect_dependents(uid, namespace)

    def _schedule_cron(self, cronjob: Obj) -> None:
        meta = cronjob["metadata"]
        key = (meta["namespace"], meta["name"])
        period = cron_period(str(cronjob["spec"].get("schedule", "")))
        due = (math.floor(self.sim.now / period) + 1) * period
        self._cron_next[key] = due
        self.sim.at(due, lambda: self._fire_cron(key, due))

    def _fire_cron(self, key: tuple[str, str], due: float) -> None:
        if self._cron_next.get(key) != due:
            return
        cronjob = self.api.get("CronJob", *key)
        if cronjob is None:
            self._cron_next.pop(key, None)
            return
        if not cronjob["spec"].get("suspend"):
            self._run_cron(cronjob, self.sim.now, initial=False)
        self._schedule_cron(cronjob)

    def _run_cron(self, cronjob: Obj, at: float, *, initial: bool) -> None:
        meta = cronjob["metadata"]
        namespace = meta["namespace"]
        scheduled = self.sim.wall(at)
        job_name = f"{meta['name']}-{int(scheduled.timestamp() // 60)}"
        job_template = cronjob["spec"].get("jobTemplate") or {}
        job: Obj = {
            "apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": job_name, "namespace": namespace, "uid": self.sim.uid(),
                         "creationTimestamp": iso(scheduled), "generation": 1,
                         "labels": dict((job_template.get("metadata") or {}).get("labels") or {}),
                         "annotations": {"batch.kubernetes.io/cronjob-scheduled-timestamp": iso(scheduled)},
                         "ownerReferences": [owner_ref(cronjob)]},
            "spec": {"backoffLimit": 6, "completions": 1, "parallelism": 1,
                     **copy.deepcopy(job_template.get("spec") or {})},
        }  # fmt: skip
        admission.job_defaults(job, job["metadata"]["uid"])
        self._ages[f"Job/{namespace}/{job_name}"] = self.sim.now - at
        self.api.apply(job)
        self.mark("Job", namespace, job_name, initial=initial)
        if not initial:
            self.sim.events.emit(cronjob, "Normal", "SuccessfulCreate", f"Created job {job_name}",
                                 component="cronjob-controller")  # fmt: skip
            self.sim.record(f"cronjob {namespace}/{meta['name']} created job {job_name}")

        def scheduled_status(obj: Obj) -> None:
            obj.setdefault("status", {})["lastScheduleTime"] = iso(scheduled)

        self.api.modify("CronJob", namespace, meta["name"], scheduled_status)

    def _reconcile_cronjob(self, namespace: str, name: str, initial: bool) -> None:
        cronjob = self.api.get("CronJob", namespace, name)
        if cronjob is None:
            return
        if initial:
            # A CronJob of the starting cluster has run before: its last few Jobs are there, completed.
            period = cron_period(str(cronjob["spec"].get("schedule", "")))
            keep = min(3, int(cronjob["spec"].get("successfulJobsHistoryLimit", 3)))
            for back in range(keep, 0, -1):
                self._run_cron(cronjob, math.floor(self.sim.now / period) * period - back * period, initial=True)
            self._schedule_cron(cronjob)
            return
        jobs = sorted(self._owned("Job", namespace, cronjob["metadata"]["uid"]),
                      key=lambda j: j["metadata"]["creationTimestamp"])  # fmt: skip

        def finished(job: Obj, kind: str) -> bool:
            return any(c.get("type") == kind and c.get("status") == "True"
                       for c in (job.get("status") or {}).get("conditions") or [])  # fmt: skip

        active = [j for j in jobs if not finished(j, "Complete") and not finished(j, "Failed")]
        for kind, limit_key, default in (("Complete", "successfulJobsHistoryLimit", 3),
                                         ("Failed", "failedJobsHistoryLimit", 1)):  # fmt: skip
            done = [j for j in jobs if finished(j, kind)]
            limit = int(cronjob["spec"].get(limit_key, default))
            for job in done[: max(0, len(done) - limit)]:
                self.api.delete("Job", namespace, job["metadata"]["name"])
                self._collect_dependents(job["metadata"]["uid"], namespace)
                self.sim.events.emit(cronjob, "Normal", "SuccessfulDelete", f"Deleted job {job['metadata']['name']}",
                                     component="cronjob-controller")  # fmt: skip
        last_success = max((j["status"].get("completionTime", "") for j in jobs if finished(j, "Complete")),
                           default=None)  # fmt: skip

        def status(obj: Obj) -> None:
            st = obj.setdefault("status", {})
            st["active"] = [{"apiVersion": "batch/v1", "kind": "Job", "name": j["metadata"]["name"],
                             "namespace": namespace, "uid": j["metadata"]["uid"]} for j in active] or None  # fmt: skip
            if st["active"] is None:
                st.pop("active")
            if last_success:
                st["lastSuccessfulTime"] = last_success

        self.api.modify("CronJob", namespace, name, status)


def _pinned(spec: Obj) -> str | None:
    from .scheduler import _required_node

    return _required_node(spec) or spec.get("nodeName")


def _pod_defaults(spec: Obj, sim: Simulation, namespace: str) -> None:
    """What the API server's defaulting and admission add to a new pod's spec."""
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("securityContext", {})
    spec.setdefault("enableServiceLinks", True)
    spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
    spec.setdefault("priority", 0)
    account = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
    spec["serviceAccountName"] = spec["serviceAccount"] = account
    tolerations = list(spec.get("tolerations") or [])
    for key in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"):
        if not any(t.get("key") == key for t in tolerations):
            tolerations.append({"key": key, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300})
    spec["tolerations"] = tolerations
    sa = sim.api.get("ServiceAccount", namespace, account) or {}
    automount = spec.get("automountServiceAccountToken", sa.get("automountServiceAccountToken", True))
    token_volume = None
    if automount is not False:
        token_volume = f"kube-api-access-{random_suffix(sim.rng)}"
        spec["volumes"] = [*list(spec.get("volumes") or []), {
            "name": token_volume,
            "projected": {"defaultMode": 420, "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1",
                                                                             "fieldPath": "metadata.namespace"}}]}},
            ]},
        }]  # fmt: skip
    for key in ("initContainers", "containers"):
        for c in spec.get(key) or []:
            image = str(c.get("image") or "")
            tag = image.rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else "latest"
            c.setdefault("imagePullPolicy", "Always" if tag == "latest" else "IfNotPresent")
            c.setdefault("terminationMessagePath", "/dev/termination-log")
            c.setdefault("terminationMessagePolicy", "File")
            c.setdefault("resources", {})
            if token_volume is not None:
                c["volumeMounts"] = [*list(c.get("volumeMounts") or []),
                    {"name": token_volume, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                     "readOnly": True}]  # fmt: skip
