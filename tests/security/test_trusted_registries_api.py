"""Trusted-registry routes (docs/api.md#trusted-registries) and their effect on untrusted_registry findings
(docs/api.md#reporting-a-finding).

Runs on mongomock and on the real MongoDB-wire server.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from quart.typing import TestClientProtocol

from app.core.clock import ManualClock
from app.core.timefmt import iso
from tests.conftest import SERVICE_HEADERS
from tests.security.conftest import HubListener, Poster

UserClient = Callable[..., Awaitable[TestClientProtocol]]


def untrusted(image: str, registry: str, resource_name: str) -> dict[str, Any]:
    return {"check_name": "untrusted_registry", "severity": "medium", "resource_type": "Deployment",
            "resource_name": resource_name,
            "message": f"Container 'app' pulls '{image}' from untrusted registry '{registry}'",
            "details": {"registry": registry, "image": image, "images": [image]}}


@pytest.fixture
async def writer(user_client: UserClient) -> TestClientProtocol:
    return await user_client("write")


async def test_add_list_and_duplicate(
    writer: TestClientProtocol, client: TestClientProtocol, hub: HubListener, clock: ManualClock
) -> None:
    response = await writer.post("/api/security/trusted-registries", json={"registry": "GHCR.io/Acme"})
    assert response.status_code == 201
    created = await response.get_json()
    assert created == {"id": created["id"], "registry": "ghcr.io/acme", "created_at": iso(clock.now())}
    assert hub.drain() == [("trusted_registry_change", {"registry": "ghcr.io/acme", "action": "added"})]

    response = await writer.post("/api/security/trusted-registries", json={"registry": "ghcr.io/ACME"})
    assert response.status_code == 200
    assert await response.get_json() == created
    assert hub.drain() == []  # a duplicate has no side effects

    await writer.post("/api/security/trusted-registries", json={"registry": "docker.io"})
    await writer.post("/api/security/trusted-registries", json={"registry": "quay.io"})
    for headers, principal in ((SERVICE_HEADERS, client), ({}, writer)):
        listing = await principal.get("/api/security/trusted-registries", headers=headers)
        assert listing.status_code == 200
        assert [row["registry"] for row in await listing.get_json()] == ["docker.io", "ghcr.io/acme", "quay.io"]


@pytest.mark.parametrize("value", ["https://ghcr.io", "ghcr.io/", "nginx:latest", "ghcr.io/a/app@sha256:ab", "",
                                   "registry.example.com:70000", "r.io/" + "p" * 251])
async def test_invalid_registry_is_422(writer: TestClientProtocol, hub: HubListener, value: str) -> None:
    response = await writer.post("/api/security/trusted-registries", json={"registry": value})
    assert response.status_code == 422
    assert (await response.get_json())["detail"][0]["loc"] == ["body", "registry"]
    assert hub.drain() == []


@pytest.mark.parametrize("body", [{}, {"registry": 5}, {"registry": None}, {"registry": ["docker.io"]}])
async def test_registry_body_validation(writer: TestClientProtocol, body: dict[str, Any]) -> None:
    response = await writer.post("/api/security/trusted-registries", json=body)
    assert response.status_code == 422


async def test_adding_deletes_matching_active_untrusted_findings_only(
    writer: TestClientProtocol, post_finding: Poster, hub: HubListener
) -> None:
    _, official = await post_finding(**untrusted("docker.io/library/nginx:1.25", "docker.io", "web"))
    _, official_dismissed = await post_finding(**untrusted("docker.io/library/redis", "docker.io", "cache"))
    _, community = await post_finding(**untrusted("docker.io/bitnami/redis:7.2", "docker.io", "queue"))
    _, other_check = await post_finding(check_name="image_tag_latest", resource_name="web",
                                        details={"registry": "docker.io", "image": "docker.io/library/nginx"})
    await writer.delete(f"/api/security/findings/{official_dismissed['id']}")
    hub.drain()

    response = await writer.post("/api/security/trusted-registries", json={"registry": "docker.io/library"})
    assert response.status_code == 201
    assert hub.drain() == [
        ("security_finding_deleted", {"ids": [official["id"]], "reason": "registry_trusted"}),
        ("trusted_registry_change", {"registry": "docker.io/library", "action": "added"}),
    ]
    remaining = await (await writer.get("/api/security/findings?include_dismissed=true")).get_json()
    assert sorted(item["id"] for item in remaining) == sorted(
        [official_dismissed["id"], community["id"], other_check["id"]])

    # Reports covered by the trusted registry are now answered 202 and not stored.
    status, body = await post_finding(**untrusted("docker.io/library/nginx:1.26", "docker.io", "web"))
    assert (status, body) == (202, {"excluded": True, "detail": "Registry 'docker.io/library' is trusted"})
    status, _ = await post_finding(**untrusted("docker.io/bitnami/redis:7.4", "docker.io", "queue"))
    assert status == 200  # another path of the same registry is still untrusted
    # Other checks on a trusted image are unaffected.
    status, _ = await post_finding(check_name="image_tag_latest", resource_name="web2",
                                   details={"registry": "docker.io", "image": "docker.io/library/nginx"})
    assert status == 200


async def test_registry_match_names_the_registry_itself(
    writer: TestClientProtocol, post_finding: Poster, hub: HubListener
) -> None:
    await writer.post("/api/security/trusted-registries", json={"registry": "evil.example.com:5000"})
    status, body = await post_finding(**untrusted("evil.example.com:5000/team/app:1.2", "Evil.Example.com:5000",
                                                  "app"))
    assert (status, body) == (202, {"excluded": True, "detail": "Registry 'evil.example.com:5000' is trusted"})


async def test_adding_with_nothing_to_delete_only_announces(
    writer: TestClientProtocol, post_finding: Poster, hub: HubListener
) -> None:
    await post_finding(**untrusted("quay.io/org/app", "quay.io", "app"))
    hub.drain()
    await writer.post("/api/security/trusted-registries", json={"registry": "ghcr.io"})
    assert hub.drain() == [("trusted_registry_change", {"registry": "ghcr.io", "action": "added"})]


async def test_delete_with_slashes_and_case(
    writer: TestClientProtocol, post_finding: Poster, hub: HubListener
) -> None:
    await writer.post("/api/security/trusted-registries", json={"registry": "registry.example.com/team/sub"})
    hub.drain()
    response = await writer.delete("/api/security/trusted-registries/Registry.Example.com/Team/Sub")
    assert response.status_code == 204
    assert await response.get_data() == b""
    assert hub.drain() == [("trusted_registry_change",
                            {"registry": "registry.example.com/team/sub", "action": "removed"})]
    listing = await (await writer.get("/api/security/trusted-registries")).get_json()
    assert listing == []

    response = await writer.delete("/api/security/trusted-registries/Registry.Example.com/Team/Sub")
    assert response.status_code == 404
    assert await response.get_json() == {
        "detail": "Registry 'registry.example.com/team/sub' not found in trusted list"}
    assert hub.drain() == []

    # Removal does not bring findings back, but new reports are stored again.
    status, _ = await post_finding(**untrusted("registry.example.com/team/sub/app", "registry.example.com",
                                               "app"))
    assert status == 200


async def test_delete_unknown_simple_registry(writer: TestClientProtocol) -> None:
    response = await writer.delete("/api/security/trusted-registries/quay.io")
    assert response.status_code == 404
    assert await response.get_json() == {"detail": "Registry 'quay.io' not found in trusted list"}


async def test_delete_with_a_trailing_slash_is_an_unknown_route(writer: TestClientProtocol) -> None:
    await writer.post("/api/security/trusted-registries", json={"registry": "ghcr.io"})
    response = await writer.delete("/api/security/trusted-registries/ghcr.io/")
    assert response.status_code == 404
    assert await response.get_json() == {"detail": "Not Found"}
    listing = await (await writer.get("/api/security/trusted-registries")).get_json()
    assert [row["registry"] for row in listing] == ["ghcr.io"]
