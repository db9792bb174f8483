"""Findings feed (docs/api.md#reporting-a-finding, docs/api.md#dropping-a-resources-findings,
docs/api.md#scan-progress-and-requests, docs/api.md#deduplicating-findings): ingest, dedup, list, dismiss/restore, fix,
deletes.

Every test runs on mongomock and on the real MongoDB-wire server (the ``app`` fixture is parametrised).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from prometheus_client import REGISTRY
from quart.typing import TestClientProtocol

from app.core.clock import ManualClock
from app.core.timefmt import iso
from app.wiring import Services
from tests.conftest import SERVICE_HEADERS
from tests.security.conftest import HubListener, Poster, RecordingNotifier, finding_body

UserClient = Callable[..., Awaitable[TestClientProtocol]]

FINDING_FIELDS = ["id", "resource_type", "resource_name", "namespace", "check_name", "severity", "message",
                  "remediation", "details", "has_manifest", "dismissed", "dismissed_at", "first_seen", "last_seen"]


def _sample(name: str, labels: dict[str, str] | None = None) -> float:
    return REGISTRY.get_sample_value(name, labels or {}) or 0.0


# --- ingest ------------------------------------------------------------------------------------------------


async def test_new_finding_is_stored_broadcast_notified_and_counted(
    post_finding: Poster, hub: HubListener, notifier: RecordingNotifier, clock: ManualClock
) -> None:
    before = _sample("kure_security_findings_total", {"severity": "critical"})
    status, body = await post_finding()
    assert status == 200
    assert list(body) == FINDING_FIELDS
    assert body["resource_name"] == "my-app-7d9f8b6c4-abc12"
    assert body["details"] == {"container": "app", "field": "securityContext.privileged"}
    assert body["has_manifest"] is False
    assert body["dismissed"] is False and body["dismissed_at"] is None
    assert body["first_seen"] == body["last_seen"] == iso(clock.now())
    assert hub.drain() == [("security_finding", body)]
    assert notifier.calls == [("security_finding", {
        "id": body["id"], "severity": "critical", "resource_type": "Pod", "namespace": "default",
        "resource_name": "my-app-7d9f8b6c4-abc12", "check_name": "privileged_container",
        "message": "Container 'app' is running in privileged mode"}, "critical")]
    assert _sample("kure_security_findings_total", {"severity": "critical"}) == before + 1


async def test_optional_fields_default(post_finding: Poster, client: TestClientProtocol) -> None:
    body = finding_body()
    del body["remediation"], body["details"]
    response = await client.post("/api/security/findings", json=body, headers=SERVICE_HEADERS)
    assert response.status_code == 200
    stored = await response.get_json()
    assert stored["remediation"] == "" and stored["details"] == {} and stored["has_manifest"] is False


async def test_re_report_updates_in_place_quietly(
    post_finding: Poster, hub: HubListener, notifier: RecordingNotifier, clock: ManualClock
) -> None:
    _, first = await post_finding(manifest="apiVersion: v1\nkind: Pod\n")
    assert first["has_manifest"] is True
    hub.drain()
    notifier.calls.clear()
    clock.advance(90)
    before = _sample("kure_security_findings_total", {"severity": "high"})
    status, second = await post_finding(severity="high", message="changed", remediation="new remedy",
                                        details={"container": "sidecar"}, manifest="")
    assert status == 200
    assert second["id"] == first["id"]
    assert second["first_seen"] == first["first_seen"]
    assert second["last_seen"] == iso(clock.now()) != first["last_seen"]
    assert (second["severity"], second["message"], second["remediation"], second["details"]) == (
        "high", "changed", "new remedy", {"container": "sidecar"})
    assert second["has_manifest"] is True  # an empty manifest in a re-report keeps the stored one
    assert hub.drain() == [] and notifier.calls == []
    assert _sample("kure_security_findings_total", {"severity": "high"}) == before + 1


async def test_dedup_key_has_four_parts(post_finding: Poster) -> None:
    ids = set()
    for override in ({}, {"resource_type": "Deployment"}, {"namespace": "other"}, {"resource_name": "x"},
                     {"check_name": "host_network"}):
        _, body = await post_finding(**override)
        ids.add(body["id"])
    assert len(ids) == 5


async def test_dismissed_finding_stays_dismissed_when_reported_again(
    post_finding: Poster, user_client: UserClient, hub: HubListener, clock: ManualClock
) -> None:
    writer = await user_client("write")
    _, created = await post_finding()
    dismissed = await (await writer.delete(f"/api/security/findings/{created['id']}")).get_json()
    assert dismissed["dismissed"] is True
    hub.drain()
    clock.advance(60)
    status, again = await post_finding(message="still privileged")
    assert status == 200
    assert again["id"] == created["id"]
    assert again["dismissed"] is True and again["dismissed_at"] == dismissed["dismissed_at"]
    assert again["message"] == "still privileged"
    assert hub.drain() == []


async def test_concurrent_duplicate_reports_make_one_finding(
    client: TestClientProtocol, hub: HubListener, notifier: RecordingNotifier
) -> None:
    async def post() -> Any:
        response = await client.post("/api/security/findings", json=finding_body(), headers=SERVICE_HEADERS)
        assert response.status_code == 200
        return (await response.get_json())["id"]

    ids = await asyncio.gather(*(post() for _ in range(30)))
    assert len(set(ids)) == 1
    listing = await client.get("/api/security/findings", headers=SERVICE_HEADERS)
    assert listing.status_code == 403  # the list is for users; count through the broadcasts instead
    assert [kind for kind, _ in hub.drain()] == ["security_finding"]
    assert len(notifier.calls) == 1


@pytest.mark.parametrize(("override", "loc"), [
    ({"resource_type": ""}, ["body", "resource_type"]),
    ({"resource_type": "   "}, ["body", "resource_type"]),
    ({"resource_type": "x" * 65}, ["body", "resource_type"]),
    ({"resource_name": "x" * 254}, ["body", "resource_name"]),
    ({"namespace": "n" * 64}, ["body", "namespace"]),
    ({"check_name": "c" * 129}, ["body", "check_name"]),
    ({"severity": "urgent"}, ["body", "severity"]),
    ({"severity": "CRITICAL"}, ["body", "severity"]),
    ({"message": " "}, ["body", "message"]),
    ({"details": ["not", "an", "object"]}, ["body", "details"]),
    ({"remediation": 5}, ["body", "remediation"]),
    ({"manifest": {"kind": "Pod"}}, ["body", "manifest"]),
    ({"namespace": None}, ["body", "namespace"]),
    ({"details": {"n": 2**64}}, ["body", "details"]),
    ({"details": {"n": [{"m": -(2**63) - 1}]}}, ["body", "details"]),
])
async def test_report_validation(post_finding: Poster, override: dict[str, Any], loc: list[str]) -> None:
    status, body = await post_finding(**override)
    assert status == 422
    assert loc in [item["loc"] for item in body["detail"]]


async def test_details_are_stored_as_sent(post_finding: Poster, user_client: UserClient) -> None:
    details = {"a.b": 1, "$ref": "x", "big": 2**63 - 1, "list": [{"k.v": True}], "unicode": "ü"}
    status, body = await post_finding(details=details)
    assert status == 200 and body["details"] == details
    reader = await user_client("read")
    listed = await (await reader.get("/api/security/findings")).get_json()
    assert listed[0]["details"] == details


async def test_deeply_nested_details_are_422(client: TestClientProtocol) -> None:
    nested: dict[str, Any] = {}
    for _ in range(40):
        nested = {"n": nested}
    response = await client.post("/api/security/findings", json=finding_body(details=nested),
                                 headers=SERVICE_HEADERS)
    assert response.status_code == 422


async def test_missing_field_and_non_object_bodies(client: TestClientProtocol) -> None:
    body = finding_body()
    del body["check_name"]
    response = await client.post("/api/security/findings", json=body, headers=SERVICE_HEADERS)
    assert response.status_code == 422
    assert ["body", "check_name"] in [item["loc"] for item in (await response.get_json())["detail"]]
    response = await client.post("/api/security/findings", json=[1], headers=SERVICE_HEADERS)
    assert response.status_code == 422


async def test_cluster_scoped_findings_have_empty_namespace(post_finding: Poster) -> None:
    status, body = await post_finding(resource_type="ClusterRole", resource_name="wildcard", namespace="",
                                      check_name="rbac_cluster_admin_equivalent")
    assert status == 200 and body["namespace"] == ""


async def test_excluded_namespace_is_answered_202_and_not_stored(
    post_finding: Poster, services: Services, user_client: UserClient, hub: HubListener
) -> None:
    await services.exclusions.exclude_namespace("kube-system")
    hub.drain()
    status, body = await post_finding(namespace="kube-system")
    assert (status, body) == (202, {"excluded": True, "detail": "Namespace 'kube-system' is excluded"})
    reader = await user_client("read")
    listing = await reader.get("/api/security/findings?include_dismissed=true")
    assert await listing.get_json() == [] and listing.headers["X-Total-Count"] == "0"
    assert hub.drain() == []


async def test_excluding_a_namespace_deletes_its_active_findings_only(
    post_finding: Poster, services: Services, user_client: UserClient, hub: HubListener
) -> None:
    writer = await user_client("write")
    _, active = await post_finding(namespace="team-a")
    _, dismissed = await post_finding(namespace="team-a", check_name="host_pid")
    _, elsewhere = await post_finding(namespace="team-b")
    await writer.delete(f"/api/security/findings/{dismissed['id']}")
    hub.drain()
    await services.exclusions.exclude_namespace("team-a")
    messages = hub.drain()
    assert ("security_finding_deleted", {"ids": [active["id"]], "reason": "namespace_excluded"}) in messages
    listing = await (await writer.get("/api/security/findings?include_dismissed=true")).get_json()
    assert sorted(item["id"] for item in listing) == sorted([dismissed["id"], elsewhere["id"]])


# --- list --------------------------------------------------------------------------------------------------


async def _seed(post_finding: Poster, clock: ManualClock) -> dict[str, dict[str, Any]]:
    made = {}
    for name, override in {
        "crit": {"severity": "critical", "check_name": "privileged_container"},
        "high": {"severity": "high", "check_name": "host_network", "resource_type": "Deployment"},
        "low": {"severity": "low", "check_name": "single_replica", "namespace": "other"},
        "cluster": {"severity": "medium", "check_name": "rbac_wildcard", "namespace": "",
                    "resource_type": "ClusterRole"},
        "info": {"severity": "info", "check_name": "liveness_probe_missing"},
    }.items():
        clock.advance(10)
        _, made[name] = await post_finding(**override)
    return made


async def test_list_orders_newest_first_and_filters(
    post_finding: Poster, user_client: UserClient, clock: ManualClock
) -> None:
    made = await _seed(post_finding, clock)
    reader = await user_client("read")

    async def ids(query: str = "") -> list[int]:
        response = await reader.get(f"/api/security/findings{query}")
        assert response.status_code == 200, await response.get_data(as_text=True)
        body = await response.get_json()
        assert response.headers["X-Total-Count"] == str(len(body))
        return [item["id"] for item in body]

    order = ["info", "cluster", "low", "high", "crit"]
    assert await ids() == [made[name]["id"] for name in order]
    assert await ids("?severity=critical,high") == [made["high"]["id"], made["crit"]["id"]]
    assert await ids("?severity=low") == [made["low"]["id"]]
    assert await ids("?severity=") == await ids()
    assert await ids("?namespace=_") == [made["cluster"]["id"]]
    assert await ids("?namespace=other") == [made["low"]["id"]]
    assert await ids("?namespace=") == await ids()
    assert await ids("?check_name=host_network") == [made["high"]["id"]]
    assert await ids("?resource_type=ClusterRole") == [made["cluster"]["id"]]
    assert await ids("?resource_type=Pod&severity=info,critical") == [made["info"]["id"], made["crit"]["id"]]

    # A re-report moves a finding to the front.
    clock.advance(10)
    await post_finding(severity="critical", check_name="privileged_container")
    assert (await ids())[0] == made["crit"]["id"]


async def test_list_ties_break_by_id_descending(post_finding: Poster, user_client: UserClient) -> None:
    created = [(await post_finding(resource_name=f"pod-{i}"))[1]["id"] for i in range(4)]
    reader = await user_client("read")
    body = await (await reader.get("/api/security/findings")).get_json()
    assert [item["id"] for item in body] == sorted(created, reverse=True)


async def test_list_hides_dismissed_unless_asked(post_finding: Poster, user_client: UserClient) -> None:
    writer = await user_client("write")
    _, kept = await post_finding()
    _, gone = await post_finding(check_name="host_pid")
    await writer.delete(f"/api/security/findings/{gone['id']}")
    default = await (await writer.get("/api/security/findings")).get_json()
    assert [item["id"] for item in default] == [kept["id"]]
    for value in ("true", "1", "TRUE"):
        both = await (await writer.get(f"/api/security/findings?include_dismissed={value}")).get_json()
        assert sorted(item["id"] for item in both) == sorted([kept["id"], gone["id"]])
    explicit = await (await writer.get("/api/security/findings?include_dismissed=false")).get_json()
    assert [item["id"] for item in explicit] == [kept["id"]]


async def test_list_pagination(post_finding: Poster, user_client: UserClient, clock: ManualClock) -> None:
    created = []
    for i in range(5):
        clock.advance(1)
        created.append((await post_finding(resource_name=f"pod-{i}"))[1]["id"])
    newest_first = list(reversed(created))
    reader = await user_client("read")
    page = await reader.get("/api/security/findings?limit=2&offset=1")
    assert [item["id"] for item in await page.get_json()] == newest_first[1:3]
    assert page.headers["X-Total-Count"] == "5"
    beyond = await reader.get("/api/security/findings?offset=10")
    assert await beyond.get_json() == [] and beyond.headers["X-Total-Count"] == "5"


@pytest.mark.parametrize(("query", "field"), [
    ("severity=urgent", "severity"), ("severity=critical,bogus", "severity"), ("limit=0", "limit"),
    ("limit=1001", "limit"), ("limit=ten", "limit"), ("offset=-1", "offset"),
    ("include_dismissed=yes", "include_dismissed"),
])
async def test_list_query_validation(user_client: UserClient, query: str, field: str) -> None:
    reader = await user_client("read")
    response = await reader.get(f"/api/security/findings?{query}")
    assert response.status_code == 422
    assert ["query", field] in [item["loc"] for item in (await response.get_json())["detail"]]


# --- dismiss / restore ---------------------------------------------------------------------------------------


async def test_dismiss_and_restore(
    post_finding: Poster, user_client: UserClient, clock: ManualClock, hub: HubListener
) -> None:
    writer = await user_client("write")
    _, created = await post_finding()
    hub.drain()
    clock.advance(5)
    response = await writer.delete(f"/api/security/findings/{created['id']}")
    assert response.status_code == 200
    dismissed = await response.get_json()
    assert dismissed["dismissed"] is True and dismissed["dismissed_at"] == iso(clock.now())
    clock.advance(5)
    again = await (await writer.delete(f"/api/security/findings/{created['id']}")).get_json()
    assert again == dismissed  # already dismissed: unchanged

    restored = await writer.put(f"/api/security/findings/{created['id']}/restore")
    assert restored.status_code == 200
    body = await restored.get_json()
    assert body["dismissed"] is False and body["dismissed_at"] is None
    assert await (await writer.put(f"/api/security/findings/{created['id']}/restore")).get_json() == body
    assert hub.drain() == []  # dismiss and restore are not broadcast


@pytest.mark.parametrize(("method", "suffix"), [("DELETE", ""), ("PUT", "/restore"), ("POST", "/fix")])
async def test_unknown_and_malformed_finding_ids(user_client: UserClient, method: str, suffix: str) -> None:
    writer = await user_client("write")
    send = {"DELETE": writer.delete, "PUT": writer.put, "POST": writer.post}[method]
    response = await send(f"/api/security/findings/4242{suffix}")
    assert response.status_code == 404
    assert await response.get_json() == {"detail": "Security finding not found"}
    response = await send(f"/api/security/findings/abc{suffix}")
    assert response.status_code == 422
    assert (await response.get_json())["detail"][0]["loc"] == ["path", "finding_id"]


# --- fix -----------------------------------------------------------------------------------------------------


async def test_fix_without_llm_is_the_remediation_fallback(post_finding: Poster, user_client: UserClient) -> None:
    writer = await user_client("write")
    _, created = await post_finding(manifest="apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n")
    response = await writer.post(f"/api/security/findings/{created['id']}/fix")
    assert response.status_code == 200
    assert await response.get_json() == {
        "finding_id": created["id"], "fixed_manifest": "",
        "explanation": "Remove 'privileged: true' from securityContext", "is_fallback": True,
    }


# --- resource deletion ---------------------------------------------------------------------------------------


async def test_resource_delete_removes_active_and_dismissed(
    post_finding: Poster, client: TestClientProtocol, user_client: UserClient, hub: HubListener
) -> None:
    writer = await user_client("write")
    _, one = await post_finding()
    _, two = await post_finding(check_name="host_pid")
    _, other = await post_finding(resource_name="another-pod")
    await writer.delete(f"/api/security/findings/{two['id']}")
    hub.drain()
    response = await client.delete("/api/security/findings/resource/Pod/default/my-app-7d9f8b6c4-abc12",
                                   headers=SERVICE_HEADERS)
    assert response.status_code == 200
    assert await response.get_json() == {"deleted": 2}
    assert hub.drain() == [("security_finding_deleted",
                            {"ids": sorted([one["id"], two["id"]]), "reason": "resource_deleted"})]
    remaining = await (await writer.get("/api/security/findings?include_dismissed=true")).get_json()
    assert [item["id"] for item in remaining] == [other["id"]]

    response = await client.delete("/api/security/findings/resource/Pod/default/my-app-7d9f8b6c4-abc12",
                                   headers=SERVICE_HEADERS)
    assert await response.get_json() == {"deleted": 0}
    assert hub.drain() == []


async def test_resource_delete_cluster_scoped_and_check_filter(
    post_finding: Poster, client: TestClientProtocol, user_client: UserClient, hub: HubListener
) -> None:
    common = {"resource_type": "ClusterRole", "resource_name": "wild", "namespace": ""}
    _, first = await post_finding(check_name="rbac_wildcard", **common)
    _, second = await post_finding(check_name="rbac_secrets", **common)
    _, third = await post_finding(check_name="rbac_escalate", **common)
    hub.drain()
    response = await client.delete(
        "/api/security/findings/resource/ClusterRole/_/wild?check_name=rbac_wildcard,rbac_escalate",
        headers=SERVICE_HEADERS)
    assert await response.get_json() == {"deleted": 2}
    assert hub.drain() == [("security_finding_deleted",
                            {"ids": sorted([first["id"], third["id"]]), "reason": "resource_deleted"})]
    reader = await user_client("read")
    left = await (await reader.get("/api/security/findings")).get_json()
    assert [item["id"] for item in left] == [second["id"]]


# --- scanner status, user rescan, scan duration ----------------------------------------------------------------


async def test_rescan_status_is_broadcast(client: TestClientProtocol, hub: HubListener) -> None:
    response = await client.post("/api/security/rescan-status", json={"status": "started", "reason": "manual"},
                                 headers=SERVICE_HEADERS)
    assert response.status_code == 204
    response = await client.post("/api/security/rescan-status", json={"status": "failed"}, headers=SERVICE_HEADERS)
    assert response.status_code == 204
    assert hub.drain() == [("security_rescan_status", {"status": "started", "reason": "manual"}),
                           ("security_rescan_status", {"status": "failed", "reason": None})]


@pytest.mark.parametrize("body", [{"status": "done"}, {"status": "started", "reason": "r" * 201}, {},
                                  {"status": "started", "reason": 3}])
async def test_rescan_status_validation(client: TestClientProtocol, hub: HubListener, body: dict[str, Any]) -> None:
    response = await client.post("/api/security/rescan-status", json=body, headers=SERVICE_HEADERS)
    assert response.status_code == 422
    assert hub.drain() == []


async def test_user_rescan_request(user_client: UserClient, hub: HubListener) -> None:
    writer = await user_client("write", username="alice")
    response = await writer.post("/api/security/rescan")
    assert response.status_code == 202
    assert await response.get_json() == {"requested": True}
    assert hub.drain() == [("security_rescan_request", {"requested_by": "alice"})]


async def test_scan_duration_is_observed(client: TestClientProtocol) -> None:
    count = _sample("kure_security_scan_duration_seconds_count")
    total = _sample("kure_security_scan_duration_seconds_sum")
    for value in (12.5, 0, 86400):
        response = await client.post("/api/metrics/security-scan-duration", json={"duration_seconds": value},
                                     headers=SERVICE_HEADERS)
        assert response.status_code == 204
    assert _sample("kure_security_scan_duration_seconds_count") == count + 3
    assert _sample("kure_security_scan_duration_seconds_sum") == pytest.approx(total + 86412.5)


@pytest.mark.parametrize("raw", ['{"duration_seconds": "12"}', '{"duration_seconds": true}',
                                 '{"duration_seconds": -1}', '{"duration_seconds": 86400.5}',
                                 '{"duration_seconds": NaN}', '{"duration_seconds": Infinity}',
                                 '{"duration_seconds": null}', "{}"])
async def test_scan_duration_validation(client: TestClientProtocol, raw: str) -> None:
    count = _sample("kure_security_scan_duration_seconds_count")
    response = await client.post("/api/metrics/security-scan-duration", data=raw,
                                 headers={**SERVICE_HEADERS, "Content-Type": "application/json"})
    assert response.status_code == 422
    assert (await response.get_json())["detail"][0]["loc"][0] == "body"
    assert _sample("kure_security_scan_duration_seconds_count") == count


FIXED_POD = """apiVersion: v1
kind: Pod
metadata:
  name: my-app
  namespace: default
