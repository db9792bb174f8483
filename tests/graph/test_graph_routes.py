"""The diagram routes over HTTP (docs/api.md#diagrams): graphs from the real Neo4j, manifests from the fake API."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from mongomock_motor import AsyncMongoMockClient
from quart.typing import TestClientProtocol

from app.settings import Settings
from app.simulator.kubeapi import FakeKubeApi
from storage.mongo import MongoHandle
from tests.graph.conftest import FIXTURES, NEO4J_URI, load_graph

pytestmark = pytest.mark.integration

EXPECTED = Path(__file__).parent / "expected"
UserClient = Callable[[str], Awaitable[TestClientProtocol]]


@pytest.fixture
def mongo() -> MongoHandle:
    client: AsyncMongoMockClient = AsyncMongoMockClient(tz_aware=True)
    return MongoHandle(client=client, db=client[f"kure_{uuid.uuid4().hex[:8]}"], embedded=True)


@pytest.fixture
def settings(settings_factory: Callable[..., Settings], fake_kube: FakeKubeApi, tmp_path: Path) -> Settings:
    path = fake_kube.write_kubeconfig(tmp_path / "kubeconfig")
    return settings_factory(kure_kubernetes="auto", kubeconfig=str(path), kure_graph_watcher=False, neo4j_uri=NEO4J_URI)


@pytest.fixture
async def reader(neo4j_driver: Any, fake_kube: FakeKubeApi, user_client: UserClient) -> TestClientProtocol:
    await load_graph(neo4j_driver)
    fake_kube.load_fixture(FIXTURES / "shop")
    return await user_client("read")


async def get(client: TestClientProtocol, path: str) -> tuple[int, Any]:
    response = await client.get(path)
    return response.status_code, json.loads(await response.get_data(as_text=True))


def expected(name: str) -> Any:
    return json.loads((EXPECTED / f"{name}.json").read_text())


async def test_graph_routes_answer_the_spec_examples(reader: TestClientProtocol) -> None:
    assert await get(reader, "/api/diagram/namespaces") == (200, expected("namespaces"))
    assert await get(reader, "/api/diagram/namespace/shop") == (200, expected("namespace_shop"))
    assert await get(reader, "/api/diagram/workload/data/statefulset/db") == (
        200,
        expected("workload_data_statefulset_db"),
    )
    assert await get(reader, "/api/diagram/roles") == (200, expected("roles"))
    assert await get(reader, "/api/diagram/role/shop/pod-reader") == (200, expected("role_shop_pod-reader"))
    assert await get(reader, "/api/diagram/clusterrole/ops-exec") == (200, expected("clusterrole_ops-exec"))
    status, body = await get(reader, "/api/diagram/roles?include_system=YES")
    assert status == 200 and {"name": "system:secret-reader"} in body["cluster_roles"]


async def test_graph_route_errors(reader: TestClientProtocol, client: TestClientProtocol) -> None:
    assert (await client.get("/api/diagram/namespaces")).status_code == 401
    assert await get(reader, "/api/diagram/workload/shop/pod/web") == (
        400,
        {"detail": "Invalid workload kind 'pod'. Valid kinds: Deployment, StatefulSet, DaemonSet, Job, CronJob"},
    )
    assert await get(reader, "/api/diagram/namespace/nope") == (404, {"detail": "Namespace 'nope' not found"})
    assert await get(reader, "/api/diagram/workload/shop/DEPLOYMENT/nope") == (
        404,
        {"detail": "Deployment 'nope' not found in namespace 'shop'"},
    )
    assert await get(reader, "/api/diagram/role/shop/nope") == (
        404,
        {"detail": "Role 'nope' not found in namespace 'shop'"},
    )
    assert await get(reader, "/api/diagram/clusterrole/nope") == (404, {"detail": "ClusterRole 'nope' not found"})
    status, body = await get(reader, "/api/diagram/roles?include_system=maybe")
    assert status == 422 and body["detail"][0]["loc"] == ["query", "include_system"]


async def test_manifest_route(reader: TestClientProtocol, fake_kube: FakeKubeApi) -> None:
    def annotate(obj: dict[str, Any]) -> None:
        obj["metadata"]["annotations"] = {"kubectl.kubernetes.io/last-applied-configuration": "{}", "team": "a"}
        obj["metadata"]["managedFields"] = [{"manager": "kubectl"}]

    fake_kube.modify("Deployment", "shop", "web", annotate)
    status, body = await get(reader, "/api/diagram/manifest/shop/deployment/web")
    assert status == 200
    assert (body["kind"], body["name"], body["namespace"]) == ("Deployment", "web", "shop")
    manifest = yaml.safe_load(body["manifest"])
    assert manifest["spec"]["replicas"] == 2 and "status" not in manifest
    assert manifest["metadata"] == {
        "name": "web",
        "namespace": "shop",
        "labels": {"app.kubernetes.io/name": "web"},
        "annotations": {"team": "a"},
    }
    status, body = await get(reader, "/api/diagram/manifest/_/ClusterRole/ops-exec")
    assert status == 200 and body["namespace"] == "" and yaml.safe_load(body["manifest"])["rules"]
    status, body = await get(reader, "/api/diagram/manifest/shop/Subject:ServiceAccount/ci")
    assert status == 200 and body["kind"] == "ServiceAccount"
    status, body = await get(reader, "/api/diagram/manifest/shop/configmap/web-config")
    assert yaml.safe_load(body["manifest"])["data"] == {"LOG_LEVEL": "debug"}  # the viewer shows data

    assert await get(reader, "/api/diagram/manifest/shop/SECRET/web-db") == (
        403,
        {"detail": "Secret manifests are not readable by design."},
    )
    assert await get(reader, "/api/diagram/manifest/_/subject:user/alice") == (
        400,
        {"detail": "'Subject:User' is a synthesized node and has no manifest"},
    )
    assert await get(reader, "/api/diagram/manifest/_/permission/x") == (
        400,
        {"detail": "'Permission' is a synthesized node and has no manifest"},
    )
    assert await get(reader, "/api/diagram/manifest/_/Widget/x") == (400, {"detail": "Unsupported kind 'Widget'"})
    assert await get(reader, "/api/diagram/manifest/shop/Pod/nope") == (
        404,
        {"detail": "Pod 'nope' not found in namespace 'shop'"},
    )
    assert await get(reader, "/api/diagram/manifest/_/ClusterRole/nope") == (
        404,
        {"detail": "ClusterRole 'nope' not found"},
    )
    fake_kube.fail_next("Service", 500)
    assert await get(reader, "/api/diagram/manifest/shop/Service/web") == (
        502,
        {"detail": "Kubernetes API error: Internal Server Error"},
    )


async def test_manifest_names_never_walk_the_api_tree(reader: TestClientProtocol, fake_kube: FakeKubeApi) -> None:
    """`..` and encoded slashes would have reached other API paths; names Kubernetes refuses cannot exist."""
    fake_kube.request_log.clear()
    cases = [
        ("shop", "Deployment", "%2E%2E", "Deployment '..' not found in namespace 'shop'"),
        ("%2E%2E", "Deployment", "web", "Deployment 'web' not found in namespace '..'"),
        ("shop", "Pod", "%2E", "Pod '.' not found in namespace 'shop'"),
        ("shop", "ConfigMap", "Web_Config", "ConfigMap 'Web_Config' not found in namespace 'shop'"),
        ("_", "ClusterRole", "%2E%2E", "ClusterRole '..' not found"),
        ("_", "ClusterRole", "a%25b", "ClusterRole 'a%b' not found"),
    ]
    for namespace, kind, name, detail in cases:
        assert await get(reader, f"/api/diagram/manifest/{namespace}/{kind}/{name}") == (404, {"detail": detail})
    assert fake_kube.request_log == []  # not one of them reached the API server
    # Names Kubernetes accepts still work, including RBAC names with colons.
    status, _ = await get(reader, "/api/diagram/manifest/_/ClusterRole/system:secret-reader")
    assert status in (200, 404)
    assert fake_kube.request_log


@pytest.mark.parametrize("neo4j_uri", ["bolt://127.0.0.1:1"])
async def test_unreachable_graph_is_503_after_path_validation(
    settings_factory: Callable[..., Settings], mongo: MongoHandle, neo4j_uri: str, tmp_path: Path
) -> None:
    from app.core.clock import ManualClock, utcnow
    from app.factory import create_app

    settings = settings_factory(neo4j_uri=neo4j_uri, kure_graph_query_timeout=2)
    application = create_app(settings, clock=ManualClock(utcnow()), mongo=mongo)
    async with application.test_app():
        state = application.extensions["kure"]
        await state.auth.create_user("reader", "correct-horse-battery", "read")
        client = application.test_client()
        await client.post("/api/auth/login", json={"username": "reader", "password": "correct-horse-battery"})
        assert await get(client, "/api/diagram/workload/shop/pod/web") == (
            400,
            {"detail": "Invalid workload kind 'pod'. Valid kinds: Deployment, StatefulSet, DaemonSet, Job, CronJob"},
        )
        started = time.monotonic()
        assert await get(client, "/api/diagram/namespace/shop") == (503, {"detail": "Graph database not available"})
        assert time.monotonic() - started < 5  # bounded by the query timeout, not the driver's 30 s of retries
        # Kubernetes is off in these settings: the Secret check still comes first
        assert (await get(client, "/api/diagram/manifest/shop/Secret/x"))[0] == 403
        assert await get(client, "/api/diagram/manifest/shop/Pod/x") == (
            503,
            {"detail": "Kubernetes client not available"},
        )
