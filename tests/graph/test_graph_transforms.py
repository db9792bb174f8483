"""Transforms: raw Kubernetes JSON → node properties and determined relationships (docs/graph.md#schema)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.kube.bodies import KubeObject, LabelSelector, as_object
from graph.rbac import permissions_of
from graph.relationships import AGGREGATES, GRANTS, SELECTS, Ref
from graph.schema import SYNC_ORDER
from graph.selectors import matches, selector_json, selector_list_json, selector_string
from graph.transforms import Transformed, transform

pytestmark = pytest.mark.unit

SHOP = Path(__file__).resolve().parents[1] / "fixtures" / "clusters" / "shop"


def _fixture() -> dict[str, KubeObject]:
    objects: dict[str, KubeObject] = {}
    for path in sorted(SHOP.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                meta = doc["metadata"]
                objects[f"{doc['kind']}/{meta.get('namespace', '_')}/{meta['name']}"] = as_object(doc)
    return objects


OBJECTS = _fixture()


def t(key: str) -> Transformed:
    return transform(key.split("/")[0], OBJECTS[key])


def refs(result: Transformed, rel: str) -> list[tuple[str, str, dict[str, Any]]]:
    return [(r.direction, r.target_id, dict(r.props)) for r in result.refs if r.rel == rel]


def test_every_synced_kind_of_the_fixture_transforms_with_common_properties() -> None:
    kinds = {key.split("/")[0] for key in OBJECTS}
    assert kinds >= set(SYNC_ORDER)
    for key in OBJECTS:
        result = t(key)
        assert result.id == key
        assert result.props["origin"] == "synced"
        assert result.props["kind"] == key.split("/")[0]
        for value in result.props.values():
            assert value is not None
            assert not isinstance(value, dict), f"{key}: maps cannot be Neo4j properties"


def test_pod_properties_status_and_references() -> None:
    pod = t("Pod/default/debug")
    p = pod.props
    assert p["status"] == "1/2 Ready"
    assert (p["ready_containers"], p["total_containers"], p["restarts"]) == (1, 2, 3)
    assert p["waiting_reasons"] == ["CrashLoopBackOff"]
    assert p["images"] == ["busybox:1.36", "alpine:3.20"]
    assert p["image"] == "busybox:1.36"
    assert p["host_network"] is True and p["privileged"] is True and p["host_paths"] == ["/"]
    assert p["service_account"] == "default"
    assert p["labels"] == ["run=debug"] and p["owner_refs"] == []
    assert "app" not in p and "group" not in p
    # every Secret / ConfigMap reference source, merged per target with sorted "via"
    assert refs(pod, "MOUNTS") == [
        ("out", "ConfigMap/default/debug-cm", {"via": ["env", "projected"]}),
        ("out", "Secret/default/debug-env", {"via": ["envFrom"]}),
        ("out", "Secret/default/debug-token", {"via": ["projected"]}),
        ("out", "Secret/default/regcred", {"via": ["imagePullSecret"]}),
    ]
    assert refs(pod, "USES_SERVICE_ACCOUNT") == [("out", "ServiceAccount/default/default", {})]
    assert refs(pod, "SCHEDULED_ON") == [("out", "Node/_/worker-1", {})]


@pytest.mark.parametrize(
    ("conditions", "ready"),
    [
        ([{"type": "Ready", "status": "True"}], True),
        ([{"type": "ContainersReady", "status": "True"}, {"type": "Ready", "status": "False"}], False),
        ([{"type": "PodScheduled", "status": "True"}], False),  # no Ready condition yet: not ready
        (None, False),
    ],
)
def test_pod_readiness_is_its_ready_condition(conditions: Any, ready: bool) -> None:
    pod = {"metadata": {"name": "p", "namespace": "n"}, "spec": {"containers": [{"name": "c"}]},
           "status": {"phase": "Running", "conditions": conditions,
                      "containerStatuses": [{"name": "c", "ready": True}]}}  # fmt: skip
    assert transform("Pod", as_object(pod)).props["ready"] is ready


def test_env_values_annotations_and_configmap_data_never_reach_properties() -> None:
    dumped = json.dumps([t(k).props for k in OBJECTS])
    assert "debug" not in json.dumps(t("ConfigMap/shop/web-config").props["labels"])
    assert "annotations are never stored" not in dumped
    assert "LOG_LEVEL" not in dumped
    assert "DB_PASSWORD" not in dumped


def test_owner_references_become_incoming_owns_with_controller_flag() -> None:
    pod = t("Pod/shop/web-7d9f8b6c4-abc12")
    assert refs(pod, "OWNS") == [("in", "ReplicaSet/shop/web-7d9f8b6c4", {"controller": True})]
    assert pod.props["owner_refs"] == ["ReplicaSet/web-7d9f8b6c4"]
    unsynced_owner = transform(
        "Pod",
        as_object({
            "metadata": {
                "name": "x",
                "namespace": "n",
                "ownerReferences": [{"kind": "Node", "name": "worker-1"}, {"kind": "SparkApplication", "name": "job"}],
            },
            "spec": {},
        }),
    )
    assert refs(unsynced_owner, "OWNS") == []
    assert unsynced_owner.props["owner_refs"] == ["Node/worker-1", "SparkApplication/job"]


def test_workload_template_mounts_and_status_strings() -> None:
    dep = t("Deployment/shop/web")
    assert dep.props["status"] == "2/2 Ready"
    assert dep.props["selector"] == "app.kubernetes.io/name=web"
    assert dep.props["service_account"] == "web"
    assert {r[1] for r in refs(dep, "MOUNTS")} == {"ConfigMap/shop/web-config", "Secret/shop/web-db"}
    old_rs = t("ReplicaSet/shop/web-5c6b7d8e9")
    assert (old_rs.props["status"], old_rs.props["replicas"], old_rs.props["revision"]) == ("0/0 Ready", 0, 1)
    sts = t("StatefulSet/data/db")
    assert "service_account" not in sts.props and refs(sts, "USES_SERVICE_ACCOUNT") == []
    cron = t("CronJob/data/backup")
    assert cron.props["status"] == "Scheduled" and cron.props["schedule"] == "0 3 * * *"
    assert refs(cron, "MOUNTS") == [("out", "PersistentVolumeClaim/data/backup", {"via": ["volume"]})]
    assert t("Job/data/backup-29001").props["status"] == "Succeeded"
    job = as_object({"metadata": {"name": "j", "namespace": "n"}, "status": {"active": 1}})
    assert transform("Job", job).props["status"] == "Active"
    assert transform("Deployment", {"metadata": {"name": "d", "namespace": "n"}}).props["status"] == "Unknown"
    ds = transform(
        "DaemonSet",
        as_object(
            {"metadata": {"name": "d", "namespace": "n"}, "status": {"numberReady": 2, "desiredNumberScheduled": 3}}
        ),
    )
    assert ds.props["status"] == "2/3 Ready"


def test_networking_kinds() -> None:
    svc = t("Service/shop/web")
    assert svc.props["selector"] == ["app.kubernetes.io/name=web"]
    assert svc.props["ports"] == ["http:80/TCP"] and svc.props["exposed"] is False
    assert t("Service/default/debug").props["exposed"] is True
    assert t("Service/default/debug").props["ports"] == ["8080/TCP"]
    ing = t("Ingress/shop/web")
    assert refs(ing, "ROUTES_TO") == [("out", "Service/shop/web", {"paths": ["shop.example.com/"]})]
    assert ing.props["hosts"] == ["shop.example.com"] and ing.props["ingress_class"] == "nginx"
    default_backend = transform(
        "Ingress",
        as_object({
            "metadata": {"name": "i", "namespace": "n"},
            "spec": {
                "defaultBackend": {"service": {"name": "fallback"}},
                "rules": [
                    {
                        "http": {
                            "paths": [
                                {"path": "/x", "backend": {"service": {"name": "fallback"}}},
                                {"path": "/r", "backend": {"resource": {"kind": "Bucket", "name": "b"}}},
                            ]
                        }
                    }
                ],
            },
        }),
    )
    assert refs(default_backend, "ROUTES_TO") == [("out", "Service/n/fallback", {"paths": ["*", "*/x"]})]
    eps = t("EndpointSlice/shop/web-x7k2p")
    assert refs(eps, "HAS_ENDPOINT_SLICE") == [("in", "Service/shop/web", {})]
    assert (eps.props["endpoints"], eps.props["ready_endpoints"]) == (2, 2)
    hpa = t("HorizontalPodAutoscaler/shop/web")
    assert refs(hpa, "SCALES") == [("out", "Deployment/shop/web", {})]
    other_target = transform(
        "HorizontalPodAutoscaler",
        as_object(
            {"metadata": {"name": "h", "namespace": "n"}, "spec": {"scaleTargetRef": {"kind": "Rollout", "name": "r"}}}
        ),
    )
    assert refs(other_target, "SCALES") == []
    np = t("NetworkPolicy/shop/default-deny")
    assert np.props["pod_selector"] == "" and np.props["pod_selector_json"] == "{}"


def test_cluster_scoped_kinds() -> None:
    node = t("Node/_/worker-2")
    assert (node.props["status"], node.props["ready"], node.props["unschedulable"]) == ("NotReady", False, True)
    assert node.props["roles"] == ["worker"] and node.props["internal_ip"] == "10.0.0.12"
    assert "namespace" not in node.props
    assert t("Namespace/_/shop").props["status"] == "Active"


@pytest.mark.parametrize(
    ("selector", "labels", "expected"),
    [
        ({}, {"a": "1"}, True),
        ({"matchLabels": {"a": "1"}}, {"a": "1", "b": "2"}, True),
        ({"matchLabels": {"a": "1"}}, {"a": "2"}, False),
        ({"matchExpressions": [{"key": "a", "operator": "In", "values": ["1", "2"]}]}, {"a": "2"}, True),
        ({"matchExpressions": [{"key": "a", "operator": "In", "values": ["1"]}]}, {}, False),
        ({"matchExpressions": [{"key": "a", "operator": "NotIn", "values": ["1"]}]}, {}, True),
        ({"matchExpressions": [{"key": "a", "operator": "NotIn", "values": ["1"]}]}, {"a": "1"}, False),
        ({"matchExpressions": [{"key": "a", "operator": "Exists"}]}, {"a": ""}, True),
        ({"matchExpressions": [{"key": "a", "operator": "Exists"}]}, {"b": "1"}, False),
        ({"matchExpressions": [{"key": "a", "operator": "DoesNotExist"}]}, {"b": "1"}, True),
        ({"matchExpressions": [{"key": "a", "operator": "DoesNotExist"}]}, {"a": "1"}, False),
        ({"matchExpressions": [{"key": "a", "operator": "In", "values": []}]}, {"a": "1"}, False),
        ({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]}, {"a": "2"}, False),
        ({"matchLabels": {"a": "1"}, "matchExpressions": [{"key": "b", "operator": "Exists"}]}, {"a": "1"}, False),
    ],
)
def test_label_selector_semantics(selector: LabelSelector, labels: dict[str, str], expected: bool) -> None:
    assert matches(json.loads(selector_json(selector)), labels) is expected


def test_selector_canonical_forms() -> None:
    sel: LabelSelector = {
        "matchLabels": {"z": "1", "a": "2"},
        "matchExpressions": [
            {"key": "tier", "operator": "NotIn", "values": ["b", "a"]},
            {"key": "env", "operator": "In", "values": ["p"]},
            {"key": "x", "operator": "Exists"},
            {"key": "y", "operator": "DoesNotExist"},
        ],
    }
    assert selector_string(sel) == "a=2,z=1,env in (p),tier notin (a,b),x,!y"
    assert selector_json(sel) == selector_json(json.loads(selector_json(sel)))
    # a Service selector (its stored key=value list) selects nothing when empty, else is matchLabels
    assert SELECTS.read_selectors([]) == ()
    (service,) = SELECTS.read_selectors(["a=1"])
    assert matches(service, {"a": "1", "b": "2"}) and not matches(service, {"b": "2"})
    # an aggregation rule: any of its selectors selects; none stored (or unreadable) selects nothing
    stored = selector_list_json([{"matchLabels": {"b": "2", "a": "1"}}, {}])
    assert stored == '[{"matchLabels":{"a":"1","b":"2"}},{}]'
    assert AGGREGATES.read_selectors(stored) == ({"matchLabels": {"a": "1", "b": "2"}}, {})
    assert AGGREGATES.read_selectors(None) == () == AGGREGATES.read_selectors("not json")


def test_role_permissions_are_exact_per_key_never_unioned() -> None:
    role = t("Role/shop/pod-reader")
    perms = {p["id"]: p for p in role.synthesized[GRANTS.type]}
    assert sorted(perms) == [
        "Permission/shop/Role:pod-reader:core/configmaps[web-config]",
        "Permission/shop/Role:pod-reader:core/pods",
        "Permission/shop/Role:pod-reader:core/pods/log",
    ]
    cm = perms["Permission/shop/Role:pod-reader:core/configmaps[web-config]"]
    assert (cm["verbs"], cm["resource_names"], cm["api_group"], cm["resource"]) == (
        ["get"],
        ["web-config"],
        "",
        "configmaps",
    )
    assert role.props["rule_count"] == 2 and role.props["system"] is False
    mixed = permissions_of(
        "Role",
        "n",
        "r",
        [
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]},
            {"apiGroups": [""], "resources": ["secrets"], "verbs": ["create"]},
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["list"]},
            {"apiGroups": [""], "resources": ["pods"], "resourceNames": ["b", "a"], "verbs": ["delete"]},
            {"apiGroups": [], "resources": [], "verbs": ["get"]},
        ],
    )
    by_id = {p["id"]: p["verbs"] for p in mixed}
    assert by_id == {
        "Permission/n/Role:r:core/pods": ["get", "list"],
        "Permission/n/Role:r:core/secrets": ["create"],
        "Permission/n/Role:r:core/pods[a,b]": ["delete"],
    }


def test_cluster_role_non_resource_urls_and_wildcards() -> None:
    role = t("ClusterRole/_/ops-exec")
    perms = {p["id"]: p for p in role.synthesized[GRANTS.type]}
    healthz = perms["Permission/_/ClusterRole:ops-exec:/healthz"]
    assert healthz["non_resource_url"] == "/healthz" and "namespace" not in healthz and "api_group" not in healthz
    assert perms["Permission/_/ClusterRole:ops-exec:core/pods/exec"]["verbs"] == ["create", "get"]
    admin = t("ClusterRole/_/cluster-admin")
    assert sorted(p["name"] for p in admin.synthesized[GRANTS.type]) == ["*", "*/*"]
    assert t("ClusterRole/_/admin").props["aggregated"] is True
    assert t("ClusterRole/_/admin").props["aggregation_selectors"] == (
        '[{"matchLabels":{"rbac.authorization.k8s.io/aggregate-to-admin":"true"}}]'
    )
    assert "aggregation_selectors" not in t("ClusterRole/_/cluster-admin").props
    apps = {p["name"] for p in t("ClusterRole/_/admin").synthesized[GRANTS.type]}
    assert "apps/deployments/scale" in apps


def test_bindings_scope_role_ref_and_subjects() -> None:
    scoped = t("RoleBinding/shop/ops-exec")
    assert scoped.props["scope"] == "shop" and scoped.props["role_id"] == "ClusterRole/_/ops-exec"
    assert refs(scoped, "ROLE_REF") == [("out", "ClusterRole/_/ops-exec", {"scope": "shop"})]
    assert refs(scoped, "SUBJECT_OF") == [("in", "Subject:User/_/bob", {})]
    cluster = t("ClusterRoleBinding/_/ops-exec-all")
    assert cluster.props["scope"] == "*"
    assert refs(cluster, "SUBJECT_OF") == [("in", "Subject:Group/_/ops", {})]
    read = t("RoleBinding/shop/read-pods")
    assert sorted(r[1] for r in refs(read, "SUBJECT_OF")) == [
        "ServiceAccount/shop/ci",
        "Subject:Group/_/devs",
        "Subject:User/_/alice",
    ]
    assert read.props["subject_count"] == 3
    # a user name of the form system:serviceaccount:<ns>:<name> is that ServiceAccount
    assert refs(t("RoleBinding/shop/dangling"), "SUBJECT_OF") == [("in", "ServiceAccount/shop/web", {})]
    crb_sa = t("ClusterRoleBinding/_/deployer-admin")
    assert refs(crb_sa, "SUBJECT_OF") == [("in", "ServiceAccount/kube-system/deployer", {})]


def test_service_account_automount_and_bad_objects() -> None:
    assert t("ServiceAccount/shop/ci").props["automount_token"] is False
    assert "automount_token" not in t("ServiceAccount/shop/web").props
    with pytest.raises(ValueError, match="synced"):
        transform("Secret", {"metadata": {"name": "s", "namespace": "n"}})
    with pytest.raises(ValueError, match="namespace"):
        transform("Pod", {"metadata": {"name": "p"}})


def test_ref_target_ids_of_cluster_scoped_targets_ignore_namespace() -> None:
    assert Ref("ROLE_REF", "ClusterRole", "shop", "view").target_id == "ClusterRole/_/view"


def test_every_recipe_is_documented_verbatim() -> None:
    from graph.recipes import RECIPES

    docs = (Path(__file__).resolve().parents[2] / "docs" / "graph.md").read_text()
    for recipe in RECIPES:
        assert recipe.cypher.rstrip() in docs, recipe.key
