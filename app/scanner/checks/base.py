"""The check interface (docs/agent-scanner.md#check-interface) and the helpers the check families share
(docs/catalogue.md#check-conventions)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, overload

from app.kube.bodies import (
    Container,
    KubeObject,
    LabelSelector,
    LimitRange,
    Namespace,
    NetworkPolicy,
    PodDisruptionBudget,
    PodSpec,
    ResourceQuota,
    SeccompProfile,
    SecurityContext,
    ServiceAccount,
    WindowsSecurityContextOptions,
)
from app.kube.objects import pod_template

SEVERITIES = ("critical", "high", "medium", "low", "info")

PT_KINDS = frozenset({"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"})
ROLE_KINDS = frozenset({"Role", "ClusterRole"})
BINDING_KINDS = frozenset({"RoleBinding", "ClusterRoleBinding"})


@dataclass(frozen=True)
class Context:
    """Everything a check may read besides the object itself. A check gets the object as a KubeObject and reads it
    as the kind it is registered for (app/kube/bodies.py)."""

    namespace: Namespace | None = None
    network_policies: Sequence[NetworkPolicy] = ()
    pod_disruption_budgets: Sequence[PodDisruptionBudget] = ()
    service_accounts: Mapping[str, ServiceAccount] = field(default_factory=dict)
    limit_ranges: Sequence[LimitRange] = ()
    resource_quotas: Sequence[ResourceQuota] = ()
    trusted_registries: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FindingDraft:
    check_name: str
    severity: str
    message: str
    remediation: str
    details: dict[str, Any]


Evaluate = Callable[[KubeObject, Context], "FindingDraft | None"]


@dataclass(frozen=True)
class Check:
    check_name: str
    kinds: frozenset[str]
    needs: frozenset[str]
    evaluate: Evaluate
    linux_only: bool = False


def check(
    name: str, kinds: frozenset[str], *, needs: frozenset[str] = frozenset(), linux: bool = False
) -> Callable[[Evaluate], Check]:
    """Decorator turning a pure function into a :class:`Check`. Linux-only checks skip Windows pods
    (docs/catalogue.md#check-conventions)."""

    def wrap(fn: Evaluate) -> Check:
        if linux:

            def evaluate(obj: KubeObject, ctx: Context) -> FindingDraft | None:
                if _is_windows(obj):
                    return None
                return fn(obj, ctx)

            return Check(name, kinds, needs, evaluate, True)
        return Check(name, kinds, needs, fn, False)

    return wrap


def draft(name: str, severity: str, message: str, remediation: str, **details: Any) -> FindingDraft:
    return FindingDraft(name, severity, message, remediation, details)


# --- pod templates -------------------------------------------------------------------------------------------


def pod_spec(obj: KubeObject) -> PodSpec:
    return pod_template(obj)[1]


def _is_windows(obj: KubeObject) -> bool:
    if obj.get("kind") not in PT_KINDS:
        return False
    return ((pod_spec(obj).get("os") or {}).get("name") or "").lower() == "windows"


def containers(obj: KubeObject, *, probes_only: bool = False) -> Iterator[Container]:
    """initContainers (sidecars included), containers, then ephemeralContainers on Pods."""
    spec = pod_spec(obj)
    if probes_only:
        yield from spec.get("containers") or []
        return
    yield from spec.get("initContainers") or []
    yield from spec.get("containers") or []
    if obj.get("kind") == "Pod":
        yield from spec.get("ephemeralContainers") or []


def sc(container: Container) -> SecurityContext:
    return container.get("securityContext") or {}


@overload
def effective(obj: KubeObject, container: Container, key: Literal["runAsUser"]) -> int | None: ...
@overload
def effective(obj: KubeObject, container: Container, key: Literal["runAsNonRoot"]) -> bool | None: ...
@overload
def effective(obj: KubeObject, container: Container, key: Literal["seccompProfile"]) -> SeccompProfile | None: ...
@overload
def effective(
    obj: KubeObject, container: Container, key: Literal["windowsOptions"]
) -> WindowsSecurityContextOptions | None: ...
def effective(obj: KubeObject, container: Container, key: str) -> object:
    """The container's securityContext field when set, else the pod's (docs/catalogue.md#check-conventions). The
    fields both contexts have, each with its type."""
    value = sc(container).get(key)
    if value is not None:
        return value
    return (pod_spec(obj).get("securityContext") or {}).get(key)


def normalise_cap(name: object) -> str:
    text = str(name).strip().upper()
    return text[4:] if text.startswith("CAP_") else text


def added_caps(container: Container) -> list[str]:
    return [normalise_cap(c) for c in (sc(container).get("capabilities") or {}).get("add") or []]


def quote_names(names: Sequence[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def container_finding(
    name: str,
    severity: str,
    offenders: Sequence[str],
    message: Callable[[str], str],
    remediation: str,
    field_path: str,
    **extra: Any,
) -> FindingDraft | None:
    """One finding naming every offending container (docs/agent-scanner.md#findings): ``Container 'a' …`` or
    ``Containers 'a', 'b' …``."""
    if not offenders:
        return None
    unique = list(dict.fromkeys(offenders))
    subject = f"Container '{unique[0]}'" if len(unique) == 1 else f"Containers {quote_names(unique)}"
    return draft(
        name,
        severity,
        message(subject),
        remediation,
        container=unique[0],
        containers=unique,
        field=field_path,
        **extra,
    )


def kind_name(obj: KubeObject) -> tuple[str, str]:
    return str(obj.get("kind") or ""), str((obj.get("metadata") or {}).get("name") or "")


# --- host paths ----------------------------------------------------------------------------------------------

_SENSITIVE_PATHS = (
    "/etc", "/root", "/home", "/proc", "/sys", "/boot", "/dev",
    "/var/lib/kubelet", "/var/lib/etcd", "/var/lib/docker", "/var/lib/containerd",
    "/run/containerd", "/var/run/containerd", "/run/crio", "/var/run/crio",
    "/var/run/docker.sock", "/run/docker.sock", "/var/run/cri-dockerd.sock",
)  # fmt: skip


def sensitive_host_path(path: object) -> bool:
    """``/``, one of the listed paths, inside one of them, or a parent of one of them
    (docs/catalogue.md#check-conventions)."""
    text = str(path or "").strip()
    if not text:
        return False
    normalised = text.rstrip("/") or "/"
    if normalised == "/":
        return True
    for sensitive in _SENSITIVE_PATHS:
        if normalised == sensitive or normalised.startswith(sensitive + "/"):
            return True
        if sensitive.startswith(normalised + "/"):
            return True
    return False


# --- label selectors -----------------------------------------------------------------------------------------


def selector_matches(selector: LabelSelector | None, labels: Mapping[str, str]) -> bool:
    """Full LabelSelector semantics. An absent selector matches nothing; an empty one matches everything."""
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        label, op, values = expr.get("key"), expr.get("operator"), list(expr.get("values") or [])
        present = label is not None and label in labels
        current = labels.get(label) if label is not None else None
        if op == "In" and current not in values:
            return False
        if op == "NotIn" and present and current in values:
            return False
        if op == "Exists" and not present:
            return False
        if op == "DoesNotExist" and present:
            return False
        if op not in ("In", "NotIn", "Exists", "DoesNotExist"):
            return False
    return True
