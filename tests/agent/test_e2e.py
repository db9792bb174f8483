"""The agent end to end: fake Kubernetes API server + fake backend, real HTTP on loopback
(the behaviour scenarios of docs/agent-scanner.md#test-fixtures)."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from app.agent.main import run_agent
from app.agent.settings import AgentSettings
from app.incluster.settings import load
from app.simulator.kubeapi.server import FakeKubeApi

from .fake_backend import FakeBackend
from .fixtures import load as load_fixture
from .rbac import allowed, attributes, rules_of

pytestmark = pytest.mark.e2e

NS = "kure"


@pytest.fixture
async def kube(tmp_path: Path) -> AsyncIterator[FakeKubeApi]:
    server = FakeKubeApi(bookmark_interval=0.5)
    await server.start()
    server.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}})
    server.apply(
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kure-monitor-agent-state", "namespace": NS}}
    )
    yield server
    await server.stop()


@pytest.fixture
async def backend() -> AsyncIterator[FakeBackend]:
    fake = FakeBackend()
    await fake.start()
    yield fake
    await fake.stop()


def _settings(kube: FakeKubeApi, backend: FakeBackend, tmp_path: Path, name: str, **extra: str) -> AgentSettings:
    config = kube.write_kubeconfig(tmp_path / f"kubeconfig-{name}")
    env = {
        "BACKEND_URL": backend.url,
        "SERVICE_TOKEN": backend.token,
        "KUBECONFIG": str(config),
        "POD_NAME": name,
        "POD_NAMESPACE": NS,
        "KURE_HEALTH_PORT": "0",
        "KURE_LEASE_DURATION_SECONDS": "3",
        "KURE_LEASE_RENEW_DEADLINE_SECONDS": "2",
        "KURE_LEASE_RETRY_SECONDS": "1",
        "KURE_WATCH_TIMEOUT_SECONDS": "30",
        "KURE_BACKEND_RETRY_MAX_SECONDS": "1",
        "KURE_SHUTDOWN_FLUSH_SECONDS": "3",
        **extra,
    }
    return load(AgentSettings, env)


@contextlib.asynccontextmanager
async def _agent(settings: AgentSettings) -> AsyncIterator[asyncio.Event]:
    stop = asyncio.Event()
    task = asyncio.ensure_future(run_agent(settings, stop, health_host="127.0.0.1"))
    try:
        yield stop
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


def _pod(name: str, *, fixture: str = "evicted", namespace: str = "shop", step: int | None = None) -> dict[str, Any]:
    doc, _ = load_fixture(fixture)
    pod = copy.deepcopy(doc["pod"])
    if step is not None:
        pod["status"] = copy.deepcopy(doc["steps"][step]["status"])
    pod["metadata"]["name"] = name
    pod["metadata"]["namespace"] = namespace
    pod["metadata"].pop("uid", None)
    return pod


def _healthy(name: str, namespace: str = "shop") -> dict[str, Any]:
    doc, _ = load_fixture("healthy-running")
    pod = copy.deepcopy(doc["pod"])
    pod["metadata"].update(name=name, namespace=namespace)
    pod["metadata"].pop("uid", None)
    return pod


def _reported(backend: FakeBackend) -> list[str]:
    return [r.body["pod_name"] for r in backend.posts("/api/pods/failed")]


def _dismissed(backend: FakeBackend) -> list[str]:
    return [r.body["pod_name"] for r in backend.posts("/api/pods/dismiss-deleted")]


async def test_reports_each_failure_once_and_dismisses_deleted_pod(
    kube: FakeKubeApi, backend: FakeBackend, tmp_path: Path
) -> None:
    kube.apply(_pod("evicted-1"))
    kube.apply(_pod("oom-1", fixture="oom-killed", step=-1))
    kube.apply(_healthy("fine-1"))
    mirror = _pod("mirror-1")
    mirror["metadata"]["labels"] = {"kure.io/mirror": "true"}
    kube.apply(mirror)
    async with _agent(_settings(kube, backend, tmp_path, "agent-a")):
        await backend.wait_for(lambda: len(_reported(backend)) >= 2)
        reasons = {r.body["pod_name"]: r.body["failure_reason"] for r in backend.posts("/api/pods/failed")}
        assert reasons == {"evicted-1": "Evicted", "oom-1": "OOMKilled"}
        kube.delete("Pod", "shop", "evicted-1")
        await backend.wait_for(lambda: _dismissed(backend) == ["evicted-1"])
        await asyncio.sleep(1.0)
    assert sorted(_reported(backend)) == ["evicted-1", "oom-1"]
    assert _dismissed(backend) == ["evicted-1"]
    body = next(r.body for r in backend.posts("/api/pods/failed") if r.body["pod_name"] == "oom-1")
    assert body["manifest"].startswith("apiVersion: v1\nkind: Pod\n")


async def test_two_replicas_never_double_report_and_standby_takes_over(
    kube: FakeKubeApi, backend: FakeBackend, tmp_path: Path
) -> None:
    kube.apply(_pod("evicted-2"))
    a = _settings(kube, backend, tmp_path, "agent-a")
    b = _settings(kube, backend, tmp_path, "agent-b")
    async with _agent(a) as stop_a, _agent(b) as stop_b:
        await backend.wait_for(lambda: _reported(backend) == ["evicted-2"])
        await asyncio.sleep(1.5)
        lease = kube.get("Lease", NS, "kure-monitor-agent")
        assert lease is not None
        leader = lease["spec"]["holderIdentity"]
        assert leader in ("agent-a", "agent-b")
        (stop_a if leader == "agent-a" else stop_b).set()
        standby = "agent-b" if leader == "agent-a" else "agent-a"

        def holder() -> str:
            return str(((kube.get("Lease", NS, "kure-monitor-agent") or {}).get("spec") or {}).get("holderIdentity"))

        await backend.wait_for(lambda: holder() == standby, limit=20)
        kube.delete("Pod", "shop", "evicted-2")
        await backend.wait_for(lambda: _dismissed(backend) == ["evicted-2"])
    assert _reported(backend) == ["evicted-2"]
    state = json.loads((kube.get("ConfigMap", NS, "kure-monitor-agent-state") or {})["data"]["state.json"])
    assert state["version"] == 1
    # docs/agent-scanner.md#verifying-rbac: every request both replicas made is allowed by docker/k8s/agent.yaml.
    rules = rules_of("agent.yaml")
    denied = [(m, p) for m, p in kube.request_log if not allowed(rules, m, p)]
    assert denied == []
    verbs = {attributes(m, p)[0] + " " + attributes(m, p)[2] for m, p in kube.request_log}
    assert {"list pods", "watch pods", "list events", "watch events", "get leases", "update leases",
            "get configmaps", "update configmaps"} <= verbs  # fmt: skip


async def test_backend_outage_loses_no_report(kube: FakeKubeApi, backend: FakeBackend, tmp_path: Path) -> None:
    backend.ingest_outage = True
    for i in range(6):
        kube.apply(_pod(f"out-{i}"))
    async with _agent(_settings(kube, backend, tmp_path, "agent-a", KURE_AGENT_QUEUE_MAX="3")):
        await asyncio.sleep(1.0)
        kube.delete("Pod", "shop", "out-0")
        kube.delete("Pod", "shop", "out-5")
        await asyncio.sleep(1.0)
        assert _reported(backend) == []
        backend.ingest_outage = False
        await backend.wait_for(lambda: len(_reported(backend)) == 6 and len(_dismissed(backend)) == 2, limit=30)
    assert sorted(_reported(backend)) == [f"out-{i}" for i in range(6)]
    assert sorted(_dismissed(backend)) == ["out-0", "out-5"]
    for name in ("out-0", "out-5"):
        order = [r.path for r in backend.requests if isinstance(r.body, dict) and r.body.get("pod_name") == name]
        assert order == ["/api/pods/failed", "/api/pods/dismiss-deleted"]


async def test_an_operation_whose_answer_was_lost_is_sent_again_with_its_key(
    kube: FakeKubeApi, backend: FakeBackend, tmp_path: Path
) -> None:
    """docs/agent-scanner.md#delivery-and-checkpoint: the retry of an operation carries the operation's key (so the
    backend applies it once); every new operation, a later report of the same pod included, has a new one."""

    def sent(path: str) -> list[str | None]:
        return [r.idempotency_key for r in backend.posts(path)]

    kube.apply(_pod("lost-1"))
    backend.lose_answers = 1
    async with _agent(_settings(kube, backend, tmp_path, "agent-a")):
        await backend.wait_for(lambda: len(sent("/api/pods/failed")) == 2)
        backend.lose_answers = 1
        kube.delete("Pod", "shop", "lost-1")
        await backend.wait_for(lambda: len(sent("/api/pods/dismiss-deleted")) == 2)
        kube.apply(_pod("lost-1"))  # the pod is back and fails again: a new report
        await backend.wait_for(lambda: len(sent("/api/pods/failed")) == 3)
        await asyncio.sleep(1.0)
    reports, dismissals = sent("/api/pods/failed"), sent("/api/pods/dismiss-deleted")
    assert len(reports) == 3 and len(dismissals) == 2
    assert reports[0] is not None and reports[0] == reports[1]  # the lost answer's retry: the same key
    assert dismissals[0] is not None and dismissals[0] == dismissals[1]
    assert len({reports[0], dismissals[0], reports[2]}) == 3  # three operations, three keys
    assert all(key is not None and key.startswith('"') for key in reports + dismissals)


async def test_excluded_namespace_by_message_and_included_while_disconnected(
    kube: FakeKubeApi, backend: FakeBackend, tmp_path: Path
) -> None:
    backend.excluded_namespaces = ["quiet"]
    kube.apply(_pod("q-1", namespace="quiet"))
    kube.apply(_pod("s-1"))
    async with _agent(_settings(kube, backend, tmp_path, "agent-a")):
        await backend.wait_for(lambda: _reported(backend) == ["s-1"])
        backend.excluded_namespaces = ["quiet", "shop"]
        await backend.broadcast("namespace_exclusion", {"namespace": "shop", "action": "excluded"})
        await asyncio.sleep(0.5)
        kube.delete("Pod", "shop", "s-1")
        # Included while the socket is down: the fetch after reconnecting picks it up.
        backend.excluded_namespaces = ["shop"]
        await backend.drop_sockets()
        await backend.wait_for(lambda: "q-1" in _reported(backend), limit=20)
    assert _dismissed(backend) == []
    assert sorted(_reported(backend)) == ["q-1", "s-1"]


async def test_planted_secrets_never_reach_the_backend(kube: FakeKubeApi, backend: FakeBackend, tmp_path: Path) -> None:
    pod = _pod("leaky", fixture="crash-loop-exit-1", step=1)
    pod["spec"]["containers"][0]["env"] = [{"name": "DB_PASSWORD", "value": "hunter2-planted"}]
    kube.apply(pod)
    kube.set_log("shop", "leaky", ["connecting with password=hunter2-planted", "boom"], container="app", previous=True)
    kube.set_log("shop", "leaky", [f"token {backend.token}"], container="app")
    async with _agent(_settings(kube, backend, tmp_path, "agent-a")):
        await backend.wait_for(lambda: _reported(backend) == ["leaky"])
    assert [p for m, p in kube.request_log if not allowed(rules_of("agent.yaml"), m, p)] == []
    assert any(attributes(m, p)[2] == "pods/log" for m, p in kube.request_log)
    body = backend.posts("/api/pods/failed")[0].body
    text = json.dumps(body)
    assert "hunter2-planted" not in text
    assert backend.token not in text
    assert "boom" in body["logs"]
    assert "previous instance" in body["logs"]


async def test_pod_deleted_during_watch_gap_is_dismissed_after_relist(
    kube: FakeKubeApi, backend: FakeBackend, tmp_path: Path
) -> None:
    kube.apply(_pod("gap-1"))
    async with _agent(_settings(kube, backend, tmp_path, "agent-a")):
        await backend.wait_for(lambda: _reported(backend) == ["gap-1"])
        await kube.wait_for_watch("Pod")
        kube.hold_events("Pod")
        kube.delete("Pod", "shop", "gap-1")
        kube.release_events("Pod")
        kube.drop_watches("Pod", gone=True)
        await backend.wait_for(lambda: _dismissed(backend) == ["gap-1"])
    assert _reported(backend) == ["gap-1"]


async def test_new_leader_uses_checkpoint(kube: FakeKubeApi, backend: FakeBackend, tmp_path: Path) -> None:
    """B5: no duplicate report for an unchanged failure; a pod deleted while no leader ran is dismissed."""
    kube.apply(_pod("keep-1"))
    kube.apply(_pod("gone-1"))
    async with _agent(_settings(kube, backend, tmp_path, "agent-a")):
        await backend.wait_for(lambda: sorted(_reported(backend)) == ["gone-1", "keep-1"])
    state = json.loads((kube.get("ConfigMap", NS, "kure-monitor-agent-state") or {})["data"]["state.json"])
    assert sorted(state["pods"]) == ["shop/gone-1", "shop/keep-1"]
    kube.delete("Pod", "shop", "gone-1")
    async with _agent(_settings(kube, backend, tmp_path, "agent-b")):
        await backend.wait_for(lambda: _dismissed(backend) == ["gone-1"])
        await asyncio.sleep(1.0)
    assert sorted(_reported(backend)) == ["gone-1", "keep-1"]


async def test_sigterm_flushes_queued_reports(kube: FakeKubeApi, backend: FakeBackend, tmp_path: Path) -> None:
    backend.ingest_outage = True
    kube.apply(_pod("flush-1"))
    async with _agent(_settings(kube, backend, tmp_path, "agent-a")) as stop:
        await asyncio.sleep(1.5)
        assert _reported(backend) == []
        stop.set()
        await asyncio.sleep(0.3)
        backend.ingest_outage = False
    assert _reported(backend) == ["flush-1"]
    lease = kube.get("Lease", NS, "kure-monitor-agent")
    assert lease is not None
    assert lease["spec"]["leaseDurationSeconds"] == 1


async def test_missing_checkpoint_configmap_is_created(kube: FakeKubeApi, backend: FakeBackend, tmp_path: Path) -> None:
    kube.delete("ConfigMap", NS, "kure-monitor-agent-state")
    kube.apply(_pod("cp-1"))
    async with _agent(_settings(kube, backend, tmp_path, "agent-a")):
        await backend.wait_for(lambda: _reported(backend) == ["cp-1"])
        assert kube.get("ConfigMap", NS, "kure-monitor-agent-state") is not None
    state = json.loads((kube.get("ConfigMap", NS, "kure-monitor-agent-state") or {})["data"]["state.json"])
    assert sorted(state["pods"]) == ["shop/cp-1"]
    assert ("POST", f"/api/v1/namespaces/{NS}/configmaps") in kube.request_log
    assert [p for m, p in kube.request_log if not allowed(rules_of("agent.yaml"), m, p)] == []
