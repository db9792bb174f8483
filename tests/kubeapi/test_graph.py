"""The graph watcher against the real API server, authenticated as docker/k8s's ``kure-backend`` ServiceAccount:
the initial sync equals what the fake API gives for the same fixture, live changes arrive, a watch resumed from
a compacted revision gets the server's 410 and relists, and a rotated token is picked up after the 401."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from neo4j import AsyncDriver

from app.kube import KubeConfig, check_connection, create_api_client, load_kube_config
from app.simulator.kubeapi import FakeKubeApi
from graph.metrics import GRAPH_RESYNCS
from graph.recipes import BY_KEY
from graph.sync import GraphWatcher
from tests.graph.conftest import RunningWatcher, fast_options, rows

from .cluster import AuditLog, Cluster, eventually, service_account_user, services, write_token_kubeconfig
from .conftest import KURE_SYSTEM, ComponentKubeconfig
from .fixtures import Renamer, load_fixture

pytestmark = pytest.mark.kubeapi

BACKEND = "kure-backend"
#: Node properties that differ between any two servers (identity, timing) or are allocated by the server.
VOLATILE = {"uid", "resource_version", "created", "sync_gen", "synced_at"}
Starter = Callable[[KubeConfig], Awaitable[RunningWatcher]]


@pytest.fixture
async def start_watcher(neo4j_driver: AsyncDriver) -> AsyncIterator[Starter]:
    running: list[RunningWatcher] = []

    async def start(kube: KubeConfig, **overrides: Any) -> RunningWatcher:
        # Pages of 50: the bootstrap ClusterRoles alone (~90) still take several continue tokens.
        watcher = GraphWatcher(neo4j_driver, kube, options=fast_options(**{"page_size": 50, **overrides}))
        rw = RunningWatcher(watcher, asyncio.create_task(watcher.run()))
        running.append(rw)
        return rw

    yield start
    for rw in running:
        rw.task.cancel()
        await asyncio.gather(rw.task, return_exceptions=True)


async def _kube(path: Path) -> KubeConfig:
    kube = await load_kube_config(str(path))
    assert kube is not None
    return kube


async def _stop(rw: RunningWatcher) -> None:
    rw.task.cancel()
    await asyncio.gather(rw.task, return_exceptions=True)


async def _ids(driver: AsyncDriver) -> set[str]:
    return {r["id"] for r in await rows(driver, "MATCH (n:K8s) RETURN n.id AS id")}


def _in_scope(renamer: Renamer, node: dict[str, Any]) -> bool:
    if node.get("namespace") in {renamer.namespace(n) for n in renamer.namespaces}:
        return True
    return f"-{renamer.suffix}" in str(node["id"])


async def graph_of(driver: AsyncDriver, renamer: Renamer) -> tuple[dict[str, dict[str, Any]], set[tuple[str, ...]]]:
    """The fixture's part of the graph: its nodes (without volatile properties), every relationship leaving
    them, and the nodes those lead to."""
    nodes = {r["p"]["id"]: r["p"] for r in await rows(driver, "MATCH (n:K8s) RETURN properties(n) AS p")}
    scoped = {i for i, props in nodes.items() if _in_scope(renamer, props)}
    edges = {
        (r["a"], r["t"], r["b"], repr(sorted(r["props"].items())))
        for r in await rows(driver, "MATCH (a:K8s)-[r]->(b:K8s) RETURN a.id AS a, type(r) AS t, b.id AS b, "
                                    "properties(r) AS props")
        if r["a"] in scoped
    }
    reached = scoped | {b for _, _, b, _ in edges}
    shown = {}
    for node_id in reached:
        props = {k: v for k, v in nodes[node_id].items() if k not in VOLATILE}
        uid = nodes[node_id].get("uid")
        if uid and props.get("labels"):  # a Job's generated selector labels carry its uid
            props["labels"] = [label.replace(uid, "<uid>") for label in props["labels"]]
        if "cluster_ip" in props and props["cluster_ip"] != "None":
            props["cluster_ip"] = "<allocated>"
        shown[node_id] = props
    return shown, edges


async def test_initial_sync_of_real_objects_equals_the_fake_api(
    cluster: Cluster, component_kubeconfig: ComponentKubeconfig, neo4j_driver: AsyncDriver,
    start_watcher: Starter, audit: AuditLog, tmp_path: Path,
) -> None:
    suffix = uuid.uuid4().hex[:6]
    renamer, _ = await load_fixture(cluster, "shop", suffix)
    rw = await start_watcher(await _kube(await component_kubeconfig(BACKEND)))
    await rw.settle()
    real_nodes, real_edges = await graph_of(neo4j_driver, renamer)
    assert renamer.node_id("Pod", "shop", "web-7d9f8b6c4-abc12") in real_nodes
    assert (renamer.node_id("Deployment", "shop", "web"), "OWNS", renamer.node_id("ReplicaSet", "shop",
            "web-7d9f8b6c4"), "[('controller', True)]") in real_edges  # fmt: skip
    status = rw.watcher.status.as_dict()
    assert status["state"] == "ready"
    assert {kind: s["state"] for kind, s in status["kinds"].items() if s["state"] != "watching"} == {}
    await _stop(rw)
    # Everything the watcher asked, the server allowed the ServiceAccount of docker/k8s/backend-rbac.yaml.
    entries = audit.entries(service_account_user(KURE_SYSTEM, BACKEND))
    assert entries and [e for e in entries if e.forbidden] == []

    bootstrap = [(kind, obj) for kind in ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")
                 for obj in await cluster.items(kind, label_selector="kubernetes.io/bootstrapping=rbac-defaults")]
    async with FakeKubeApi(token="parity") as fake:
        async with neo4j_driver.session() as session:
            await (await session.run("MATCH (n) DETACH DELETE n")).consume()
        # The same cluster content on both sides: every API server starts with its bootstrap RBAC.
        fake.load_objects({**obj, "kind": kind} for kind, obj in bootstrap)
        fake_admin = await Cluster.connect(fake.write_kubeconfig(tmp_path / "fake-kubeconfig"))
        try:
            await load_fixture(fake_admin, "shop", suffix)
        finally:
            await fake_admin.close()
        rw = await start_watcher(await _kube(tmp_path / "fake-kubeconfig"))
        await rw.settle()
        fake_nodes, fake_edges = await graph_of(neo4j_driver, renamer)
        await _stop(rw)

    only_real = {i: real_nodes[i] for i in real_nodes.keys() - fake_nodes.keys()}
    only_fake = {i: fake_nodes[i] for i in fake_nodes.keys() - real_nodes.keys()}
    assert (only_real, only_fake) == ({}, {})
    differing = {i: (real_nodes[i], fake_nodes[i]) for i in real_nodes if real_nodes[i] != fake_nodes[i]}
    assert differing == {}
    assert (real_edges - fake_edges, fake_edges - real_edges) == (set(), set())


async def test_live_changes_reach_the_graph(
    cluster: Cluster, component_kubeconfig: ComponentKubeconfig, neo4j_driver: AsyncDriver,
    start_watcher: Starter, namespace: str,
) -> None:
    rw = await start_watcher(await _kube(await component_kubeconfig(BACKEND)))
    await rw.settle()
    await cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                          "metadata": {"name": "settings", "namespace": namespace}, "data": {"a": "1"}})
    await cluster.create({"apiVersion": "v1", "kind": "Pod",
                          "metadata": {"name": "web", "namespace": namespace, "labels": {"app": "web"}},
                          "spec": {"containers": [{"name": "c", "image": "nginx:1.27",
                                                   "envFrom": [{"configMapRef": {"name": "settings"}}]}]}})
    pod_id, cm_id = f"Pod/{namespace}/web", f"ConfigMap/{namespace}/settings"

    async def mounted() -> bool:
        edges = await rows(neo4j_driver, "MATCH (:K8s {id: $p})-[r:MOUNTS]->(:K8s {id: $c}) RETURN r.via AS via",
                           p=pod_id, c=cm_id)
        return edges == [{"via": ["envFrom"]}]

    await eventually(mounted)
    await cluster.patch("Pod", namespace, "web", {"metadata": {"labels": {"app": "shop"}}})

    async def relabelled() -> bool:
        found = await rows(neo4j_driver, "MATCH (p:K8s {id: $p}) RETURN p.app AS app", p=pod_id)
        return found == [{"app": "shop"}]

    await eventually(relabelled)
    await cluster.delete("Pod", namespace, "web")

    async def deleted() -> bool:
        return pod_id not in await _ids(neo4j_driver)

    await eventually(deleted)
    assert cm_id in await _ids(neo4j_driver)


async def test_watch_resumed_after_an_etcd_compaction_gets_410_and_relists(
    cluster: Cluster, component_kubeconfig: ComponentKubeconfig, neo4j_driver: AsyncDriver,
    start_watcher: Starter, namespace: str,
) -> None:
    """PersistentVolumeClaims are served straight from etcd (services.UNCACHED_RESOURCES): after a compaction,
    the reflector's next watch (every watch_timeout = 5 s) starts from a revision etcd no longer has."""
    rw = await start_watcher(await _kube(await component_kubeconfig(BACKEND)))
    await rw.settle()
    claim = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
             "metadata": {"name": "data", "namespace": namespace},
             "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}
    await cluster.create(claim)
    claim_id = f"PersistentVolumeClaim/{namespace}/data"

    async def listed() -> bool:
        return claim_id in await _ids(neo4j_driver)

    await eventually(listed)
    gone_before = GRAPH_RESYNCS.labels(kind="PersistentVolumeClaim", reason="gone")._value.get()
    # Later writes to another kind move etcd's revision past the claim's; then the history goes. A watch from
    # resourceVersion R reads etcd from R + 1, so the compaction must pass that.
    for name in ("n1", "n2"):
        await cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                              "metadata": {"name": name, "namespace": namespace}})
    revision = services.etcd_compact()
    assert revision > int(rw.watcher.reflectors["PersistentVolumeClaim"].resource_version or 0) + 1

    async def relisted() -> bool:
        return bool(GRAPH_RESYNCS.labels(kind="PersistentVolumeClaim", reason="gone")._value.get() > gone_before)

    await eventually(relisted, seconds=30)
    await cluster.patch("PersistentVolumeClaim", namespace, "data", {"metadata": {"labels": {"tier": "db"}}})

    async def relabelled() -> bool:
        found = await rows(neo4j_driver, "MATCH (c:K8s {id: $c}) RETURN c.labels AS labels", c=claim_id)
        return found == [{"labels": ["tier=db"]}]

    await eventually(relabelled)
    assert rw.watcher.status.as_dict()["kinds"]["PersistentVolumeClaim"]["state"] == "watching"


