"""A fixture cluster (tests/fixtures/clusters/*) made loadable into a real API server, and loaded the same way
into the fake one, so the two can be compared.

A real server keeps every object for its lifetime and owns some names itself (``default``, ``kube-system``, the
bootstrap ClusterRoles), so every namespace and every cluster-scoped object of the fixture gets a per-test
suffix. Objects are created over HTTP in an order a real cluster accepts (owners before their dependents, whose
``ownerReferences`` then carry the owner's real uid), status is written through the status subresource as a
kubelet or controller would, a fixed ``clusterIP`` or ``nodePort`` is dropped (the server allocates them), and
each namespace gets its ``default`` ServiceAccount (what the token controller would create).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from app.kube import KubeApiError

from .cluster import Cluster

JSON = dict[str, Any]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "clusters"
CLUSTER_SCOPED = {"Namespace", "Node", "ClusterRole", "ClusterRoleBinding", "PersistentVolume"}
#: Kinds whose ``status`` only the status subresource writes.
STATUS_KINDS = {"Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "Service",
                "Node", "PersistentVolumeClaim", "HorizontalPodAutoscaler", "Ingress"}


class Renamer:
    """Consistent renaming of a fixture's namespaces and cluster-scoped names with one suffix."""

    def __init__(self, objects: list[JSON], suffix: str) -> None:
        self.suffix = suffix
        self.namespaces = {str(o["metadata"]["name"]) for o in objects if o["kind"] == "Namespace"}
        self.namespaces |= {str(o["metadata"]["namespace"]) for o in objects if o["metadata"].get("namespace")}
        self.cluster_names = {(o["kind"], str(o["metadata"]["name"])) for o in objects if o["kind"] in CLUSTER_SCOPED
                              and o["kind"] != "Namespace"}  # fmt: skip

    def namespace(self, name: str) -> str:
        return f"{name}-{self.suffix}" if name in self.namespaces else name

    def cluster(self, kind: str, name: str) -> str:
        return f"{name}-{self.suffix}" if (kind, name) in self.cluster_names else name

    def node_id(self, kind: str, namespace: str | None, name: str) -> str:
        """The graph node id of a fixture object after renaming (graph.md's ``Kind/namespace/name``)."""
        if kind == "Namespace":
            return f"Namespace/_/{self.namespace(name)}"
        if kind in CLUSTER_SCOPED:
            return f"{kind}/_/{self.cluster(kind, name)}"
        return f"{kind}/{self.namespace(namespace or '')}/{name}"

    def rename(self, obj: JSON) -> JSON:
        obj = copy.deepcopy(obj)
        meta = obj["metadata"]
        kind = obj["kind"]
        for owned_by_the_server in ("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields"):
            meta.pop(owned_by_the_server, None)
        if kind == "Namespace":
            meta["name"] = self.namespace(meta["name"])
        elif kind in CLUSTER_SCOPED:
            meta["name"] = self.cluster(kind, meta["name"])
        if meta.get("namespace"):
            meta["namespace"] = self.namespace(meta["namespace"])
        for subject in obj.get("subjects") or []:
            if subject.get("namespace"):
                subject["namespace"] = self.namespace(subject["namespace"])
            # Names that carry a namespace: a ServiceAccount's user name, a namespace's ServiceAccount group.
            parts = str(subject.get("name", "")).split(":")
            if subject.get("kind") == "User" and parts[:2] == ["system", "serviceaccount"] and len(parts) == 4:
                subject["name"] = ":".join([*parts[:2], self.namespace(parts[2]), parts[3]])
            if subject.get("kind") == "Group" and parts[:2] == ["system", "serviceaccounts"] and len(parts) == 3:
                subject["name"] = ":".join([*parts[:2], self.namespace(parts[2])])
        role_ref = obj.get("roleRef")
        if role_ref and role_ref.get("kind") == "ClusterRole":
            role_ref["name"] = self.cluster("ClusterRole", role_ref["name"])
        spec = obj.get("spec") or {}
        if kind == "Pod" and spec.get("nodeName"):
            spec["nodeName"] = self.cluster("Node", spec["nodeName"])
        if kind == "Service":
            if spec.get("clusterIP") not in (None, "None"):
                spec.pop("clusterIP")
                spec.pop("clusterIPs", None)
            for port in spec.get("ports") or []:
                port.pop("nodePort", None)
        for endpoint in obj.get("endpoints") or []:
            if endpoint.get("nodeName"):
                endpoint["nodeName"] = self.cluster("Node", endpoint["nodeName"])
        return obj


