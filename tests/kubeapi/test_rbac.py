"""The RBAC of docker/k8s proven by the API server, not by reading YAML: the manifests apply (dry run and for
real), their pods are admitted in the PodSecurity-restricted ``kure-system``, each component's ServiceAccount is
allowed exactly what its code does and never a Secret. The components' own tests (graph, agent, scanner, logs)
additionally check in the audit log that every request they made was allowed."""

from __future__ import annotations

import pytest

from app.kube import KubeApiError, create_api_client, load_kube_config, request_json
from app.kube.objects import pod_template

from .cluster import Cluster, load_documents, service_account_user
from .conftest import K8S, KURE_SYSTEM, ComponentKubeconfig

pytestmark = pytest.mark.kubeapi

BACKEND, AGENT, SCANNER = "kure-backend", "kure-monitor-agent", "kure-monitor-scanner"
# (verb, group, resource[/subresource], name or None, namespace or None) that each component's code uses.
Need = tuple[str, str, str, str | None, str | None]
GRAPH_KINDS = [("", r) for r in ("namespaces", "nodes", "pods", "services", "configmaps", "persistentvolumeclaims",
                                  "serviceaccounts")] + \
              [("apps", r) for r in ("deployments", "replicasets", "statefulsets", "daemonsets")] + \
              [("batch", "jobs"), ("batch", "cronjobs"), ("discovery.k8s.io", "endpointslices"),
               ("networking.k8s.io", "ingresses"), ("networking.k8s.io", "networkpolicies"),
               ("autoscaling", "horizontalpodautoscalers")] + \
              [("rbac.authorization.k8s.io", r) for r in ("roles", "clusterroles", "rolebindings",
                                                           "clusterrolebindings")]  # fmt: skip
NEEDS: dict[str, list[Need]] = {
    # graph watcher (list, watch), manifest route (get), logs, mirror pods and their events
    BACKEND: [(verb, group, resource, None, None) for group, resource in GRAPH_KINDS for verb in ("list", "watch")]
    + [("get", "apps", "deployments", None, "shop"), ("get", "", "pods", None, "shop"),
       ("get", "", "pods/log", None, "shop"), ("create", "", "pods", None, "shop"),
       ("delete", "", "pods", None, "shop"), ("list", "", "events", None, "shop")],
    AGENT: [("list", "", "pods", None, None), ("watch", "", "pods", None, None), ("get", "", "pods/log", None, "shop"),
            ("list", "", "events", None, None), ("watch", "", "events", None, None),
            ("create", "coordination.k8s.io", "leases", None, KURE_SYSTEM),
            ("get", "coordination.k8s.io", "leases", "kure-monitor-agent", KURE_SYSTEM),
            ("update", "coordination.k8s.io", "leases", "kure-monitor-agent", KURE_SYSTEM),
            ("create", "", "configmaps", None, KURE_SYSTEM),
            ("get", "", "configmaps", "kure-monitor-agent-state", KURE_SYSTEM),
            ("update", "", "configmaps", "kure-monitor-agent-state", KURE_SYSTEM)],
    SCANNER: [(verb, group, resource, None, None) for verb in ("list", "watch") for group, resource in [
        ("", "namespaces"), ("", "pods"), ("", "services"), ("", "serviceaccounts"), ("", "configmaps"),
        ("", "resourcequotas"), ("", "limitranges"), ("", "persistentvolumes"), ("apps", "deployments"),
        ("apps", "replicasets"), ("apps", "statefulsets"), ("apps", "daemonsets"), ("batch", "jobs"),
        ("batch", "cronjobs"), ("networking.k8s.io", "ingresses"), ("networking.k8s.io", "networkpolicies"),
        ("policy", "poddisruptionbudgets"), ("rbac.authorization.k8s.io", "roles"),
        ("rbac.authorization.k8s.io", "rolebindings"), ("rbac.authorization.k8s.io", "clusterroles"),
        ("rbac.authorization.k8s.io", "clusterrolebindings")]]
    + [("create", "coordination.k8s.io", "leases", None, KURE_SYSTEM),
       ("get", "coordination.k8s.io", "leases", "kure-monitor-scanner", KURE_SYSTEM),
       ("update", "coordination.k8s.io", "leases", "kure-monitor-scanner", KURE_SYSTEM)],
}
#: What none of them may do: read a Secret anywhere (in its own namespace too), or more than it needs.
SECRETS: list[Need] = [(verb, "", "secrets", None, namespace) for verb in ("get", "list", "watch")
                       for namespace in (None, KURE_SYSTEM, "shop")] + \
                      [("get", "", "secrets", "kure-monitor-secrets", KURE_SYSTEM)]  # fmt: skip