async def test_rotated_service_account_token_is_reloaded_after_the_401(
    cluster: Cluster, kure_system: str, neo4j_driver: AsyncDriver, start_watcher: Starter, namespace: str,
    tmp_path: Path,
) -> None:
    """Tokens bound to an object die with it (the API server checks on every request). The first token is bound
    to a Secret; the kubeconfig is rewritten with a second one, as a projected token volume is, and the Secret is
    deleted: the next requests with the first token get 401, the watcher re-reads the file and carries on."""
    holders = []
    for name in ("first", "second"):
        holders.append(await cluster.create({"apiVersion": "v1", "kind": "Secret", "metadata": {
            "name": f"token-holder-{name}-{uuid.uuid4().hex[:6]}", "namespace": kure_system}}))
    first = await cluster.token(kure_system, BACKEND, bound_secret=holders[0])
    second = await cluster.token(kure_system, BACKEND, bound_secret=holders[1])
    path = write_token_kubeconfig(tmp_path / "kubeconfig", first)
    kube = await _kube(path)
    rw = await start_watcher(kube)
    await rw.settle()
    write_token_kubeconfig(path, second)
    await cluster.delete("Secret", kure_system, holders[0]["metadata"]["name"])
    old = await _kube(write_token_kubeconfig(tmp_path / "old", first))
    old_api = create_api_client(old)
    try:
        # The server caches a successful token review for 10 s; after that the first token is refused.
        async def refused() -> bool:
            return not await check_connection(old_api)

        await eventually(refused, seconds=30)
    finally:
        await old_api.close()

    # Open watches were authenticated when they started; they end within watch_timeout (5 s), come back with
    # the first token, get 401, and the watcher re-reads the kubeconfig.
    async def reloaded() -> bool:
        return bool(await kube.configuration.get_api_key_with_prefix("BearerToken") == f"Bearer {second}")

    await eventually(reloaded, seconds=30)
    await cluster.create({"apiVersion": "v1", "kind": "ServiceAccount",
                          "metadata": {"name": "after-rotation", "namespace": namespace}})

    async def seen() -> bool:
        return f"ServiceAccount/{namespace}/after-rotation" in await _ids(neo4j_driver)

    await eventually(seen)
    assert rw.watcher.status.as_dict()["kinds"]["ServiceAccount"]["state"] == "watching"
    await cluster.delete("Secret", kure_system, holders[1]["metadata"]["name"])


