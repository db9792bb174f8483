"""The security scanner against the real API server with docker/k8s's kure-monitor-scanner ServiceAccount token:
findings on real objects (as the server stored them, defaults included), none on the server's own bootstrap RBAC
(cluster-admin, admin/edit/view, the system: roles), and every request allowed."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from app.incluster.settings import ScannerSettings, load
from app.scanner.main import run_scanner
from tests.agent.fake_backend import FakeBackend
from tests.scanner.fixtures import load as load_scanner_fixture

from .cluster import AuditLog, Cluster, service_account_user
from .conftest import KURE_SYSTEM, ComponentKubeconfig
from .fixtures import load_objects

pytestmark = pytest.mark.kubeapi

SCANNER = "kure-monitor-scanner"


@pytest.fixture
async def backend() -> AsyncIterator[FakeBackend]:
    fake = FakeBackend()
    await fake.start()
    yield fake
    await fake.stop()


@contextlib.asynccontextmanager
async def _scanner(kubeconfig: Path, backend: FakeBackend) -> AsyncIterator[None]:
    settings = load(ScannerSettings, {
        "BACKEND_URL": backend.url,
        "SERVICE_TOKEN": backend.token,
        "KUBECONFIG": str(kubeconfig),
        "POD_NAME": f"scanner-{uuid.uuid4().hex[:4]}",
        "POD_NAMESPACE": KURE_SYSTEM,
        "KURE_HEALTH_PORT": "0",
        "KURE_LEASE_DURATION_SECONDS": "3",
        "KURE_LEASE_RENEW_DEADLINE_SECONDS": "2",
        "KURE_LEASE_RETRY_SECONDS": "1",
        "KURE_SCANNER_DEBOUNCE_SECONDS": "1",
        "KURE_SCANNER_DEBOUNCE_MAX_SECONDS": "2",
        "KURE_BACKEND_RETRY_MAX_SECONDS": "1",
    })
    stop = asyncio.Event()
    task = asyncio.ensure_future(run_scanner(settings, stop, health_host="127.0.0.1", state={}))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)


def _findings(backend: FakeBackend) -> dict[str, set[str]]:
    """``Kind/namespace/name`` → its posted check names."""
    found: dict[str, set[str]] = {}
    for request in backend.posts("/api/security/findings"):
        body: dict[str, Any] = request.body
        # A Namespace's findings carry its own name as their namespace; key it like the fixtures do.
        namespace = "" if body["resource_type"] == "Namespace" else body.get("namespace") or ""
        key = f"{body['resource_type']}/{namespace}/{body['resource_name']}"
        found.setdefault(key, set()).add(body["check_name"])
    return found


def _completed(backend: FakeBackend) -> bool:
    return any(r.body["status"] == "completed" for r in backend.posts("/api/security/rescan-status"))


async def test_full_scan_of_real_objects_and_bootstrap_rbac(
    cluster: Cluster, backend: FakeBackend, component_kubeconfig: ComponentKubeconfig, audit: AuditLog,
) -> None:
    docs, expect = load_scanner_fixture("insecure-nginx")
    suffix = uuid.uuid4().hex[:6]
    renamer, _ = await load_objects(cluster, docs, suffix)
    namespace = renamer.namespace("test-security")
    bootstrap = {f"{kind}//{o['metadata']['name']}" for kind in ("ClusterRole", "ClusterRoleBinding")
                 for o in await cluster.items(kind, label_selector="kubernetes.io/bootstrapping=rbac-defaults")}
    assert {"ClusterRole//cluster-admin", "ClusterRole//admin", "ClusterRole//system:node"} <= bootstrap
    async with _scanner(await component_kubeconfig(SCANNER), backend):
        await backend.wait_for(lambda: _completed(backend), limit=60)
    found = _findings(backend)
    try:
        # The same checks as on the fixture universe, now on what the API server stored (defaults included).
        wanted = {key.replace("/test-security/", f"/{namespace}/").replace("//test-security", f"//{namespace}")
                  .replace("wildcard-permissions", f"wildcard-permissions-{suffix}"): set(checks)
                  for key, checks in expect["objects"].items()}
        got = {key: found.get(key, set()) for key in wanted}
        assert got == wanted
        # The server's own RBAC: cluster-admin is as powerful as the fixture's wildcard role, yet default RBAC
        # is the platform's, not a misconfiguration, and is never reported.
        assert {key for key in found if key in bootstrap} == set()
        assert any(key.startswith("ClusterRole//system:") for key in bootstrap)
        # Kure's own manifests (docker/k8s, applied by the fixture) hold up to its own scanner: nothing severe.
        severe = {(r.body["resource_name"], r.body["check_name"]) for r in backend.posts("/api/security/findings")
                  if r.body.get("namespace") == KURE_SYSTEM and r.body["severity"] in ("critical", "high")}
        assert severe == set()
    finally:
        await cluster.drop_namespace(namespace)
        for kind, name in renamer.cluster_names:
            await cluster.delete(kind, None, renamer.cluster(kind, name))
    entries = audit.entries(service_account_user(KURE_SYSTEM, SCANNER))
    assert entries and [e for e in entries if e.forbidden] == []
