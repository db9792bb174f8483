"""Namespaces (docs/catalogue.md#namespaces). Namespaces in phase Terminating are not evaluated (the engine skips
them)."""

from __future__ import annotations

from .base import PT_KINDS, Context, FindingDraft, KubeObject, check, draft, kind_name

NAMESPACE = frozenset({"Namespace"})
_ENFORCE = "pod-security.kubernetes.io/enforce"


def _labels(obj: KubeObject) -> dict[str, str]:
    return dict((obj.get("metadata") or {}).get("labels") or {})


@check("namespace_psa_enforce_missing", NAMESPACE)
def namespace_psa_enforce_missing(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    labels = _labels(obj)
    if _ENFORCE in labels:
        return None
    partial = any(k in labels for k in ("pod-security.kubernetes.io/warn", "pod-security.kubernetes.io/audit"))
    suffix = " (only warn/audit labels)" if partial else ""
    return draft(
        "namespace_psa_enforce_missing",
        "medium",
        f"Namespace '{kind_name(obj)[1]}' does not enforce a Pod Security Standard{suffix}",
        "Label the namespace pod-security.kubernetes.io/enforce=restricted (or baseline)",
        field=f"metadata.labels['{_ENFORCE}']",
    )


@check("namespace_psa_privileged", NAMESPACE)
def namespace_psa_privileged(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    if _labels(obj).get(_ENFORCE) != "privileged":
        return None
    return draft(
        "namespace_psa_privileged",
        "high",
        f"Namespace '{kind_name(obj)[1]}' enforces the privileged Pod Security Standard (no restrictions)",
        "Enforce baseline or restricted; keep privileged for system namespaces only",
        field=f"metadata.labels['{_ENFORCE}']",
    )


@check("namespace_resource_quota_missing", NAMESPACE, needs=frozenset({"resource_quotas"}))
def namespace_resource_quota_missing(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    if ctx.resource_quotas:
        return None
    return draft(
        "namespace_resource_quota_missing",
        "low",
        f"Namespace '{kind_name(obj)[1]}' has no ResourceQuota",
        "Add a ResourceQuota that caps CPU, memory and object counts",
    )


@check("namespace_limit_range_missing", NAMESPACE, needs=frozenset({"limit_ranges"}))
def namespace_limit_range_missing(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    if ctx.limit_ranges:
        return None
    return draft(
        "namespace_limit_range_missing",
        "low",
        f"Namespace '{kind_name(obj)[1]}' has no LimitRange",
        "Add a LimitRange with default requests and limits for containers",
    )


@check("default_namespace_in_use", PT_KINDS)
def default_namespace_in_use(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    if (obj.get("metadata") or {}).get("namespace") != "default":
        return None
    kind, name = kind_name(obj)
    return draft(
        "default_namespace_in_use",
        "low",
        f"{kind} '{name}' runs in the default namespace",
        "Move workloads into dedicated namespaces with their own policies",
        field="metadata.namespace",
    )


CHECKS = [
    namespace_psa_enforce_missing, namespace_psa_privileged, namespace_resource_quota_missing,
    namespace_limit_range_missing, default_namespace_in_use,
]  # fmt: skip
