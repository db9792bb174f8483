"""The agent's own Kubernetes calls go through the one call path (app/kube/access.py).

A connection the API server refused for a moment (a restarting API server, a dropped connection) is tried again
instead of costing the checkpoint: without it a new leader would start without what the last one reported and
report every open failure again, and the checkpoint written on SIGTERM would be lost. A log the API server cannot
give at all is a missing log in the report, not a failed sender."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.agent.evidence import LogReadError
from app.agent.main import AgentMetrics, AgentSession
from app.agent.settings import AgentSettings
from app.core.clock import Clock
from app.incluster.lease import LeaseElector
from app.incluster.settings import load
from app.kube.access import KubeAccess
from app.simulator.kubeapi.server import FakeKubeApi

pytestmark = pytest.mark.e2e

NS = "kure"
CONFIGMAP = "kure-monitor-agent-state"
REPORTED = {"shop/keep-1": {"uid": "uid-keep-1", "reason": "Evicted", "fingerprint": "fp-keep-1"}}


@pytest.fixture
async def kube() -> AsyncIterator[FakeKubeApi]:
    server = FakeKubeApi()
    await server.start()
    server.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}})
    server.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": CONFIGMAP, "namespace": NS},
                  "data": {"state.json": json.dumps({"version": 1, "pods": REPORTED})}})  # fmt: skip
    yield server
    await server.stop()


class RestartOnFirstRetry:
    """The retry wait of the call path: the first wait brings the stopped API server back on its port."""

    def __init__(self, server: FakeKubeApi) -> None:
        self.server = server
        self.waits: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.waits.append(delay)
        if len(self.waits) == 1:
            await self.server.start(self.server.port)


async def _session(server: FakeKubeApi, tmp_path: Path, sleep: RestartOnFirstRetry) -> AgentSession:
    kubeconfig = server.write_kubeconfig(tmp_path / "kubeconfig")
    settings = load(AgentSettings, {
        "BACKEND_URL": "http://127.0.0.1:9", "SERVICE_TOKEN": "t" * 32, "KUBECONFIG": str(kubeconfig),
        "POD_NAME": "agent-a", "POD_NAMESPACE": NS, "KURE_HEALTH_PORT": "0",
    })  # fmt: skip
    access = KubeAccess(str(kubeconfig), "auto", sleep=sleep)
    assert await access.api() is not None
    clock = Clock()
    elector = LeaseElector(access, NS, "kure-monitor-agent", "agent-a", monotonic=clock.monotonic)
    return AgentSession(settings, access, elector, AgentMetrics(), clock, {})


async def test_a_new_leader_keeps_the_checkpoint_when_the_api_server_refused_its_first_read(
    kube: FakeKubeApi, tmp_path: Path
) -> None:
    sleep = RestartOnFirstRetry(kube)
    session = await _session(kube, tmp_path, sleep)
    try:
        await kube.stop()  # connections are refused from now until the first retry wait
        await session._load_checkpoint()
        assert session.core.checkpoint() == REPORTED  # seeded: these failures are not reported again
        assert len(sleep.waits) == 1  # one refusal, one retry after the path's backoff
    finally:
        await session.kube.close()


async def test_the_checkpoint_write_survives_a_refused_connection(kube: FakeKubeApi, tmp_path: Path) -> None:
    sleep = RestartOnFirstRetry(kube)
    session = await _session(kube, tmp_path, sleep)
    try:
        await session._load_checkpoint()
        session.core.seed(("shop", "new-1"), "uid-new-1", "OOMKilled", "fp-new-1")
        await kube.stop()
        await session._write_checkpoint()  # what SIGTERM does last
    finally:
        await session.kube.close()
    stored = json.loads((kube.get("ConfigMap", NS, CONFIGMAP) or {})["data"]["state.json"])
    assert sorted(stored["pods"]) == ["shop/keep-1", "shop/new-1"]
    assert len(sleep.waits) == 1


async def test_a_log_the_unreachable_api_server_cannot_give_is_reported_as_missing(
    kube: FakeKubeApi, tmp_path: Path
) -> None:
    """The report still goes out, with "(no log: …)" in place of the log, instead of the sender failing."""
    never_back: list[float] = []

    async def wait(delay: float) -> None:
        never_back.append(delay)

    session = await _session(kube, tmp_path, RestartOnFirstRetry(kube))
    await session.kube.close()
    session.kube = KubeAccess(str(tmp_path / "kubeconfig"), "auto", sleep=wait)
    try:
        await kube.stop()
        with pytest.raises(LogReadError, match="unreachable"):
            await session._read_log("shop", "keep-1", "app", previous=False)
        assert len(never_back) == 2  # tried three times: a log read is a read
    finally:
        await session.kube.close()
