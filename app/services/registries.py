"""Trusted-registry rules (docs/api.md#trusted-registries): the value grammar and the finding matching rule.

Grammar, applied after lower-casing: ``host[:port][/path]`` where host is a DNS name or an IPv4 address, port is
1–65535 written without leading zeros, and path is one or more ``/``-separated segments of ``[a-z0-9._-]``; at most
255 characters. A scheme, a trailing ``/``, a tag or a digest therefore never match.

Matching: a finding matches ``R`` when its lower-cased ``details.registry`` equals ``R`` or its lower-cased
``details.image`` starts with ``R/``. Because ``R`` never contains an empty segment, "starts with ``R/``" is the same
as "``R`` is one of the image's ``/``-prefixes", so a finding's complete set of matching values is finite and can be
stored with it (:func:`registry_keys`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

UNTRUSTED_REGISTRY_CHECK = "untrusted_registry"
MAX_REGISTRY_LENGTH = 255
MAX_HOST_LENGTH = 253

_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_OCTET = re.compile(r"^(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$")
_PORT = re.compile(r"^[1-9][0-9]{0,4}$")
_SEGMENT = re.compile(r"^[a-z0-9._-]+$")


def _valid_host(host: str) -> bool:
    if not host or len(host) > MAX_HOST_LENGTH:
        return False
    labels = host.split(".")
    if labels[-1].isdigit():
        # A numeric last label is only meaningful as an IPv4 address (no top-level domain is numeric).
        return len(labels) == 4 and all(_OCTET.match(label) for label in labels)
    return all(_LABEL.match(label) for label in labels)


def registry_error(value: str) -> str | None:
    """Why the normalised ``value`` breaks the grammar, or None when it is valid."""
    if not value:
        return "must not be empty"
    if len(value) > MAX_REGISTRY_LENGTH:
        return f"must be at most {MAX_REGISTRY_LENGTH} characters"
    hostport, slash, path = value.partition("/")
    host, colon, port = hostport.partition(":")
    if not _valid_host(host):
        return "host must be a DNS name or an IPv4 address (no scheme)"
    if colon and (not _PORT.match(port) or int(port) > 65535):
        return "port must be 1-65535"
    if slash and not all(_SEGMENT.match(segment) for segment in path.split("/")):
        return "path segments must match [a-z0-9._-]+ (no trailing '/', tag or digest)"
    return None


def normalise_registry(value: str) -> str:
    """Lower-case and validate a registry value; raise ValueError naming the rule it breaks."""
    normalised = value.lower()
    problem = registry_error(normalised)
    if problem is not None:
        raise ValueError(f"registry must match host[:port][/path]: {problem}")
    return normalised


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
