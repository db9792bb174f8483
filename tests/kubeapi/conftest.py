"""Fixtures of the real-API-server tier (marker ``kubeapi``): admin access, a fresh namespace per test, the
shipped manifests applied, and components authenticated with real ServiceAccount tokens.

The server has no controller-manager, scheduler or kubelet (docs/services.md says what that means for a test):
nothing creates a namespace's ``default`` ServiceAccount (``new_namespace`` does), namespaces never finish
deleting (every test gets a new one), and pods are deleted with grace period 0.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from app.kube import check_connection
from tests.conftest import service_missing
from tests.graph.conftest import neo4j_driver  # the graph tests' real Neo4j, wiped per test

__all__ = ["neo4j_driver"]

from .cluster import AuditLog, Cluster, admin_kubeconfig, load_documents, write_token_kubeconfig
from .installs import Install, chart_install, render_chart

K8S = Path(__file__).resolve().parents[2] / "docker" / "k8s"
KURE_SYSTEM = "kure-system"
RESTRICTED = {"pod-security.kubernetes.io/enforce": "restricted",
              "pod-security.kubernetes.io/enforce-version": "latest"}


@pytest.fixture
async def cluster() -> AsyncIterator[Cluster]:
    path = admin_kubeconfig()
    if not path.is_file():
        service_missing("Kubernetes API server", f"no admin kubeconfig at {path}")
    connected = await Cluster.connect(path)
    if not await check_connection(connected.api, timeout_seconds=5):
        await connected.close()
        service_missing("Kubernetes API server", f"no answer from {connected.kube.host}")
    yield connected
    await connected.close()


@pytest.fixture
async def namespace(cluster: Cluster) -> AsyncIterator[str]:
    name = await cluster.new_namespace()
    yield name
    await cluster.drop_namespace(name)


@pytest.fixture
async def kure_system(cluster: Cluster) -> str:
    """Every manifest of docker/k8s applied (server-side apply, idempotent): the namespace, the components'
    ServiceAccounts and RBAC, the Deployments (which nothing runs here)."""
    await cluster.apply_manifests(load_documents(*sorted(K8S.glob("*.yaml"))))
    # What the ServiceAccount controller of a real cluster would have created (the databases' pods use it).
    await cluster.apply({"apiVersion": "v1", "kind": "ServiceAccount",
                         "metadata": {"name": "default", "namespace": KURE_SYSTEM}})
    return KURE_SYSTEM


ComponentKubeconfig = Callable[[str], Awaitable[Path]]


@pytest.fixture
def component_kubeconfig(cluster: Cluster, kure_system: str, tmp_path: Path) -> ComponentKubeconfig:
    """``await component_kubeconfig("kure-monitor-agent")`` → a kubeconfig holding a fresh token of that
    ServiceAccount of docker/k8s (TokenRequest API), as its projected token volume would."""

    async def make(service_account: str) -> Path:
        token = await cluster.token(kure_system, service_account)
        return write_token_kubeconfig(tmp_path / f"kubeconfig-{service_account}", token, user=service_account)

    return make


@pytest.fixture
def audit() -> AuditLog:
    """The API server's audit log from the start of the test on."""
    log = AuditLog()
    log.mark()
    return log


@pytest.fixture
async def chart(cluster: Cluster) -> AsyncIterator[tuple[Install, list[dict[str, Any]]]]:
    """The chart rendered for a release of its own in a fresh restricted namespace, applied with a server-side
    dry run, then for real."""
    release = f"kt{uuid.uuid4().hex[:6]}"
    namespace = await cluster.new_namespace("kt-chart", labels=RESTRICTED)
    documents = render_chart(release, namespace)
    dry = await cluster.apply_manifests(documents, dry_run=True)
    assert len(dry) == len(documents)
    assert await cluster.get("Deployment", namespace, f"{release}-kure-monitor-backend") is None  # dry: nothing
    applied = await cluster.apply_manifests(documents)
    assert len(applied) == len(documents)
    yield chart_install(release, namespace), documents
    await cluster.drop_namespace(namespace)
    for doc in documents:
        if doc["kind"] in ("ClusterRole", "ClusterRoleBinding"):
            await cluster.delete(doc["kind"], None, doc["metadata"]["name"])
