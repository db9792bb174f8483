"""Sync against the fake API and the real Neo4j: initial list, every watch event type, 410, 403, replay."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from app.kube import KubeConfig
from app.simulator.kubeapi import FakeKubeApi
from graph.metrics import GRAPH_RESYNCS
from tests.graph.conftest import FIXTURES, RunningWatcher, edge_set, eventually, node_origins, rows

pytestmark = pytest.mark.integration

Starter = Callable[..., Awaitable[RunningWatcher]]

# Every relationship except CONTAINS after the initial sync of the "shop" fixture (docs/graph.md#relationships).
EXPECTED_EDGES = {
    ("ClusterRole/_/admin", "GRANTS", "Permission/_/ClusterRole:admin:apps/deployments"),
    ("ClusterRole/_/admin", "GRANTS", "Permission/_/ClusterRole:admin:apps/deployments/scale"),
    ("ClusterRole/_/admin", "GRANTS", "Permission/_/ClusterRole:admin:core/pods"),
    ("ClusterRole/_/admin", "GRANTS", "Permission/_/ClusterRole:admin:core/secrets"),
    ("ClusterRole/_/cluster-admin", "GRANTS", "Permission/_/ClusterRole:cluster-admin:*"),
    ("ClusterRole/_/cluster-admin", "GRANTS", "Permission/_/ClusterRole:cluster-admin:*/*"),
    ("ClusterRole/_/edit", "GRANTS", "Permission/_/ClusterRole:edit:apps/deployments"),
    ("ClusterRole/_/ops-exec", "GRANTS", "Permission/_/ClusterRole:ops-exec:/healthz"),
    ("ClusterRole/_/ops-exec", "GRANTS", "Permission/_/ClusterRole:ops-exec:core/pods/exec"),
    ("ClusterRole/_/system:secret-reader", "GRANTS", "Permission/_/ClusterRole:system:secret-reader:core/secrets"),
    ("ClusterRole/_/view", "GRANTS", "Permission/_/ClusterRole:view:core/configmaps"),
    ("ClusterRole/_/view", "GRANTS", "Permission/_/ClusterRole:view:core/pods"),
    ("ClusterRole/_/view", "GRANTS", "Permission/_/ClusterRole:view:core/services"),
    ("ClusterRoleBinding/_/deployer-admin", "ROLE_REF", "ClusterRole/_/cluster-admin"),
    ("ClusterRoleBinding/_/ops-exec-all", "ROLE_REF", "ClusterRole/_/ops-exec"),
    ("CronJob/data/backup", "MOUNTS", "PersistentVolumeClaim/data/backup"),
    ("CronJob/data/backup", "OWNS", "Job/data/backup-29001"),
    ("DaemonSet/kube-system/log-agent", "OWNS", "Pod/kube-system/log-agent-x2x9z"),
    ("DaemonSet/kube-system/log-agent", "USES_SERVICE_ACCOUNT", "ServiceAccount/kube-system/deployer"),
    ("Pod/kube-system/log-agent-x2x9z", "SCHEDULED_ON", "Node/_/worker-1"),
    ("Pod/kube-system/log-agent-x2x9z", "USES_SERVICE_ACCOUNT", "ServiceAccount/kube-system/deployer"),
    ("Deployment/shop/web", "MOUNTS", "ConfigMap/shop/web-config"),
    ("Deployment/shop/web", "MOUNTS", "Secret/shop/web-db"),
    ("Deployment/shop/web", "OWNS", "ReplicaSet/shop/web-5c6b7d8e9"),
    ("Deployment/shop/web", "OWNS", "ReplicaSet/shop/web-7d9f8b6c4"),
    ("Deployment/shop/web", "USES_SERVICE_ACCOUNT", "ServiceAccount/shop/web"),
    ("HorizontalPodAutoscaler/shop/web", "SCALES", "Deployment/shop/web"),
    ("Ingress/shop/web", "ROUTES_TO", "Service/shop/web"),
    ("Job/data/backup-29001", "MOUNTS", "PersistentVolumeClaim/data/backup"),
    ("NetworkPolicy/data/db-ingress", "APPLIES_TO", "Pod/data/db-0"),
    ("NetworkPolicy/shop/default-deny", "APPLIES_TO", "Pod/shop/web-7d9f8b6c4-abc12"),
    ("NetworkPolicy/shop/default-deny", "APPLIES_TO", "Pod/shop/web-7d9f8b6c4-def34"),
    ("Pod/data/db-0", "MOUNTS", "Secret/data/db-credentials"),
    ("Pod/data/db-0", "SCHEDULED_ON", "Node/_/worker-2"),
    ("Pod/data/db-0", "USES_SERVICE_ACCOUNT", "ServiceAccount/data/default"),
    ("Pod/default/debug", "MOUNTS", "ConfigMap/default/debug-cm"),
    ("Pod/default/debug", "MOUNTS", "Secret/default/debug-env"),
    ("Pod/default/debug", "MOUNTS", "Secret/default/debug-token"),
    ("Pod/default/debug", "MOUNTS", "Secret/default/regcred"),
    ("Pod/default/debug", "SCHEDULED_ON", "Node/_/worker-1"),
    ("Pod/default/debug", "USES_SERVICE_ACCOUNT", "ServiceAccount/default/default"),
    ("Pod/shop/web-7d9f8b6c4-abc12", "MOUNTS", "ConfigMap/shop/web-config"),
    ("Pod/shop/web-7d9f8b6c4-abc12", "MOUNTS", "Secret/shop/web-db"),
    ("Pod/shop/web-7d9f8b6c4-abc12", "SCHEDULED_ON", "Node/_/worker-1"),
    ("Pod/shop/web-7d9f8b6c4-abc12", "USES_SERVICE_ACCOUNT", "ServiceAccount/shop/web"),
    ("Pod/shop/web-7d9f8b6c4-def34", "MOUNTS", "ConfigMap/shop/web-config"),
    ("Pod/shop/web-7d9f8b6c4-def34", "MOUNTS", "Secret/shop/web-db"),
    ("Pod/shop/web-7d9f8b6c4-def34", "SCHEDULED_ON", "Node/_/worker-2"),
    ("Pod/shop/web-7d9f8b6c4-def34", "USES_SERVICE_ACCOUNT", "ServiceAccount/shop/web"),
    ("ReplicaSet/shop/web-5c6b7d8e9", "USES_SERVICE_ACCOUNT", "ServiceAccount/shop/web"),
    ("ReplicaSet/shop/web-7d9f8b6c4", "MOUNTS", "ConfigMap/shop/web-config"),
    ("ReplicaSet/shop/web-7d9f8b6c4", "MOUNTS", "Secret/shop/web-db"),
    ("ReplicaSet/shop/web-7d9f8b6c4", "OWNS", "Pod/shop/web-7d9f8b6c4-abc12"),
    ("ReplicaSet/shop/web-7d9f8b6c4", "OWNS", "Pod/shop/web-7d9f8b6c4-def34"),
    ("ReplicaSet/shop/web-7d9f8b6c4", "USES_SERVICE_ACCOUNT", "ServiceAccount/shop/web"),
    (
        "Role/kube-system/system:leader-locking",
        "GRANTS",
        "Permission/kube-system/Role:system:leader-locking:coordination.k8s.io/leases",
    ),
    ("Role/shop/pod-reader", "GRANTS", "Permission/shop/Role:pod-reader:core/configmaps[web-config]"),
    ("Role/shop/pod-reader", "GRANTS", "Permission/shop/Role:pod-reader:core/pods"),
    ("Role/shop/pod-reader", "GRANTS", "Permission/shop/Role:pod-reader:core/pods/log"),
    ("RoleBinding/data/data-secrets", "ROLE_REF", "ClusterRole/_/system:secret-reader"),
    ("RoleBinding/shop/dangling", "ROLE_REF", "Role/shop/ghost"),
    ("RoleBinding/shop/ops-exec", "ROLE_REF", "ClusterRole/_/ops-exec"),
    ("RoleBinding/shop/read-pods", "ROLE_REF", "Role/shop/pod-reader"),
    ("Service/data/db", "HAS_ENDPOINT_SLICE", "EndpointSlice/data/db-q8z4m"),
    ("Service/data/db", "SELECTS", "Pod/data/db-0"),
    ("Service/default/debug", "SELECTS", "Pod/default/debug"),
    ("Service/shop/web", "HAS_ENDPOINT_SLICE", "EndpointSlice/shop/web-x7k2p"),
    ("Service/shop/web", "SELECTS", "Pod/shop/web-7d9f8b6c4-abc12"),
    ("Service/shop/web", "SELECTS", "Pod/shop/web-7d9f8b6c4-def34"),
    ("ServiceAccount/data/default", "MEMBER_OF", "Subject:Group/_/system:serviceaccounts:data"),
    ("ServiceAccount/kube-system/deployer", "SUBJECT_OF", "ClusterRoleBinding/_/deployer-admin"),
    ("ServiceAccount/shop/ci", "SUBJECT_OF", "RoleBinding/shop/read-pods"),
    ("ServiceAccount/shop/web", "SUBJECT_OF", "RoleBinding/shop/dangling"),
    ("StatefulSet/data/db", "MOUNTS", "Secret/data/db-credentials"),
    ("StatefulSet/data/db", "OWNS", "Pod/data/db-0"),
    ("Subject:Group/_/devs", "SUBJECT_OF", "RoleBinding/shop/read-pods"),
    ("Subject:Group/_/ops", "SUBJECT_OF", "ClusterRoleBinding/_/ops-exec-all"),
    ("Subject:Group/_/system:serviceaccounts:data", "SUBJECT_OF", "RoleBinding/data/data-secrets"),
    ("Subject:User/_/alice", "SUBJECT_OF", "RoleBinding/shop/read-pods"),
    ("Subject:User/_/bob", "SUBJECT_OF", "RoleBinding/shop/ops-exec"),
}


def without_contains(edges: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    return {e for e in edges if e[1] != "CONTAINS"}


async def snapshot(driver: Any) -> list[dict[str, Any]]:
    """Every node with labels and all properties, and every relationship with its properties."""
    nodes = await rows(
        driver, "MATCH (n:K8s) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props ORDER BY id"
    )
    for n in nodes:
        n["labels"] = sorted(n["labels"])
    rels = await rows(
        driver,
        "MATCH (a:K8s)-[r]->(b:K8s) RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS props ORDER BY a, t, b",
    )
    return nodes + rels


async def test_initial_list_builds_the_expected_graph(
    fake_kube: FakeKubeApi, neo4j_driver: Any, start_watcher: Starter
) -> None:
    fake_kube.load_fixture(FIXTURES / "shop")
    rw = await start_watcher()
    await rw.settle()
    assert without_contains(await edge_set(neo4j_driver)) == EXPECTED_EDGES
    origins = await node_origins(neo4j_driver)
    assert origins["Subject:User/_/alice"] == "synthesized"
    assert origins["Secret/shop/web-db"] == "derived"
    assert origins["Role/shop/ghost"] == "derived"
    assert origins["ServiceAccount/default/default"] == "derived"
    synced = {i for i, o in origins.items() if o == "synced"}
    cluster = {
        f"{o['kind']}/{o['metadata'].get('namespace', '_')}/{o['metadata']['name']}"
        for kind in ("Pod", "Deployment", "ClusterRole", "RoleBinding", "Namespace")
        for o in fake_kube.list_objects(kind)
    }
    assert cluster <= synced
    # every namespaced node but Permissions has exactly one CONTAINS from its namespace (guarantee 3)
    bad = await rows(
        neo4j_driver,
        "MATCH (n:K8s) WHERE n.namespace IS NOT NULL AND NOT n:Permission "
        "AND COUNT { (:Namespace {name: n.namespace})-[:CONTAINS]->(n) } <> 1 "
        "RETURN n.id AS id",
    )
    assert bad == []
    pod = (await rows(neo4j_driver, "MATCH (p:K8s {id: 'Pod/shop/web-7d9f8b6c4-abc12'}) RETURN properties(p) AS p"))[0][
        "p"
    ]
    live = fake_kube.get("Pod", "shop", "web-7d9f8b6c4-abc12")
    assert live is not None and pod["uid"] == live["metadata"]["uid"]
    assert pod["status"] == "1/1 Ready" and pod["sync_gen"] == 1
    status = rw.watcher.status.as_dict()
    assert status["state"] == "ready" and status["kinds"]["Pod"]["state"] == "watching"


async def test_label_change_moves_service_and_policy_edges(
    fake_kube: FakeKubeApi, neo4j_driver: Any, start_watcher: Starter
) -> None:
    fake_kube.load_fixture(FIXTURES / "shop")
    rw = await start_watcher()
    await rw.settle()
    fake_kube.set_labels("Pod", "data", "db-0", {"app": "cache"})
    fake_kube.set_labels("Pod", "shop", "web-7d9f8b6c4-abc12", {"app": "db"})

    async def moved() -> bool:
        edges = await edge_set(neo4j_driver)
        return ("Service/data/db", "SELECTS", "Pod/data/db-0") not in edges

    await eventually(moved)
    await rw.idle()
    edges = await edge_set(neo4j_driver)
    assert ("NetworkPolicy/data/db-ingress", "APPLIES_TO", "Pod/data/db-0") not in edges
    assert ("Service/shop/web", "SELECTS", "Pod/shop/web-7d9f8b6c4-abc12") not in edges
    # the default-deny policy selects every pod of shop, whatever its labels
    assert ("NetworkPolicy/shop/default-deny", "APPLIES_TO", "Pod/shop/web-7d9f8b6c4-abc12") in edges
    # a new Service selecting app=cache, and a policy with matchExpressions, pick the pod up
    fake_kube.apply(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "cache", "namespace": "data"},
            "spec": {"selector": {"app": "cache"}},
            "status": {"loadBalancer": {}},
        }
    )
    fake_kube.apply(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": "not-db", "namespace": "data"},
            "spec": {"podSelector": {"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["db"]}]}},
        }
    )

    async def picked_up() -> bool:
        e = await edge_set(neo4j_driver)
        return {
            ("Service/data/cache", "SELECTS", "Pod/data/db-0"),
            ("NetworkPolicy/data/not-db", "APPLIES_TO", "Pod/data/db-0"),
        } <= e

    await eventually(picked_up)


async def test_deletion_demotes_or_deletes_and_collects_placeholders(
    fake_kube: FakeKubeApi, neo4j_driver: Any, start_watcher: Starter
) -> None:
    fake_kube.load_fixture(FIXTURES / "shop")
    rw = await start_watcher()
    await rw.settle()
    # the ConfigMap is still mounted: demoted to a placeholder, edges kept
    fake_kube.delete("ConfigMap", "shop", "web-config")
    # the debug pod is the only referrer of its Secrets/ConfigMap placeholders: they are collected
    fake_kube.delete("Pod", "default", "debug")

    async def applied() -> bool:
        origins = await node_origins(neo4j_driver)
        return "Pod/default/debug" not in origins and origins.get("ConfigMap/shop/web-config") == "derived"

    await eventually(applied)
    origins = await node_origins(neo4j_driver)
    for gone in (
        "Secret/default/debug-env",
        "Secret/default/regcred",
        "ConfigMap/default/debug-cm",
        "ServiceAccount/default/default",
    ):
        assert gone not in origins
    cm = await rows(neo4j_driver, "MATCH (c:K8s {id: 'ConfigMap/shop/web-config'}) RETURN properties(c) AS p")
    assert cm[0]["p"] == {
        "id": "ConfigMap/shop/web-config",
        "kind": "ConfigMap",
        "name": "web-config",
        "namespace": "shop",
        "origin": "derived",
    }
    assert ("Pod/shop/web-7d9f8b6c4-abc12", "MOUNTS", "ConfigMap/shop/web-config") in await edge_set(neo4j_driver)
    # the Service that selected the deleted pod survives (it is synced), without the edge
    assert ("Service/default/debug", "SELECTS", "Pod/default/debug") not in await edge_set(neo4j_driver)
    # deleting the last binding of a user collects the synthesized user
    fake_kube.delete("RoleBinding", "shop", "ops-exec")

    async def user_gone() -> bool:
        return "Subject:User/_/bob" not in await node_origins(neo4j_driver)

    await eventually(user_gone)


async def test_role_rule_change_replaces_permissions(
    fake_kube: FakeKubeApi, neo4j_driver: Any, start_watcher: Starter
) -> None:
    fake_kube.load_fixture(FIXTURES / "shop")
    rw = await start_watcher()
    await rw.settle()

    def change(obj: dict[str, Any]) -> None:
        obj["rules"] = [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "delete"]}]

    fake_kube.modify("Role", "shop", "pod-reader", change)

    async def replaced() -> bool:
        perms = await rows(
            neo4j_driver, "MATCH (:K8s {id: 'Role/shop/pod-reader'})-[:GRANTS]->(p) RETURN p.id AS id, p.verbs AS verbs"
        )
        return perms == [{"id": "Permission/shop/Role:pod-reader:core/pods", "verbs": ["delete", "get"]}]

    await eventually(replaced)
    orphans = await rows(neo4j_driver, "MATCH (p:Permission) WHERE NOT EXISTS { ()-[:GRANTS]->(p) } RETURN p.id")
    assert orphans == []


async def test_forced_410_relist_removes_objects_deleted_during_the_gap(
    fake_kube: FakeKubeApi, neo4j_driver: Any, start_watcher: Starter
) -> None:
    fake_kube.load_fixture(FIXTURES / "shop")
    rw = await start_watcher()
    await rw.settle()
    fake_kube.hold_events("Pod")
    fake_kube.delete("Pod", "data", "db-0")  # this event is lost
    fake_kube.release_events("Pod")
    await asyncio.sleep(0.5)
    assert "Pod/data/db-0" in await node_origins(neo4j_driver)
    fake_kube.drop_watches("Pod", gone=True)

    async def swept() -> bool:
        return "Pod/data/db-0" not in await node_origins(neo4j_driver)

    await eventually(swept)
    assert rw.watcher.status.as_dict()["kinds"]["Pod"]["resyncs"] == 1
    assert "Pod/shop/web-7d9f8b6c4-abc12" in await node_origins(neo4j_driver)


async def test_periodic_resync_repairs_a_watch_that_silently_lost_events(
    fake_kube: FakeKubeApi, neo4j_driver: Any, start_watcher: Starter
) -> None:
    fake_kube.load_fixture(FIXTURES / "shop")
    rw = await start_watcher(resync_hours=2 / 3600)  # every 2 s instead of every 12 h
    await rw.settle()
    resynced_before = GRAPH_RESYNCS.labels(kind="Pod", reason="periodic")._value.get()
    fake_kube.hold_events("Pod")
    fake_kube.delete("Pod", "data", "db-0")  # lost; no 410 and no disconnect tells the watcher
    fake_kube.release_events("Pod")

    async def swept() -> bool:
        return "Pod/data/db-0" not in await node_origins(neo4j_driver)

    await eventually(swept)
    assert GRAPH_RESYNCS.labels(kind="Pod", reason="periodic")._value.get() > resynced_before
    assert rw.watcher.status.as_dict()["kinds"]["Pod"]["resyncs"] >= 1
    assert "Pod/shop/web-7d9f8b6c4-abc12" in await node_origins(neo4j_driver)


async def test_a_rotated_token_is_reloaded_after_a_401(
    fake_kube: FakeKubeApi, neo4j_driver: Any, kube_config: KubeConfig, start_watcher: Starter
) -> None:
    fake_kube.load_fixture(FIXTURES / "shop")
    rw = await start_watcher()
    await rw.settle()
    # The token is rotated: the API server refuses the old one, the kubeconfig on disk holds the new one.
    assert kube_config.kubeconfig_path is not None
    fake_kube.token = "rotated-token"
    fake_kube.write_kubeconfig(kube_config.kubeconfig_path)
    fake_kube.drop_watches()  # every reflector reconnects, with the old token first
    fake_kube.apply(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "after-rotation", "namespace": "shop", "labels": {"app.kubernetes.io/name": "web"}},
            "spec": {"containers": [{"name": "c", "image": "x"}]},
            "status": {"phase": "Running"},
        }
    )

    async def seen() -> bool:
        return "Pod/shop/after-rotation" in await node_origins(neo4j_driver)

    await eventually(seen)
    assert await kube_config.configuration.get_api_key_with_prefix("BearerToken") == "Bearer rotated-token"
    assert rw.watcher.status.as_dict()["kinds"]["Pod"]["state"] == "watching"


async def test_forbidden_kind_keeps_its_nodes_and_recovers(
    fake_kube: FakeKubeApi, neo4j_driver: Any, start_watcher: Starter
) -> None:
    fake_kube.load_fixture(FIXTURES / "shop")
    fake_kube.forbid("NetworkPolicy")
    fake_kube.hide("HorizontalPodAutoscaler")
    rw = await start_watcher()
    await rw.settle()
    kinds = rw.watcher.status.as_dict()["kinds"]
    assert kinds["NetworkPolicy"]["state"] == "forbidden"
    assert kinds["NetworkPolicy"]["last_error"] == "list forbidden (403)"
    assert kinds["HorizontalPodAutoscaler"]["state"] == "unavailable"
    assert "NetworkPolicy/shop/default-deny" not in await node_origins(neo4j_driver)
    fake_kube.allow("NetworkPolicy")

    async def listed() -> bool:
        return (await node_origins(neo4j_driver)).get("NetworkPolicy/shop/default-deny") == "synced"

    await eventually(listed)
    before = await snapshot(neo4j_driver)
    # forbidden again: existing nodes are neither deleted nor modified
    fake_kube.forbid("NetworkPolicy")
    fake_kube.delete("NetworkPolicy", "shop", "default-deny")

    async def forbidden() -> bool:
        return rw.watcher.status.kind("NetworkPolicy").state == "forbidden"

    await eventually(forbidden)
    await rw.idle()
    nps = [n for n in await snapshot(neo4j_driver) if str(n.get("id", "")).startswith("NetworkPolicy/")]
    assert nps == [n for n in before if str(n.get("id", "")).startswith("NetworkPolicy/")]


async def test_replaying_the_same_events_changes_nothing(
    fake_kube: FakeKubeApi, neo4j_driver: Any, start_watcher: Starter
) -> None:
    fake_kube.load_fixture(FIXTURES / "shop")
    rw = await start_watcher()
    await rw.settle()
    fake_kube.set_labels("Pod", "shop", "web-7d9f8b6c4-def34", {"app.kubernetes.io/name": "web", "v": "2"})
    fake_kube.delete("Service", "default", "debug")
    await asyncio.sleep(0.3)
    await rw.idle()
    once = await snapshot(neo4j_driver)
    # A watch from an old resourceVersion replays history: the same ADDED/MODIFIED/DELETED again.
    reflector = rw.watcher.reflectors["Pod"]
    reflector.resource_version = "1"
    rw.watcher.reflectors["Service"].resource_version = "1"
    fake_kube.drop_watches("Pod")
    fake_kube.drop_watches("Service")
    await asyncio.sleep(1.0)
    await rw.idle()
    assert await snapshot(neo4j_driver) == once


async def test_unchanged_relist_only_restamps_generation(
    fake_kube: FakeKubeApi, neo4j_driver: Any, start_watcher: Starter
) -> None:
    fake_kube.load_fixture(FIXTURES / "shop")
    rw = await start_watcher()
    await rw.settle()
    before = await snapshot(neo4j_driver)
    fake_kube.drop_watches(gone=True)

    async def relisted() -> bool:
        return all(s.lists >= 2 for s in rw.watcher.status.kinds.values())

    await eventually(relisted)
    await rw.idle()
    after = await snapshot(neo4j_driver)

    def strip(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for item in items:
            props = {k: v for k, v in item["props"].items() if k not in ("sync_gen", "synced_at")}
            out.append({**item, "props": props})
        return out

    assert strip(after) == strip(before)
