"""Manifest cleaning and YAML helpers (docs/api.md#source-manifest-and-cleaning), shared by mirror pods, mirror preview
and security fixes.

Pure functions: no I/O, inputs are never mutated.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import yaml

from app.kube.manifests import clean_metadata
from app.kube.objects import POD_TEMPLATE_PATHS, dig

__all__ = [
    "ManifestError",
    "clean_manifest",
    "dump_yaml",
    "load_single_object",
    "parse_pod_manifest",
]

_METADATA_FIELDS = (
    "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
    "generation", "generateName", "selfLink", "managedFields", "ownerReferences", "finalizers",
)
_TOKEN_VOLUME_PREFIXES = ("kube-api-access-", "default-token-")
_ALL_CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")
_TERMINATION_FIELDS = ("terminationMessagePath", "terminationMessagePolicy")


class ManifestError(ValueError):
    """A manifest text is not valid YAML or not the expected single object."""


def _is_token_volume(name: object) -> bool:
    return isinstance(name, str) and name.startswith(_TOKEN_VOLUME_PREFIXES)


def _clean_metadata(metadata: object) -> None:
    clean_metadata(metadata, _METADATA_FIELDS)


def _clean_pod_spec(spec: object, *, keep_node_name: bool = False) -> None:
    if not isinstance(spec, dict):
        return
    if not keep_node_name:
        spec.pop("nodeName", None)
    removed: set[str] = set()
    volumes = spec.get("volumes")
    if isinstance(volumes, list):
        kept = []
        for volume in volumes:
            name = volume.get("name") if isinstance(volume, dict) else None
            if _is_token_volume(name):
                removed.add(str(name))
            else:
                kept.append(volume)
        spec["volumes"] = kept
    for list_name in _ALL_CONTAINER_LISTS:
        containers = spec.get(list_name)
        if not isinstance(containers, list):
            continue
        for container in containers:
            if not isinstance(container, dict):
                continue
            if list_name != "ephemeralContainers":
                for field in _TERMINATION_FIELDS:
                    container.pop(field, None)
            mounts = container.get("volumeMounts")
            if isinstance(mounts, list):
                # Mounts of the token volume are dropped even when the volume itself was already removed, so the
                # result is the same whether cleaning runs once or twice.
                container["volumeMounts"] = [
                    m for m in mounts
                    if not (isinstance(m, dict) and isinstance(m.get("name"), str)
                            and (m["name"] in removed or _is_token_volume(m["name"])))
                ]


def clean_manifest(manifest: Mapping[str, Any], *, keep_node_name: bool = False) -> dict[str, Any]:
    """Return a cleaned deep copy of a Kubernetes object, as docs/api.md#source-manifest-and-cleaning describes for
    Pods.

    ``keep_node_name`` leaves a Pod's ``spec.nodeName`` in place: the mirror gate sees a requested node
    (and refuses it) instead of having it silently cleaned away.

    For a Pod the pod spec is ``spec``. Other kinds (the security-fix targets) get the same metadata and
    ``status`` cleaning, and their pod templates (``spec.template``, ``spec.jobTemplate.spec.template``) get the
    pod-spec cleaning. Idempotent: ``clean_manifest(clean_manifest(m)) == clean_manifest(m)``.
    """
    obj = copy.deepcopy(dict(manifest))
    obj.pop("status", None)
    _clean_metadata(obj.get("metadata"))
    spec = obj.get("spec")
    if obj.get("kind") == "Pod":
        _clean_pod_spec(spec, keep_node_name=keep_node_name)
        return obj
    for template in (dig(obj, *path) for path in POD_TEMPLATE_PATHS):
        if isinstance(template, dict):
            _clean_metadata(template.get("metadata"))
            _clean_pod_spec(template.get("spec"))
    return obj


def dump_yaml(manifest: Mapping[str, Any]) -> str:
    """Block-style YAML with sorted keys (the output format of docs/api.md#source-manifest-and-cleaning)."""
    return yaml.safe_dump(manifest, sort_keys=True, default_flow_style=False, allow_unicode=True, width=4096)


def load_single_object(text: str) -> dict[str, Any]:
    """Parse YAML text holding exactly one mapping; raise :class:`ManifestError` otherwise.

    Empty documents (``---`` separators, trailing ``---``) are ignored.
    """
    try:
        documents = [doc for doc in yaml.safe_load_all(text) if doc is not None]
    except yaml.YAMLError as exc:
        raise ManifestError("Manifest is not valid YAML") from exc
    if len(documents) != 1 or not isinstance(documents[0], dict):
        raise ManifestError("Manifest must be a single object")
    return documents[0]


def parse_pod_manifest(text: str) -> dict[str, Any]:
    """Parse a Pod manifest; raise :class:`ManifestError` when it is not a single mapping with ``kind: Pod``."""
    obj = load_single_object(text)
    if obj.get("kind") != "Pod":
        raise ManifestError("Manifest must be a single Pod (kind: Pod)")
    return obj
