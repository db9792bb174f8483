"""Every analyst recipe of docs/graph.md#analyst-recipes-neo4j-browser (graph/recipes.py, documented in docs/graph.md)
on the "shop" fixture."""

from __future__ import annotations

from typing import Any

import pytest

from graph.recipes import BY_KEY, RECIPES
from tests.graph.conftest import load_graph, rows

pytestmark = pytest.mark.integration


def _norm(value: Any) -> Any:
    # collect() order is not defined: compare collected lists as sorted lists
    if isinstance(value, list):
        items = [_norm(v) for v in value]
        return sorted(items, key=repr)
    return value


async def run(driver: Any, key: str, **params: Any) -> list[dict[str, Any]]:
    return [{k: _norm(v) for k, v in row.items()} for row in await rows(driver, BY_KEY[key].cypher, **params)]


async def test_every_recipe_returns_no_rows_on_an_empty_graph(neo4j_driver: Any) -> None:
    for recipe in RECIPES:
        assert await rows(neo4j_driver, recipe.cypher, **dict.fromkeys(recipe.params, "x")) == [], recipe.key


@pytest.fixture
async def shop(neo4j_driver: Any) -> Any:
    await load_graph(neo4j_driver)
    return neo4j_driver


async def test_r1_who_can_exec_into_pods(shop: Any) -> None:
    got = await run(shop, "R1", ns="shop")
    assert [(r["subject_kind"], r["subject"], r["binding"], r["role"], r["verbs"]) for r in got] == [
        ("ServiceAccount", "deployer", "deployer-admin", "cluster-admin", ["*"]),
        ("Subject:Group", "ops", "ops-exec-all", "ops-exec", ["create", "get"]),
        ("Subject:User", "bob", "ops-exec", "ops-exec", ["create", "get"]),
    ]
    # bob's RoleBinding is scoped to shop: he cannot exec in data
    assert "bob" not in {r["subject"] for r in await run(shop, "R1", ns="data")}


async def test_r2_who_can_read_secrets(shop: Any) -> None:
    got = await run(shop, "R2")
    assert [(r["subject"], r["scope"], r["roles"]) for r in got] == [
        ("deployer", "all namespaces", ["ClusterRole/cluster-admin"]),
        ("default", "data", ["ClusterRole/system:secret-reader"]),  # via MEMBER_OF system:serviceaccounts:data
        ("system:serviceaccounts:data", "data", ["ClusterRole/system:secret-reader"]),
    ]


async def test_r3_service_accounts_bound_to_cluster_admin(shop: Any) -> None:
    assert await run(shop, "R3") == [
        {
            "namespace": "kube-system",
            "service_account": "deployer",
            "origin": "synced",
            "binding_kind": "ClusterRoleBinding",
            "binding_namespace": None,
            "binding": "deployer-admin",
            "scope": "*",
            "how": "direct",
        }
    ]


async def test_r4_what_uses_a_secret(shop: Any) -> None:
    assert await run(shop, "R4", ns="shop", name="web-db") == [
        {"kind": "Deployment", "name": "web", "via": ["env"]},
        {"kind": "Pod", "name": "web-7d9f8b6c4-abc12", "via": ["env"]},
        {"kind": "Pod", "name": "web-7d9f8b6c4-def34", "via": ["env"]},
        {"kind": "ReplicaSet", "name": "web-7d9f8b6c4", "via": ["env"]},
    ]


async def test_r5_ingress_service_pod_paths(shop: Any) -> None:
    paths = await rows(shop, BY_KEY["R5"].cypher, ns="shop")
    assert len(paths) == 2
    assert await run(shop, "R5-table", ns="shop") == [
        {
            "ingress": "web",
            "paths": ["shop.example.com/"],
            "service": "web",
            "pods": ["web-7d9f8b6c4-abc12", "web-7d9f8b6c4-def34"],
        }
    ]


