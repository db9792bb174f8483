"""Manifest cleaning (docs/api.md#source-manifest-and-cleaning) and YAML helpers."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from app.ai.manifest import ManifestError, clean_manifest, dump_yaml, load_single_object, parse_pod_manifest

pytestmark = pytest.mark.unit


def served_pod() -> dict[str, Any]:
    """A pod as the API server returns it, with every field cleaning must remove."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "web-7d9f8b6c4-abc12",
            "namespace": "shop",
            "labels": {"app": "web"},
            "annotations": {
                "kubectl.kubernetes.io/last-applied-configuration": "{...}",
                "team": "payments",
            },
            "uid": "5c1d",
            "resourceVersion": "12345",
            "creationTimestamp": "2024-01-15T10:30:00Z",
            "deletionTimestamp": "2024-01-15T11:00:00Z",
            "deletionGracePeriodSeconds": 30,
            "generation": 1,
            "generateName": "web-7d9f8b6c4-",
            "selfLink": "/api/v1/namespaces/shop/pods/web",
            "managedFields": [{"manager": "kubelet"}],
            "ownerReferences": [{"kind": "ReplicaSet", "name": "web-7d9f8b6c4"}],
            "finalizers": ["example.com/block"],
        },
        "spec": {
            "nodeName": "worker-1",
            "serviceAccountName": "web",
            "initContainers": [{
                "name": "init", "image": "busybox:1.36",
                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                "volumeMounts": [{"name": "kube-api-access-x1y2z", "mountPath": "/var/run/secrets"}],
            }],
            "containers": [{
                "name": "web", "image": "nginx:1.27",
                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                "volumeMounts": [
                    {"name": "kube-api-access-x1y2z", "mountPath": "/var/run/secrets/kubernetes.io"},
                    {"name": "default-token-abcde", "mountPath": "/var/run/secrets/old"},
                    {"name": "data", "mountPath": "/data"},
                ],
            }],
            "volumes": [
                {"name": "kube-api-access-x1y2z", "projected": {"sources": []}},
                {"name": "default-token-abcde", "secret": {"secretName": "default-token-abcde"}},
                {"name": "data", "emptyDir": {}},
            ],
        },
        "status": {"phase": "Running"},
    }


def test_cleaning_removes_every_listed_field() -> None:
    cleaned = clean_manifest(served_pod())
    assert "status" not in cleaned
    assert cleaned["metadata"] == {
        "name": "web-7d9f8b6c4-abc12", "namespace": "shop", "labels": {"app": "web"},
        "annotations": {"team": "payments"},
    }
    spec = cleaned["spec"]
    assert "nodeName" not in spec
    assert spec["serviceAccountName"] == "web"
    assert spec["volumes"] == [{"name": "data", "emptyDir": {}}]
    assert spec["containers"] == [{"name": "web", "image": "nginx:1.27",
                                   "volumeMounts": [{"name": "data", "mountPath": "/data"}]}]
    assert spec["initContainers"] == [{"name": "init", "image": "busybox:1.36", "volumeMounts": []}]


def test_cleaning_is_idempotent_and_pure() -> None:
    pod = served_pod()
    original = copy.deepcopy(pod)
    once = clean_manifest(pod)
    assert clean_manifest(once) == once
    assert pod == original


def test_only_the_last_applied_annotation_goes() -> None:
    pod = served_pod()
    pod["metadata"]["annotations"] = {"kubectl.kubernetes.io/last-applied-configuration": "{}"}
    assert "annotations" not in clean_manifest(pod)["metadata"]


def test_user_volumes_with_similar_names_are_kept() -> None:
    pod = served_pod()
    pod["spec"]["volumes"].append({"name": "api-access", "emptyDir": {}})
    names = [v["name"] for v in clean_manifest(pod)["spec"]["volumes"]]
    assert names == ["data", "api-access"]


def test_workload_templates_are_cleaned_too() -> None:
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "uid": "u", "resourceVersion": "1", "managedFields": []},
        "spec": {"template": {"metadata": {"creationTimestamp": None, "labels": {"app": "web"}},
                              "spec": {"nodeName": "n", "containers": [{"name": "c", "image": "i",
                                                                         "terminationMessagePath": "/x"}]}}},
        "status": {"replicas": 1},
    }
    cleaned = clean_manifest(deployment)
    assert cleaned == {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "c", "image": "i"}]}}},
    }
    assert clean_manifest(cleaned) == cleaned


@pytest.mark.parametrize("odd", [
    {"kind": "Pod"},
    {"kind": "Pod", "metadata": None, "spec": None},
    {"kind": "Pod", "spec": {"containers": None, "volumes": "x"}},
    {"kind": "Pod", "spec": {"containers": ["not-a-dict"], "volumes": ["nope"]}},
])
def test_odd_shapes_do_not_break_cleaning(odd: dict[str, Any]) -> None:
    assert clean_manifest(clean_manifest(odd)) == clean_manifest(odd)


def test_dump_yaml_sorts_keys_and_round_trips() -> None:
    cleaned = clean_manifest(served_pod())
    text = dump_yaml(cleaned)
    assert text.startswith("apiVersion: v1\nkind: Pod\nmetadata:\n")
    assert yaml.safe_load(text) == cleaned
    assert text.index("  annotations:") < text.index("  labels:") < text.index("  name:")


def test_parse_pod_manifest() -> None:
    assert parse_pod_manifest("---\napiVersion: v1\nkind: Pod\nmetadata: {name: x}\n---\n")["kind"] == "Pod"
    with pytest.raises(ManifestError, match="not valid YAML"):
        parse_pod_manifest("kind: Pod\n  bad: [")
    with pytest.raises(ManifestError, match="single Pod"):
        parse_pod_manifest("kind: Deployment\n")
    with pytest.raises(ManifestError, match="single object"):
        parse_pod_manifest("kind: Pod\n---\nkind: Pod\n")
    with pytest.raises(ManifestError):
        load_single_object("- a\n- b\n")
    with pytest.raises(ManifestError):
        load_single_object("")
