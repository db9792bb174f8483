"""The agent against the real API server with docker/k8s's kure-monitor-agent ServiceAccount token: two replicas
contend for the real Lease, pods whose status the test writes (as a kubelet would) into each failure reason of the
catalogue are reported exactly once, the checkpoint ConfigMap is created when missing, and every request the
agent made was allowed by the server."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.agent.main import run_agent
from app.incluster.settings import AgentSettings, load
from tests.agent.fake_backend import FakeBackend
from tests.agent.fixtures import T0, replay
from tests.agent.fixtures import load as load_scenario

from .cluster import AuditLog, Cluster, eventually, service_account_user
from .conftest import KURE_SYSTEM, ComponentKubeconfig

pytestmark = pytest.mark.kubeapi

AGENT = "kure-monitor-agent"
LEASE = "kure-monitor-agent"
CHECKPOINT = "kure-monitor-agent-state"
#: Scenario fixture (tests/fixtures/agent) → the reason the agent must report.
CATALOGUE = {
    "crash-loop-exit-1": "CrashLoopBackOff",
    "oom-killed": "OOMKilled",
    "image-tag-missing": "ImagePullBackOff",
    "missing-secret-env": "CreateContainerConfigError",
    "node-selector-mismatch": "FailedScheduling",
    "init-container-crash": "Init:CrashLoopBackOff",
    "evicted": "Evicted",
}
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def _rebased(value: Any, shift: timedelta) -> Any:
    """The scenario moved to the present: every timestamp shifted by ``shift`` (a kubelet writes current ones)."""
    if isinstance(value, dict):
        return {k: _rebased(v, shift) for k, v in value.items()}
    if isinstance(value, list):
        return [_rebased(v, shift) for v in value]
    if isinstance(value, str) and _TIMESTAMP.match(value):
        moved = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) + shift
        return moved.strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


async def create_failing_pod(cluster: Cluster, namespace: str, scenario: str) -> dict[str, Any]:
    """The scenario's pod created as its controller would, its events as the kubelet or scheduler would, and its
    final status written through the status subresource."""
    doc, _ = load_scenario(scenario)
    played = replay(doc)
    assert played.pod is not None
    # The scenario's clock ends two minutes ago: its Kubernetes times are past every grace period the agent runs
    # with here, while a pod this test creates is younger than the pending grace until its status is written.
    shift = datetime.now(UTC) - datetime.fromtimestamp(T0, UTC) - timedelta(seconds=120)
    pod = _rebased(copy.deepcopy(played.pod), shift)
    status = pod.pop("status")
    meta = pod["metadata"]
    meta.update(name=scenario, namespace=namespace)
    for key in ("uid", "creationTimestamp", "resourceVersion"):
        meta.pop(key, None)
    created = await cluster.create(pod)
    events = [_rebased(e, shift) for e in played.events]
    if scenario == "node-selector-mismatch":  # what the scheduler records next to the condition
        message = status["conditions"][0]["message"]
        events.append({"type": "Warning", "reason": "FailedScheduling", "message": message, "count": 1,
                       "firstTimestamp": status["conditions"][0]["lastTransitionTime"],
                       "lastTimestamp": status["conditions"][0]["lastTransitionTime"]})
    for index, event in enumerate(events):
        involved = {**(event.get("involvedObject") or {}), "kind": "Pod", "name": scenario, "namespace": namespace,
                    "uid": created["metadata"]["uid"], "apiVersion": "v1"}
        await cluster.create({**event, "apiVersion": "v1", "kind": "Event", "involvedObject": involved,
                              "metadata": {"name": f"{scenario}.{index}", "namespace": namespace},
                              "source": {"component": "kubelet"}})
    return await cluster.patch_status("Pod", namespace, scenario, status)


@pytest.fixture
async def backend() -> AsyncIterator[FakeBackend]:
    fake = FakeBackend()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def fresh_agent_state(cluster: Cluster, kure_system: str) -> None:
    """No lease and no checkpoint left by an earlier test on this server (it lives as long as `up`)."""
    await cluster.delete("Lease", kure_system, LEASE)
    await cluster.delete("ConfigMap", kure_system, CHECKPOINT)


def _settings(kubeconfig: Path, backend: FakeBackend, name: str) -> AgentSettings:
    return load(AgentSettings, {
        "BACKEND_URL": backend.url,
        "SERVICE_TOKEN": backend.token,
        "KUBECONFIG": str(kubeconfig),
        "POD_NAME": name,
        "POD_NAMESPACE": KURE_SYSTEM,
        "KURE_HEALTH_PORT": "0",
        "KURE_LEASE_DURATION_SECONDS": "3",
        "KURE_LEASE_RENEW_DEADLINE_SECONDS": "2",
        "KURE_LEASE_RETRY_SECONDS": "1",
        "KURE_WATCH_TIMEOUT_SECONDS": "30",
        "KURE_BACKEND_RETRY_MAX_SECONDS": "1",
        "KURE_SHUTDOWN_FLUSH_SECONDS": "3",
        "KURE_SHORT_GRACE_SECONDS": "1",
        # Longer than creating a pod and writing its status takes on a busy machine; shorter than the scenarios' age.
        "KURE_PENDING_GRACE_SECONDS": "30",
    })


@contextlib.asynccontextmanager
async def _agent(settings: AgentSettings) -> AsyncIterator[asyncio.Event]:
    stop = asyncio.Event()
    task = asyncio.ensure_future(run_agent(settings, stop, health_host="127.0.0.1"))
    try:
        yield stop
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)


def _reports(backend: FakeBackend, namespace: str) -> list[tuple[str, str]]:
    """(pod, reason) of every report of the test's namespace (the agent watches the whole cluster)."""
    return [(r.body["pod_name"], r.body["failure_reason"]) for r in backend.posts("/api/pods/failed")
            if r.body["namespace"] == namespace]


