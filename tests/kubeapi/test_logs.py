"""Pod logs through the real API server's log proxy: the backend (kure-backend ServiceAccount token) asks the API
server, which asks the kubelet of the pod's Node — here a fake kubelet the test owns (tests/kubeapi/kubelet.py).
The one-shot read with ``tail_lines``, ``previous``, and the ``follow`` stream as SSE."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from mongomock_motor import AsyncMongoMockClient
from quart.typing import TestClientProtocol

from app.settings import Settings
from app.state import AppState
from storage.mongo import MongoHandle

from .cluster import AuditLog, Cluster, eventually, service_account_user
from .conftest import KURE_SYSTEM, ComponentKubeconfig
from .kubelet import FakeKubelet

pytestmark = pytest.mark.kubeapi

END = b'event: end\ndata: {"reason":"container_stopped"}\n\n'


@pytest.fixture
def mongo() -> MongoHandle:
    """Logs touch no storage: the app runs on the embedded store only."""
    client: AsyncMongoMockClient = AsyncMongoMockClient(tz_aware=True)
    return MongoHandle(client=client, db=client[f"kure_{uuid.uuid4().hex[:8]}"], embedded=True)


@pytest.fixture
async def settings(settings_factory: Callable[..., Settings], component_kubeconfig: ComponentKubeconfig) -> Settings:
    kubeconfig = await component_kubeconfig("kure-backend")
    return settings_factory(kure_kubernetes="auto", kubeconfig=str(kubeconfig), kure_graph_watcher=False)


@pytest.fixture
async def kubelet() -> AsyncIterator[FakeKubelet]:
    fake = FakeKubelet()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def web_pod(cluster: Cluster, namespace: str, kubelet: FakeKubelet) -> AsyncIterator[dict[str, Any]]:
    """Pod ``web`` (containers app and sidecar) bound to a Node whose kubelet is ``kubelet``."""
    node_name = f"fake-node-{uuid.uuid4().hex[:6]}"
    node, node_status = kubelet.node(node_name)
    await cluster.create(node)
    await cluster.patch_status("Node", None, node_name, node_status)
    await cluster.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": namespace},
                          "spec": {"nodeName": node_name, "containers": [
                              {"name": "app", "image": "registry.example.com/app:1"},
                              {"name": "sidecar", "image": "registry.example.com/sidecar:1"}]}})  # fmt: skip
    running = {"running": {"startedAt": "2026-01-01T00:00:00Z"}}
    pod = await cluster.patch_status("Pod", namespace, "web", {"phase": "Running", "containerStatuses": [
        {"name": "app", "image": "registry.example.com/app:1", "imageID": "", "ready": True, "restartCount": 1,
         "state": running, "lastState": {"terminated": {"exitCode": 1, "reason": "Error"}}},
        {"name": "sidecar", "image": "registry.example.com/sidecar:1", "imageID": "", "ready": True,
         "restartCount": 0, "state": running}]})  # fmt: skip
    kubelet.append(namespace, "web", "app", *[f"line {i}" for i in range(1, 151)])
    kubelet.logs[(namespace, "web", "app", True)] = ["panic: before the restart"]
    kubelet.append(namespace, "web", "sidecar", "sidecar says hi")
    yield pod
    await cluster.delete("Node", None, node_name)


async def test_read_tail_and_previous_through_the_api_server_log_proxy(
    user_client: Callable[[str], Awaitable[TestClientProtocol]], web_pod: dict[str, Any], namespace: str,
    kubelet: FakeKubelet, audit: AuditLog,
) -> None:
    client = await user_client("read")
    response = await client.get(f"/api/pods/{namespace}/web/logs?tail_lines=3")
    assert response.status_code == 200, await response.get_data(as_text=True)
    body = await response.get_json()
    assert (body["container"], body["containers"]) == ("app", ["app", "sidecar"])
    assert body["logs"] == "line 148\nline 149\nline 150\n"
    response = await client.get(f"/api/pods/{namespace}/web/logs?container=app&previous=true")
    assert (await response.get_json())["logs"] == "panic: before the restart\n"
    response = await client.get(f"/api/pods/{namespace}/web/logs?container=sidecar&previous=true")
    # The kubelet has no previous instance: a 400 through the API server, shown as no logs.
    assert response.status_code == 200 and (await response.get_json())["logs"] == ""
    path, query, client_cn = kubelet.requests[0]
    assert path == f"/containerLogs/{namespace}/web/app" and query["tailLines"] == "3"
    assert client_cn == "kube-apiserver-kubelet-client"  # the API server authenticated to the kubelet
    assert any(q.get("previous") == "true" for _, q, _ in kubelet.requests)
    entries = audit.entries(service_account_user(KURE_SYSTEM, "kure-backend"))
    assert {(e.verb, e.uri.split("?")[0]) for e in entries} >= {
        ("get", f"/api/v1/namespaces/{namespace}/pods/web"),
        ("get", f"/api/v1/namespaces/{namespace}/pods/web/log")}  # fmt: skip
    assert [e for e in entries if e.forbidden] == []


async def test_follow_stream_through_the_api_server_log_proxy(
    user_client: Callable[[str], Awaitable[TestClientProtocol]], web_pod: dict[str, Any], namespace: str,
    kubelet: FakeKubelet, state: AppState,
) -> None:
    client = await user_client("read")
    connection = client.request(f"/api/pods/{namespace}/web/logs/stream?tail_lines=2")
    await connection.__aenter__()
    await connection.send_complete()
    data = b""

    async def read_until(marker: bytes) -> None:
        nonlocal data
        while marker not in data:
            data += await asyncio.wait_for(connection.receive(), 15)

    try:
        await read_until(b"data: line 150\n\n")
        assert data == b"data: line 149\n\ndata: line 150\n\n"
        assert connection.status_code == 200
        await eventually(lambda: _true(kubelet.following(namespace, "web", "app") == 1))
        kubelet.append(namespace, "web", "app", "live 1", "live 2")
        await read_until(b"data: live 2\n\n")
        assert data.endswith(b"data: live 1\n\ndata: live 2\n\n")
        kubelet.end(namespace, "web", "app")
        await read_until(END)
        await asyncio.wait_for(connection._task, 15)
        assert state.logs.active_streams == 0
        _, query, _ = kubelet.requests[-1]
        assert (query["follow"], query["tailLines"]) == ("true", "2")
    finally:
        if not connection._task.done():
            await connection.disconnect()
        await asyncio.gather(connection._task, return_exceptions=True)


async def _true(value: bool) -> bool:
    return value
