"""The scheduler: binds pending pods to nodes that fit, or says why none does (FailedScheduling).

Filters: the node's conditions (pressure taints), taints against tolerations, ``nodeSelector``, a DaemonSet's
required node, and the requested CPU and memory against what the node has left. Scoring: the least allocated
node, ties by name — deterministic. Unschedulable pods are retried when a node joins or changes, when a pod
frees resources, and every five minutes, as the real scheduler does.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from .objects import pod_requests, quantity

if TYPE_CHECKING:
    from .engine import Simulation
    from .kubelet import PodRun

Obj = dict[str, Any]

RETRY_UNSCHEDULABLE = 300.0


def _tolerates(tolerations: list[Obj], taint: Obj) -> bool:
    for tol in tolerations:
        if tol.get("effect") and tol.get("effect") != taint.get("effect"):
            continue
        if tol.get("operator") == "Exists" and not tol.get("key"):
            return True
        if tol.get("key") != taint.get("key"):
            continue
        if tol.get("operator") == "Exists" or tol.get("value", "") == taint.get("value", ""):
            return True
    return False


def _required_node(spec: Obj) -> str | None:
    """The node a DaemonSet pod is pinned to (``matchFields`` on ``metadata.name``)."""
    affinity = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution"
    ) or {}
    for term in affinity.get("nodeSelectorTerms") or []:
        for field in term.get("matchFields") or []:
            if field.get("key") == "metadata.name" and field.get("operator") == "In" and field.get("values"):
                return str(field["values"][0])
    return None


class Scheduler:
    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self.unschedulable: set[str] = set()  # pod uids
        self._retry_due = False

    def _used(self, node: str) -> tuple[float, float, int]:
        cpu = memory = 0.0
        count = 0
        for run in self.sim.kubelet.runs.values():
            if run.node == node and not run.terminal:
                c, m = pod_requests(run.spec)
                cpu, memory, count = cpu + c, memory + m, count + 1
        return cpu, memory, count

    def place(self, run: PodRun) -> bool:
        """Bind the pod if a node fits; otherwise mark it unschedulable with the scheduler's message."""
        spec = run.spec
        nodes = self.sim.api.list_objects("Node")
        cpu, memory = pod_requests(spec)
        tolerations = list(spec.get("tolerations") or [])
        selector = dict(spec.get("nodeSelector") or {})
        pinned = _required_node(spec)
        reasons: Counter[str] = Counter()
        candidates: list[tuple[float, str]] = []
        for node in nodes:
            name = node["metadata"]["name"]
            labels = node["metadata"].get("labels") or {}
            if pinned is not None and name != pinned:
                reasons["node(s) didn't satisfy plugin(s) [NodeAffinity]"] += 1
                continue
            untolerated = [t for t in (node.get("spec") or {}).get("taints") or []
                           if t.get("effect") in ("NoSchedule", "NoExecute") and not _tolerates(tolerations, t)]
            if untolerated:
                taint = untolerated[0]
                reasons[f"node(s) had untolerated taint {{{taint.get('key')}: {taint.get('value', '')}}}"] += 1
                continue
            if any(labels.get(k) != v for k, v in selector.items()):
                reasons["node(s) didn't match Pod's node affinity/selector"] += 1
                continue
            allocatable = (node.get("status") or {}).get("allocatable") or {}
            used_cpu, used_memory, used_pods = self._used(name)
            short = []
            if used_cpu + cpu > quantity(allocatable.get("cpu", "0")):
                short.append("Insufficient cpu")
            if used_memory + memory > quantity(allocatable.get("memory", "0")):
                short.append("Insufficient memory")
            if used_pods + 1 > int(allocatable.get("pods", "110")):
                short.append("Too many pods")
            if short:
                for reason in short:
                    reasons[reason] += 1
                continue
            free = quantity(allocatable.get("memory", "0")) - used_memory
            candidates.append((-free, name))
        if candidates:
            node_name = min(candidates)[1]
            self.unschedulable.discard(run.uid)
            self.sim.kubelet.bind(run, node_name)
            return True
        total = len(nodes)
        parts = ", ".join(sorted(f"{count} {reason}" for reason, count in reasons.items()))
        victims = sum(c for r, c in reasons.items() if r.startswith("Insufficient") or r == "Too many pods")
        preemption = ", ".join(
            sorted(
                part
                for part in (
                    f"{total - victims} Preemption is not helpful for scheduling" if total - victims else "",
                    f"{victims} No preemption victims found for incoming pod" if victims else "",
                )
                if part
            )
        )
        message = f"0/{total} nodes are available: {parts}. preemption: 0/{total} nodes are available: {preemption}."
        self.unschedulable.add(run.uid)
        self.sim.kubelet.unschedulable(run, message)
        return False

    def retry_soon(self) -> None:
        """Something changed that may let unschedulable pods fit: try them again (once per instant)."""
        if self._retry_due or not self.unschedulable:
            return
        self._retry_due = True
        self.sim.after(0.5, self._retry)

    def _retry(self) -> None:
        self._retry_due = False
        for uid in sorted(self.unschedulable):
            run = self.sim.kubelet.runs.get(uid)
            if run is None or run.node is not None:
                self.unschedulable.discard(uid)
                continue
            self.place(run)

    def periodic(self) -> None:
        self.retry_soon()
        self.sim.after(RETRY_UNSCHEDULABLE, self.periodic)
