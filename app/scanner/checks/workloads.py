"""Workloads and availability (docs/catalogue.md#workloads-and-availability)."""

from __future__ import annotations

from app.kube.bodies import as_deployment, as_statefulset

from .base import (
    Context,
    FindingDraft,
    KubeObject,
    check,
    container_finding,
    containers,
    draft,
    kind_name,
    pod_template,
    selector_matches,
)

REPLICATED = frozenset({"Deployment", "StatefulSet"})
LIVENESS_KINDS = frozenset({"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"})
READINESS_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"})


def _replicas(obj: KubeObject) -> int:
    workload = as_statefulset(obj) if obj.get("kind") == "StatefulSet" else as_deployment(obj)
    value = (workload.get("spec") or {}).get("replicas")
    return 1 if value is None else int(value)


@check("single_replica", REPLICATED)
def single_replica(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    if _replicas(obj) != 1:
        return None
    kind, name = kind_name(obj)
    return draft(
        "single_replica",
        "low",
        f"{kind} '{name}' runs a single replica",
        "Run at least 2 replicas, spread over nodes",
        replicas=1,
        field="spec.replicas",
    )


@check("pdb_missing", REPLICATED, needs=frozenset({"pod_disruption_budgets"}))
def pdb_missing(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    replicas = _replicas(obj)
    if replicas < 2:
        return None
    labels = dict(pod_template(obj)[0].get("labels") or {})
    if any(selector_matches((p.get("spec") or {}).get("selector"), labels) for p in ctx.pod_disruption_budgets):
        return None
    kind, name = kind_name(obj)
    return draft(
        "pdb_missing",
        "low",
        f"{kind} '{name}' has {replicas} replicas but no PodDisruptionBudget",
        "Add a PodDisruptionBudget that selects its pods",
        replicas=replicas,
    )


@check("pod_anti_affinity_missing", REPLICATED)
def pod_anti_affinity_missing(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    replicas = _replicas(obj)
    if replicas < 2:
        return None
    spec = pod_template(obj)[1]
    anti = (spec.get("affinity") or {}).get("podAntiAffinity") or {}
    if anti.get("requiredDuringSchedulingIgnoredDuringExecution") or anti.get(
        "preferredDuringSchedulingIgnoredDuringExecution"
    ):
        return None
    if spec.get("topologySpreadConstraints"):
        return None
    kind, name = kind_name(obj)
    return draft(
        "pod_anti_affinity_missing",
        "low",
        f"{kind} '{name}' has {replicas} replicas and nothing spreads them across nodes",
        "Add topologySpreadConstraints or a preferred podAntiAffinity on kubernetes.io/hostname",
        replicas=replicas,
    )


@check("liveness_probe_missing", LIVENESS_KINDS)
def liveness_probe_missing(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    offenders = [c.get("name", "") for c in containers(obj, probes_only=True) if not c.get("livenessProbe")]
    return container_finding(
        "liveness_probe_missing",
        "low",
        offenders,
        lambda s: f"{s} {'has' if len(offenders) == 1 else 'have'} no liveness probe",
        "Add a livenessProbe so a hung process is restarted",
        "livenessProbe",
    )


@check("readiness_probe_missing", READINESS_KINDS)
def readiness_probe_missing(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    offenders = [c.get("name", "") for c in containers(obj, probes_only=True) if not c.get("readinessProbe")]
    return container_finding(
        "readiness_probe_missing",
        "low",
        offenders,
        lambda s: f"{s} {'has' if len(offenders) == 1 else 'have'} no readiness probe",
        "Add a readinessProbe so traffic reaches only ready pods",
        "readinessProbe",
    )


CHECKS = [single_replica, pdb_missing, pod_anti_affinity_missing, liveness_probe_missing, readiness_probe_missing]
