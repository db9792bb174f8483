"""Every insecure resource of docs/agent-scanner.md#test-fixtures (and its secure counterpart) against the exact
expected set."""

from __future__ import annotations

import pytest

from .fixtures import evaluate_universe, load, scenario_names

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("name", scenario_names())
def test_exact_finding_sets(name: str) -> None:
    docs, expect = load(name)
    results = evaluate_universe(docs)
    assert set(results) == set(expect["objects"]), "the expect file must list every object of the fixture"
    for key, expected in expect["objects"].items():
        got = sorted(f.check_name for f in results[key])
        assert got == sorted(expected), key
    for key, severities in (expect.get("severities") or {}).items():
        by_name = {f.check_name: f for f in results[key]}
        for check_name, severity in severities.items():
            assert by_name[check_name].severity == severity, (key, check_name)
    for key, details in (expect.get("details") or {}).items():
        by_name = {f.check_name: f for f in results[key]}
        for check_name, subset in details.items():
            for field, value in subset.items():
                assert by_name[check_name].details[field] == value, (key, check_name, field)


def test_every_finding_is_well_formed() -> None:
    for name in scenario_names():
        docs, _ = load(name)
        for key, findings in evaluate_universe(docs).items():
            assert len({f.check_name for f in findings}) == len(findings), key
            for f in findings:
                assert f.severity in ("critical", "high", "medium", "low", "info")
                assert f.message
                assert f.remediation


def test_trusting_the_registry_path_removes_the_finding() -> None:
    docs, _ = load("untrusted-registry")
    trusted = frozenset({"registry.k8s.io", "evil.example.com:5000/team"})
    results = evaluate_universe(docs, trusted=trusted)
    assert sorted(f.check_name for f in results["Deployment/test-registry/evil-app"]) == ["image_digest_missing"]


def test_excluded_namespace_is_not_evaluated() -> None:
    docs, _ = load("insecure-nginx")
    results = evaluate_universe(docs, excluded=frozenset({"test-security"}))
    assert results["Deployment/test-security/insecure-nginx"] == []
    assert results["Namespace//test-security"] == []
    assert [f.check_name for f in results["ClusterRole//wildcard-permissions"]] == ["rbac_cluster_admin_equivalent"]