async def test_r6_running_pods_no_service_selects(shop: Any) -> None:
    assert await run(shop, "R6") == [
        {"namespace": "kube-system", "pod": "log-agent-x2x9z", "owners": ["DaemonSet/log-agent"]}
    ]


async def test_r7_workloads_without_network_policy(shop: Any) -> None:
    assert await run(shop, "R7") == [
        {"kind": "DaemonSet", "namespace": "kube-system", "name": "log-agent", "pods": 1, "uncovered": 1}
    ]


async def test_r8_wildcard_holders(shop: Any) -> None:
    assert await run(shop, "R8") == [
        {
            "subject_kind": "ServiceAccount",
            "subject_namespace": "kube-system",
            "subject": "deployer",
            "scope": "*",
            "role": "ClusterRole/cluster-admin",
            "wildcard_permissions": ["*", "*/*"],
        }
    ]


async def test_r9_everything_a_service_account_may_do(shop: Any) -> None:
    assert await run(shop, "R9", ns="data", name="default") == [
        {
            "scope": "data",
            "api_group": "",
            "resource": "secrets",
            "url": None,
            "resource_names": [],
            "verbs": ["get", "list"],
            "role": "ClusterRole/system:secret-reader",
            "binding": "RoleBinding/data/data-secrets",
        }
    ]
    ci = await run(shop, "R9", ns="shop", name="ci")
    assert {(r["resource"], tuple(r["resource_names"])) for r in ci} == {
        ("pods", ()),
        ("pods/log", ()),
        ("configmaps", ("web-config",)),
    }


async def test_r10_who_can_create_pods(shop: Any) -> None:
    assert await run(shop, "R10", ns="shop") == [
        {
            "subject_kind": "ServiceAccount",
            "subject_namespace": "kube-system",
            "subject": "deployer",
            "api_group": "*",
            "resource": "*",
            "scope": "*",
        }
    ]


async def test_r11_who_can_escalate(shop: Any) -> None:
    assert await run(shop, "R11") == [
        {
            "subject_kind": "ServiceAccount",
            "subject_namespace": "kube-system",
            "subject": "deployer",
            "permission": "*/*",
            "verbs": ["*"],
            "scope": "*",
            "role": "cluster-admin",
        }
    ]


async def test_r12_dangling_references(shop: Any) -> None:
    assert [
        (r["from_name"], r["relationship"], r["missing_kind"], r["missing_name"]) for r in await run(shop, "R12")
    ] == [
        ("debug", "MOUNTS", "ConfigMap", "debug-cm"),
        ("debug", "USES_SERVICE_ACCOUNT", "ServiceAccount", "default"),
        ("dangling", "ROLE_REF", "Role", "ghost"),
    ]


async def test_r13_configmap_blast_radius(shop: Any) -> None:
    assert await run(shop, "R13", ns="shop", name="web-config") == [
        {"kind": "Deployment", "name": "web", "pods": 2, "services": ["web"], "ingresses": ["web"]}
    ]


async def test_r14_exposed_privileged_pods(shop: Any) -> None:
    assert await run(shop, "R14") == [
        {
            "namespace": "default",
            "pod": "debug",
            "service": "debug",
            "type": "NodePort",
            "privileged": True,
            "host_network": True,
            "host_paths": ["/"],
        }
    ]


async def test_r15_pods_whose_token_reads_secrets(shop: Any) -> None:
    # log-agent runs as cluster-admin "deployer" but does not mount its token
    assert await run(shop, "R15") == [
        {"namespace": "data", "pod": "db-0", "service_account": "default", "secret_scopes": ["data"]}
    ]


async def test_r16_cluster_roles_granted_in_one_namespace(shop: Any) -> None:
    assert [(r["namespace"], r["binding"], r["cluster_role"], r["scope"]) for r in await run(shop, "R16")] == [
        ("data", "data-secrets", "system:secret-reader", "data"),
        ("shop", "ops-exec", "ops-exec", "shop"),
    ]
