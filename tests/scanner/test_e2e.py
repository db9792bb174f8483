"""The scanner end to end: fake Kubernetes API server + fake backend, real HTTP on loopback
(the behaviour scenarios of docs/agent-scanner.md#test-fixtures)."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from app.incluster.settings import load
from app.scanner.main import run_scanner
from app.scanner.settings import ScannerSettings
from app.simulator.kubeapi.server import FakeKubeApi
from tests.agent.fake_backend import FakeBackend, Request
from tests.agent.rbac import allowed, rules_of

from .fixtures import load as load_fixture

pytestmark = pytest.mark.e2e

NS = "kure"
DEPLOY = "/api/security/findings/resource/Deployment/test-security/insecure-nginx"


def _set_status(obj: dict[str, Any], **fields: Any) -> None:
    obj.setdefault("status", {}).update(fields)


@pytest.fixture
async def kube() -> AsyncIterator[FakeKubeApi]:
    server = FakeKubeApi(bookmark_interval=0.5)
    await server.start()
    server.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS, "labels": {
        "pod-security.kubernetes.io/enforce": "restricted"}}})  # fmt: skip
    server.apply({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                  "metadata": {"name": "deny", "namespace": NS}, "spec": {"podSelector": {}}})  # fmt: skip
    # A hardened namespace: default limits and a quota, so the namespace checks find nothing here.
    server.apply({"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "defaults", "namespace": NS},
                  "spec": {"limits": [{"type": "Container", "default": {"cpu": "500m", "memory": "256Mi"},
                                       "defaultRequest": {"cpu": "100m", "memory": "128Mi"}}]}})  # fmt: skip
    server.apply({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "quota", "namespace": NS},
                  "spec": {"hard": {"pods": "20"}}})  # fmt: skip
    yield server
    await server.stop()


@pytest.fixture
async def backend() -> AsyncIterator[FakeBackend]:
    fake = FakeBackend()
    await fake.start()
    yield fake
    await fake.stop()


def _settings(kube: FakeKubeApi, backend: FakeBackend, tmp_path: Path, **extra: str) -> ScannerSettings:
    config = kube.write_kubeconfig(tmp_path / "kubeconfig")
    env = {
        "BACKEND_URL": backend.url,
        "SERVICE_TOKEN": backend.token,
        "KUBECONFIG": str(config),
        "POD_NAME": "scanner-a",
        "POD_NAMESPACE": NS,
        "KURE_HEALTH_PORT": "0",
        "KURE_LEASE_DURATION_SECONDS": "3",
        "KURE_LEASE_RENEW_DEADLINE_SECONDS": "2",
        "KURE_LEASE_RETRY_SECONDS": "1",
        "KURE_SCANNER_DEBOUNCE_SECONDS": "1",
        "KURE_SCANNER_DEBOUNCE_MAX_SECONDS": "2",
        "KURE_BACKEND_RETRY_MAX_SECONDS": "1",
        **extra,
    }
    return load(ScannerSettings, env)


@contextlib.asynccontextmanager
async def _scanner(settings: ScannerSettings) -> AsyncIterator[dict[str, Any]]:
    stop = asyncio.Event()
    state: dict[str, Any] = {}
    task = asyncio.ensure_future(run_scanner(settings, stop, health_host="127.0.0.1", state=state))
    try:
        yield state
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


def _seed(kube: FakeKubeApi, name: str) -> list[dict[str, Any]]:
    from app.simulator.kubeapi.resources import BY_KIND

    docs, _ = load_fixture(name)
    for obj in docs:
        if obj["kind"] in BY_KIND:  # only Kubernetes kinds (fixtures may carry test-only documents)
            kube.apply(copy.deepcopy(obj))
    return docs


def _statuses(backend: FakeBackend) -> list[tuple[str, str]]:
    return [(r.body["status"], r.body["reason"]) for r in backend.posts("/api/security/rescan-status")]


def _completed(backend: FakeBackend, count: int = 1) -> bool:
    return sum(1 for s, _ in _statuses(backend) if s == "completed") >= count


def _findings(requests: list[Request], resource: str) -> list[str]:
    return sorted(
        r.body["check_name"]
        for r in requests
        if r.path == "/api/security/findings" and r.method == "POST" and r.body["resource_name"] == resource
    )


async def _quiet(state: dict[str, Any]) -> None:
    """Wait until the scanner has no dirty resource left (debounce included)."""
    session = state["session"]
    await asyncio.sleep(0.2)
    while session.dirty or not session.idle.is_set():
        await session.idle.wait()
        await asyncio.sleep(0.05)  # let a debounce that is just starting mark the session busy again


async def test_full_scan_then_incremental_changes(kube: FakeKubeApi, backend: FakeBackend, tmp_path: Path) -> None:
    _seed(kube, "insecure-nginx")
    async with _scanner(_settings(kube, backend, tmp_path)) as state:
        await backend.wait_for(lambda: _completed(backend))
        paths = [r.path for r in backend.requests]
        assert paths[0] == "/api/security/rescan-status"
        assert paths[1] == "/api/security/scan/clear"
        assert paths[-1] == "/api/security/rescan-status"
        await backend.wait_for(lambda: bool(backend.posts("/api/metrics/security-scan-duration")))
        assert _statuses(backend) == [("started", "startup"), ("completed", "startup")]
        deployment = _findings(backend.requests, "insecure-nginx")
        assert "privileged_container" in deployment
        assert "untrusted_registry" in deployment
        # Every kind the scanner needs is served (LimitRange included), so the resource checks run too.
        _, expect = load_fixture("insecure-nginx")
        assert set(deployment) == set(expect["objects"]["Deployment/test-security/insecure-nginx"])
        assert _findings(backend.requests, "wildcard-permissions") == ["rbac_cluster_admin_equivalent"]
        assert _findings(backend.requests, NS) == []
        assert len(deployment) == len(set(deployment))
        post = next(
            r for r in backend.posts("/api/security/findings") if r.body["check_name"] == "privileged_container"
        )
        assert post.body["namespace"] == "test-security"
        assert post.body["manifest"].startswith("apiVersion: apps/v1\nkind: Deployment\n")
        await _quiet(state)

        # B7: status-only churn costs nothing.
        before = len(backend.requests)
        for i in range(20):
            kube.modify("Deployment", "test-security", "insecure-nginx",
                        functools.partial(_set_status, observedGeneration=i))
        await asyncio.sleep(1.5)
        await _quiet(state)
        assert backend.requests[before:] == []

        # B8: an unrelated spec edit only re-posts (a DELETE would undo dismissals on the backend).
        kube.modify("Deployment", "test-security", "insecure-nginx",
                    lambda o: o["spec"]["template"]["metadata"]["labels"].update(team="web"))  # fmt: skip
        await backend.wait_for(lambda: len(backend.requests) > before)
        await _quiet(state)
        edit = backend.requests[before:]
        assert {r.method for r in edit} == {"POST"}
        assert _findings(edit, "insecure-nginx") == deployment
        before = len(backend.requests)

        # B9: a partial fix deletes exactly the fixed finding, then re-posts the others with the new manifest.
        def unprivilege(obj: dict[str, Any]) -> None:
            obj["spec"]["template"]["spec"]["containers"][0]["securityContext"].pop("privileged")

        kube.modify("Deployment", "test-security", "insecure-nginx", unprivilege)
        await backend.wait_for(lambda: any(r.method == "DELETE" for r in backend.requests[before:]))
        await _quiet(state)
        tail = backend.requests[before:]
        assert tail[0].method == "DELETE"
        assert tail[0].path == DEPLOY
        assert tail[0].query == {"check_name": "privileged_container"}
        assert "privileged_container" not in _findings(tail, "insecure-nginx")
        assert len(_findings(tail, "insecure-nginx")) == len(deployment) - 1

        # B4 (scanner half): a deleted resource gets one DELETE for all its findings.
        before = len(backend.requests)
        kube.delete("Service", "test-security", "insecure-service")
        await backend.wait_for(lambda: any(r.method == "DELETE" for r in backend.requests[before:]))
        await _quiet(state)
        deletes = [r for r in backend.requests[before:] if r.method == "DELETE"]
        assert [(d.path, d.query) for d in deletes] == [
            ("/api/security/findings/resource/Service/test-security/insecure-service", {})
        ]
    # docs/agent-scanner.md#verifying-rbac: every request the scanner made is allowed by docker/k8s/scanner.yaml.
    rules = rules_of("scanner.yaml")
    assert [(m, p) for m, p in kube.request_log if not allowed(rules, m, p)] == []


async def test_rescan_request_and_trusted_registry_change(
    kube: FakeKubeApi, backend: FakeBackend, tmp_path: Path
) -> None:
    _seed(kube, "untrusted-registry")
    async with _scanner(_settings(kube, backend, tmp_path)) as state:
        await backend.wait_for(lambda: _completed(backend))
        await _quiet(state)
        assert "untrusted_registry" in _findings(backend.requests, "evil-app")
        before = len(backend.requests)
        await backend.broadcast("security_rescan_request", {"requested_by": "admin"})
        await backend.wait_for(lambda: _completed(backend, 2))
        await backend.wait_for(lambda: len(backend.posts("/api/metrics/security-scan-duration")) == 2)
        tail = [r.path for r in backend.requests[before:]]
        assert tail[:2] == ["/api/security/rescan-status", "/api/security/scan/clear"]
        assert tail[-2:] == ["/api/security/rescan-status", "/api/metrics/security-scan-duration"]
        assert _statuses(backend)[-2:] == [("started", "manual"), ("completed", "manual")]

        # B10: trusting the registry path means the finding is not posted again.
        before = len(backend.requests)
        backend.trusted_registries = ["evil.example.com:5000/team"]
        await backend.broadcast(
            "trusted_registry_change", {"registry": "evil.example.com:5000/team", "action": "added"}
        )
        await backend.wait_for(lambda: _completed(backend, 3))
        await _quiet(state)
        recent = backend.requests[before:]
        assert _statuses(backend)[-2:] == [
            ("started", "trusted_registry_change"),
            ("completed", "trusted_registry_change"),
        ]
        assert "untrusted_registry" not in _findings(recent, "evil-app")
        assert not any(r.path == "/api/security/scan/clear" or r.method == "DELETE" for r in recent)


async def test_excluded_namespace_is_skipped_and_included_again(
    kube: FakeKubeApi, backend: FakeBackend, tmp_path: Path
) -> None:
    backend.excluded_namespaces = ["test-security"]
    _seed(kube, "insecure-nginx")
    async with _scanner(_settings(kube, backend, tmp_path)) as state:
        await backend.wait_for(lambda: _completed(backend))
        await _quiet(state)
        assert _findings(backend.requests, "insecure-nginx") == []
        assert _findings(backend.requests, "wildcard-permissions") == ["rbac_cluster_admin_equivalent"]
        backend.excluded_namespaces = []
        await backend.broadcast("namespace_exclusion", {"namespace": "test-security", "action": "included"})
        await backend.wait_for(lambda: _completed(backend, 2))
        assert _statuses(backend)[-2:] == [("started", "namespace_included"), ("completed", "namespace_included")]
        assert "privileged_container" in _findings(backend.requests, "insecure-nginx")
        async with aiohttp.ClientSession() as http:
            base = f"http://127.0.0.1:{state['health_port']}"
            async with http.get(base + "/healthz") as response:
                assert response.status == 200
            async with http.get(base + "/readyz") as response:
                assert response.status == 200
            async with http.get(base + "/metrics") as response:
                text = await response.text()
        assert "kure_scanner_leader 1.0" in text
        assert 'kure_scanner_full_scans_total{outcome="completed",reason="startup"} 1.0' in text


async def test_lasting_token_rejection_fails_the_scan_and_readiness(
    kube: FakeKubeApi, backend: FakeBackend, tmp_path: Path
) -> None:
    _seed(kube, "privileged-ns")
    settings = _settings(kube, backend, tmp_path, KURE_SCANNER_SCAN_ABORT_SECONDS="2")
    async with _scanner(settings) as state:
        await backend.wait_for(lambda: _completed(backend))
        backend.token = "rotated-token-on-the-backend"
        await backend.broadcast("security_rescan_request", {"requested_by": "admin"})
        metrics = state["metrics"]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 20
        failed = 0.0
        while loop.time() < deadline:
            failed = (
                metrics.registry.get_sample_value(
                    "kure_scanner_full_scans_total", {"reason": "manual", "outcome": "failed"}
                )
                or 0.0
            )
            if failed:
                break
            await asyncio.sleep(0.2)
        assert failed == 1.0
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{state['health_port']}/readyz") as response,
        ):
            assert response.status == 503
    assert _statuses(backend) == [("started", "startup"), ("completed", "startup")]


async def test_forbidden_kind_does_not_fail_the_scan(kube: FakeKubeApi, backend: FakeBackend, tmp_path: Path) -> None:
    """B11: ConfigMaps forbidden: the scan completes, the kind is reported unavailable, other checks run."""
    _seed(kube, "configmaps")
    _seed(kube, "services")
    kube.forbid("ConfigMap")
    async with _scanner(_settings(kube, backend, tmp_path)) as state:
        await backend.wait_for(lambda: _completed(backend))
        metrics = state["metrics"]
        assert metrics.registry.get_sample_value("kure_scanner_kind_available", {"kind": "ConfigMap"}) == 0.0
        assert metrics.registry.get_sample_value("kure_scanner_kind_available", {"kind": "Service"}) == 1.0
    assert _findings(backend.requests, "app-config") == []
    assert _findings(backend.requests, "ext-ips") == ["service_external_ips"]
