"""Image references and trusted registries (docs/agent-scanner.md#image-references-and-trusted-registries,
docs/api.md#trusted-registries).

Pure functions shared by the agent and the scanner.
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

# docs/api.md#trusted-registries: host[:port][/path], host a DNS name or IPv4 address.
_DNS_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_TRUSTED = re.compile(rf"^(?:{_DNS_LABEL}(?:\.{_DNS_LABEL})*)(?::(?P<port>[0-9]{{1,5}}))?(?:/[a-z0-9._-]+)*$")


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
    text = value.strip().lower()
    if not text or len(text) > 255:
        return False
    match = _TRUSTED.match(text)
    if not match:
        return False
    port = match.group("port")
    return port is None or 1 <= int(port) <= 65535
