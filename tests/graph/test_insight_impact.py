"""What a failing pod touches (docs/graph.md#what-a-failing-pod-touches), on the "pay" fixture in the real Neo4j, and
the rules behind availability and danger flags (unit)."""

from __future__ import annotations

from typing import Any

import pytest

from app.services.insight import InsightService
from app.services.pod_impact import availability, dangers, impact_answer
from tests.graph.conftest import load_graph

X1 = "checkout-6f7d8-x1"


@pytest.fixture
async def pay(neo4j_driver: Any) -> InsightService:
    await load_graph(neo4j_driver, "pay")
    return InsightService(lambda: neo4j_driver)


@pytest.mark.integration
async def test_the_blast_radius_of_a_crash_looping_replica(pay: InsightService) -> None:
    impact = await pay.impact("pay", X1)
    assert impact["pod"] == {
        "namespace": "pay", "name": X1, "phase": "Running", "status": "0/1 Ready", "ready": False, "node": "node-a",
        "restarts": 7,
    }  # fmt: skip
    assert impact["owners"] == [
        {"kind": "ReplicaSet", "name": "checkout-6f7d8", "exists": True, "status": "0/3 Ready"},
        {"kind": "Deployment", "name": "checkout", "exists": True, "status": "0/3 Ready"},
    ]
    assert impact["availability"] == {
        "kind": "Deployment", "name": "checkout", "desired": 3, "ready": 0, "state": "down",
    }  # fmt: skip
    checkout, web_tier = impact["services"]
    # Endpoints come from the EndpointSlices when the Service has some, else from the pods it selects.
    assert {k: checkout[k] for k in ("name", "endpoints", "ready_endpoints", "counted_from", "state", "exposed")} == {
        "name": "checkout", "endpoints": 2, "ready_endpoints": 0, "counted_from": "endpointslices", "state": "down",
        "exposed": True,
    }  # fmt: skip
    assert checkout["ingresses"] == [{"name": "storefront", "hosts": ["pay.example.com"],
                                      "paths": ["pay.example.com/checkout"], "ingress_class": "nginx"}]  # fmt: skip
    assert (web_tier["name"], web_tier["counted_from"], web_tier["endpoints"], web_tier["state"]) == (
        "web-tier", "pods", 3, "down",
    )  # fmt: skip
    assert impact["autoscalers"] == [{
        "name": "checkout", "target": {"kind": "Deployment", "name": "checkout"}, "min_replicas": 3,
        "max_replicas": 12, "current_replicas": 3, "desired_replicas": 3,
    }]  # fmt: skip
    assert [n["name"] for n in impact["network_policies"]] == ["checkout-from-ingress", "default-deny"]
    mounts = {m["name"]: m for m in impact["mounts"]}
    assert mounts["checkout-config"]["shared_with"] == {
        "pods": 3, "pod_names": ["checkout-6f7d8-x2", "checkout-6f7d8-x3", "ledger-0"],
        "workloads": ["StatefulSet/ledger"],
    }  # fmt: skip
    assert mounts["checkout-db"]["exists"] is None  # a Secret is only ever known by reference
    assert mounts["checkout-db"]["shared_with"]["pods"] == 2
    assert mounts["checkout-cache"] == {
        "kind": "PersistentVolumeClaim", "name": "checkout-cache", "via": ["volume"], "exists": True,
        "shared_with": {"pods": 0, "pod_names": [], "workloads": []},
    }  # fmt: skip


@pytest.mark.integration
async def test_what_its_service_account_may_do_with_danger_flags(pay: InsightService) -> None:
    account = (await pay.impact("pay", X1))["service_account"]
    assert (account["name"], account["exists"], account["token_mounted"]) == ("checkout", True, True)
    assert account["dangers"] == ["create-pods", "read-secrets"]
    rows = [(p["scope"], p["resource"], p["verbs"], p["via"], p["dangers"]) for p in account["permissions"]]
    assert rows == [
        ("pay", "pods", ["create"], "direct", ["create-pods"]),
        ("pay", "secrets", ["get", "list"], "direct", ["read-secrets"]),
        ("pay", "configmaps", ["get"], "group system:serviceaccounts:pay", []),
        ("pay", "pods/log", ["get"], "group system:authenticated", []),  # its token is an authenticated identity
    ]


