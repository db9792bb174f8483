"""RBAC conformance helpers (docs/agent-scanner.md#verifying-rbac): is a recorded API request allowed by a manifest's
rules?"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml

from app.kube.bodies import PolicyRule, as_role
from app.scanner.checks.rbac_rules import rule_grants

K8S = Path(__file__).resolve().parents[2] / "docker" / "k8s"


def attributes(method: str, path_qs: str) -> tuple[str, str, str, str | None]:
    """(verb, group, resource[/subresource], name) of one request."""
    parts = urlsplit(path_qs)
    query = parse_qs(parts.query)
    segments = [s for s in parts.path.split("/") if s]
    if segments[0] == "api":
        group, rest = "", segments[2:]
    else:
        group, rest = segments[1], segments[3:]
    if rest and rest[0] == "namespaces" and len(rest) >= 3:
        rest = rest[2:]
    resource = rest[0]
    name = rest[1] if len(rest) > 1 else None
    if len(rest) > 2:
        resource = f"{resource}/{rest[2]}"
    if name is None:
        verb = (
            "watch" if query.get("watch", ["false"])[0] in ("true", "1") else ("create" if method == "POST" else "list")
        )
    else:
        verb = {"GET": "get", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}[method]
    return verb, group, resource, name


def rules_of(manifest: str) -> list[PolicyRule]:
    docs = [d for d in yaml.safe_load_all((K8S / manifest).read_text()) if d]
    return [rule for d in docs if d["kind"] in ("Role", "ClusterRole") for rule in as_role(d).get("rules") or []]


def allowed(rules: list[PolicyRule], method: str, path_qs: str) -> bool:
    verb, group, resource, name = attributes(method, path_qs)
    for rule in rules:
        names = rule.get("resourceNames") or []
        if names and name not in names:
            continue
        if rule_grants(rule, group, resource, verb):
            return True
    return False