def read_fixture(name: str) -> list[JSON]:
    objects: list[JSON] = []
    for path in sorted((FIXTURES / name).glob("*.yaml")):
        objects += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return objects


async def load_fixture(target: Cluster, name: str, suffix: str) -> tuple[Renamer, list[JSON]]:
    """Create the renamed fixture cluster ``name`` on ``target`` (a real or a fake server); returns the renamer
    and the objects as the server stored them."""
    return await load_objects(target, read_fixture(name), suffix)


async def load_objects(target: Cluster, objects: list[JSON], suffix: str) -> tuple[Renamer, list[JSON]]:
    """Create renamed copies of ``objects`` on ``target`` (see the module docstring)."""
    renamer = Renamer(objects, suffix)
    pending = [renamer.rename(o) for o in objects]
    statuses = {_key(o): o.pop("status") for o in pending if o["kind"] in STATUS_KINDS and o.get("status")}
    uids: dict[tuple[str, str | None, str], str] = {}
    stored: list[JSON] = []
    first = [o for o in pending if o["kind"] == "Namespace"]
    for obj in first:
        stored.append(await target.create(obj))
    for namespace in sorted({renamer.namespace(n) for n in renamer.namespaces}):
        await _ensure_namespace_basics(target, namespace, pending)
    rest = [o for o in pending if o["kind"] != "Namespace"]
    rest.sort(key=lambda o: 0 if o["kind"] in ("ServiceAccount", "Node") else 1)
    known = {_key(o) for o in pending}
    while rest:
        # An owner outside the fixture keeps its made-up uid: nothing collects garbage here.
        ready = [o for o in rest if all(_owner_key(o, ref) in uids or _owner_key(o, ref) not in known
                                        for ref in _owners(o))]
        if not ready:
            raise AssertionError(f"owners missing for {[_key(o) for o in rest]}")
        for obj in ready:
            rest.remove(obj)
            for ref in _owners(obj):
                ref["uid"] = uids.get(_owner_key(obj, ref), ref.get("uid"))
            created = await target.create(obj)
            uids[_key(obj)] = created["metadata"]["uid"]
            status = statuses.get(_key(obj))
            if status is not None:
                created = await target.patch_status(obj["kind"], obj["metadata"].get("namespace"),
                                                    obj["metadata"]["name"], status)
            stored.append(created)
    return renamer, stored


async def _ensure_namespace_basics(target: Cluster, namespace: str, objects: list[JSON]) -> None:
    exists = any(o["kind"] == "Namespace" and o["metadata"]["name"] == namespace for o in objects)
    if not exists:
        try:
            await target.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
        except KubeApiError as exc:
            if exc.status != 409:
                raise
    has_default = any(o["kind"] == "ServiceAccount" and o["metadata"]["name"] == "default"
                      and o["metadata"].get("namespace") == namespace for o in objects)  # fmt: skip
    if not has_default:
        await target.create({"apiVersion": "v1", "kind": "ServiceAccount",
                             "metadata": {"name": "default", "namespace": namespace}})


def _key(obj: JSON) -> tuple[str, str | None, str]:
    meta = obj["metadata"]
    return str(obj["kind"]), meta.get("namespace"), str(meta["name"])


def _owners(obj: JSON) -> list[JSON]:
    return list(obj["metadata"].get("ownerReferences") or [])


def _owner_key(obj: JSON, ref: JSON) -> tuple[str, str | None, str]:
    namespace = None if ref["kind"] in CLUSTER_SCOPED else obj["metadata"].get("namespace")
    return str(ref["kind"]), namespace, str(ref["name"])
