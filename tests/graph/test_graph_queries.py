"""Diagram queries against the real Neo4j: the examples of docs/graph.md#diagrams for the "shop" fixture."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from graph.queries import (
    DiagramNotFound,
    GraphUnavailable,
    canonical_workload_kind,
    clusterrole_graph,
    list_namespaces,
    list_roles,
    namespace_graph,
    role_graph,
    workload_graph,
)
from tests.graph.conftest import load_graph

pytestmark = pytest.mark.integration

EXPECTED = Path(__file__).parent / "expected"


def expected(name: str) -> Any:
    return json.loads((EXPECTED / f"{name}.json").read_text())


def canonical(graph: dict[str, Any]) -> str:
    return json.dumps(graph, sort_keys=True)


@pytest.fixture
async def shop(neo4j_driver: Any) -> Any:
    await load_graph(neo4j_driver)
    return neo4j_driver


async def test_namespaces(shop: Any) -> None:
    assert await list_namespaces(shop) == expected("namespaces")


async def test_namespace_graph_equals_the_spec_example(shop: Any) -> None:
    assert canonical(await namespace_graph(shop, "shop")) == canonical(expected("namespace_shop"))


async def test_workload_graph_equals_the_spec_example(shop: Any) -> None:
    kind = canonical_workload_kind("statefulset")
    assert kind == "StatefulSet"
    assert canonical_workload_kind("ReplicaSet") is None
    got = await workload_graph(shop, "data", kind, "db")
    assert canonical(got) == canonical(expected("workload_data_statefulset_db"))


async def test_roles_listing_hides_system_names_unless_asked(shop: Any) -> None:
    assert await list_roles(shop) == expected("roles")
    with_system = await list_roles(shop, include_system=True)
    assert {"name": "system:secret-reader"} in with_system["cluster_roles"]
    assert {"namespace": "kube-system", "name": "system:leader-locking"} in with_system["roles"]


async def test_role_graph_equals_the_spec_example(shop: Any) -> None:
    assert canonical(await role_graph(shop, "shop", "pod-reader")) == canonical(expected("role_shop_pod-reader"))


async def test_clusterrole_graph_has_cluster_and_namespaced_bindings(shop: Any) -> None:
    assert canonical(await clusterrole_graph(shop, "ops-exec")) == canonical(expected("clusterrole_ops-exec"))


async def test_other_workload_kinds_and_bare_pods(shop: Any) -> None:
    cron = await workload_graph(shop, "data", "CronJob", "backup")
    ids = {n["id"] for n in cron["nodes"]}
    assert ids == {"CronJob/data/backup", "Job/data/backup-29001", "PersistentVolumeClaim/data/backup"}
    assert {e["id"] for e in cron["edges"]} == {
        "owns:CronJob/data/backup->Job/data/backup-29001",
        "mounts:CronJob/data/backup->PersistentVolumeClaim/data/backup",
    }
    default = await namespace_graph(shop, "default")
    pod = next(n for n in default["nodes"] if n["id"] == "Pod/default/debug")
    assert pod["status"] == "1/2 Ready" and pod["metadata"]["nps_count"] == 0
    assert "mounts:Pod/default/debug->ServiceAccount/default/default" in {e["id"] for e in default["edges"]}
    assert [g["label"] for g in default["groups"]] == ["ungrouped"]


async def test_not_found_details(shop: Any) -> None:
    with pytest.raises(DiagramNotFound) as ns:
        await namespace_graph(shop, "nope")
    assert ns.value.detail == "Namespace 'nope' not found"
    with pytest.raises(DiagramNotFound) as wl:
        await workload_graph(shop, "shop", "Deployment", "nope")
    assert wl.value.detail == "Deployment 'nope' not found in namespace 'shop'"
    with pytest.raises(DiagramNotFound) as role:
        await role_graph(shop, "shop", "ghost")  # only a placeholder exists
    assert role.value.detail == "Role 'ghost' not found in namespace 'shop'"
    with pytest.raises(DiagramNotFound) as cr:
        await clusterrole_graph(shop, "nope")
    assert cr.value.detail == "ClusterRole 'nope' not found"
    async with shop.session() as session:
        await (
            await session.run(
                "CREATE (:K8s:Namespace {id: 'Namespace/_/empty', kind: 'Namespace', name: 'empty', origin: 'synced'})"
            )
        ).consume()
    assert await namespace_graph(shop, "empty") == {"nodes": [], "edges": [], "groups": []}


async def test_unreachable_graph_is_unavailable() -> None:
    from neo4j import AsyncGraphDatabase

    with pytest.raises(GraphUnavailable):
        await list_namespaces(None)
    driver = AsyncGraphDatabase.driver("bolt://127.0.0.1:1", auth=None)
    try:
        started = time.monotonic()
        with pytest.raises(GraphUnavailable):
            await namespace_graph(driver, "shop", timeout_seconds=2)
        assert time.monotonic() - started < 5  # not the driver's 30 s of connection retries
    finally:
        await driver.close()
