"""Exclusions (docs/api.md#exclusions) and settings (docs/api.md#settings)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from quart.typing import TestClientProtocol

from tests.conftest import SERVICE_HEADERS
from tests.pods.conftest import Feed, Reporter

UserClient = Callable[..., Awaitable[TestClientProtocol]]


async def body(response: Any) -> Any:
    return await response.get_json()


async def test_namespace_exclusion_lifecycle(report: Reporter, user_client: UserClient, feed: Feed,
                                             client: TestClientProtocol) -> None:
    writer = await user_client("write")
    open_a = await body(await report(pod="a", namespace="noisy"))
    open_b = await body(await report(pod="b", namespace="noisy"))
    ignored = await body(await report(pod="c", namespace="noisy"))
    await writer.delete(f"/api/pods/failed/{ignored['id']}")
    await report(pod="keep", namespace="other")
    feed.messages()

    created = await writer.post("/api/admin/excluded-namespaces", json={"namespace": "noisy"})
    assert created.status_code == 201
    row = await body(created)
    assert set(row) == {"id", "namespace", "created_at"} and row["namespace"] == "noisy"
    messages = feed.messages()
    assert messages == [
        {"type": "pod_deleted", "data": {"namespace": "noisy", "pod_name": "a", "ids": [open_a["id"]],
                                         "reason": "namespace_excluded"}},
        {"type": "pod_deleted", "data": {"namespace": "noisy", "pod_name": "b", "ids": [open_b["id"]],
                                         "reason": "namespace_excluded"}},
        {"type": "namespace_exclusion", "data": {"namespace": "noisy", "action": "excluded"}},
    ]
    assert (await writer.get(f"/api/pods/failed/{open_a['id']}")).status_code == 404
    assert (await body(await writer.get(f"/api/pods/failed/{ignored['id']}")))["status"] == "ignored"

    again = await writer.post("/api/admin/excluded-namespaces", json={"namespace": "noisy"})
    assert again.status_code == 200 and await body(again) == row
    assert feed.messages() == []  # duplicates have no side effects

    excluded = await report(pod="new-one", namespace="noisy")
    assert excluded.status_code == 202
    assert await body(excluded) == {"excluded": True, "detail": "Namespace 'noisy' is excluded"}

    listing = await client.get("/api/admin/excluded-namespaces", headers=SERVICE_HEADERS)
    assert [r["namespace"] for r in await body(listing)] == ["noisy"]

    removed = await writer.delete("/api/admin/excluded-namespaces/noisy")
    assert removed.status_code == 204
    assert feed.messages() == [{"type": "namespace_exclusion", "data": {"namespace": "noisy", "action": "included"}}]
    missing = await writer.delete("/api/admin/excluded-namespaces/noisy")
    assert missing.status_code == 404
    assert await body(missing) == {"detail": "Namespace 'noisy' not found in exclusion list"}
    assert (await report(pod="new-one", namespace="noisy")).status_code == 200


@pytest.mark.parametrize("bad", ["Upper", "-lead", "trail-", "a" * 64, "", "has space", 7])
async def test_namespace_must_be_a_dns_label(user_client: UserClient, bad: Any) -> None:
    writer = await user_client("write")
    response = await writer.post("/api/admin/excluded-namespaces", json={"namespace": bad})
    assert response.status_code == 422
    assert (await body(response))["detail"][0]["loc"] == ["body", "namespace"]


async def test_pod_pattern_exclusions(report: Reporter, user_client: UserClient, feed: Feed) -> None:
    writer = await user_client("write")
    test_pod = await body(await report(pod="test-1", namespace="ci"))
    await report(pod="test-2", namespace="prod")
    await report(pod="web-1", namespace="ci")
    feed.messages()

    scoped = await writer.post("/api/admin/excluded-pods", json={"pod_name": "test-*", "namespace": "ci"})
    assert scoped.status_code == 201
    assert feed.messages() == [
        {"type": "pod_deleted", "data": {"namespace": "ci", "pod_name": "test-1", "ids": [test_pod["id"]],
                                         "reason": "pod_excluded"}},
        {"type": "pod_exclusion", "data": {"pod_name": "test-*", "namespace": "ci", "action": "excluded"}},
    ]
    matched = await report(pod="test-9", namespace="ci")
    assert matched.status_code == 202
    assert await body(matched) == {"excluded": True, "detail": "Pod 'test-9' matches excluded pattern 'test-*'"}
    assert (await report(pod="test-9", namespace="prod")).status_code == 200  # scoped to ci only
    assert (await report(pod="TEST-9", namespace="ci")).status_code == 200  # case-sensitive

    unscoped = await writer.post("/api/admin/excluded-pods", json={"pod_name": "test-*"})
    assert unscoped.status_code == 201
    rows = await body(await writer.get("/api/admin/excluded-pods"))
    assert [(r["pod_name"], r["namespace"]) for r in rows] == [("test-*", None), ("test-*", "ci")]
    assert (await report(pod="test-3", namespace="prod")).status_code == 202

    dup = await writer.post("/api/admin/excluded-pods", json={"pod_name": "test-*", "namespace": "ci"})
    assert dup.status_code == 200
    feed.messages()
    assert (await writer.delete("/api/admin/excluded-pods/test-*")).status_code == 204  # the unscoped row
    assert feed.messages() == [{"type": "pod_exclusion",
                                "data": {"pod_name": "test-*", "namespace": None, "action": "included"}}]
    assert (await writer.delete("/api/admin/excluded-pods/test-*?namespace=ci")).status_code == 204
    gone = await writer.delete("/api/admin/excluded-pods/test-*")
    assert gone.status_code == 404
    assert await body(gone) == {"detail": "Pod pattern 'test-*' not found in exclusion list"}


@pytest.mark.parametrize("payload", [{"pod_name": "a/b"}, {"pod_name": "a b"}, {"pod_name": ""},
                                     {"pod_name": "x", "namespace": "Bad"}])
async def test_pod_pattern_validation(user_client: UserClient, payload: dict[str, Any]) -> None:
    writer = await user_client("write")
    assert (await writer.post("/api/admin/excluded-pods", json=payload)).status_code == 422


# --- settings (docs/api.md#settings) ----------------------------------------------------------------------------------


async def test_settings_read_and_write(user_client: UserClient) -> None:
    admin = await user_client("admin")
    reader = await user_client("read")
    listing = await body(await reader.get("/api/admin/settings"))
    assert listing == [
        {"key": "history_retention_minutes", "value": 0, "default": 0, "min": 0, "max": 525600},
        {"key": "ignored_retention_minutes", "value": 0, "default": 0, "min": 0, "max": 525600},
        {"key": "mirror_ttl_seconds", "value": 180, "default": 180, "min": 30, "max": 3600},
    ]
    set_text = await admin.post("/api/admin/settings/history_retention_minutes", json={"value": "10080"})
    assert await body(set_text) == {"key": "history_retention_minutes", "value": 10080}
    set_int = await admin.post("/api/admin/settings/mirror_ttl_seconds", json={"value": 300})
    assert await body(set_int) == {"key": "mirror_ttl_seconds", "value": 300}
    assert await body(await reader.get("/api/admin/settings/mirror-ttl")) == {"seconds": 300}
    put = await admin.put("/api/admin/settings/mirror-ttl", json={"seconds": 600})
    assert await body(put) == {"seconds": 600}
    assert await body(await reader.get("/api/admin/settings/mirror_ttl_seconds")) == {
        "key": "mirror_ttl_seconds", "value": 600}
    config = await body(await reader.get("/api/config"))
    assert config["settings"] == {"history_retention_minutes": 10080, "ignored_retention_minutes": 0,
                                  "mirror_ttl_seconds": 600}


@pytest.mark.parametrize("value", [True, 1.5, "ten", "1e3", -1, 525601, None])
async def test_setting_values_rejected(user_client: UserClient, value: Any) -> None:
    admin = await user_client("admin")
    response = await admin.post("/api/admin/settings/history_retention_minutes", json={"value": value})
    assert response.status_code == 422
    item = (await body(response))["detail"][0]
    assert item["loc"] == ["body", "value"]
    assert "0" in item["msg"] and "525600" in item["msg"]


async def test_setting_errors(user_client: UserClient) -> None:
    admin = await user_client("admin")
    unknown = await admin.post("/api/admin/settings/nope", json={"value": 1})
    assert unknown.status_code == 404 and await body(unknown) == {"detail": "Unknown setting 'nope'"}
    no_value_first = await admin.post("/api/admin/settings/nope", json={})
    assert no_value_first.status_code == 422  # body checked before the key
    assert (await admin.get("/api/admin/settings/nope")).status_code == 404
    post_ttl = await admin.post("/api/admin/settings/mirror-ttl", json={"value": 60})
    assert post_ttl.status_code == 404 and await body(post_ttl) == {"detail": "Unknown setting 'mirror-ttl'"}
    assert (await admin.put("/api/admin/settings/history_retention_minutes", json={"seconds": 60})).status_code == 405
    for seconds in (29, 3601, "300", 300.0):
        assert (await admin.put("/api/admin/settings/mirror-ttl", json={"seconds": seconds})).status_code == 422
