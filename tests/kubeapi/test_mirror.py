"""Mirror pods on the real API server, deployed by the backend with the kure-backend ServiceAccount token: the
mirror is created (and admitted: ServiceAccount, PodSecurity) and deleted on the server, a namespace enforcing the
restricted Pod Security Standard refuses a non-compliant mirror and the API says why, and the mirror gate judges
the live pod (docs/mirror.md#the-gate-the-source-plus-the-changes-a-fix-needs)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import yaml
from mongomock_motor import AsyncMongoMockClient
from quart.typing import TestClientProtocol

from app.kube import KubeApiError
from app.settings import Settings
from app.state import AppState
from storage.mongo import MongoHandle
from tests.mirror.records import add_failure

from .cluster import AuditLog, Cluster, service_account_user
from .conftest import KURE_SYSTEM, RESTRICTED, ComponentKubeconfig

pytestmark = pytest.mark.kubeapi

#: A pod that satisfies the restricted Pod Security Standard.
COMPLIANT_SECURITY = {"runAsNonRoot": True, "runAsUser": 10001, "seccompProfile": {"type": "RuntimeDefault"}}
CONTAINER_SECURITY = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}


@pytest.fixture
def mongo() -> MongoHandle:
    """Mirror records on the embedded store; the storage behaviour itself is proven in tests/mirror."""
    client: AsyncMongoMockClient = AsyncMongoMockClient(tz_aware=True)
    return MongoHandle(client=client, db=client[f"kure_{uuid.uuid4().hex[:8]}"], embedded=True)


@pytest.fixture
async def settings(settings_factory: Callable[..., Settings], component_kubeconfig: ComponentKubeconfig) -> Settings:
    kubeconfig = await component_kubeconfig("kure-backend")
    return settings_factory(kure_kubernetes="auto", kubeconfig=str(kubeconfig), kure_graph_watcher=False)


@pytest.fixture
async def writer(user_client: Callable[[str], Awaitable[TestClientProtocol]]) -> TestClientProtocol:
    return await user_client("write")


async def _source_pod(cluster: Cluster, namespace: str, name: str = "web") -> dict[str, Any]:
    """A failing pod as its controller and kubelet would leave it (restricted-compliant)."""
    await cluster.create({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": {"app": name}},
        "spec": {"securityContext": COMPLIANT_SECURITY, "containers": [
            {"name": "app", "image": "registry.example.com/web:1.4", "securityContext": CONTAINER_SECURITY}]},
    })  # fmt: skip
    return await cluster.patch_status("Pod", namespace, name, {"phase": "Running", "containerStatuses": [
        {"name": "app", "image": "registry.example.com/web:1.4", "imageID": "", "ready": False, "restartCount": 4,
         "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 1m20s"}}}]})  # fmt: skip


async def test_mirror_is_created_and_deleted_on_the_real_server(
    cluster: Cluster, namespace: str, writer: TestClientProtocol, state: AppState, audit: AuditLog,
) -> None:
    source = await _source_pod(cluster, namespace)
    await add_failure(state, 1, manifest=source, namespace=namespace)
    response = await writer.post("/api/mirror/deploy/1")
    assert response.status_code == 201, await response.get_data(as_text=True)
    mirror = await response.get_json()
    live = await cluster.get("Pod", namespace, mirror["mirror_pod_name"])
    assert live is not None
    assert live["metadata"]["labels"]["kure.io/mirror-id"] == mirror["mirror_id"]
    assert live["spec"]["containers"][0]["image"] == "registry.example.com/web:1.4"
    # The server's own admission ran on it: its ServiceAccount and a token volume of its own.
    assert live["spec"]["serviceAccountName"] == "default"
    assert any(v["name"].startswith("kube-api-access-") for v in live["spec"]["volumes"])
    status = await (await writer.get(f"/api/mirror/status/{mirror['mirror_id']}")).get_json()
    assert status["status"] == "Pending" and status["events"] == []
    assert (await writer.delete(f"/api/mirror/{mirror['mirror_id']}")).status_code == 204
    assert await cluster.get("Pod", namespace, mirror["mirror_pod_name"]) is None  # grace 0: gone at once
    entries = audit.entries(service_account_user(KURE_SYSTEM, "kure-backend"))
    assert {e.verb for e in entries} >= {"create", "delete", "get", "list"}
    assert [e for e in entries if e.forbidden] == []


async def _until_enforced(cluster: Cluster, namespace: str) -> None:
    """PodSecurity admission reads namespace labels from the server's cache: wait until a dry-run create of a
    non-compliant pod is refused (a loaded machine takes a moment to see the new labels)."""
    probe = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "probe", "namespace": namespace},
             "spec": {"containers": [{"name": "app", "image": "registry.example.com/web:1.4"}]}}
    for _ in range(100):
        try:
            await cluster.create(probe, dry_run=True)
        except KubeApiError as exc:
            if exc.status == 403:
                return
            raise
        await asyncio.sleep(0.1)
    raise AssertionError(f"namespace {namespace} never enforced the restricted standard")


async def test_restricted_namespace_refuses_a_non_compliant_mirror_and_says_why(
    cluster: Cluster, writer: TestClientProtocol, state: AppState,
) -> None:
    namespace = await cluster.new_namespace("kt-restricted")
    try:
        # A pod from before the namespace enforced the restricted standard: it keeps running, but a mirror — its
        # copy, which the gate allows, since it adds nothing — is a new pod the server's admission refuses.
        await cluster.create({"apiVersion": "v1", "kind": "Pod",
                              "metadata": {"name": "web", "namespace": namespace, "labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "app", "image": "registry.example.com/web:1.4"}]}})
        await cluster.patch("Namespace", None, namespace, {"metadata": {"labels": RESTRICTED}})
        await _until_enforced(cluster, namespace)
        await add_failure(state, 1, manifest="", namespace=namespace)
        fixed = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": namespace},
                 "spec": {"containers": [{"name": "app", "image": "registry.example.com/web:1.5"}]}}
        response = await writer.post("/api/mirror/deploy/1", json={"manifest": yaml.safe_dump(fixed)})
        assert response.status_code == 502
        detail = (await response.get_json())["detail"]
        assert detail.startswith("Kubernetes API error: Forbidden: ")
        assert 'violates PodSecurity "restricted:latest"' in detail
        assert "runAsNonRoot != true" in detail
        assert await state.mirrors.count() == 0
        assert [p["metadata"]["name"] for p in await cluster.items("Pod", namespace)] == ["web"]
    finally:
        await cluster.drop_namespace(namespace)


async def test_gate_refuses_a_mirror_that_adds_privileges_before_the_server_sees_it(
    cluster: Cluster, namespace: str, writer: TestClientProtocol, state: AppState, audit: AuditLog,
) -> None:
    source = await _source_pod(cluster, namespace)
    await add_failure(state, 1, manifest=source, namespace=namespace)
    privileged = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
                  "spec": {"hostNetwork": True, "containers": [
                      {"name": "app", "image": "registry.example.com/web:1.4",
                       "securityContext": {"privileged": True}}]}}  # fmt: skip
    response = await writer.post("/api/mirror/deploy/1", json={"manifest": yaml.safe_dump(privileged)})
    assert response.status_code == 400
    assert (await response.get_json())["detail"] == (
        "Manifest adds privileges over the source pod: "
        "added field 'spec.containers[app].securityContext.privileged'; added field 'spec.hostNetwork'")
    assert not any(e.verb == "create" for e in audit.entries(service_account_user(KURE_SYSTEM, "kure-backend")))
    assert [p["metadata"]["name"] for p in await cluster.items("Pod", namespace)] == ["web"]


async def test_a_forged_report_cannot_choose_the_mirror_and_a_fix_to_the_live_pod_deploys(
    cluster: Cluster, namespace: str, writer: TestClientProtocol, state: AppState,
) -> None:
    """The attack the gate exists for: a service-token holder stores a report whose manifest asks for the host.
    The mirror is built from the pod the server holds (with every field the server defaulted), so the forged
    manifest changes nothing; a fix the allow-list permits (a new image tag, a literal env value) deploys."""
    await _source_pod(cluster, namespace)
    forged = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": namespace},
              "spec": {"hostPID": True, "hostNetwork": True,
                       "volumes": [{"name": "root", "hostPath": {"path": "/"}}],
                       "containers": [{"name": "app", "image": "registry.example.com/web:1.4",
                                       "securityContext": {"privileged": True},
                                       "volumeMounts": [{"name": "root", "mountPath": "/host"}]}]}}  # fmt: skip
    await add_failure(state, 1, manifest=forged, namespace=namespace)

    preview = await writer.post("/api/mirror/preview/1")
    assert preview.status_code == 200, await preview.get_data(as_text=True)
    proposed = yaml.safe_load((await preview.get_json())["fixed_manifest"])
    assert "hostPID" not in proposed["spec"] and "hostNetwork" not in proposed["spec"]
    assert "privileged" not in str(proposed)

    proposed["spec"]["containers"][0]["image"] = "registry.example.com/web:1.5"
    proposed["spec"]["containers"][0]["env"] = [{"name": "LOG_LEVEL", "value": "debug"}]
    response = await writer.post("/api/mirror/deploy/1", json={"manifest": yaml.safe_dump(proposed)})
    assert response.status_code == 201, await response.get_data(as_text=True)
    live = await cluster.get("Pod", namespace, (await response.get_json())["mirror_pod_name"])
    assert live is not None
    spec = live["spec"]
    assert not spec.get("hostPID") and not spec.get("hostNetwork")
    assert all("hostPath" not in volume for volume in spec.get("volumes", []))
    assert spec["securityContext"]["runAsNonRoot"] is True  # the source's hardening, kept
    app = spec["containers"][0]
    assert app["image"] == "registry.example.com/web:1.5"
    assert {"name": "LOG_LEVEL", "value": "debug"} in app["env"]
    assert app["securityContext"]["allowPrivilegeEscalation"] is False
