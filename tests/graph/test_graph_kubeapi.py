"""The fake Kubernetes API server through kubernetes-asyncio, and the app.kube reflector against it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from kubernetes_asyncio import client, config

from app.kube import (
    KubeApiError,
    KubeConfig,
    Reflector,
    ReflectorOptions,
    check_connection,
    create_api_client,
    load_kube_config,
    reload_credentials,
    request_json,
    resource,
)
from app.simulator.kubeapi import FakeKubeApi
from tests.graph.conftest import FIXTURES

pytestmark = pytest.mark.unit


def pod(name: str, namespace: str = "shop", labels: dict[str, str] | None = None, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": labels or {}},
        "spec": {"containers": [{"name": "app", "image": "x"}], **spec},
    }


@pytest.fixture
async def api(kube_config: KubeConfig) -> AsyncIterator[client.ApiClient]:
    api_client = create_api_client(kube_config)
    yield api_client
    await api_client.close()


async def test_typed_client_lists_pages_gets_and_creates(fake_kube: FakeKubeApi, tmp_path: Path) -> None:
    for i in range(5):
        fake_kube.apply(pod(f"p{i}"))
    path = fake_kube.write_kubeconfig(tmp_path / "kc")
    api_client = await config.new_client_from_config(config_file=str(path))
    try:
        v1 = client.CoreV1Api(api_client)
        first = await v1.list_pod_for_all_namespaces(limit=2)
        assert [p.metadata.name for p in first.items] == ["p0", "p1"]
        second = await v1.list_namespaced_pod("shop", limit=10, _continue=first.metadata._continue)
        assert [p.metadata.name for p in second.items] == ["p2", "p3", "p4"]
        assert second.metadata._continue is None
        assert (await v1.read_namespaced_pod("p3", "shop")).metadata.uid
        with pytest.raises(client.ApiException) as missing:
            await v1.read_namespaced_pod("nope", "shop")
        assert missing.value.status == 404
        created = await v1.create_namespaced_pod(
            "shop",
            client.V1Pod(
                metadata=client.V1ObjectMeta(generate_name="mirror-"),
                spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="busybox")]),
            ),
        )
        assert created.metadata.name.startswith("mirror-") and created.status.phase == "Pending"
        with pytest.raises(client.ApiException) as dup:
            await v1.create_namespaced_pod("shop", {"metadata": {"name": "p0"}, "spec": {"containers": []}})
        assert dup.value.status == 409
        await v1.delete_namespaced_pod("p0", "shop")
        assert fake_kube.get("Pod", "shop", "p0") is None
        fake_kube.forbid("Pod")
        with pytest.raises(client.ApiException) as forbidden:
            await v1.list_pod_for_all_namespaces()
        assert forbidden.value.status == 403
    finally:
        await api_client.close()


async def test_pod_logs_tail_previous_container_and_follow(fake_kube: FakeKubeApi, api: client.ApiClient) -> None:
    fake_kube.apply(pod("two", containers=[{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]))
    fake_kube.set_log("shop", "two", ["1", "2", "3"], container="a")
    fake_kube.set_log("shop", "two", ["crashed"], container="a", previous=True)
    v1 = client.CoreV1Api(api)
    assert await v1.read_namespaced_pod_log("two", "shop", container="a", tail_lines=2) == "2\n3\n"
    assert await v1.read_namespaced_pod_log("two", "shop", container="a", previous=True) == "crashed\n"
    with pytest.raises(client.ApiException) as ambiguous:
        await v1.read_namespaced_pod_log("two", "shop")
    assert "choose one of: [a b]" in str(ambiguous.value.body)
    with pytest.raises(client.ApiException) as no_previous:
        await v1.read_namespaced_pod_log("two", "shop", container="b", previous=True)
    assert no_previous.value.status == 400
    response: Any = await v1.read_namespaced_pod_log(
        "two", "shop", container="a", follow=True, tail_lines=1, _preload_content=False
    )
    assert await response.content.readline() == b"3\n"
    fake_kube.append_log("shop", "two", "4", container="a")
    assert await asyncio.wait_for(response.content.readline(), 5) == b"4\n"
    fake_kube.end_log("shop", "two", container="a")
    assert await asyncio.wait_for(response.content.read(), 5) == b""
    response.release()


async def test_leases_conflict_on_stale_resource_version(fake_kube: FakeKubeApi, api: client.ApiClient) -> None:
    lease = await request_json(
        api,
        "POST",
        resource("Lease").list_path("kure"),
        body={
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": {"name": "leader"},
            "spec": {"holderIdentity": "a"},
        },
    )
    path = resource("Lease").item_path("kure", "leader")
    lease["spec"]["holderIdentity"] = "b"
    updated = await request_json(api, "PUT", path, body=lease)
    assert updated["spec"]["holderIdentity"] == "b"
    with pytest.raises(KubeApiError) as conflict:
        await request_json(api, "PUT", path, body=lease)  # lease still carries the old resourceVersion
    assert conflict.value.status == 409 and conflict.value.reason == "Conflict"


async def test_configuration_sources(fake_kube: FakeKubeApi, tmp_path: Path) -> None:
    path = fake_kube.write_kubeconfig(tmp_path / "kc")
    assert await load_kube_config(str(path), mode="off") is None
    assert await load_kube_config(None, environ={"KUBECONFIG": str(tmp_path / "missing")}) is None
    broken = tmp_path / "broken"
    broken.write_text("clusters: [")
    assert await load_kube_config(str(broken)) is None
    from_env = await load_kube_config(None, environ={"KUBECONFIG": f"{tmp_path / 'missing'}:{path}"})
    assert from_env is not None and from_env.host == fake_kube.url
    api_client = create_api_client(from_env)
    try:
        assert await check_connection(api_client) is True
    finally:
        await api_client.close()
    await fake_kube.stop()
    api_client = create_api_client(from_env)
    try:
        assert await check_connection(api_client, timeout_seconds=2) is False
    finally:
        await api_client.close()


async def test_credentials_reload_in_place_and_survive_an_unreadable_source(
    fake_kube: FakeKubeApi, tmp_path: Path
) -> None:
    path = fake_kube.write_kubeconfig(tmp_path / "kc")
    kube = await load_kube_config(str(path))
    assert kube is not None
    api_client = create_api_client(kube)
    try:
        fake_kube.token = "rotated"
        assert await check_connection(api_client) is False  # 401 with the old token
        path.write_text("clusters: [")  # half-written by the rotation: keep the old credentials
        assert await reload_credentials(kube) is False
        assert await kube.configuration.get_api_key_with_prefix("BearerToken") == "Bearer test-token"
        fake_kube.write_kubeconfig(path)
        assert await reload_credentials(kube) is True
        assert await check_connection(api_client) is True  # the same client, now with the new token
    finally:
        await api_client.close()


class RecordingSink:
    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.states: list[tuple[str, str | None]] = []
        self.objects: list[dict[str, Any]] = []

    async def relist_begin(self, kind: str, reason: str) -> None:
        self.calls.append(("begin", reason))

    async def item(self, kind: str, event_type: str, obj: dict[str, Any]) -> None:
        self.calls.append((event_type, obj["metadata"]["name"]))
        self.objects.append(obj)

    async def relist_end(self, kind: str, resource_version: str, count: int) -> None:
        self.calls.append(("end", str(count)))

    async def bookmark(self, kind: str, resource_version: str) -> None:
        self.calls.append(("bookmark",))

    def state(self, kind: str, state: str, error: str | None) -> None:
        self.states.append((state, error))

    async def wait_for(self, entry: tuple[str, ...]) -> None:
        for _ in range(200):
            if entry in self.calls:
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"{entry} not seen in {self.calls}")


def fast(**overrides: Any) -> ReflectorOptions:
    values: dict[str, Any] = {
        "page_size": 2,
        "watch_timeout": 5,
        "backoff_initial": 0.01,
        "backoff_max": 0.05,
        "forbidden_retry": 0.05,
    }
    values.update(overrides)
    return ReflectorOptions(**values)


async def run_reflector(api: client.ApiClient, kind: str, sink: RecordingSink, **options: Any) -> asyncio.Task[None]:
    return asyncio.create_task(Reflector(api, resource(kind), sink, fast(**options)).run())


async def test_reflector_lists_pages_then_watches_every_event_type(
    fake_kube: FakeKubeApi, api: client.ApiClient
) -> None:
    for i in range(3):
        fake_kube.apply(pod(f"p{i}"))
    sink = RecordingSink()
    task = await run_reflector(api, "Pod", sink)
    try:
        await sink.wait_for(("end", "3"))
        assert sink.calls[:5] == [
            ("begin", "initial"),
            ("LISTED", "p0"),
            ("LISTED", "p1"),
            ("LISTED", "p2"),
            ("end", "3"),
        ]
        assert sink.objects[0]["kind"] == "Pod" and sink.objects[0]["apiVersion"] == "v1"
        await fake_kube.wait_for_watch("Pod")
        fake_kube.apply(pod("p3"))
        fake_kube.set_labels("Pod", "shop", "p0", {"a": "b"})
        fake_kube.delete("Pod", "shop", "p1")
        await sink.wait_for(("DELETED", "p1"))
        assert [c for c in sink.calls if c[0] in ("ADDED", "MODIFIED", "DELETED")] == [
            ("ADDED", "p3"),
            ("MODIFIED", "p0"),
            ("DELETED", "p1"),
        ]
        fake_kube.send_bookmarks()
        await sink.wait_for(("bookmark",))
        # a dropped connection resumes the watch from the last resourceVersion: no relist, nothing replayed
        fake_kube.drop_watches("Pod")
        fake_kube.apply(pod("p4"))
        await sink.wait_for(("ADDED", "p4"))
        assert sink.calls.count(("begin", "initial")) == 1 and ("begin", "gone") not in sink.calls
        assert sink.calls.count(("ADDED", "p3")) == 1
    finally:
        task.cancel()


async def test_reflector_relists_on_410_and_backs_off_on_errors(fake_kube: FakeKubeApi, api: client.ApiClient) -> None:
    fake_kube.apply(pod("p0"))
    sink = RecordingSink()
    task = await run_reflector(api, "Pod", sink)
    try:
        await sink.wait_for(("end", "1"))
        await fake_kube.wait_for_watch("Pod")
        fake_kube.drop_watches("Pod", gone=True)
        await sink.wait_for(("begin", "gone"))
        await sink.wait_for(("end", "1"))
        fake_kube.fail_next("Pod", 500, times=2)
        fake_kube.drop_watches("Pod")
        fake_kube.apply(pod("after-errors"))
        await sink.wait_for(("ADDED", "after-errors"))
        assert ("backoff", "500 Internal Server Error") in sink.states
        assert sink.calls.count(("begin", "gone")) == 1
    finally:
        task.cancel()


async def test_reflector_reports_forbidden_and_missing_kinds_and_recovers(
    fake_kube: FakeKubeApi, api: client.ApiClient
) -> None:
    fake_kube.load_fixture(FIXTURES / "shop")
    fake_kube.forbid("NetworkPolicy")
    fake_kube.hide("Ingress")
    sink, hidden = RecordingSink(), RecordingSink()
    task = await run_reflector(api, "NetworkPolicy", sink)
    hidden_task = await run_reflector(api, "Ingress", hidden)
    try:
        for _ in range(100):
            if ("forbidden", "list forbidden (403)") in sink.states and hidden.states:
                break
            await asyncio.sleep(0.02)
        assert ("forbidden", "list forbidden (403)") in sink.states
        assert ("unavailable", "list unavailable (404)") in hidden.states
        assert ("end", "2") not in sink.calls
        fake_kube.allow("NetworkPolicy")
        await sink.wait_for(("end", "2"))
    finally:
        task.cancel()
        hidden_task.cancel()


async def test_metadata_only_configmaps_never_carry_data(fake_kube: FakeKubeApi, api: client.ApiClient) -> None:
    fake_kube.load_fixture(FIXTURES / "shop")
    sink = RecordingSink()
    task = await run_reflector(api, "ConfigMap", sink, metadata_only=True)
    try:
        await sink.wait_for(("end", "1"))
        await fake_kube.wait_for_watch("ConfigMap")
        fake_kube.modify("ConfigMap", "shop", "web-config", lambda o: o["data"].update(NEW="secret-ish"))
        await sink.wait_for(("MODIFIED", "web-config"))
        assert all("data" not in obj for obj in sink.objects)
        assert sink.objects[-1]["metadata"]["labels"] == {"app.kubernetes.io/name": "web"}
    finally:
        task.cancel()


async def test_synthetic_cluster_has_the_benchmark_shape() -> None:
    from collections import Counter

    from app.simulator.kubeapi.synthetic import generate

    counts = Counter(o["kind"] for o in generate())
    assert counts["Pod"] == 10_000
    assert counts["Namespace"] == 200
    assert counts["RoleBinding"] + counts["ClusterRoleBinding"] == 2_000
    assert sum(1 for o in generate() if o["kind"] == "Pod" and o["metadata"]["namespace"] == "big") == 1_000
