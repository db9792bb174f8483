"""RBAC bindings (docs/catalogue.md#rbac-bindings): only ``roleRef`` and ``subjects`` are read."""

from __future__ import annotations

from collections.abc import Callable

from app.kube.bodies import Subject, as_role_binding

from .base import BINDING_KINDS, Context, FindingDraft, KubeObject, check, draft, kind_name


def _subject(binding: KubeObject, subject: Subject) -> str:
    kind = str(subject.get("kind", ""))
    namespace = subject.get("namespace")
    if kind == "ServiceAccount" and not namespace:
        namespace = (binding.get("metadata") or {}).get("namespace")
    prefix = f"{namespace}/" if namespace else ""
    return f"{kind}:{prefix}{subject.get('name', '')}"


def _role(binding: KubeObject) -> tuple[str, str]:
    ref = as_role_binding(binding).get("roleRef") or {}
    return str(ref.get("kind", "")), str(ref.get("name", ""))


def _matching(binding: KubeObject, predicate: Callable[[Subject], bool]) -> list[str]:
    return [_subject(binding, s) for s in as_role_binding(binding).get("subjects") or [] if predicate(s)]


@check("cluster_admin_binding", BINDING_KINDS)
def cluster_admin_binding(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    if _role(obj) != ("ClusterRole", "cluster-admin"):
        return None
    kind, name = kind_name(obj)
    subjects = _matching(obj, lambda s: True)
    return draft(
        "cluster_admin_binding",
        "critical" if kind == "ClusterRoleBinding" else "high",
        f"{kind} '{name}' grants cluster-admin to {', '.join(subjects) or 'no subjects'}",
        "Bind a narrower role; keep cluster-admin for break-glass accounts",
        role="cluster-admin",
        subjects=subjects,
    )


@check("anonymous_binding", BINDING_KINDS)
def anonymous_binding(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    subjects = _matching(
        obj,
        lambda s: (s.get("kind"), s.get("name")) in (("User", "system:anonymous"), ("Group", "system:unauthenticated")),
    )
    if not subjects:
        return None
    kind, name = kind_name(obj)
    role = _role(obj)[1]
    return draft(
        "anonymous_binding",
        "critical",
        f"{kind} '{name}' grants '{role}' to unauthenticated users",
        "Remove the anonymous subject",
        role=role,
        subjects=subjects,
    )


@check("authenticated_group_binding", BINDING_KINDS)
def authenticated_group_binding(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    subjects = _matching(obj, lambda s: (s.get("kind"), s.get("name")) == ("Group", "system:authenticated"))
    if not subjects:
        return None
    kind, name = kind_name(obj)
    role = _role(obj)[1]
    return draft(
        "authenticated_group_binding",
        "high",
        f"{kind} '{name}' grants '{role}' to every authenticated user",
        "Bind the role to the specific users, groups or ServiceAccounts that need it",
        role=role,
        subjects=subjects,
    )


@check("service_account_admin_binding", BINDING_KINDS)
def service_account_admin_binding(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    role_kind, role = _role(obj)
    if role_kind != "ClusterRole" or role not in ("admin", "edit"):
        return None
    subjects = _matching(obj, lambda s: s.get("kind") == "ServiceAccount")
    if not subjects:
        return None
    kind, name = kind_name(obj)
    return draft(
        "service_account_admin_binding",
        "high",
        f"{kind} '{name}' grants '{role}' to ServiceAccounts {', '.join(subjects)}",
        "Give the ServiceAccount a role with only the permissions it uses",
        role=role,
        subjects=subjects,
    )


@check("default_service_account_binding", BINDING_KINDS)
def default_service_account_binding(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    subjects = _matching(obj, lambda s: s.get("kind") == "ServiceAccount" and s.get("name") == "default")
    if not subjects:
        return None
    kind, name = kind_name(obj)
    role = _role(obj)[1]
    namespaces = [s.split(":", 1)[1].rsplit("/", 1)[0] if "/" in s else "" for s in subjects]
    return draft(
        "default_service_account_binding",
        "medium",
        f"{kind} '{name}' grants '{role}' to the default ServiceAccount of {', '.join(namespaces)}, which every pod "
        "without its own ServiceAccount uses",
        "Bind a dedicated ServiceAccount instead",
        role=role,
        subjects=subjects,
    )


CHECKS = [
    cluster_admin_binding, anonymous_binding, authenticated_group_binding, service_account_admin_binding,
    default_service_account_binding,
]  # fmt: skip