@pytest.mark.integration
async def test_a_healthy_neighbour_and_a_bare_pod(pay: InsightService) -> None:
    ledger = await pay.impact("pay", "ledger-0")
    assert ledger["availability"]["state"] == "healthy"
    (service,) = ledger["services"]
    assert (service["name"], service["counted_from"], service["ready_endpoints"], service["state"]) == (
        "ledger", "pods", 1, "healthy",
    )  # fmt: skip
    assert [n["name"] for n in ledger["network_policies"]] == ["default-deny", "ledger-only"]
    assert ledger["service_account"]["name"] == "default" and ledger["service_account"]["dangers"] == []
    bare = await pay.impact("pay", "other")
    assert bare["owners"] == [] and bare["services"] == []
    assert bare["availability"] == {"kind": "Pod", "name": "other", "desired": 1, "ready": 0, "state": "down"}


@pytest.mark.integration
async def test_the_summary_names_what_is_down_first(pay: InsightService) -> None:
    access, impact = await pay.summaries("pay", X1)
    assert impact == {
        "state": "down",
        "controller": {"kind": "Deployment", "name": "checkout", "desired": 3, "ready": 0},
        "services": [
            {"name": "checkout", "state": "down", "ready_endpoints": 0, "endpoints": 2, "exposed": True},
            {"name": "web-tier", "state": "down", "ready_endpoints": 0, "endpoints": 3, "exposed": False},
        ],
        "services_total": 2,
        "ingresses": [{"name": "storefront", "hosts": ["pay.example.com"]}],
        "ingresses_total": 1,
        "autoscalers": 1,
        "network_policies": 2,
        "shared_mounts": 2,
        "service_account": {"name": "checkout", "token_mounted": True, "dangers": ["create-pods", "read-secrets"]},
    }
    assert access is not None and access["subjects"] > 0
    assert await pay.summaries("pay", "gone") == (None, None)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("owner", "state"),
    [
        ({"kind": "Deployment", "replicas": 3, "ready_replicas": 2}, "degraded"),
        ({"kind": "Deployment", "replicas": 3, "ready_replicas": 3}, "healthy"),
        ({"kind": "Deployment", "replicas": 0, "ready_replicas": 0}, "scaled-to-zero"),
        ({"kind": "DaemonSet", "desired_scheduled": 4, "number_ready": 0}, "down"),
        ({"kind": "Job", "parallelism": 1}, "batch"),
    ],
)
def test_availability_of_a_controller(owner: dict[str, Any], state: str) -> None:
    owners = [{**owner, "name": "w", "origin": "synced"}]
    assert availability({"name": "p", "ready": False}, owners)["state"] == state


@pytest.mark.unit
def test_a_placeholder_owner_does_not_count_and_the_pod_stands_alone() -> None:
    owners = [{"kind": "ReplicaSet", "name": "rs", "origin": "derived"}]
    assert availability({"name": "p", "ready": True}, owners) == {
        "kind": "Pod", "name": "p", "desired": 1, "ready": 1, "state": "healthy",
    }  # fmt: skip


@pytest.mark.unit
@pytest.mark.parametrize(
    ("permission", "flags"),
    [
        ({"api_group": "", "resource": "secrets", "verbs": ["watch"]}, ["read-secrets"]),
        ({"api_group": "", "resource": "secrets", "verbs": ["create"]}, []),
        ({"api_group": "", "resource": "pods/exec", "verbs": ["create"]}, ["exec"]),
        ({"api_group": "", "resource": "*/attach", "verbs": ["get"]}, ["exec"]),
        ({"api_group": "apps", "resource": "daemonsets", "verbs": ["create"]}, ["create-pods"]),
        ({"api_group": "rbac.authorization.k8s.io", "resource": "clusterroles", "verbs": ["escalate"]},
         ["bind-escalate"]),
        ({"api_group": "", "resource": "users", "verbs": ["impersonate"]}, ["impersonate"]),
        ({"api_group": "", "resource": "serviceaccounts/token", "verbs": ["create"]}, ["token-request"]),
        # "get" on exec counts too: API servers before 1.30 let a websocket GET run commands
        ({"api_group": "", "resource": "*", "verbs": ["get"]}, ["wildcard", "read-secrets", "exec"]),
        ({"api_group": "*", "resource": "*", "verbs": ["*"]},
         ["wildcard", "read-secrets", "exec", "create-pods", "bind-escalate", "impersonate", "token-request"]),
        ({"non_resource_url": "*", "verbs": ["*"]}, []),
    ],
)
def test_danger_flags(permission: dict[str, Any], flags: list[str]) -> None:
    assert dangers(permission) == flags


