"""How RBAC objects read as graph facts (docs/graph.md#rbac-exactly): exact per-rule grants, a binding's role
and scope, and who a subject is. Pure functions over typed Kubernetes objects
(app/kube/bodies.py)."""

from __future__ import annotations

from typing import Any

from app.kube.bodies import PolicyRule, RoleBinding, Subject

from .schema import node_id

JSON = dict[str, Any]


def permissions_of(kind: str, namespace: str | None, name: str, rules: list[PolicyRule]) -> list[JSON]:
    """Exact per-rule grants: one Permission per key, verbs unioned only within a key (so a role with
    ``get pods`` and ``create secrets`` never looks as if it granted ``create pods``)."""
    role_id = node_id(kind, namespace, name)
    merged: dict[tuple[str, ...], JSON] = {}
    for rule in rules or []:
        verbs = {str(v) for v in rule.get("verbs") or []}
        names = sorted({str(n) for n in rule.get("resourceNames") or []})
        for group in rule.get("apiGroups") or []:
            for resource in rule.get("resources") or []:
                key = ("r", str(group), str(resource), ",".join(names))
                perm_name = f"{group or 'core'}/{resource}"
                entry = merged.setdefault(
                    key,
                    {
                        "name": perm_name,
                        "api_group": str(group),
                        "resource": str(resource),
                        "resource_names": names,
                        "verbs": set(),
                    },
                )
                entry["verbs"] |= verbs
        for url in rule.get("nonResourceURLs") or []:
            entry = merged.setdefault(("u", str(url)), {"name": str(url), "non_resource_url": str(url), "verbs": set()})
            entry["verbs"] |= verbs
    out: list[JSON] = []
    for entry in merged.values():
        suffix = f"[{','.join(entry['resource_names'])}]" if entry.get("resource_names") else ""
        props: JSON = {
            "id": f"Permission/{namespace or '_'}/{kind}:{name}:{entry['name']}{suffix}",
            "kind": "Permission",
            "name": entry["name"],
            "origin": "synthesized",
            "role_id": role_id,
            "role_kind": kind,
            "role_name": name,
            "verbs": sorted(entry["verbs"]),
        }
        if namespace:
            props["namespace"] = namespace
        for prop in ("api_group", "resource", "resource_names", "non_resource_url"):
            if prop in entry:
                props[prop] = entry[prop]
        out.append(props)
    out.sort(key=lambda p: p["id"])
    return out


def binding_scope(kind: str, namespace: str | None) -> str:
    """Where a binding's grants apply: its namespace for a RoleBinding, ``*`` for a ClusterRoleBinding."""
    return (namespace or "") if kind == "RoleBinding" else "*"


def role_ref_of(kind: str, namespace: str | None, obj: RoleBinding) -> tuple[str, str | None, str, str] | None:
    """(role kind, role namespace, role name, scope) of a binding's ``roleRef``; None when it names no role a
    binding of this kind can use (a Role needs the binding's namespace)."""
    role_ref = obj.get("roleRef") or {}
    role_kind = str(role_ref.get("kind") or "")
    role_name = str(role_ref.get("name") or "")
    if role_kind not in ("Role", "ClusterRole") or not role_name or (role_kind == "Role" and not namespace):
        return None
    return role_kind, (namespace if role_kind == "Role" else None), role_name, binding_scope(kind, namespace)


def subject_of(subject: Subject, binding_namespace: str | None) -> tuple[str, str | None, str] | None:
    """(kind, namespace, name) of the node a binding subject stands for. A User named
    ``system:serviceaccount:<ns>:<name>`` is that ServiceAccount: it is the user name the API server gives the
    ServiceAccount's tokens."""
    kind, name = subject.get("kind"), subject.get("name")
    if not name:
        return None
    name = str(name)
    if kind == "User" and name.startswith("system:serviceaccount:") and name.count(":") == 3:
        _, _, sa_ns, sa_name = name.split(":")
        return "ServiceAccount", sa_ns, sa_name
    if kind == "User":
        return "Subject:User", None, name
    if kind == "Group":
        return "Subject:Group", None, name
    if kind == "ServiceAccount":
        ns = subject.get("namespace") or binding_namespace
        return ("ServiceAccount", str(ns), name) if ns else None
    return None
