"""Reading Kubernetes objects as plain JSON: nested fields, and where a kind keeps its pod template.

The graph transforms, the scanner's checks, the redaction of manifests and the AI's manifest cleaning all need
to find the pod spec inside a Deployment or a CronJob; this is the one place that knows the paths.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .bodies import ObjectMeta, PodSpec, as_pod, as_pod_template

#: Where pod-template holders keep their template: ``spec.template`` (Deployment, ReplicaSet, StatefulSet,
#: DaemonSet, Job) and ``spec.jobTemplate.spec.template`` (CronJob).
POD_TEMPLATE_PATHS: tuple[tuple[str, ...], ...] = (("spec", "template"), ("spec", "jobTemplate", "spec", "template"))


def dig(obj: object, *path: str) -> object:
    """The value at ``path`` inside nested mappings, or None where a step is missing or not a mapping."""
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def pod_template(obj: Mapping[str, Any], kind: str | None = None) -> tuple[ObjectMeta, PodSpec]:
    """(pod metadata, pod spec) of a Pod or of a pod-template holder (``kind`` defaults to the object's own);
    empty mappings where the object has none. Any object will do, typed or raw: the template is read as JSON."""
    kind = kind or obj.get("kind")
    if kind == "Pod":
        pod = as_pod(obj)
        return pod.get("metadata") or {}, pod.get("spec") or {}
    template = dig(obj, *POD_TEMPLATE_PATHS[1 if kind == "CronJob" else 0])
    if not isinstance(template, dict):
        return {}, {}
    typed = as_pod_template(template)
    return typed.get("metadata") or {}, typed.get("spec") or {}