@pytest.mark.unit
def test_an_unmounted_token_is_reported() -> None:
    facts = {
        "pod": {"namespace": "n", "name": "p", "automount_token": False},
        "service_account": {"name": "sa", "namespace": "n", "origin": "synced", "automount_token": True},
        "service_account_grants": [],
    }
    assert impact_answer(facts)["service_account"]["token_mounted"] is False
    facts["pod"] = {"namespace": "n", "name": "p"}
    facts["service_account"]["automount_token"] = False
    assert impact_answer(facts)["service_account"]["token_mounted"] is False


@pytest.mark.integration
async def test_summaries_skip_a_failing_graph_for_a_moment_then_recover(
    neo4j_driver: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from neo4j import AsyncGraphDatabase

    import app.services.insight as insight

    monkeypatch.setattr(insight, "SUMMARY_RETRY_SECONDS", 0.3)
    await load_graph(neo4j_driver, "pay")
    unreachable = AsyncGraphDatabase.driver("bolt://127.0.0.1:1", auth=None)
    current = [unreachable]
    service = InsightService(lambda: current[0], query_timeout=1, summary_timeout=0.5)
    try:
        assert await service.summaries("pay", X1) == (None, None)
        current[0] = neo4j_driver  # Neo4j is back ...
        assert await service.impact_summary("pay", X1) is None  # ... but not asked again at once
        await asyncio.sleep(0.4)
        assert (await service.impact_summary("pay", X1) or {}).get("state") == "down"
    finally:
        await unreachable.close()


@pytest.mark.integration
async def test_what_a_mirror_changes_in_the_blast_radius(neo4j_driver: Any) -> None:
    from app.services.pod_impact import implicit_groups, mirror_blast_radius
    from graph.insight import impact_facts

    await load_graph(neo4j_driver, "pay")
    facts = await impact_facts(neo4j_driver, "pay", X1, implicit_groups=implicit_groups("pay"), selectors=True)
    assert facts is not None
    mirror_labels = {"kure.io/mirror": "true", "kure.io/mirror-id": "0123456789ab", "kure.io/source-pod": X1}
    change = mirror_blast_radius(impact_answer(facts), facts, mirror_labels)
    assert change == {
        "source_labels": {"app": "checkout", "tier": "web"},
        "mirror_labels": mirror_labels,
        # Its labels are the mirror's own: no Service sends it traffic, ...
        "services_left": ["checkout", "web-tier"],
        "services_joined": [],
        # ... the policy selecting checkout's pods by label no longer applies; the namespace-wide one still does,
        # so ingress stays isolated.
        "network_policies_left": ["checkout-from-ingress"],
        "network_policies_kept": ["default-deny"],
        "network_policies_joined": [],
        "ingress_isolated": {"source": True, "mirror": True},
        "egress_isolated": {"source": False, "mirror": False},
        "isolation_lost": [],
        "controllers_left": [
            {"kind": "ReplicaSet", "name": "checkout-6f7d8"}, {"kind": "Deployment", "name": "checkout"},
        ],
        "autoscalers_left": ["checkout"],
        # Same account and volumes as the source (the gate allows no other).
        "service_account": {"name": "checkout", "token_mounted": True, "dangers": ["create-pods", "read-secrets"]},
        "shared_mounts": [
            {"kind": "ConfigMap", "name": "checkout-config"},
            {"kind": "PersistentVolumeClaim", "name": "checkout-cache"},
            {"kind": "Secret", "name": "checkout-db"},
        ],
        "read_write_once_claims": ["checkout-cache"],
    }
    # ledger's only ingress rule selects it by label: its mirror loses the isolation.
    ledger = await impact_facts(neo4j_driver, "pay", "ledger-0", implicit_groups=implicit_groups("pay"),
                                selectors=True)  # fmt: skip
    assert ledger is not None
    change = mirror_blast_radius(impact_answer(ledger), ledger, mirror_labels)
    assert (change["network_policies_left"], change["egress_isolated"], change["isolation_lost"]) == (
        ["ledger-only"], {"source": True, "mirror": False}, [{"direction": "Egress", "policies": ["ledger-only"]}],
    )  # fmt: skip
