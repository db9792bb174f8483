"""Pod-failure records and source pods for the mirror tests.

A mirror's source is the live pod (or its controller's live template), never the stored report, so the usual
set-up is both: ``add_failure(services, live=fake_kube)`` stores the record and serves its pod from the fake API.
"""

from __future__ import annotations

from typing import Any

import yaml

from app.simulator.kubeapi import FakeKubeApi
from app.wiring import Services
from tests.logs.kube import pod


def live_manifest(name: str = "web", namespace: str = "default", **spec: Any) -> dict[str, Any]:
    """A pod as the agent reports it: with the server-side noise that cleaning removes."""
    obj = pod(name, namespace, **spec)
    obj["metadata"].update(
        uid="1234", resourceVersion="77", creationTimestamp="2026-03-26T10:00:00Z", generateName="web-",
        ownerReferences=[{"kind": "ReplicaSet", "name": "web-7d9", "uid": "r1", "apiVersion": "apps/v1"}],
        managedFields=[{"manager": "kubelet"}],
        annotations={"kubectl.kubernetes.io/last-applied-configuration": "{}"},
    )
    obj["spec"]["nodeName"] = "worker-1"
    obj["spec"]["volumes"] = [{"name": "kube-api-access-abcde", "projected": {"sources": []}}]
    obj["spec"]["containers"][0].update(
        terminationMessagePath="/dev/termination-log",
        volumeMounts=[{"name": "kube-api-access-abcde", "mountPath": "/var/run/secrets/kubernetes.io"}],
    )
    return obj


async def add_failure(services: Services, pod_id: int = 1, *, manifest: dict[str, Any] | str | None = None,
                      pod_name: str = "web", namespace: str = "default", live: FakeKubeApi | None = None,
                      source: dict[str, Any] | None = None, **fields: Any) -> int:
    """Store a pod-failure record (``manifest`` is the agent's evidence, by default the live pod's YAML); with
    ``live``, also serve ``source`` (default: :func:`live_manifest`) as the running pod."""
    live_pod = source if source is not None else live_manifest(pod_name, namespace)
    if manifest is None:
        manifest = live_pod
    if live is not None and live.get("Pod", namespace, pod_name) is None:
        live.apply(live_pod)
    text = manifest if isinstance(manifest, str) else yaml.safe_dump(manifest)
    await services.mongo.db["pod_failures"].insert_one({
        "_id": pod_id, "pod_name": pod_name, "namespace": namespace, "manifest": text,
        "failure_reason": "CrashLoopBackOff", "failure_message": "Back-off restarting failed container",
        "solution": "## Root Cause\nstored", "solution_source": "rules", "events": [], "container_statuses": [],
        "status": "new", "labels": {"app": pod_name},
        "open_slot": f"#{pod_id}",  # the lead's unique slot (storage/pods.py); "#<id>" never collides
        **fields,
    })
    return pod_id
