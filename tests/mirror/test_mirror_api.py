"""Mirror routes (docs/api.md#previewing-a-fix, docs/api.md#watching-and-removing-mirrors) against the fake Kubernetes
API server, on mongomock and FerretDB."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
import yaml
from quart.typing import TestClientProtocol

from app.ai.manifest import clean_manifest, dump_yaml
from app.core.clock import ManualClock
from app.core.errors import ApiError
from app.core.timefmt import iso
from app.settings import Settings
from app.simulator.kubeapi import FakeKubeApi
from app.wiring import Services
from storage.mirrors import MirrorRepository
from tests.logs.kube import StartedApp, listen, messages, pod
from tests.mirror.records import add_failure, live_manifest

MIRROR_LABELS = {"kure.io/mirror", "kure.io/mirror-id", "kure.io/source-pod"}


@pytest.fixture
async def writer(user_client: Callable[[str], Awaitable[TestClientProtocol]]) -> TestClientProtocol:
    return await user_client("write")


# --- preview ---------------------------------------------------------------------------------------------


async def test_preview_without_llm_returns_the_cleaned_source(
    writer: TestClientProtocol, services: Services, fake_kube: FakeKubeApi
) -> None:
    await add_failure(services, live=fake_kube)
    response = await writer.post("/api/mirror/preview/1")
    assert response.status_code == 200
    body = await response.get_json()
    assert set(body) == {"fixed_manifest", "explanation", "is_fallback", "delta"}
    # The fallback is the source itself: nothing refused, nothing changed; no graph here to say more.
    assert body["delta"] == {"refused": [], "changes": [], "can_do_more": [], "blast_radius": None}
    assert body["is_fallback"] is True
    assert body["explanation"].startswith("## Root Cause")
    assert body["fixed_manifest"] == dump_yaml(clean_manifest(live_manifest()))
    fixed = yaml.safe_load(body["fixed_manifest"])
    assert "status" not in fixed and "uid" not in fixed["metadata"] and "nodeName" not in fixed["spec"]
    assert fixed["spec"]["volumes"] == []
    assert "terminationMessagePath" not in fixed["spec"]["containers"][0]
    assert await services.repositories.mirrors.count() == 0  # nothing stored


async def test_preview_reads_the_live_pod_never_the_stored_manifest(
    writer: TestClientProtocol, services: Services, fake_kube: FakeKubeApi
) -> None:
    # The stored report claims privileges the running pod does not have: it is evidence, not a source.
    forged = live_manifest()
    forged["spec"].update(hostPID=True, hostNetwork=True)
    await add_failure(services, 1, manifest=forged, live=fake_kube, source=live_manifest())
    await add_failure(services, 2, manifest="", pod_name="ghost")
    body = await (await writer.post("/api/mirror/preview/1")).get_json()
    fixed = yaml.safe_load(body["fixed_manifest"])
    assert fixed["metadata"]["name"] == "web" and "uid" not in fixed["metadata"]
    assert "hostPID" not in fixed["spec"] and "hostNetwork" not in fixed["spec"]
    response = await writer.post("/api/mirror/preview/2")
    assert response.status_code == 404
    assert await response.get_json() == {"detail": "Pod 'ghost' not found in namespace 'default'"}


async def test_preview_errors(writer: TestClientProtocol, services: Services, fake_kube: FakeKubeApi) -> None:
    response = await writer.post("/api/mirror/preview/99")
    assert response.status_code == 404
    assert await response.get_json() == {"detail": "Pod failure not found"}
    # A stored manifest that is no pod at all does not matter: the source is the live pod.
    await add_failure(services, 1, manifest=yaml.safe_dump({"kind": "Deployment", "metadata": {"name": "web"}}),
                      live=fake_kube)
    await add_failure(services, 2, manifest="kind: [unclosed", live=fake_kube)
    for pod_id in (1, 2):
        response = await writer.post(f"/api/mirror/preview/{pod_id}")
        assert response.status_code == 200, pod_id
    assert (await writer.post("/api/mirror/preview/abc")).status_code == 422


# --- deploy ----------------------------------------------------------------------------------------------


async def test_deploy_defaults(
    writer: TestClientProtocol, services: Services, fake_kube: FakeKubeApi, clock: ManualClock
) -> None:
    await add_failure(services, live=fake_kube)
    watcher = listen(services)
    response = await writer.post("/api/mirror/deploy/1")
    assert response.status_code == 201
    mirror = await response.get_json()
    mirror_id = mirror["mirror_id"]
    assert len(mirror_id) == 12 and all(c in "0123456789abcdef" for c in mirror_id)
    now = clock.now()
    assert mirror == {
        "mirror_id": mirror_id,
        "mirror_pod_name": f"web-mirror-{mirror_id}",
        "namespace": "default",
        "source_pod_name": "web",
        "pod_failure_id": 1,
        "status": "Pending",
        "ttl_seconds": 180,
        "created_at": iso(now),
        "expires_at": iso(now + timedelta(seconds=180)),
        "is_fallback": True,
        "fixed_manifest": mirror["fixed_manifest"],
        "explanation": mirror["explanation"],
    }
    live = fake_kube.get("Pod", "default", f"web-mirror-{mirror_id}")
    assert live is not None
    assert live["metadata"]["labels"] == {
        "kure.io/mirror": "true", "kure.io/mirror-id": mirror_id, "kure.io/source-pod": "web",
    }
    deployed = yaml.safe_load(mirror["fixed_manifest"])
    assert deployed["metadata"]["name"] == f"web-mirror-{mirror_id}"
    assert deployed["spec"] == clean_manifest(live_manifest())["spec"]

    summary = {k: v for k, v in mirror.items() if k not in ("fixed_manifest", "explanation")}
    assert messages(watcher) == [{"type": "mirror_created", "data": summary}]
    assert await (await writer.get("/api/mirror/active")).get_json() == [summary]


async def test_deploy_ttl_from_setting_and_body(
    writer: TestClientProtocol, services: Services, fake_kube: FakeKubeApi
) -> None:
    await add_failure(services, live=fake_kube)
    await services.app_settings.set("mirror_ttl_seconds", 300)
    assert (await (await writer.post("/api/mirror/deploy/1")).get_json())["ttl_seconds"] == 300
    response = await writer.post("/api/mirror/deploy/1", json={"ttl_seconds": 45})
    assert (await response.get_json())["ttl_seconds"] == 45
    for bad in (29, 3601, "60", 60.5, True):
        response = await writer.post("/api/mirror/deploy/1", json={"ttl_seconds": bad})
        assert response.status_code == 422, bad
        assert (await response.get_json())["detail"][0]["loc"] == ["body", "ttl_seconds"]


async def test_deploy_user_manifest_gets_the_forced_fields(
    writer: TestClientProtocol, services: Services, fake_kube: FakeKubeApi
) -> None:
    await add_failure(services, live=fake_kube)
    user = live_manifest()
    user["metadata"].update(name="my-own-name", labels={"app": "web", "tier": "x"})
    user["spec"]["containers"][0]["resources"] = {"limits": {"memory": "512Mi"}}
    response = await writer.post("/api/mirror/deploy/1", json={"manifest": yaml.safe_dump(user)})
    assert response.status_code == 201
    mirror = await response.get_json()
    assert mirror["explanation"] == "User-provided manifest"
    assert mirror["is_fallback"] is False
    deployed = yaml.safe_load(mirror["fixed_manifest"])
    assert deployed["metadata"]["namespace"] == "default"
    assert set(deployed["metadata"]["labels"]) == MIRROR_LABELS
    assert deployed["spec"]["containers"][0]["resources"] == {"limits": {"memory": "512Mi"}}
    assert fake_kube.get("Pod", "default", "my-own-name") is None
    live = fake_kube.get("Pod", "default", mirror["mirror_pod_name"])
    assert live is not None and live["spec"]["containers"][0]["resources"] == {"limits": {"memory": "512Mi"}}
    # Another namespace is not silently replaced: the request is refused.
    user["metadata"]["namespace"] = "kube-system"
    response = await writer.post("/api/mirror/deploy/1", json={"manifest": yaml.safe_dump(user)})
    assert response.status_code == 400
    assert await response.get_json() == {
        "detail": "Manifest adds privileges over the source pod: changed field 'metadata.namespace'"}
    assert fake_kube.count("Pod") == 2  # the source and the first mirror


async def test_deploy_manifest_errors(writer: TestClientProtocol, services: Services, fake_kube: FakeKubeApi) -> None:
    await add_failure(services, live=fake_kube)
    cases = {
        "kind: [unclosed": "Manifest is not valid YAML",
        yaml.safe_dump({"kind": "Deployment", "metadata": {"name": "x"}}): "Manifest must be a single Pod (kind: Pod)",
        yaml.safe_dump(pod("a")) + "---\n" + yaml.safe_dump(pod("b")): "Manifest must be a single Pod (kind: Pod)",
        "- a\n- b\n": "Manifest must be a single Pod (kind: Pod)",
        "": "Manifest must be a single Pod (kind: Pod)",
    }
    for text, detail in cases.items():
        response = await writer.post("/api/mirror/deploy/1", json={"manifest": text})
        assert response.status_code == 400, text
        assert await response.get_json() == {"detail": detail}
    assert await services.repositories.mirrors.count() == 0


async def test_deploy_privilege_gate(writer: TestClientProtocol, services: Services, fake_kube: FakeKubeApi) -> None:
    await add_failure(services, live=fake_kube)
    user = live_manifest()
    user["spec"]["hostPID"] = True
    user["spec"]["containers"][0]["securityContext"] = {"privileged": True}
    response = await writer.post("/api/mirror/deploy/1", json={"manifest": yaml.safe_dump(user)})
    assert response.status_code == 400
    assert await response.get_json() == {
        "detail": "Manifest adds privileges over the source pod: "
                  "added field 'spec.containers[app].securityContext.privileged'; added field 'spec.hostPID'"
    }
    assert fake_kube.count("Pod") == 1 and await services.repositories.mirrors.count() == 0
    # The identical manifest passes.
    response = await writer.post("/api/mirror/deploy/1", json={"manifest": yaml.safe_dump(live_manifest())})
    assert response.status_code == 201


async def test_deploy_shortens_long_names(
    writer: TestClientProtocol, services: Services, fake_kube: FakeKubeApi
) -> None:
    long_name = "payments-reconciliation-worker-7d9f8b6c4d-abc12-extra-long-name"
    await add_failure(services, pod_name=long_name, live=fake_kube)
    mirror = await (await writer.post("/api/mirror/deploy/1")).get_json()
    name = mirror["mirror_pod_name"]
    assert len(name) <= 63 and name.endswith(f"-mirror-{mirror['mirror_id']}")
    assert long_name.startswith(name.removesuffix(f"-mirror-{mirror['mirror_id']}"))
    assert mirror["source_pod_name"] == long_name
    assert fake_kube.get("Pod", "default", name) is not None


async def test_deploy_cap_of_20(
    writer: TestClientProtocol, services: Services, clock: ManualClock, fake_kube: FakeKubeApi
) -> None:
    await add_failure(services, live=fake_kube)
    for i in range(20):
        await services.repositories.mirrors.insert({
            "_id": f"{i:012x}", "mirror_pod_name": f"web-mirror-{i:012x}", "namespace": "default",
            "source_pod_name": "web", "pod_failure_id": 1, "status": "Running", "ttl_seconds": 180,
            "created_at": clock.now(), "expires_at": clock.now() + timedelta(seconds=180), "is_fallback": True,
            "fixed_manifest": "", "explanation": "",
        })
    response = await writer.post("/api/mirror/deploy/1")
    assert response.status_code == 409
    assert await response.get_json() == {"detail": "Too many active mirrors (limit 20)"}
    await services.repositories.mirrors.delete("000000000000")
    assert (await writer.post("/api/mirror/deploy/1")).status_code == 201


async def test_deploy_kubernetes_error_stores_nothing(
    writer: TestClientProtocol, services: Services, fake_kube: FakeKubeApi
) -> None:
    await add_failure(services, live=fake_kube)
    watcher = listen(services)
    fake_kube.fail_next("pods", 500)
    response = await writer.post("/api/mirror/deploy/1")
    assert response.status_code == 502
    assert await response.get_json() == {"detail": "Kubernetes API error: Internal Server Error"}
    assert await services.repositories.mirrors.count() == 0 and messages(watcher) == []
    assert (await writer.post("/api/mirror/deploy/99")).status_code == 404


# --- status ----------------------------------------------------------------------------------------------


async def deploy(writer: TestClientProtocol, services: Services, live: FakeKubeApi, pod_id: int = 1) -> dict[str, Any]:
    if await services.repositories.pods.get(pod_id) is None:
        await add_failure(services, pod_id, live=live)
    response = await writer.post(f"/api/mirror/deploy/{pod_id}")
    assert response.status_code == 201
    mirror: dict[str, Any] = await response.get_json()
    return mirror


async def test_status_reads_the_live_pod_and_broadcasts_phase_changes(
    writer: TestClientProtocol, services: Services, fake_kube: FakeKubeApi
) -> None:
    mirror = await deploy(writer, services, fake_kube)
    name, mirror_id = mirror["mirror_pod_name"], mirror["mirror_id"]

    def running(obj: dict[str, Any]) -> None:
        obj["status"] = {
            "phase": "Running",
            "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-03-26T10:05:00Z"}],
            "containerStatuses": [{"name": "app", "image": "registry.example.com/app:1", "ready": True,
                                   "restartCount": 0, "state": {"running": {"startedAt": "2026-03-26T10:04:00Z"}}}],
        }

    fake_kube.modify("Pod", "default", name, running)
    for i in range(3):
        fake_kube.apply({
            "kind": "Event", "metadata": {"name": f"{name}.{i}", "namespace": "default"},
            "involvedObject": {"kind": "Pod", "name": name, "namespace": "default"},
            "type": "Normal", "reason": ["Scheduled", "Pulled", "Started"][i], "message": "ok", "count": 1,
            "lastTimestamp": f"2026-03-26T10:0{i}:00Z",
        })
    fake_kube.apply({"kind": "Event", "metadata": {"name": "other.1", "namespace": "default"},
                     "involvedObject": {"kind": "Pod", "name": "web", "namespace": "default"},
                     "type": "Warning", "reason": "BackOff", "lastTimestamp": "2026-03-26T10:09:00Z"})
    watcher = listen(services)
    response = await writer.get(f"/api/mirror/status/{mirror_id}")
    assert response.status_code == 200
    status = await response.get_json()
    assert status["status"] == "Running"
    assert status["conditions"] == [{"type": "Ready", "status": "True", "reason": None, "message": None,
                                     "last_transition_time": "2026-03-26T10:05:00Z"}]
    assert status["container_statuses"] == [{"name": "app", "image": "registry.example.com/app:1", "ready": True,
                                             "restart_count": 0, "state": "running", "reason": None,
                                             "message": None, "exit_code": None}]
    assert [e["reason"] for e in status["events"]] == ["Started", "Pulled", "Scheduled"]
    assert "fixed_manifest" not in status
    assert messages(watcher) == [{"type": "mirror_status_change",
                                  "data": {"mirror_id": mirror_id, "status": "Running", "previous_status": "Pending"}}]
    # Same phase again: stored, not re-broadcast.
    await writer.get(f"/api/mirror/status/{mirror_id}")
    assert messages(watcher) == []
    assert (await (await writer.get("/api/mirror/active")).get_json())[0]["status"] == "Running"


async def test_status_of_a_vanished_pod_drops_the_record(
    writer: TestClientProtocol, services: Services, fake_kube: FakeKubeApi
) -> None:
    mirror = await deploy(writer, services, fake_kube)
    fake_kube.delete("Pod", "default", mirror["mirror_pod_name"])
    watcher = listen(services)
    response = await writer.get(f"/api/mirror/status/{mirror['mirror_id']}")
    assert response.status_code == 404
    assert await response.get_json() == {"detail": f"Mirror '{mirror['mirror_id']}' not found"}
    assert messages(watcher) == [{"type": "mirror_deleted", "data": {
        "mirror_id": mirror["mirror_id"], "mirror_pod_name": mirror["mirror_pod_name"], "namespace": "default",
        "reason": "gone"}}]
    assert await services.repositories.mirrors.count() == 0
    assert (await writer.get(f"/api/mirror/status/{mirror['mirror_id']}")).status_code == 404


async def test_unknown_and_malformed_mirror_ids(writer: TestClientProtocol) -> None:
    response = await writer.get("/api/mirror/status/0123456789ab")
    assert response.status_code == 404
    assert await response.get_json() == {"detail": "Mirror '0123456789ab' not found"}
    response = await writer.delete("/api/mirror/0123456789ab")
    assert response.status_code == 404
    for bad in ("0123456789AB", "0123", "zzzzzzzzzzzz"):
        response = await writer.get(f"/api/mirror/status/{bad}")
        assert response.status_code == 422
        assert (await response.get_json())["detail"][0]["loc"] == ["path", "mirror_id"]
        assert (await writer.delete(f"/api/mirror/{bad}")).status_code == 422


# --- delete ----------------------------------------------------------------------------------------------


async def test_delete_removes_pod_and_record(
    writer: TestClientProtocol, services: Services, fake_kube: FakeKubeApi
) -> None:
    first, second = await deploy(writer, services, fake_kube), await deploy(writer, services, fake_kube)
    watcher = listen(services)
    response = await writer.delete(f"/api/mirror/{first['mirror_id']}")
    assert response.status_code == 204
    assert await response.get_data() == b""
    assert fake_kube.get("Pod", "default", first["mirror_pod_name"]) is None
    assert messages(watcher) == [{"type": "mirror_deleted", "data": {
        "mirror_id": first["mirror_id"], "mirror_pod_name": first["mirror_pod_name"], "namespace": "default",
        "reason": "deleted"}}]
    # An already absent pod is not an error.
    fake_kube.delete("Pod", "default", second["mirror_pod_name"])
    assert (await writer.delete(f"/api/mirror/{second['mirror_id']}")).status_code == 204
    assert await services.repositories.mirrors.count() == 0


async def test_delete_kubernetes_error_keeps_the_record(
    writer: TestClientProtocol, services: Services, fake_kube: FakeKubeApi
) -> None:
    mirror = await deploy(writer, services, fake_kube)
    fake_kube.forbid("pods")
    response = await writer.delete(f"/api/mirror/{mirror['mirror_id']}")
    assert response.status_code == 502
    assert await response.get_json() == {"detail": "Kubernetes API error: Forbidden"}
    assert await services.repositories.mirrors.get(mirror["mirror_id"]) is not None
    fake_kube.allow("pods")
    assert (await writer.delete(f"/api/mirror/{mirror['mirror_id']}")).status_code == 204


async def test_active_lists_newest_first(
    writer: TestClientProtocol, services: Services, clock: ManualClock, fake_kube: FakeKubeApi
) -> None:
    older = await deploy(writer, services, fake_kube)
    clock.advance(5)
    newer = await deploy(writer, services, fake_kube)
    active = await (await writer.get("/api/mirror/active")).get_json()
    assert [m["mirror_id"] for m in active] == [newer["mirror_id"], older["mirror_id"]]
    assert all(set(m) == set(older) - {"fixed_manifest", "explanation"} for m in active)


# --- without Kubernetes ----------------------------------------------------------------------------------


async def test_without_kubernetes(
    settings_factory: Callable[..., Settings], start_app: Callable[..., Awaitable[StartedApp]], mongo: Any,
    clock: ManualClock,
) -> None:
    started = await start_app(settings_factory(kure_kubernetes="off"), clock=clock, mongo=mongo)
    services = started.services
    await services.auth.create_user("w", "correct-horse-battery", "write")
    client = started.app.test_client()
    await client.post("/api/auth/login", json={"username": "w", "password": "correct-horse-battery"})
    await add_failure(services, 1)
    # The source is always read live: without a cluster there is nothing to preview.
    response = await client.post("/api/mirror/preview/1")
    assert response.status_code == 503
    assert await response.get_json() == {"detail": "Kubernetes client not available"}
    assert (await client.post("/api/mirror/deploy/99")).status_code == 404  # 404 before 503
    response = await client.post("/api/mirror/deploy/1")
    assert response.status_code == 503
    assert await response.get_json() == {"detail": "Kubernetes client not available"}
    await services.repositories.mirrors.insert({
        "_id": "00000000000a", "mirror_pod_name": "web-mirror-00000000000a", "namespace": "default",
        "source_pod_name": "web", "pod_failure_id": 1, "status": "Running", "ttl_seconds": 180,
        "created_at": clock.now(), "expires_at": clock.now() + timedelta(seconds=180), "is_fallback": True,
        "fixed_manifest": "", "explanation": "",
    })
    for response in (await client.get("/api/mirror/status/00000000000a"),
                     await client.delete("/api/mirror/00000000000a")):
        assert response.status_code == 503
        assert await response.get_json() == {"detail": "Kubernetes client not available"}
    # The list is served from MongoDB alone.
    assert [m["mirror_id"] for m in await (await client.get("/api/mirror/active")).get_json()] == ["00000000000a"]


# --- with an LLM configured ------------------------------------------------------------------------------


def fenced(obj: dict[str, Any], explanation: str) -> str:
    return f"{explanation}\n\n```yaml\n{yaml.safe_dump(obj)}```\n"


async def test_preview_and_deploy_use_the_ai_fix(
    writer: TestClientProtocol, services: Services, fake_kube: FakeKubeApi
) -> None:
    from app.ai.llm import LlmConfig
    from tests.fakes.openai_server import FakeOpenAI, Reply

    await add_failure(services, live=fake_kube)
    fixed = clean_manifest(live_manifest())
    fixed["spec"]["containers"][0]["resources"] = {"limits": {"memory": "1Gi"}}
    answer = fenced(fixed, "## Changes Made\n1. Raised the memory limit.")
    async with FakeOpenAI(default=Reply.text(answer)) as fake:
        await services.ai.configure(LlmConfig("openai_compatible", "sk-key-0123456789", "m", fake.base_url))
        body = await (await writer.post("/api/mirror/preview/1")).get_json()
        assert body["is_fallback"] is False
        assert body["explanation"] == "## Changes Made\n1. Raised the memory limit."
        assert yaml.safe_load(body["fixed_manifest"])["spec"]["containers"][0]["resources"] == {
            "limits": {"memory": "1Gi"}}
        name = fixed["spec"]["containers"][0]["name"]
        assert body["delta"] == {"refused": [], "changes": [f"spec.containers[{name}].resources"],
                                 "can_do_more": [], "blast_radius": None}

        mirror = await (await writer.post("/api/mirror/deploy/1")).get_json()
        assert mirror["is_fallback"] is False
        assert mirror["explanation"] == "## Changes Made\n1. Raised the memory limit."
        deployed = yaml.safe_load(mirror["fixed_manifest"])
        assert deployed["spec"]["containers"][0]["resources"] == {"limits": {"memory": "1Gi"}}
        assert set(deployed["metadata"]["labels"]) == MIRROR_LABELS

        # An AI answer that escalates privileges is refused like a user manifest would be; the preview says so.
        fixed["spec"]["hostNetwork"] = True
        fake.push(Reply.text(fenced(fixed, "## Changes Made\n1. Host networking.")))
        delta = (await (await writer.post("/api/mirror/preview/1")).get_json())["delta"]
        assert delta["refused"] == ["added field 'spec.hostNetwork'"]
        assert delta["changes"] == [f"spec.containers[{name}].resources"]  # the mirror keeps only the allowed
        fake.push(Reply.text(fenced(fixed, "## Changes Made\n1. Host networking.")))
        response = await writer.post("/api/mirror/deploy/1")
        assert response.status_code == 400
        assert await response.get_json() == {
            "detail": "Manifest adds privileges over the source pod: added field 'spec.hostNetwork'"}

        # A failing provider falls back to the cleaned source.
        fake.push(Reply.error(500), Reply.error(500), Reply.error(500))
        services.llm.max_retries = 0
        body = await (await writer.post("/api/mirror/preview/1")).get_json()
        assert body["is_fallback"] is True
        assert body["fixed_manifest"] == dump_yaml(clean_manifest(live_manifest()))


async def test_the_cap_holds_across_replicas(
    services: Services, clock: ManualClock, fake_kube: FakeKubeApi
) -> None:
    """Two replicas (their own repository objects and locks, one database) deploy the last free mirror at once: one
    gets it, the other is refused, and the place comes back when the mirror goes."""
    await add_failure(services, live=fake_kube)
    for i in range(19):
        await services.repositories.mirrors.insert({
            "_id": f"{i:012x}", "mirror_pod_name": f"web-mirror-{i:012x}", "namespace": "default",
            "source_pod_name": "web", "pod_failure_id": 1, "status": "Running", "ttl_seconds": 180,
            "created_at": clock.now(), "expires_at": clock.now() + timedelta(seconds=180), "is_fallback": True,
            "fixed_manifest": "", "explanation": "",
        })
        assert await services.repositories.mirrors.reserve_place(f"{i:012x}", 20, clock.now()) == i  # as deploy does
    other = copy.copy(services.mirrors)
    other.repository = MirrorRepository(services.mongo.db)
    other._lock = asyncio.Lock()  # a second process: nothing in memory is shared
    outcomes = await asyncio.gather(
        services.mirrors.deploy(1, None, None), other.deploy(1, None, None), return_exceptions=True
    )
    deployed = [o for o in outcomes if isinstance(o, dict)]
    refused = [o for o in outcomes if isinstance(o, ApiError)]
    assert len(deployed) == 1 and len(refused) == 1, outcomes
    assert refused[0].status == 409
    assert await services.repositories.mirrors.count() == 20
    await services.mirrors.delete(deployed[0]["mirror_id"])
    assert isinstance(await other.deploy(1, None, None), dict)
