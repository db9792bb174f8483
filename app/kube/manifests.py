"""Manifests as the agent and the scanner send them (docs/agent-scanner.md#evidence, docs/agent-scanner.md#findings).

Unlike the backend's mirror cleaning (``app.ai.manifest``, docs/api.md#source-manifest-and-cleaning), which rewrites
a pod so it can be re-created, these keep the object as served (owner references, node name, ...) and only drop what
is bulky, repeats the spec unredacted, or is pure server bookkeeping. Redaction (docs/agent-scanner.md#redaction) is
applied before dumping.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from app.kube.bodies import KubeObject
from app.kube.redaction import REDACTED, redact_manifest

# libyaml's emitter when available: the same YAML, several times faster on large scans.
_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
AGENT_DROPPED_METADATA = ("managedFields",)
SCANNER_DROPPED_METADATA = ("managedFields", "resourceVersion", "uid", "creationTimestamp", "generation")


def clean_metadata(metadata: object, drop: Iterable[str]) -> None:
    """In place: drop the ``drop`` fields and the last-applied annotation; an emptied ``annotations`` goes too.

    The one rule for server-managed metadata, shared by the agent, the scanner, the diagram manifest route
    (docs/api.md#diagrams) and mirror/fix cleaning (docs/api.md#source-manifest-and-cleaning).
    """
    if not isinstance(metadata, dict):
        return
    for key in drop:
        metadata.pop(key, None)
    annotations = metadata.get("annotations")
    if isinstance(annotations, dict):
        annotations.pop(LAST_APPLIED, None)
        if not annotations:
            del metadata["annotations"]


def strip_object(
    obj: KubeObject, *, drop_metadata: Iterable[str], configmap_keys_only: bool = False
) -> dict[str, Any]:
    """A deep copy without ``status``, the given metadata fields and the last-applied annotation.

    ``apiVersion`` and ``kind`` come first. With ``configmap_keys_only`` every ConfigMap value becomes
    ``<redacted>`` so only the keys leave the cluster. The copy is plain JSON: a document to redact and dump,
    every field of the object in it (declared in app/kube/bodies.py or not).
    """
    data: dict[str, Any] = copy.deepcopy(dict(obj))
    data.pop("status", None)
    meta = dict(data.get("metadata") or {})
    clean_metadata(meta, drop_metadata)
    data["metadata"] = meta
    if configmap_keys_only and data.get("kind") == "ConfigMap":
        for field in ("data", "binaryData"):
            if isinstance(data.get(field), dict):
                data[field] = dict.fromkeys(data[field], REDACTED)
    ordered: dict[str, Any] = {k: data[k] for k in ("apiVersion", "kind") if k in data}
    ordered.update({k: v for k, v in data.items() if k not in ordered})
    return ordered


def manifest_yaml(stripped: Mapping[str, Any], *, max_bytes: int, secrets: Iterable[str] = ()) -> str:
    """Redacted YAML of a stripped object, or ``""`` when it is larger than ``max_bytes``."""
    redacted = redact_manifest(dict(stripped), secrets)
    text = yaml.dump(redacted, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
    return "" if len(text.encode()) > max_bytes else text
