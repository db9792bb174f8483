"""Trusted-registry grammar, normalisation and matching rule (docs/api.md#trusted-registries) as pure functions."""

from __future__ import annotations

import pytest

from app.services.registries import matching_registry, normalise_registry, registry_keys

pytestmark = pytest.mark.unit

ACCEPTED = [
    ("docker.io", "docker.io"),
    ("Docker.IO", "docker.io"),
    ("ghcr.io/acme", "ghcr.io/acme"),
    ("GHCR.io/Acme/Team", "ghcr.io/acme/team"),
    ("docker.io/library", "docker.io/library"),
    ("localhost", "localhost"),
    ("localhost:5000", "localhost:5000"),
    ("registry.example.com:443/team/sub.group/x_y-z", "registry.example.com:443/team/sub.group/x_y-z"),
    ("10.0.0.1", "10.0.0.1"),
    ("10.0.0.1:65535", "10.0.0.1:65535"),
    ("192.168.1.20:1/a", "192.168.1.20:1/a"),
    ("my-registry", "my-registry"),
    ("a" * 63 + ".io", "a" * 63 + ".io"),
    ("r.io/" + "p" * 250, "r.io/" + "p" * 250),  # exactly 255 characters
]

REJECTED = [
    "",
    "https://ghcr.io",  # scheme
    "http://registry.example.com/team",
    "ghcr.io/",  # trailing slash
    "ghcr.io/acme/",
    "ghcr.io//acme",  # empty segment
    "/ghcr.io",
    "nginx:latest",  # tag (parsed as a non-numeric port)
    "ghcr.io/acme/app:1.0",  # tag in the path
    "ghcr.io/acme/app@sha256:abc",  # digest
    "registry.example.com:0",  # port out of range
    "registry.example.com:65536",
    "registry.example.com:080",  # leading zero
    "registry.example.com:",  # empty port
    "registry.example.com:50:00",
    "-bad.example.com",  # label starts with a hyphen
    "bad-.example.com",
    "under_score.example.com",
    "a..b",
    ".example.com",
    "example.com.",
    "a" * 64 + ".io",  # label over 63
    "256.1.1.1",  # not an IPv4 address
    "1.2.3",
    "10",
    "[::1]:5000",  # IPv6 is not part of the grammar
    "ghcr.io/ac me",
    " ghcr.io",
    "ghcr.io/acme?x=1",
    "ghcr.io/äcme",
    "r.io/" + "p" * 251,  # 256 characters
]


@pytest.mark.parametrize(("raw", "normalised"), ACCEPTED)
def test_accepted_values_are_lower_cased(raw: str, normalised: str) -> None:
    assert normalise_registry(raw) == normalised


@pytest.mark.parametrize("raw", REJECTED)
def test_rejected_values(raw: str) -> None:
    with pytest.raises(ValueError, match="host\\[:port\\]\\[/path\\]"):
        normalise_registry(raw)


def test_registry_keys_cover_registry_and_every_image_prefix() -> None:
    details = {"registry": "Evil.Example.com:5000", "image": "evil.example.com:5000/Team/app:1.2"}
    assert registry_keys("untrusted_registry", details) == [
        "evil.example.com:5000", "evil.example.com:5000/team"]
    deep = {"registry": "docker.io", "image": "docker.io/library/nginx@sha256:ab"}
    assert registry_keys("untrusted_registry", deep) == ["docker.io", "docker.io/library"]
    assert registry_keys("privileged_container", details) == []  # only untrusted_registry findings match
    assert registry_keys("untrusted_registry", {"registry": 5, "image": None}) == []


@pytest.mark.parametrize(("trusted", "details", "matches"), [
    ("docker.io", {"registry": "docker.io", "image": "docker.io/library/nginx"}, True),
    ("docker.io/library", {"registry": "docker.io", "image": "docker.io/library/nginx"}, True),
    ("docker.io/library", {"registry": "docker.io", "image": "docker.io/bitnami/redis:7.2"}, False),
    ("docker.io/lib", {"registry": "docker.io", "image": "docker.io/library/nginx"}, False),  # whole segments
    ("ghcr.io", {"registry": "GHCR.IO"}, True),
    ("ghcr.io/acme", {"image": "GHCR.io/ACME/app:1"}, True),
    ("ghcr.io/acme/app", {"image": "ghcr.io/acme/app:1"}, False),  # the image itself, not a prefix
    ("quay.io", {"registry": "ghcr.io", "image": "ghcr.io/quay.io/x"}, False),
])
def test_matching_rule(trusted: str, details: dict[str, object], matches: bool) -> None:
    assert (trusted in registry_keys("untrusted_registry", details)) is matches


def test_the_202_names_the_most_specific_trusted_value() -> None:
    details = {"registry": "docker.io", "image": "docker.io/library/nginx"}
    assert matching_registry(details, ["docker.io/library", "docker.io"]) == "docker.io"
    assert matching_registry({"image": "ghcr.io/acme/team/app"}, ["ghcr.io", "ghcr.io/acme/team"]) == \
        "ghcr.io/acme/team"
    assert matching_registry(details, []) is None
