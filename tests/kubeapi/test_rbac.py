"""The RBAC of both installs — docker/k8s's manifests and the Helm chart — proven by the API server, not by
reading YAML: they apply (server-side dry run and for real), their pods are admitted in a PodSecurity-restricted
namespace, each component's ServiceAccount is allowed exactly what its code does and never a Secret. The
components' own tests (graph, agent, scanner, logs, test_helm) also check in the audit log that every request they
made was allowed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.kube import KubeApiError, create_api_client, load_kube_config, request_json
from app.kube.objects import pod_template

from .cluster import Cluster, load_documents, service_account_user, write_token_kubeconfig
from .conftest import K8S
from .installs import MANIFESTS, Install

pytestmark = pytest.mark.kubeapi

@pytest.fixture(params=["manifests", "chart"])
def install(request: pytest.FixtureRequest) -> tuple[Install, list[dict[str, Any]]]:
    """Each test runs against both installs (a plain fixture: it picks one of two asynchronous ones)."""
    if request.param == "manifests":
        request.getfixturevalue("kure_system")
        return MANIFESTS, load_documents(*sorted(K8S.glob("*.yaml")))
    result: tuple[Install, list[dict[str, Any]]] = request.getfixturevalue("chart")
    return result


async def _allowed(cluster: Cluster, install: Install, account: str, need: tuple[Any, ...]) -> bool:
    verb, group, resource, name, namespace = need
    resource, _, subresource = resource.partition("/")
    return await cluster.allowed(service_account_user(install.namespace, account), verb, resource, group=group,
                                 namespace=namespace, name=name, subresource=subresource or None)


async def test_manifests_apply_with_a_server_side_dry_run_and_for_real(cluster: Cluster, kure_system: str) -> None:
    documents = load_documents(*sorted(K8S.glob("*.yaml")))
    dry = await cluster.apply_manifests(documents, dry_run=True)
    applied = await cluster.apply_manifests(documents)
    assert len(dry) == len(applied) == len(documents)
    kinds = {obj["kind"] for obj in applied}
    assert {"Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
            "Deployment", "StatefulSet", "Service", "NetworkPolicy", "ConfigMap", "Secret"} <= kinds  # fmt: skip


async def test_every_pod_is_admitted_in_a_restricted_namespace(
    cluster: Cluster, install: tuple[Install, list[dict[str, Any]]]
) -> None:
    target, documents = install
    namespace = await cluster.get("Namespace", None, target.namespace)
    assert namespace is not None
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    if target is MANIFESTS:
        # What the ServiceAccount controller of a real cluster would have created (the databases' pods use it).
        await cluster.apply({"apiVersion": "v1", "kind": "ServiceAccount",
                             "metadata": {"name": "default", "namespace": target.namespace}})
    workloads = [d for d in documents if d["kind"] in ("Deployment", "StatefulSet")]
    assert len(workloads) == 5
    for workload in workloads:
        template_meta, template_spec = pod_template(workload, workload["kind"])
        spec: dict[str, Any] = dict(template_spec)
        for claim in workload["spec"].get("volumeClaimTemplates") or []:  # what the StatefulSet controller adds
            name = claim["metadata"]["name"]
            spec["volumes"] = [*spec.get("volumes", []), {"name": name, "persistentVolumeClaim": {
                "claimName": f"{name}-{workload['metadata']['name']}-0"}}]
        pod = {"apiVersion": "v1", "kind": "Pod", "spec": spec,
               "metadata": {"name": f"{workload['metadata']['name']}-check", "namespace": target.namespace,
                            "labels": template_meta.get("labels", {})}}  # fmt: skip
        # Admission runs in full on a dry run: PodSecurity refuses a pod that is not restricted-compliant.
        await cluster.create(pod, dry_run=True)
    plain = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "not-restricted", "namespace": target.namespace},
             "spec": {"containers": [{"name": "c", "image": "busybox"}]}}  # fmt: skip
    with pytest.raises(KubeApiError) as refused:
        await cluster.create(plain, dry_run=True)
    assert refused.value.status == 403 and 'violates PodSecurity "restricted:latest"' in refused.value.message


@pytest.mark.parametrize("component", ["backend", "agent", "scanner"])
async def test_each_component_may_do_what_its_code_does_and_nothing_more(
    cluster: Cluster, install: tuple[Install, list[dict[str, Any]]], component: str
) -> None:
    target, _ = install
    account = getattr(target, component)
    missing = [need for need in target.needs(account) if not await _allowed(cluster, target, account, need)]
    assert missing == []
    excess = [need for need in target.refused(account) if await _allowed(cluster, target, account, need)]
    assert excess == []


@pytest.mark.parametrize("component", ["backend", "agent", "scanner"])
async def test_reading_a_secret_with_the_component_token_is_forbidden(
    cluster: Cluster, install: tuple[Install, list[dict[str, Any]]], component: str, tmp_path: Path
) -> None:
    target, documents = install
    account = getattr(target, component)
    secret = next(d["metadata"]["name"] for d in documents if d["kind"] == "Secret")
    token = await cluster.token(target.namespace, account)
    kube = await load_kube_config(str(write_token_kubeconfig(tmp_path / "kubeconfig", token)))
    assert kube is not None
    api = create_api_client(kube)
    try:
        for path in ("/api/v1/secrets", f"/api/v1/namespaces/{target.namespace}/secrets",
                     f"/api/v1/namespaces/{target.namespace}/secrets/{secret}"):
            with pytest.raises(KubeApiError) as denied:
                await request_json(api, "GET", path)
            assert denied.value.status == 403, path
            assert f'User "{service_account_user(target.namespace, account)}" cannot' in denied.value.message
    finally:
        await api.close()
