"""The mirror reaper (docs/api.md#watching-and-removing-mirrors): expiry, phase refresh, vanished pods, orphans,
restarts — with a manual clock.

Mirrors are created through the service (no HTTP login needed), then ``reap()`` runs one tick by hand.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from app.core.clock import ManualClock
from app.settings import Settings
from app.simulator.kubeapi import FakeKubeApi
from app.state import AppState
from tests.logs.kube import StartedApp, listen, messages, pod
from tests.mirror.records import add_failure


async def deploy(state: AppState, live: FakeKubeApi, ttl: int | None = None) -> dict[str, Any]:
    if await state.pods.get(1) is None:
        await add_failure(state, 1, live=live)
    return await state.mirror_service.deploy(1, ttl, None)


async def test_expired_mirrors_are_deleted(
    state: AppState, fake_kube: FakeKubeApi, clock: ManualClock
) -> None:
    short = await deploy(state, fake_kube, ttl=30)
    long = await deploy(state, fake_kube, ttl=600)
    watcher = listen(state)
    clock.advance(29)
    await state.mirror_service.reap()
    assert await state.mirrors.count() == 2 and messages(watcher) == []
    clock.advance(1)  # expires_at reached
    await state.mirror_service.reap()
    assert fake_kube.get("Pod", "default", short["mirror_pod_name"]) is None
    assert fake_kube.get("Pod", "default", long["mirror_pod_name"]) is not None
    assert await state.mirrors.ids() == {long["mirror_id"]}
    assert messages(watcher) == [{"type": "mirror_deleted", "data": {
        "mirror_id": short["mirror_id"], "mirror_pod_name": short["mirror_pod_name"], "namespace": "default",
        "reason": "expired"}}]


async def test_phase_changes_and_vanished_pods(
    state: AppState, fake_kube: FakeKubeApi, clock: ManualClock
) -> None:
    running, vanished = await deploy(state, fake_kube), await deploy(state, fake_kube)
    fake_kube.modify("Pod", "default", running["mirror_pod_name"],
                     lambda obj: obj["status"].update(phase="Failed"))
    fake_kube.delete("Pod", "default", vanished["mirror_pod_name"])
    watcher = listen(state)
    await state.mirror_service.reap()
    assert sorted(messages(watcher), key=lambda m: m["type"]) == [
        {"type": "mirror_deleted", "data": {"mirror_id": vanished["mirror_id"],
                                            "mirror_pod_name": vanished["mirror_pod_name"],
                                            "namespace": "default", "reason": "gone"}},
        {"type": "mirror_status_change", "data": {"mirror_id": running["mirror_id"], "status": "Failed",
                                                  "previous_status": "Pending"}},
    ]
    assert (await state.mirrors.get(running["mirror_id"]) or {})["status"] == "Failed"
    assert await state.mirrors.get(vanished["mirror_id"]) is None
    await state.mirror_service.reap()
    assert messages(watcher) == []  # nothing changed since


async def test_orphaned_mirror_pods_are_deleted_silently(
    state: AppState, fake_kube: FakeKubeApi, clock: ManualClock
) -> None:
    kept = await deploy(state, fake_kube)
    orphan = pod("web-mirror-aaaaaaaaaaaa")
    orphan["metadata"]["labels"] = {"kure.io/mirror": "true", "kure.io/mirror-id": "aaaaaaaaaaaa"}
    fake_kube.apply(orphan)  # created long ago (the fake's default creation time)
    bystander = pod("web")
    fake_kube.apply(bystander)
    young = pod("web-mirror-bbbbbbbbbbbb")
    young["metadata"].update(labels={"kure.io/mirror": "true", "kure.io/mirror-id": "bbbbbbbbbbbb"},
                             creationTimestamp=clock.now().strftime("%Y-%m-%dT%H:%M:%SZ"))
    fake_kube.apply(young)
    watcher = listen(state)
    await state.mirror_service.reap()
    assert fake_kube.get("Pod", "default", "web-mirror-aaaaaaaaaaaa") is None
    assert fake_kube.get("Pod", "default", "web") is not None
    assert fake_kube.get("Pod", "default", kept["mirror_pod_name"]) is not None
    # A young labelled pod may be a deploy whose record is still being written: it gets a grace minute.
    assert fake_kube.get("Pod", "default", "web-mirror-bbbbbbbbbbbb") is not None
    clock.advance(61)
    await state.mirror_service.reap()
    assert fake_kube.get("Pod", "default", "web-mirror-bbbbbbbbbbbb") is None
    assert messages(watcher) == []


async def test_kubernetes_errors_are_retried_next_tick(
    state: AppState, fake_kube: FakeKubeApi, clock: ManualClock
) -> None:
    mirror = await deploy(state, fake_kube, ttl=30)
    clock.advance(31)
    fake_kube.forbid("pods")
    await state.mirror_service.reap()  # logs, does not raise
    assert await state.mirrors.get(mirror["mirror_id"]) is not None
    fake_kube.allow("pods")
    await state.mirror_service.reap()
    assert await state.mirrors.get(mirror["mirror_id"]) is None
    assert fake_kube.get("Pod", "default", mirror["mirror_pod_name"]) is None


async def test_a_restarted_backend_reaps_earlier_mirrors(
    state: AppState, fake_kube: FakeKubeApi, clock: ManualClock, mongo: Any, kube_settings: Settings,
    start_app: Callable[..., Awaitable[StartedApp]],
) -> None:
    mirror = await deploy(state, fake_kube, ttl=60)
    await state.stop()  # the first process goes away; its records stay in MongoDB

    restarted = await start_app(kube_settings, clock=clock, mongo=mongo)
    new_state = restarted.state
    assert [m["mirror_id"] for m in await new_state.mirror_service.active()] == [mirror["mirror_id"]]
    watcher = listen(new_state)
    await new_state.mirror_service.reap()
    assert await new_state.mirrors.count() == 1  # not expired yet
    clock.advance(60)
    await new_state.mirror_service.reap()
    assert await new_state.mirrors.count() == 0
    assert fake_kube.get("Pod", "default", mirror["mirror_pod_name"]) is None
    assert [m["data"]["reason"] for m in messages(watcher)] == ["expired"]


async def test_reaper_is_idle_without_kubernetes(
    settings_factory: Callable[..., Settings], start_app: Callable[..., Awaitable[StartedApp]], mongo: Any,
    clock: ManualClock,
) -> None:
    started = await start_app(settings_factory(kure_kubernetes="off"), clock=clock, mongo=mongo)
    await started.state.mirrors.insert({
        "_id": "00000000000a", "mirror_pod_name": "web-mirror-00000000000a", "namespace": "default",
        "source_pod_name": "web", "pod_failure_id": 1, "status": "Running", "ttl_seconds": 30,
        "created_at": clock.now(), "expires_at": clock.now(), "is_fallback": True,
        "fixed_manifest": "", "explanation": "",
    })
    # Without a cluster the pod cannot be deleted, so the expired record is kept for a later tick.
    await started.state.mirror_service.reap()
    assert await started.state.mirrors.ids() == {"00000000000a"}
