"""Trusted-registry rules (docs/api.md#trusted-registries): the finding matching rule (the value grammar is
:func:`app.kube.images.registry_error`, shared with the scanner).

Matching: a finding matches ``R`` when its lower-cased ``details.registry`` equals ``R`` or its lower-cased
``details.image`` starts with ``R/``. Because ``R`` never contains an empty segment, "starts with ``R/``" is the same
as "``R`` is one of the image's ``/``-prefixes", so a finding's complete set of matching values is finite and can be
stored with it (:func:`registry_keys`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.kube.images import normalise_registry, registry_error

__all__ = ["UNTRUSTED_REGISTRY_CHECK", "matching_registry", "normalise_registry", "registry_error", "registry_keys"]

UNTRUSTED_REGISTRY_CHECK = "untrusted_registry"

def registry_keys(check_name: str, details: Mapping[str, Any]) -> list[str]:
    """Every registry value ``R`` that would match a finding with these details (docs/api.md#trusted-registries); [] for
    other checks."""
    if check_name != UNTRUSTED_REGISTRY_CHECK:
        return []
    keys: list[str] = []
    registry = details.get("registry")
    if isinstance(registry, str) and registry:
        keys.append(registry.lower())
    image = details.get("image")
    if isinstance(image, str):
        segments = image.lower().split("/")
        keys.extend("/".join(segments[:count]) for count in range(1, len(segments)))
    return list(dict.fromkeys(key for key in keys if key))


def matching_registry(details: Mapping[str, Any], trusted: Iterable[str]) -> str | None:
    """Of the trusted values that match a finding, the one its 202 names: its own registry, else the longest."""
    present = set(trusted)
    if not present:
        return None
    registry = details.get("registry")
    if isinstance(registry, str) and registry.lower() in present:
        return registry.lower()
    return max(present, key=len)