def _user_and_groups(kind: str, namespace: str | None, name: str) -> tuple[str, list[str]]:
    """How the API server would see a subject of the graph in a request."""
    if kind == "ServiceAccount":
        return service_account_user(str(namespace), name), [
            "system:serviceaccounts", f"system:serviceaccounts:{namespace}", "system:authenticated"]
    if kind == "Subject:Group":
        return "kure-oracle-probe", [name, "system:authenticated"]
    return name, ["system:authenticated"]


async def test_graph_rbac_answers_agree_with_the_authorizer(
    cluster: Cluster, component_kubeconfig: ComponentKubeconfig, neo4j_driver: AsyncDriver, start_watcher: Starter,
) -> None:
    """The analyst recipes R1 (who can exec into pods in a namespace) and R2 (who can read Secrets) against the
    server's own authorizer (SubjectAccessReview) for every subject the fixture's bindings name, in each of its
    namespaces: the graph names exactly the subjects the server allows."""
    renamer, stored = await load_fixture(cluster, "shop", uuid.uuid4().hex[:6])
    rw = await start_watcher(await _kube(await component_kubeconfig(BACKEND)))
    await rw.settle()
    namespaces = sorted(renamer.namespace(n) for n in renamer.namespaces)
    candidates = {("ServiceAccount", o["metadata"]["namespace"], o["metadata"]["name"])
                  for o in stored if o["kind"] == "ServiceAccount"}  # fmt: skip
    for binding in (o for o in stored if o["kind"] in ("RoleBinding", "ClusterRoleBinding")):
        for subject in binding.get("subjects") or []:
            if subject["kind"] in ("User", "Group") and not subject["name"].startswith("system:serviceaccount:"):
                candidates.add((f"Subject:{subject['kind']}", None, subject["name"]))
    exec_recipe, secrets_recipe = BY_KEY["R1"], BY_KEY["R2"]
    disagreements, allowed = [], set()
    for namespace in namespaces:
        graph_exec = {(r["subject_kind"], r["subject_namespace"], r["subject"])
                      for r in await rows(neo4j_driver, exec_recipe.cypher, ns=namespace)}
        graph_secrets = {(r["subject_kind"], r["subject_namespace"], r["subject"])
                         for r in await rows(neo4j_driver, secrets_recipe.cypher)
                         if r["scope"] in (namespace, "all namespaces") and [] in r["limited_to"]}
        for kind, subject_namespace, name in sorted(candidates, key=str):
            user, groups = _user_and_groups(kind, subject_namespace, name)
            can_exec = await cluster.allowed(user, "create", "pods", namespace=namespace, subresource="exec",
                                             groups=groups)
            can_read = await cluster.allowed(user, "get", "secrets", namespace=namespace, groups=groups)
            subject = (kind, subject_namespace, name)
            allowed |= {("exec", namespace, name)} if can_exec else set()
            allowed |= {("read secrets", namespace, name)} if can_read else set()
            if can_exec != (subject in graph_exec):
                disagreements.append(("exec", namespace, subject, can_exec))
            if can_read != (subject in graph_secrets):
                disagreements.append(("read secrets", namespace, subject, can_read))
    assert disagreements == []
    # Both answers are exercised: the fixture grants exec (group ops everywhere, bob in shop) and Secrets (the
    # ServiceAccounts of data through their namespace group, kube-system's deployer as cluster-admin).
    shop, data = renamer.namespace("shop"), renamer.namespace("data")
    assert {("exec", shop, "ops"), ("exec", shop, "bob"), ("read secrets", data, "default"),
            ("read secrets", shop, "deployer")} <= allowed  # fmt: skip
    assert ("exec", data, "bob") not in allowed
