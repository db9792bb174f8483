"""The test API server has the semantics the rest of the tier relies on: it is the pinned release, RBAC decides,
ServiceAccount tokens authenticate, optimistic concurrency answers 409, PodSecurity admission refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.kube import KubeApiError, create_api_client, load_kube_config, request_json, resource

from .cluster import Cluster, eventually, service_account_user, services, write_token_kubeconfig

pytestmark = pytest.mark.kubeapi


async def test_pinned_release_answers_version_and_readyz(cluster: Cluster) -> None:
    version = await request_json(cluster.api, "GET", "/version")
    assert version["gitVersion"] == services.KUBERNETES_VERSION
    assert (version["major"], version["minor"]) == ("1", "34")


async def test_service_account_token_authenticates_and_rbac_decides(
    cluster: Cluster, namespace: str, tmp_path: Path
) -> None:
    await cluster.create({"apiVersion": "v1", "kind": "ServiceAccount",
                          "metadata": {"name": "reader", "namespace": namespace}})
    token = await cluster.token(namespace, "reader", seconds=600)
    kube = await load_kube_config(str(write_token_kubeconfig(tmp_path / "kc", token)))
    assert kube is not None
    api = create_api_client(kube)
    try:
        review = await request_json(api, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", body={
            "apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"})
        assert review["status"]["userInfo"]["username"] == service_account_user(namespace, "reader")
        with pytest.raises(KubeApiError) as denied:
            await request_json(api, "GET", resource("Pod").list_path(namespace))
        assert denied.value.status == 403
        assert f'cannot list resource "pods" in API group "" in the namespace "{namespace}"' in denied.value.message
        # A Role of its own: the aggregated `view` ClusterRole has no rules here (no aggregation controller).
        await cluster.create({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                              "metadata": {"name": "pod-reader", "namespace": namespace},
                              "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["list"]}]})
        await cluster.create({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                              "metadata": {"name": "reader", "namespace": namespace},
                              "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                                          "name": "pod-reader"},
                              "subjects": [{"kind": "ServiceAccount", "name": "reader", "namespace": namespace}]})
        # The authorizer sees the binding through its informer, a moment after the write.
        listed = await eventually(lambda: request_json(api, "GET", resource("Pod").list_path(namespace)))
        assert listed["items"] == []
        # Secrets stay out of reach: the authorizer says so, and so does a real request.
        assert not await cluster.allowed(service_account_user(namespace, "reader"), "get", "secrets",
                                         namespace=namespace)
        with pytest.raises(KubeApiError) as secrets:
            await request_json(api, "GET", f"/api/v1/namespaces/{namespace}/secrets")
        assert secrets.value.status == 403
    finally:
        await api.close()


async def test_stale_lease_update_is_a_conflict(cluster: Cluster, namespace: str) -> None:
    lease = await cluster.create({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                                  "metadata": {"name": "leader", "namespace": namespace},
                                  "spec": {"holderIdentity": "a"}})
    path = resource("Lease").item_path(namespace, "leader")
    lease["spec"]["holderIdentity"] = "b"
    await request_json(cluster.api, "PUT", path, body=lease)
    with pytest.raises(KubeApiError) as conflict:
        await request_json(cluster.api, "PUT", path, body=lease)  # still the first resourceVersion
    assert (conflict.value.status, conflict.value.reason) == (409, "Conflict")


async def test_restricted_namespace_refuses_a_privileged_pod(cluster: Cluster) -> None:
    namespace = await cluster.new_namespace("kt-restricted", labels={
        "pod-security.kubernetes.io/enforce": "restricted"})
    try:
        with pytest.raises(KubeApiError) as refused:
            await cluster.create({"apiVersion": "v1", "kind": "Pod",
                                  "metadata": {"name": "root", "namespace": namespace},
                                  "spec": {"containers": [{"name": "c", "image": "busybox",
                                                           "securityContext": {"privileged": True}}]}})
        assert refused.value.status == 403
        assert 'violates PodSecurity "restricted:latest"' in refused.value.message
        assert "privileged" in refused.value.message
    finally:
        await cluster.drop_namespace(namespace)


async def test_pod_status_is_written_through_its_subresource_only(cluster: Cluster, namespace: str) -> None:
    created = await cluster.create({"apiVersion": "v1", "kind": "Pod",
                                    "metadata": {"name": "p", "namespace": namespace},
                                    "spec": {"containers": [{"name": "c", "image": "busybox"}]},
                                    "status": {"phase": "Failed", "reason": "Evicted"}})
    assert created["status"]["phase"] == "Pending"  # status is not taken from a create
    patched = await cluster.patch_status("Pod", namespace, "p", {"phase": "Failed", "reason": "Evicted"})
    assert (patched["status"]["phase"], patched["status"]["reason"]) == ("Failed", "Evicted")
    # The ServiceAccount admission plugin defaulted the account and mounted its token.
    assert created["spec"]["serviceAccountName"] == "default"
    assert any(v["name"].startswith("kube-api-access-") for v in created["spec"]["volumes"])
