"""The Helm chart (docker/helm/kure-monitor): `helm lint` and `helm template` with helm built from the Go module
proxy by scripts/services.py, and the rendered chart on the real API server — applied (the ``chart`` fixture:
server-side dry run, then for real), its RBAC proven in test_rbac.py, and here the three components running with
the chart's ServiceAccount tokens and settings, every request of theirs allowed."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from neo4j import AsyncDriver

from app.agent.main import run_agent
from app.incluster.settings import AgentSettings, ScannerSettings, load
from app.kube import load_kube_config
from app.scanner.main import run_scanner
from graph.sync import GraphWatcher
from tests.agent.fake_backend import FakeBackend
from tests.graph.conftest import RunningWatcher, fast_options

from .cluster import AuditLog, Cluster, eventually, service_account_user, write_token_kubeconfig
from .installs import CHART, Install, helm, render_chart

pytestmark = pytest.mark.kubeapi

def test_chart_lints_and_renders_every_variant() -> None:
    assert "0 chart(s) failed" in helm("lint", "--strict", str(CHART))
    kinds = sorted(doc["kind"] for doc in render_chart("kure", "kure"))
    assert kinds.count("Deployment") == 3 and kinds.count("StatefulSet") == 2 and kinds.count("Secret") == 1
    external = render_chart("kure", "kure", "mongodb.bundled=false", "mongodb.uri=mongodb://db.example:27017",
                            "neo4j.bundled=false", "neo4j.uri=bolt://graph.example:7687", "neo4j.password=pw",
                            "secrets.existingSecret=mine", "agent.enabled=false", "backend.replicas=3")
    assert sorted(doc["kind"] for doc in external if doc["kind"] in ("StatefulSet", "Secret", "Deployment")) == [
        "Deployment", "Deployment"]  # backend and scanner; no databases, no Secret of its own
    backend = next(d for d in external if d["kind"] == "Deployment" and d["metadata"]["name"].endswith("backend"))
    assert backend["spec"]["replicas"] == 3
    env = {e["name"]: e for e in backend["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["NEO4J_URI"]["value"] == "bolt://graph.example:7687"
    assert env["MONGODB_URI"]["valueFrom"]["secretKeyRef"]["name"] == "mine"



def _env_of(documents: list[dict[str, Any]], component: str) -> dict[str, str]:
    """The plain ``value`` environment variables the chart gives a component's container."""
    deployment = next(d for d in documents if d["kind"] == "Deployment" and d["metadata"]["name"].endswith(component))
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    return {e["name"]: str(e["value"]) for e in container["env"] if "value" in e}


async def test_components_run_with_the_chart_service_accounts(
    cluster: Cluster, chart: tuple[Install, list[dict[str, Any]]], neo4j_driver: AsyncDriver, audit: AuditLog,
    tmp_path: Path,
) -> None:
    install, documents = chart
    kubeconfigs = {}
    for account in install.accounts:
        token = await cluster.token(install.namespace, account)
        kubeconfigs[account] = write_token_kubeconfig(tmp_path / f"kubeconfig-{account}", token)
    backend = await FakeBackend().start()
    stop = asyncio.Event()
    common = {"BACKEND_URL": backend.url, "SERVICE_TOKEN": backend.token, "POD_NAMESPACE": install.namespace,
              "KURE_HEALTH_PORT": "0", "KURE_LEASE_DURATION_SECONDS": "3", "KURE_LEASE_RENEW_DEADLINE_SECONDS": "2",
              "KURE_LEASE_RETRY_SECONDS": "1", "KURE_BACKEND_RETRY_MAX_SECONDS": "1"}  # fmt: skip
    agent_env = {k: v for k, v in _env_of(documents, "agent").items() if k.startswith("KURE_")}
    scanner_env = {k: v for k, v in _env_of(documents, "scanner").items() if k.startswith("KURE_")}
    agent = load(AgentSettings, {**common, **agent_env, "POD_NAME": "agent-0",
                                 "KUBECONFIG": str(kubeconfigs[install.agent])})
    scanner = load(ScannerSettings, {**common, **scanner_env, "POD_NAME": "scanner-0",
                                     "KUBECONFIG": str(kubeconfigs[install.scanner])})
    assert (agent.kure_lease_name, agent.kure_agent_state_configmap) == (install.agent, install.checkpoint)
    kube = await load_kube_config(str(kubeconfigs[install.backend]))
    assert kube is not None
    watcher = GraphWatcher(neo4j_driver, kube, options=fast_options(page_size=100))
    tasks = [asyncio.ensure_future(run_agent(agent, stop, health_host="127.0.0.1")),
             asyncio.ensure_future(run_scanner(scanner, stop, health_host="127.0.0.1", state={}))]
    running = RunningWatcher(watcher, asyncio.create_task(watcher.run()))
    try:
        await running.settle()
        await eventually(lambda: cluster.get("ConfigMap", install.namespace, install.checkpoint))
        await backend.wait_for(lambda: any(r.body["status"] == "completed"
                                           for r in backend.posts("/api/security/rescan-status")), limit=60)
        lease = await cluster.get("Lease", install.namespace, install.agent)
        assert lease is not None and lease["spec"]["holderIdentity"] == "agent-0"
    finally:
        stop.set()
        running.task.cancel()
        await asyncio.gather(*tasks, running.task, return_exceptions=True)
        await backend.stop()
    for account in install.accounts:
        entries = audit.entries(service_account_user(install.namespace, account))
        assert entries, account
        assert [e for e in entries if e.forbidden] == [], account