spec:
  containers:
  - name: app
    image: ghcr.io/acme/app:1.0
    securityContext:
      privileged: false
"""


async def test_fix_with_a_configured_llm_returns_its_manifest(
    post_finding: Poster, user_client: UserClient, services: Services
) -> None:
    from app.ai.llm import LlmConfig
    from tests.fakes.openai_server import FakeOpenAI, Reply

    source = FIXED_POD.replace("privileged: false", "privileged: true")
    _, created = await post_finding(manifest=source)
    _, without_manifest = await post_finding(resource_name="no-manifest")
    writer = await user_client("write")
    async with FakeOpenAI() as fake:
        await services.ai.configure(LlmConfig("openai_compatible", "sk-key-0123456789", "m", fake.base_url))
        fake.push(Reply.text(f"```yaml\n{FIXED_POD}```\n## Changes Made\n1. Dropped privileged mode."))
        response = await writer.post(f"/api/security/findings/{created['id']}/fix")
        assert response.status_code == 200
        body = await response.get_json()
        assert body["finding_id"] == created["id"] and body["is_fallback"] is False
        assert "privileged: false" in body["fixed_manifest"]
        assert "Dropped privileged mode" in body["explanation"]
        prompt = fake.chat_requests[0].prompt_text
        assert "privileged_container" in prompt  # the stored manifest and the finding reached the model

        # No stored manifest: the fallback, without calling the model.
        calls = len(fake.chat_requests)
        response = await writer.post(f"/api/security/findings/{without_manifest['id']}/fix")
        assert await response.get_json() == {
            "finding_id": without_manifest["id"], "fixed_manifest": "",
            "explanation": "Remove 'privileged: true' from securityContext", "is_fallback": True}
        assert len(fake.chat_requests) == calls

        # An answer without a usable manifest is a fallback too, not an error.
        fake.push(Reply.text("I cannot help with that."))
        response = await writer.post(f"/api/security/findings/{created['id']}/fix")
        assert (await response.get_json())["is_fallback"] is True