BEYOND: dict[str, list[Need]] = {
    BACKEND: [("update", "", "pods", None, "shop"), ("create", "apps", "deployments", None, "shop"),
              ("create", "", "pods/exec", None, "shop"),
              ("update", "coordination.k8s.io", "leases", None, KURE_SYSTEM)],
    AGENT: [("delete", "", "pods", None, "shop"), ("update", "", "configmaps", "another", KURE_SYSTEM),
            ("update", "coordination.k8s.io", "leases", "kure-monitor-scanner", KURE_SYSTEM),
            ("create", "", "configmaps", None, "shop")],
    SCANNER: [("get", "", "pods/log", None, "shop"), ("create", "", "pods", None, "shop"),
              ("update", "coordination.k8s.io", "leases", "kure-monitor-agent", KURE_SYSTEM)],
}


async def _allowed(cluster: Cluster, account: str, need: Need) -> bool:
    verb, group, resource, name, namespace = need
    resource, _, subresource = resource.partition("/")
    return await cluster.allowed(service_account_user(KURE_SYSTEM, account), verb, resource, group=group,
                                 namespace=namespace, name=name, subresource=subresource or None)


async def test_manifests_apply_with_a_server_side_dry_run_and_for_real(cluster: Cluster, kure_system: str) -> None:
    documents = load_documents(*sorted(K8S.glob("*.yaml")))
    dry = await cluster.apply_manifests(documents, dry_run=True)
    applied = await cluster.apply_manifests(documents)
    assert len(dry) == len(applied) == len(documents)
    kinds = {obj["kind"] for obj in applied}
    assert {"Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
            "Deployment", "StatefulSet", "Service", "NetworkPolicy", "ConfigMap", "Secret"} <= kinds  # fmt: skip


async def test_every_pod_of_the_manifests_is_admitted_in_the_restricted_namespace(
    cluster: Cluster, kure_system: str
) -> None:
    namespace = await cluster.get("Namespace", None, kure_system)
    assert namespace is not None
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    workloads = [d for d in load_documents(*sorted(K8S.glob("*.yaml"))) if d["kind"] in ("Deployment", "StatefulSet")]
    assert len(workloads) == 5
    for workload in workloads:
        template, spec = pod_template(workload, workload["kind"])
        assert template is not None and spec is not None
        spec = dict(spec)
        for claim in workload["spec"].get("volumeClaimTemplates") or []:  # what the StatefulSet controller adds
            name = claim["metadata"]["name"]
            spec["volumes"] = [*spec.get("volumes", []), {"name": name, "persistentVolumeClaim": {
                "claimName": f"{name}-{workload['metadata']['name']}-0"}}]
        pod = {"apiVersion": "v1", "kind": "Pod", "spec": spec,
               "metadata": {"name": f"{workload['metadata']['name']}-check", "namespace": kure_system,
                            "labels": template.get("metadata", {}).get("labels", {})}}  # fmt: skip
        # Admission runs in full on a dry run: PodSecurity would refuse a pod that is not restricted-compliant.
        await cluster.create(pod, dry_run=True)
    privileged = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "not-restricted", "namespace": kure_system},
                  "spec": {"containers": [{"name": "c", "image": "busybox"}]}}  # fmt: skip
    with pytest.raises(KubeApiError) as refused:
        await cluster.create(privileged, dry_run=True)
    assert refused.value.status == 403 and 'violates PodSecurity "restricted:latest"' in refused.value.message


@pytest.mark.parametrize("account", [BACKEND, AGENT, SCANNER])
async def test_each_component_may_do_what_its_code_does_and_nothing_more(
    cluster: Cluster, kure_system: str, account: str
) -> None:
    missing = [need for need in NEEDS[account] if not await _allowed(cluster, account, need)]
    assert missing == []
    excess = [need for need in SECRETS + BEYOND[account] if await _allowed(cluster, account, need)]
    assert excess == []


@pytest.mark.parametrize("account", [BACKEND, AGENT, SCANNER])
async def test_reading_a_secret_with_the_component_token_is_forbidden(
    cluster: Cluster, component_kubeconfig: ComponentKubeconfig, account: str
) -> None:
    kube = await load_kube_config(str(await component_kubeconfig(account)))
    assert kube is not None
    api = create_api_client(kube)
    try:
        for path in ("/api/v1/secrets", f"/api/v1/namespaces/{KURE_SYSTEM}/secrets",
                     f"/api/v1/namespaces/{KURE_SYSTEM}/secrets/kure-monitor-secrets"):
            with pytest.raises(KubeApiError) as denied:
                await request_json(api, "GET", path)
            assert denied.value.status == 403, path
            assert f'User "{service_account_user(KURE_SYSTEM, account)}" cannot' in denied.value.message
    finally:
        await api.close()

