"""Image references and trusted registries (docs/agent-scanner.md#image-references-and-trusted-registries,
docs/api.md#trusted-registries).

Pure functions shared by the agent, the scanner and the backend.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_DOCKER_HUB_ALIASES = frozenset({"index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"})
_DIGEST = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-f]{32,}$")
_PATH_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
_TAG = re.compile(r"^[a-z0-9_][a-z0-9_.-]{0,127}$")
_REGISTRY = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::[0-9]{1,5})?$")

# The trusted-registry grammar (docs/api.md#trusted-registries), applied after lower-casing: ``host[:port][/path]``
# where host is a DNS name or an IPv4 address, port is 1-65535 written without leading zeros, and path is one or
# more ``/``-separated segments of ``[a-z0-9._-]``; at most 255 characters. A scheme, a trailing ``/``, a tag or a
# digest therefore never match. The backend (trusted-registry routes) and the scanner (its setting) share it.
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


@dataclass(frozen=True)
class ImageRef:
    registry: str
    path: str
    tag: str | None
    digest: str | None

    @property
    def name(self) -> str:
        """The fully qualified name ``<registry>/<path>[:<tag>][@<digest>]``."""
        out = f"{self.registry}/{self.path}"
        if self.tag:
            out += f":{self.tag}"
        if self.digest:
            out += f"@{self.digest}"
        return out

    @property
    def mutable(self) -> bool:
        """Tag ``latest``, or neither tag nor digest (which pulls ``latest``)."""
        return self.digest is None and (self.tag is None or self.tag == "latest")


def parse_image(reference: object) -> ImageRef | None:
    """Parse as docs/agent-scanner.md#image-references-and-trusted-registries describes; ``None`` for a reference
    Kubernetes would refuse (``InvalidImageName``)."""
    if not isinstance(reference, str):
        return None
    text = reference.strip().lower()
    if not text or any(ch.isspace() for ch in text):
        return None
    digest: str | None = None
    if "@" in text:
        text, digest = text.split("@", 1)
        if not _DIGEST.match(digest):
            return None
    tag: str | None = None
    colon, slash = text.rfind(":"), text.rfind("/")
    if colon > slash:
        text, tag = text[:colon], text[colon + 1 :]
        if not _TAG.match(tag):
            return None
    parts = text.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        registry, path_parts = parts[0], parts[1:]
        if not _REGISTRY.match(registry):
            return None
    else:
        registry, path_parts = "docker.io", parts
    if registry in _DOCKER_HUB_ALIASES:
        registry = "docker.io"
    if registry == "docker.io" and len(path_parts) == 1:
        path_parts = ["library", *path_parts]
    if not path_parts or not all(_PATH_COMPONENT.match(p) for p in path_parts):
        return None
    return ImageRef(registry, "/".join(path_parts), tag, digest)


def is_trusted(image: ImageRef, trusted: Iterable[str]) -> bool:
    """The registry equals ``R`` or the fully qualified name starts with ``R/`` (docs/api.md#trusted-registries)."""
    name = image.name
    for registry in trusted:
        r = registry.lower()
        if image.registry == r or name.startswith(r + "/"):
            return True
    return False


def valid_trusted_registry(value: str) -> bool:
    """The grammar docs/api.md#trusted-registries accepts for a trusted registry (after lower-casing)."""
    return registry_error(value.strip().lower()) is None
