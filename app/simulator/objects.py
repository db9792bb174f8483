"""Small helpers over raw Kubernetes objects: quantities, names and hashes the way the controllers make them,
owner references, image references."""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Iterator
from typing import Any

Obj = dict[str, Any]

#: The alphabet of generated name suffixes and template hashes (no vowels, no look-alike characters).
SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"

_QUANTITY = re.compile(r"^([0-9.]+)([a-zA-Z]*)$")
_SUFFIXES = {
    "": 1, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12,
    "Ki": 1024, "Mi": 1024**2, "Gi": 1024**3, "Ti": 1024**4,
}  # fmt: skip


def quantity(value: object) -> float:
    """A Kubernetes quantity (``512Mi``, ``250m``, ``2``) as a plain number (bytes, cores)."""
    match = _QUANTITY.match(str(value).strip())
    if match is None or match.group(2) not in _SUFFIXES:
        raise ValueError(f"invalid quantity {value!r}")
    return float(match.group(1)) * _SUFFIXES[match.group(2)]


def mebibytes(value: float) -> str:
    return f"{round(value / 1024**2)}Mi"


def random_suffix(rng: random.Random, length: int = 5) -> str:
    return "".join(rng.choice(SAFE_ALPHABET) for _ in range(length))


def template_hash(template: Obj) -> str:
    """The ``pod-template-hash`` of a pod template: FNV-1a of its canonical JSON, encoded as the controller
    encodes it (each decimal digit of the hash mapped into :data:`SAFE_ALPHABET`)."""
    value = 0x811C9DC5
    for byte in json.dumps(template, sort_keys=True, separators=(",", ":")).encode():
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return "".join(SAFE_ALPHABET[int(d) % len(SAFE_ALPHABET)] for d in str(value))


def hex_id(*parts: object, length: int = 64) -> str:
    """A stable hexadecimal id derived from ``parts`` (container ids, image digests)."""
    return hashlib.sha256("/".join(str(p) for p in parts).encode()).hexdigest()[:length]


def owner_ref(owner: Obj, *, controller: bool = True) -> Obj:
    meta = owner["metadata"]
    return {
        "apiVersion": owner["apiVersion"],
        "kind": owner["kind"],
        "name": meta["name"],
        "uid": meta["uid"],
        "controller": controller,
        "blockOwnerDeletion": True,
    }


def controller_of(obj: Obj) -> Obj | None:
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return dict(ref)
    return None


def labels_of(obj: Obj) -> dict[str, str]:
    return dict((obj.get("metadata") or {}).get("labels") or {})


def selector_matches(selector: Obj | None, labels: dict[str, str]) -> bool:
    """A LabelSelector (``matchLabels`` and ``matchExpressions``) against a label map."""
    if not selector:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr.get("key"), expr.get("operator"), set(expr.get("values") or [])
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def split_image(image: str) -> tuple[str, str]:
    """``registry/repo:tag`` → (``registry/repo``, ``tag``); no tag → ``latest``; a digest is its own tag."""
    if "@" in image:
        repo, digest = image.split("@", 1)
        return repo, digest
    last = image.rsplit("/", 1)[-1]
    if ":" in last:
        repo, tag = image.rsplit(":", 1)
        return repo, tag
    return image, "latest"


def full_image(image: str) -> str:
    """The fully qualified reference a container runtime reports (``nginx:1.27`` → ``docker.io/library/...``)."""
    repo, tag = split_image(image)
    first = repo.split("/", 1)[0]
    if "/" not in repo:
        repo = f"docker.io/library/{repo}"
    elif "." not in first and ":" not in first and first != "localhost":
        repo = f"docker.io/{repo}"
    return f"{repo}@{tag}" if tag.startswith("sha256:") else f"{repo}:{tag}"


def pod_containers(pod: Obj) -> Iterator[tuple[Obj, bool]]:
    """``(container, is_init)`` in start order."""
    spec = pod.get("spec") or {}
    for c in spec.get("initContainers") or []:
        yield c, True
    for c in spec.get("containers") or []:
        yield c, False


def pod_requests(spec: Obj) -> tuple[float, float]:
    """(cpu cores, memory bytes) the scheduler reserves: the sum over containers, or the largest init container."""

    def total(containers: list[Obj], name: str) -> float:
        return sum(quantity(((c.get("resources") or {}).get("requests") or {}).get(name, 0)) for c in containers)

    def peak(containers: list[Obj], name: str) -> float:
        return max(
            (quantity(((c.get("resources") or {}).get("requests") or {}).get(name, 0)) for c in containers), default=0
        )

    regular, init = list(spec.get("containers") or []), list(spec.get("initContainers") or [])
    return (
        max(total(regular, "cpu"), peak(init, "cpu")),
        max(total(regular, "memory"), peak(init, "memory")),
    )


def workload_template(obj: Obj) -> Obj | None:
    """The pod template of a workload (``spec.template``, or ``spec.jobTemplate.spec.template`` for a CronJob)."""
    spec = obj.get("spec") or {}
    if obj.get("kind") == "CronJob":
        return ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template")
    template = spec.get("template")
    return template if isinstance(template, dict) else None


def find_container(template: Obj, name: str) -> Obj:
    spec = template.get("spec") or {}
    for c in list(spec.get("containers") or []) + list(spec.get("initContainers") or []):
        if c.get("name") == name:
            return c
    raise KeyError(f"no container {name!r}")