async def _holder(cluster: Cluster) -> str:
    lease = await cluster.get("Lease", KURE_SYSTEM, LEASE)
    return str(((lease or {}).get("spec") or {}).get("holderIdentity") or "")


@pytest.mark.usefixtures("fresh_agent_state")
async def test_two_replicas_report_each_failure_reason_exactly_once(
    cluster: Cluster, namespace: str, backend: FakeBackend, component_kubeconfig: ComponentKubeconfig,
    audit: AuditLog,
) -> None:
    kubeconfig = await component_kubeconfig(AGENT)
    names = [f"agent-a-{uuid.uuid4().hex[:4]}", f"agent-b-{uuid.uuid4().hex[:4]}"]
    async with _agent(_settings(kubeconfig, backend, names[0])) as stop_a, \
            _agent(_settings(kubeconfig, backend, names[1])) as stop_b:
        leader = await eventually(lambda: _holder(cluster))
        assert leader in names
        for scenario in CATALOGUE:
            await create_failing_pod(cluster, namespace, scenario)
        await backend.wait_for(lambda: len(_reports(backend, namespace)) >= len(CATALOGUE), limit=60)
        await asyncio.sleep(3)  # a second report would come within the re-evaluation of the timers
        assert sorted(_reports(backend, namespace)) == sorted(CATALOGUE.items())
        # The leader hands over on shutdown; the standby takes the real Lease and, from the checkpoint, reports
        # nothing again.
        (stop_a if leader == names[0] else stop_b).set()
        standby = names[1] if leader == names[0] else names[0]
        await eventually(lambda: _holder_is(cluster, standby), seconds=30)
        await asyncio.sleep(4)
        assert sorted(_reports(backend, namespace)) == sorted(CATALOGUE.items())
    lease = await cluster.get("Lease", KURE_SYSTEM, LEASE)
    assert lease is not None and lease["spec"]["leaseTransitions"] >= 1
    checkpoint = await cluster.get("ConfigMap", KURE_SYSTEM, CHECKPOINT)
    assert checkpoint is not None
    pods = json.loads(checkpoint["data"]["state.json"])["pods"]
    assert {f"{namespace}/{scenario}" for scenario in CATALOGUE} <= set(pods)
    entries = audit.entries(service_account_user(KURE_SYSTEM, AGENT))
    assert [e for e in entries if e.forbidden] == []
    verbs = {(e.verb, e.uri.split("?")[0].rsplit("/", 1)[-1]) for e in entries}
    assert {("list", "pods"), ("watch", "pods"), ("list", "events"), ("watch", "events"), ("get", LEASE),
            ("update", LEASE), ("get", CHECKPOINT), ("update", CHECKPOINT)} <= verbs  # fmt: skip


async def _holder_is(cluster: Cluster, name: str) -> bool:
    return await _holder(cluster) == name


@pytest.mark.usefixtures("fresh_agent_state")
async def test_missing_checkpoint_configmap_is_created_and_written(
    cluster: Cluster, namespace: str, backend: FakeBackend, component_kubeconfig: ComponentKubeconfig,
    audit: AuditLog,
) -> None:
    assert await cluster.get("ConfigMap", KURE_SYSTEM, CHECKPOINT) is None
    kubeconfig = await component_kubeconfig(AGENT)
    async with _agent(_settings(kubeconfig, backend, "agent-checkpoint")):
        created = await eventually(lambda: cluster.get("ConfigMap", KURE_SYSTEM, CHECKPOINT))
        assert json.loads(created["data"]["state.json"]) == {"pods": {}, "version": 1}
        await create_failing_pod(cluster, namespace, "evicted")
        await backend.wait_for(lambda: _reports(backend, namespace) == [("evicted", "Evicted")], limit=30)
    checkpoint = await cluster.get("ConfigMap", KURE_SYSTEM, CHECKPOINT)
    assert checkpoint is not None
    assert f"{namespace}/evicted" in json.loads(checkpoint["data"]["state.json"])["pods"]
    entries = audit.entries(service_account_user(KURE_SYSTEM, AGENT))
    assert [e for e in entries if e.forbidden] == []
    assert ("create", f"/api/v1/namespaces/{KURE_SYSTEM}/configmaps") in {(e.verb, e.uri.split("?")[0])
                                                                           for e in entries}
