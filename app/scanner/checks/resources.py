"""Resources (docs/catalogue.md#resources). A namespace LimitRange default of ``type: Container`` counts as setting the
value."""

from __future__ import annotations

from typing import Literal

from .base import PT_KINDS, Check, Context, FindingDraft, KubeObject, check, container_finding, pod_spec


def _limit_range_defaults(ctx: Context) -> tuple[set[str], set[str]]:
    """Resources that get a default request, and those that get a default limit."""
    requests: set[str] = set()
    limits: set[str] = set()
    for lr in ctx.limit_ranges:
        for item in (lr.get("spec") or {}).get("limits") or []:
            if item.get("type") != "Container":
                continue
            default = set((item.get("default") or {}).keys())
            limits |= default
            requests |= set((item.get("defaultRequest") or {}).keys()) | default
    return requests, limits


def _resource_check(
    name: str, severity: str, section: Literal["requests", "limits"], resource: str, label: str, remediation: str
) -> Check:
    @check(name, PT_KINDS, needs=frozenset({"limit_ranges"}))
    def evaluate(obj: KubeObject, ctx: Context) -> FindingDraft | None:
        requests, limits = _limit_range_defaults(ctx)
        if resource in (requests if section == "requests" else limits):
            return None
        spec = pod_spec(obj)
        offenders = [
            c.get("name", "")
            for c in list(spec.get("initContainers") or []) + list(spec.get("containers") or [])
            if ((c.get("resources") or {}).get(section) or {}).get(resource) in (None, "")
        ]
        plural = len(set(offenders)) > 1
        return container_finding(
            name,
            severity,
            offenders,
            lambda s: f"{s} {'have' if plural else 'has'} no {label}",
            remediation,
            f"resources.{section}.{resource}",
        )

    return evaluate


cpu_request_missing = _resource_check(
    "cpu_request_missing", "low", "requests", "cpu", "CPU request",
    "Set resources.requests.cpu so the scheduler reserves CPU for it",
)  # fmt: skip
memory_request_missing = _resource_check(
    "memory_request_missing", "medium", "requests", "memory", "memory request", "Set resources.requests.memory"
)
memory_limit_missing = _resource_check(
    "memory_limit_missing", "medium", "limits", "memory", "memory limit",
    "Set resources.limits.memory so one container cannot exhaust the node's memory",
)  # fmt: skip
cpu_limit_missing = _resource_check(
    "cpu_limit_missing", "info", "limits", "cpu", "CPU limit",
    "Set resources.limits.cpu if the workload must not use more than its share",
)  # fmt: skip

CHECKS = [cpu_request_missing, memory_request_missing, memory_limit_missing, cpu_limit_missing]
