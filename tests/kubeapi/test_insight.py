"""Who can act on a pod (docs/graph.md#who-can-act-on-a-pod) against Kubernetes' own authorizer: the fixture clusters
are created on the real API server (RBAC and Node authorization), the graph is synced from it by the watcher with
the backend's ServiceAccount token, and for every pod, every request the access answer covers and every identity
that could be allowed, the answer is compared with a SubjectAccessReview. The disagreements must be zero.

The identities asked about: every subject of every binding in reach of the pod's namespace (the server's bootstrap
bindings included), every ServiceAccount of the fixture, every kubelet and super-user the answer names, the kubelet
of a node running nothing, a member of system:nodes that is no kubelet, an authenticated user named nowhere and
an anonymous request. Users carry system:authenticated, ServiceAccounts the groups of their tokens, and a group
is asked about through a probe user that belongs to it.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from neo4j import AsyncDriver

from app.kube import load_kube_config
from app.services.insight import InsightService
from graph.authorize import (
    ALL_AUTHENTICATED,
    ALL_UNAUTHENTICATED,
    ANONYMOUS_USER,
    NODES_GROUP,
    SUPERUSER_GROUP,
    Identity,
    service_account_identity,
)
from graph.sync import GraphWatcher
from tests.graph.conftest import RunningWatcher, fast_options, rows
from tests.graph.test_insight_access import EVERY_REQUEST, EXPECTED, answer_allows, expected_allowed, requests_of

from .cluster import Cluster
from .conftest import ComponentKubeconfig
from .fixtures import Renamer, load_fixture

pytestmark = pytest.mark.kubeapi

BACKEND = "kure-backend"
PROBE = "kure-oracle-probe"
SAR_CONCURRENCY = 8


@pytest.fixture
async def synced(
    neo4j_driver: AsyncDriver, component_kubeconfig: ComponentKubeconfig
) -> AsyncIterator[Callable[[], Awaitable[None]]]:
    """``await synced()`` runs the graph watcher with the backend's token until the graph holds the server's
    current objects."""
    running: list[RunningWatcher] = []

    async def sync() -> None:
        kube = await load_kube_config(str(await component_kubeconfig(BACKEND)))
        assert kube is not None
        watcher = GraphWatcher(neo4j_driver, kube, options=fast_options(page_size=100))
        rw = RunningWatcher(watcher, asyncio.create_task(watcher.run()))
        running.append(rw)
        await rw.settle()

    yield sync
    for rw in running:
        rw.task.cancel()
        await asyncio.gather(rw.task, return_exceptions=True)


Loader = Callable[[str], Awaitable[tuple[Renamer, list[dict[str, Any]]]]]


@pytest.fixture
async def fixture_cluster(cluster: Cluster) -> AsyncIterator[Loader]:
    """``await fixture_cluster("pay")`` creates a renamed fixture cluster; its cluster-scoped objects (roles,
    bindings, nodes) are deleted afterwards, since every test shares the server and a ClusterRoleBinding would
    grant in their namespaces too."""
    created: list[dict[str, Any]] = []

    async def load(name: str) -> tuple[Renamer, list[dict[str, Any]]]:
        renamer, stored = await load_fixture(cluster, name, uuid.uuid4().hex[:6])
        created.extend(stored)
        return renamer, stored

    yield load
    for obj in reversed(created):
        if obj["kind"] in ("ClusterRoleBinding", "ClusterRole", "Node"):
            await cluster.delete(obj["kind"], None, obj["metadata"]["name"])


def _probe(group: str) -> Identity:
    return Identity(PROBE, (group, ALL_AUTHENTICATED))


async def identities_for(
    driver: AsyncDriver, namespace: str, answer: dict[str, Any], renamer: Renamer
) -> set[Identity]:
    """Everyone who could be allowed anything on the pod, and a few who should not be."""
    found = {
        Identity(f"kure-oracle-nobody-{renamer.suffix}", (ALL_AUTHENTICATED,)),
        Identity(ANONYMOUS_USER, (ALL_UNAUTHENTICATED,)),
        _probe(SUPERUSER_GROUP),
        _probe(NODES_GROUP),
        Identity(f"system:node:idle-{renamer.suffix}", (NODES_GROUP, ALL_AUTHENTICATED)),
    }
    subjects = await rows(driver, """
        MATCH (s:Subject)-[:SUBJECT_OF]->(b)
        WHERE b:ClusterRoleBinding OR (b:RoleBinding AND b.namespace = $ns)
        RETURN DISTINCT s.kind AS kind, s.namespace AS namespace, s.name AS name
        UNION
        MATCH (s:ServiceAccount) WHERE s.namespace IN $namespaces
        RETURN s.kind AS kind, s.namespace AS namespace, s.name AS name
    """, ns=namespace, namespaces=[renamer.namespace(n) for n in renamer.namespaces])  # fmt: skip
    for subject in subjects:
        if subject["kind"] == "ServiceAccount":
            found.add(service_account_identity(subject["namespace"], subject["name"]))
        elif subject["kind"] == "Subject:Group":
            found.add(_probe(subject["name"]))
        else:
            found.add(Identity(subject["name"], (ALL_AUTHENTICATED,)))
    for action in answer["actions"]:
        for subject in action["subjects"]:
            if subject["kind"] == "User" and subject["name"].startswith("system:node:"):
                found.add(Identity(subject["name"], (NODES_GROUP, ALL_AUTHENTICATED)))
    return found


async def authorizer_allows(cluster: Cluster, identity: Identity, request: dict[str, Any]) -> bool:
    resource, _, subresource = request["resource"].partition("/")
    return await cluster.allowed(
        identity.user, request["verb"], resource, group=request["api_group"], namespace=request["namespace"],
        name=request["name"] or None, subresource=subresource or None, groups=identity.groups,
    )  # fmt: skip


async def compare(cluster: Cluster, answer: dict[str, Any], identities: set[Identity]) -> tuple[list[str], int, int]:
    """(disagreements, questions asked, questions the server allowed)."""
    gate = asyncio.Semaphore(SAR_CONCURRENCY)
    questions = [(action, request, key, identity) for action, request, key in requests_of(answer)
                 for identity in sorted(identities, key=lambda i: (i.user, i.groups))]  # fmt: skip

    async def ask(identity: Identity, request: dict[str, Any]) -> bool:
        async with gate:
            return await authorizer_allows(cluster, identity, request)

    truths = await asyncio.gather(*(ask(identity, request) for _, request, _, identity in questions))
    found = []
    for (action, request, key, identity), truth in zip(questions, truths, strict=True):
        says = answer_allows(answer, action, request, identity)
        if says != truth:
            found.append(f"{identity.user} {list(identity.groups)}: {key}: answer {says}, authorizer {truth}")
    return found, len(questions), sum(truths)


@pytest.mark.parametrize("fixture", ["pay", "shop"])
async def test_every_access_answer_agrees_with_subject_access_reviews(
    cluster: Cluster, neo4j_driver: AsyncDriver, synced: Callable[[], Awaitable[None]], fixture_cluster: Loader,
    fixture: str,
) -> None:
    renamer, stored = await fixture_cluster(fixture)
    await synced()
    service = InsightService(lambda: neo4j_driver)
    pods = [(o["metadata"]["namespace"], o["metadata"]["name"]) for o in stored if o["kind"] == "Pod"]
    assert len(pods) >= 4
    asked = allowed = 0
    for namespace, pod in pods:
        answer = await service.access(namespace, pod)
        found, questions, yes = await compare(
            cluster, answer, await identities_for(neo4j_driver, namespace, answer, renamer)
        )
        assert found == [], f"{namespace}/{pod}"
        asked, allowed = asked + questions, allowed + yes
    # Not vacuous: many questions, answered both ways.
    print(f"\n[oracle] {fixture}: {len(pods)} pods, {asked} SubjectAccessReviews, {allowed} allowed, 0 disagreements")
    assert asked > 1000 and 0 < allowed < asked


def renamed(identity: Identity, renamer: Renamer) -> Identity:
    """A table identity of tests/graph/test_insight_access.py as it exists on the server (renamed fixture)."""
    user, groups = identity.user, list(identity.groups)
    if user.startswith("system:serviceaccount:"):
        _, _, namespace, name = user.split(":")
        return service_account_identity(renamer.namespace(namespace), name)
    if user.startswith("system:node:"):
        user = "system:node:" + renamer.cluster("Node", user.removeprefix("system:node:"))
    groups = [
        f"system:serviceaccounts:{renamer.namespace(g.split(':')[2])}" if g.startswith("system:serviceaccounts:")
        else g for g in groups
    ]  # fmt: skip
    return Identity(user, tuple(groups))


async def test_the_hand_written_rbac_table_agrees_with_the_authorizer(
    cluster: Cluster, fixture_cluster: Loader
) -> None:
    """The fake tier's oracle is a table written from the RBAC documentation: the server confirms every cell."""
    renamer, _ = await fixture_cluster("pay")
    namespace = renamer.namespace("pay")

    def request(key: str) -> dict[str, Any]:
        verb, resource, *name = key.split(" ")
        group = ""
        if resource.startswith(("apps/", "batch/")):
            group, _, resource = resource.partition("/")
        return {"verb": verb, "api_group": group, "resource": resource, "name": name[0] if name else "",
                "namespace": namespace}  # fmt: skip

    wrong = []
    for identity in EXPECTED:
        server_identity = renamed(identity, renamer)
        for key in sorted(EVERY_REQUEST):
            truth = await authorizer_allows(cluster, server_identity, request(key))
            if truth != (key in expected_allowed(identity)):
                wrong.append(f"{server_identity.user} {list(server_identity.groups)}: {key}: server says {truth}")
    assert wrong == []

