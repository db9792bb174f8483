"""API server semantics the simulation relies on: the status subresource, client writes seen by listeners,
compaction that makes old watches answer 410."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from app.simulator.kubeapi import FakeKubeApi

pytestmark = pytest.mark.unit

POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "default"},
       "spec": {"containers": [{"name": "app", "image": "nginx:1.27",
                                "resources": {"requests": {"cpu": "1", "memory": "1Gi"},
                                              "limits": {"cpu": "1", "memory": "1Gi"}}}]},
       "status": {"phase": "Running"}}  # fmt: skip


@pytest.fixture
async def server() -> AsyncIterator[tuple[FakeKubeApi, aiohttp.ClientSession, list[tuple[str, str]]]]:
    api = FakeKubeApi()
    seen: list[tuple[str, str]] = []
    api.add_change_listener(lambda event, obj: seen.append((event, obj["metadata"]["name"])))
    await api.start()
    async with aiohttp.ClientSession(base_url=api.url) as http:
        yield api, http, seen
    await api.stop()


async def test_create_ignores_the_status_sent_and_listeners_see_client_writes(server: Any) -> None:
    api, http, seen = server
    async with http.post("/api/v1/namespaces/default/pods", json=POD) as response:
        assert response.status == 201
        body = await response.json()
    assert body["status"] == {"phase": "Pending", "qosClass": "Guaranteed"}
    api.apply({**POD, "metadata": {"name": "other", "namespace": "default"}})  # the test API: not a client write
    assert seen == [("ADDED", "web")]


async def test_status_changes_only_through_the_subresource(server: Any) -> None:
    _, http, seen = server
    async with http.post("/api/v1/namespaces/default/pods", json=POD):
        pass
    path = "/api/v1/namespaces/default/pods/web"
    async with http.patch(path, json={"metadata": {"labels": {"a": "b"}}, "status": {"phase": "Failed"}},
                          headers={"Content-Type": "application/merge-patch+json"}) as response:  # fmt: skip
        body = await response.json()
    assert body["metadata"]["labels"] == {"a": "b"} and body["status"]["phase"] == "Pending"
    async with http.patch(path + "/status", json={"status": {"phase": "Running"}, "spec": {"nodeName": "x"}},
                          headers={"Content-Type": "application/merge-patch+json"}) as response:  # fmt: skip
        body = await response.json()
    assert body["status"]["phase"] == "Running" and "nodeName" not in body["spec"]
    async with http.get(path + "/status") as response:
        assert (await response.json())["status"]["phase"] == "Running"
    async with http.get("/api/v1") as response:
        names = {r["name"] for r in (await response.json())["resources"]}
    assert {"pods/status", "pods/log", "nodes/status"} <= names
    assert [event for event, _ in seen] == ["ADDED", "MODIFIED", "MODIFIED"]


async def test_a_watch_from_before_a_compaction_gets_410(server: Any) -> None:
    api, http, _ = server
    api.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": "default"}})
    old = api.resource_version
    api.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b", "namespace": "default"}})
    recent = api.resource_version
    api.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "default"}})
    api.compact(recent)

    async def first_event(resource_version: int) -> dict[str, Any]:
        params = {"watch": "true", "resourceVersion": str(resource_version), "timeoutSeconds": "1"}
        async with http.get("/api/v1/configmaps", params=params) as response:
            event: dict[str, Any] = json.loads(await response.content.readline())
            return event

    gone = await first_event(old)
    assert gone["type"] == "ERROR" and gone["object"]["code"] == 410
    replay = await first_event(recent)
    assert replay["type"] == "ADDED" and replay["object"]["metadata"]["name"] == "c"
