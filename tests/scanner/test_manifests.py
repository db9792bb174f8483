"""The shipped manifests (docs/agent-scanner.md#rbac): exact RBAC, and the scanner's own catalogue finds nothing above
low."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from app.scanner.checks.rbac_rules import rule_grants

from .fixtures import evaluate_universe

pytestmark = pytest.mark.unit

K8S = Path(__file__).resolve().parents[2] / "docker" / "k8s"


def _docs(name: str) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all((K8S / name).read_text()) if d]


def _grants(docs: list[dict[str, Any]], kind: str) -> set[tuple[str, str, str, str]]:
    out = set()
    for doc in docs:
        if doc["kind"] != kind:
            continue
        for rule in doc["rules"]:
            names = ",".join(rule.get("resourceNames") or [])
            for group in rule["apiGroups"]:
                for resource in rule["resources"]:
                    for verb in rule["verbs"]:
                        out.add((group, resource, verb, names))
    return out


def test_agent_rbac_is_exactly_the_spec_table() -> None:
    """The spec's table plus `create` on ConfigMaps of its namespace (docs/agent-scanner.md: the agent creates its
    missing checkpoint ConfigMap)."""
    docs = _docs("agent.yaml")
    assert _grants(docs, "ClusterRole") == {
        ("", "pods", "list", ""), ("", "pods", "watch", ""), ("", "pods/log", "get", ""),
        ("", "events", "list", ""), ("", "events", "watch", ""),
    }  # fmt: skip
    assert _grants(docs, "Role") == {
        ("coordination.k8s.io", "leases", "create", ""),
        ("coordination.k8s.io", "leases", "get", "kure-monitor-agent"),
        ("coordination.k8s.io", "leases", "update", "kure-monitor-agent"),
        ("", "configmaps", "get", "kure-monitor-agent-state"),
        ("", "configmaps", "update", "kure-monitor-agent-state"),
        ("", "configmaps", "create", ""),
    }


def test_scanner_rbac_is_list_watch_only_without_secrets() -> None:
    docs = _docs("scanner.yaml")
    cluster = _grants(docs, "ClusterRole")
    assert {verb for _, _, verb, _ in cluster} == {"list", "watch"}
    resources = {(g, r) for g, r, _, _ in cluster}
    assert resources == {
        ("", "namespaces"), ("", "pods"), ("", "services"), ("", "serviceaccounts"), ("", "configmaps"),
        ("", "resourcequotas"), ("", "limitranges"), ("", "persistentvolumes"),
        ("apps", "deployments"), ("apps", "replicasets"), ("apps", "statefulsets"), ("apps", "daemonsets"),
        ("batch", "jobs"), ("batch", "cronjobs"), ("networking.k8s.io", "ingresses"),
        ("networking.k8s.io", "networkpolicies"), ("policy", "poddisruptionbudgets"),
        ("rbac.authorization.k8s.io", "roles"), ("rbac.authorization.k8s.io", "rolebindings"),
        ("rbac.authorization.k8s.io", "clusterroles"), ("rbac.authorization.k8s.io", "clusterrolebindings"),
    }  # fmt: skip
    role = next(d for d in docs if d["kind"] == "ClusterRole")
    for never in (("", "secrets", "get"), ("", "pods/exec", "create"), ("", "nodes/proxy", "get")):
        assert not any(rule_grants(rule, *never) for rule in role["rules"])


@pytest.mark.parametrize("name", ["agent.yaml", "scanner.yaml"])
def test_components_pass_their_own_catalogue(name: str) -> None:
    results = evaluate_universe(_docs(name))
    for key, findings in results.items():
        for finding in findings:
            assert finding.severity in ("low", "info") or finding.check_name == "untrusted_registry", (key, finding)
    deployment = next(k for k in results if k.startswith("Deployment/"))
    names = {f.check_name for f in results[deployment]}
    assert "service_account_token_automount" not in names
    assert "seccomp_profile_missing" not in names
