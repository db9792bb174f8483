"""Image reference parsing and trusted-registry matching (docs/agent-scanner.md#image-references-and-trusted-registries,
docs/api.md#trusted-registries)."""

from __future__ import annotations

import pytest

from app.kube.images import is_trusted, parse_image, valid_trusted_registry

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("written", "registry", "name"),
    [
        ("nginx", "docker.io", "docker.io/library/nginx"),
        ("bitnami/redis:7.2", "docker.io", "docker.io/bitnami/redis:7.2"),
        ("ghcr.io/acme/app@sha256:" + "ab" * 32, "ghcr.io", "ghcr.io/acme/app@sha256:" + "ab" * 32),
        ("localhost:5000/app:1", "localhost:5000", "localhost:5000/app:1"),
        ("Evil.Example.com:5000/team/app:1.2", "evil.example.com:5000", "evil.example.com:5000/team/app:1.2"),
        ("index.docker.io/library/busybox:1.36", "docker.io", "docker.io/library/busybox:1.36"),
        ("registry-1.docker.io/nginx", "docker.io", "docker.io/library/nginx"),
        ("registry.k8s.io/pause:3.9", "registry.k8s.io", "registry.k8s.io/pause:3.9"),
    ],
)
def test_parse(written: str, registry: str, name: str) -> None:
    ref = parse_image(written)
    assert ref is not None
    assert (ref.registry, ref.name) == (registry, name)


@pytest.mark.parametrize("written", ["Invalid/Image/Name:With:Colons", "", "nginx@sha256:xyz", "a b", None])
def test_unparseable(written: object) -> None:
    assert parse_image(written) is None


def test_mutable_tags() -> None:
    assert parse_image("nginx").mutable  # type: ignore[union-attr]
    assert parse_image("nginx:latest").mutable  # type: ignore[union-attr]
    assert not parse_image("nginx:1.25").mutable  # type: ignore[union-attr]
    assert not parse_image("nginx@sha256:" + "0" * 64).mutable  # type: ignore[union-attr]


def test_trust_by_registry_or_path_prefix() -> None:
    official = parse_image("nginx:1.25")
    community = parse_image("bitnami/redis:7.2")
    assert official is not None
    assert community is not None
    assert is_trusted(official, {"docker.io/library"})
    assert not is_trusted(community, {"docker.io/library"})
    assert is_trusted(community, {"docker.io"})
    evil = parse_image("evil.example.com:5000/team/app:1.2")
    assert evil is not None
    assert not is_trusted(evil, {"evil.example.com"})
    assert is_trusted(evil, {"evil.example.com:5000/team"})
    assert not is_trusted(evil, {"evil.example.com:5000/te"})


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("registry.k8s.io", True),
        ("ghcr.io/acme", True),
        ("10.0.0.1:5000", True),
        ("https://ghcr.io", False),
        ("ghcr.io/", False),
        ("ghcr.io:99999", False),
        ("ghcr.io/acme:1.0", False),
    ],
)
def test_registry_grammar(value: str, ok: bool) -> None:
    assert valid_trusted_registry(value) is ok
