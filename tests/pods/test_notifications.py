"""Notifications (docs/api.md#notification-triggers, docs/api.md#notifications) against a local fake webhook receiver
(real HTTP)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import io
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from quart.typing import TestClientProtocol

from app.core.logformat import CHATTY_HTTP_LOGGERS, LoggingSettings, configure_logging, register_secret, scrub
from app.wiring import Services
from tests.fakes.webhook import WebhookReceiver
from tests.pods.conftest import Reporter

UserClient = Callable[..., Awaitable[TestClientProtocol]]


@pytest.fixture
async def receiver() -> AsyncIterator[WebhookReceiver]:
    fake = WebhookReceiver()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def no_backoff(services: Services) -> list[float]:
    """Record retry delays instead of sleeping them."""
    delays: list[float] = []

    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    services.notifier.sleep = sleep
    return delays


@pytest.fixture
async def admin(user_client: UserClient) -> TestClientProtocol:
    return await user_client("admin")


async def create(admin: TestClientProtocol, provider: str, url: str, **extra: Any) -> Any:
    return await admin.post("/api/admin/notifications",
                            json={"provider": provider, "config": {"webhook_url": url, **extra.pop("config", {})},
                                  **extra})


async def test_crud_masks_and_encrypts(admin: TestClientProtocol, services: Services) -> None:
    url = "https://user:pw@hooks.slack.com:8443/services/T000/B000/XXXXabcd"
    created = await create(admin, "slack", url)
    assert created.status_code == 201
    setting = await created.get_json()
    assert setting["config"] == {"webhook_url": "https://hooks.slack.com:8443…abcd"}
    assert setting["events"] == ["pod_failure", "pod_resolved", "security_finding"]
    assert setting["min_severity"] == "high" and setting["enabled"] is True
    stored = await services.mongo.db["notification_settings"].find_one({"_id": "slack"})
    assert url not in repr(stored) and "XXXX" not in repr(stored)

    dup = await create(admin, "slack", url)
    assert dup.status_code == 409
    assert await dup.get_json() == {"detail": "Notification setting for 'slack' already exists"}

    # Sending the masked URL back keeps the stored one; other fields change.
    put = await admin.put("/api/admin/notifications/slack",
                          json={"config": {"webhook_url": setting["config"]["webhook_url"]}, "enabled": False,
                                "min_severity": "low"})
    assert put.status_code == 200
    updated = await put.get_json()
    assert updated["config"] == setting["config"] and updated["enabled"] is False
    assert services.notifier.stored_config(await services.notifier.stored("slack"))["webhook_url"] == url

    listing = await (await admin.get("/api/admin/notifications")).get_json()
    assert [s["provider"] for s in listing] == ["slack"]
    assert (await admin.delete("/api/admin/notifications/slack")).status_code == 204
    missing = await admin.delete("/api/admin/notifications/slack")
    assert missing.status_code == 404
    assert await missing.get_json() == {"detail": "Notification setting for 'slack' not found"}


async def test_webhook_secret_and_put_rules(admin: TestClientProtocol) -> None:
    created = await create(admin, "webhook", "http://example.test/hook", config={"secret": "s3cret"})
    assert (await created.get_json())["config"]["has_secret"] is True
    mismatch = await admin.put("/api/admin/notifications/webhook", json={"provider": "slack"})
    assert mismatch.status_code == 400
    assert await mismatch.get_json() == {"detail": "Provider in body does not match path"}
    removed = await admin.put("/api/admin/notifications/webhook", json={"config": {"secret": None}})
    assert (await removed.get_json())["config"]["has_secret"] is False
    invalid = await admin.put("/api/admin/notifications/webhook", json={"config": {"webhook_url": None}})
    assert invalid.status_code == 422
    assert (await admin.put("/api/admin/notifications/pagerduty", json={})).status_code == 404


@pytest.mark.parametrize("payload", [
    {"provider": "email", "config": {"webhook_url": "https://x.test/h"}},
    {"provider": "slack", "config": {"webhook_url": "ftp://x.test/h"}},
    {"provider": "slack", "config": {}},
    {"provider": "slack", "config": {"webhook_url": "https://x.test/h"}, "events": []},
    {"provider": "slack", "config": {"webhook_url": "https://x.test/h"}, "events": ["pod_failure", "pod_failure"]},
    {"provider": "slack", "config": {"webhook_url": "https://x.test/h"}, "min_severity": "urgent"},
])
async def test_create_validation(admin: TestClientProtocol, payload: dict[str, Any]) -> None:
    assert (await admin.post("/api/admin/notifications", json=payload)).status_code == 422


async def test_pod_failure_reaches_the_generic_webhook_signed(
    admin: TestClientProtocol, receiver: WebhookReceiver, report: Reporter, services: Services
) -> None:
    await create(admin, "webhook", receiver.url(), config={"secret": "topsecret"}, events=["pod_failure"])
    record = await (await report()).get_json()
    [request] = await receiver.wait_for(1)
    payload = request.json()
    assert payload["event"] == "pod_failure"
    assert payload["sent_at"].endswith("Z")
    assert payload["data"] == {key: record[key] for key in (
        "id", "namespace", "pod_name", "failure_reason", "failure_message", "node_name", "status", "last_seen")}
    expected = hmac.new(b"topsecret", request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Kure-Signature"] == f"sha256={expected}"

    await report()  # a re-report of the open incident never notifies
    await services.tasks.drain()
    await asyncio.sleep(0.05)
    assert len(receiver.requests) == 1


async def test_a_setting_changed_while_reports_flow_applies_to_the_next_incident(
    admin: TestClientProtocol, receiver: WebhookReceiver, report: Reporter, services: Services
) -> None:
    # The settings are kept in memory between incidents; the test clock never moves, so only the change itself
    # can make the next incident see them.
    await report(pod="before")
    await services.tasks.drain()
    assert (await create(admin, "webhook", receiver.url(), events=["pod_failure"])).status_code == 201
    await report(pod="after-create")
    [request] = await receiver.wait_for(1)
    assert request.json()["data"]["pod_name"] == "after-create"

    assert (await admin.put("/api/admin/notifications/webhook", json={"enabled": False})).status_code == 200
    await report(pod="after-disable")
    await services.tasks.drain()
    await asyncio.sleep(0.05)
    assert len(receiver.requests) == 1


@pytest.mark.parametrize("provider", ["slack", "teams", "discord"])
async def test_native_payloads_carry_the_facts(
    admin: TestClientProtocol, receiver: WebhookReceiver, report: Reporter, provider: str
) -> None:
    await create(admin, provider, receiver.url())
    await report(pod="payments-7", namespace="shop", failure_reason="OOMKilled")
    [request] = await receiver.wait_for(1)
    text = request.body.decode()
    for fact in ("shop", "payments-7", "OOMKilled"):
        assert fact in text
    payload = request.json()
    key = {"slack": "text", "teams": "title", "discord": "content"}[provider]
    assert "shop/payments-7" in payload[key]
    assert "X-Kure-Signature" not in request.headers


async def test_retries_on_5xx_then_gives_up(
    admin: TestClientProtocol, receiver: WebhookReceiver, report: Reporter, services: Services, no_backoff: list[float]
) -> None:
    receiver.statuses.extend([500, 503, 429])
    await create(admin, "webhook", receiver.url())
    await report()
    await receiver.wait_for(4)
    assert no_backoff == [1.0, 2.0, 4.0]
    await services.tasks.drain()
    receiver.statuses.extend([404])
    await report(pod="other")
    await receiver.wait_for(5)
    await services.tasks.drain()
    assert len(receiver.requests) == 5  # a 4xx other than 429 is not retried


async def test_filters_disabled_events_and_severity(
    admin: TestClientProtocol, receiver: WebhookReceiver, services: Services
) -> None:
    await create(admin, "webhook", receiver.url(), events=["security_finding"], min_severity="high")
    await create(admin, "slack", receiver.url("/disabled"), enabled=False)
    services.notifier.notify("pod_failure", {"id": 1})
    services.notifier.notify("security_finding", {"id": 2, "severity": "medium"}, severity="medium")
    services.notifier.notify("security_finding", {"id": 3, "severity": "critical"}, severity="critical")
    await services.tasks.drain()
    requests = await receiver.wait_for(1)
    assert [r.json()["data"]["id"] for r in requests] == [3]
    assert all(r.path == "/hook" for r in requests)


async def test_test_endpoint(admin: TestClientProtocol, receiver: WebhookReceiver) -> None:
    await create(admin, "discord", receiver.url(), enabled=False)
    ok = await admin.post("/api/admin/notifications/discord/test")
    assert ok.status_code == 200 and await ok.get_json() == {"success": True}
    assert "Test notification from Kure Monitor" in receiver.requests[0].body.decode()
    receiver.statuses.append(403)
    refused = await admin.post("/api/admin/notifications/discord/test")
    assert refused.status_code == 502 and await refused.get_json() == {"detail": "discord returned 403"}
    await admin.put("/api/admin/notifications/discord", json={"config": {"webhook_url": "http://127.0.0.1:9/x"}})
    down = await admin.post("/api/admin/notifications/discord/test")
    assert down.status_code == 502 and await down.get_json() == {"detail": "discord unreachable"}
    assert (await admin.post("/api/admin/notifications/teams/test")).status_code == 404


@pytest.fixture
def server_log() -> Iterator[io.StringIO]:
    """The log exactly as `kure-monitor serve` writes it (its handler, formatter and filters), into a buffer."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, {name: logging.getLogger(name).level for name in CHATTY_HTTP_LOGGERS})
    configure_logging(LoggingSettings("INFO", "text"))
    buffer = io.StringIO()
    handler = root.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)
    try:
        yield buffer
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        for name, level in saved[2].items():
            logging.getLogger(name).setLevel(level)


async def test_webhook_urls_and_secrets_never_reach_the_log(
    admin: TestClientProtocol, receiver: WebhookReceiver, services: Services, report: Reporter,
    server_log: io.StringIO,
) -> None:
    secret_path = "/services/T0ABCDEF/B0GHIJKL/xoxb-path-secret-4f9a"
    url = receiver.url(secret_path).replace("http://", "http://hook-user:hook-pa55word@")
    await create(admin, "slack", url)
    await create(admin, "webhook", receiver.url("/generic-4f9a"), config={"secret": "signing-secret-77aa"})
    assert (await admin.post("/api/admin/notifications/slack/test")).status_code == 200
    await report()  # a real delivery to both, through the notifier's retrying path
    await receiver.wait_for(3)
    logging.getLogger("kure.test").warning("delivering to %s failed", httpx.URL(url))  # a careless log line
    text = server_log.getvalue()
    assert "delivering to" in text  # the log was captured at all
    for secret in ("xoxb-path-secret-4f9a", "hook-pa55word", "/generic-4f9a", "signing-secret-77aa"):
        assert secret not in text, text


def test_the_scrubber_masks_registered_secrets_and_url_credentials() -> None:
    register_secret("https://hooks.example.com/services/very-secret-path")
    assert scrub("POST https://hooks.example.com/services/very-secret-path -> 200") == "POST *** -> 200"
    assert scrub("connect https://bob:hunter2hunter2@db.example:5432/x") == "connect https://***@db.example:5432/x"
    assert scrub("GET /api/ws?token=abc&x=1") == "GET /api/ws?token=***&x=1"
    register_secret("short")  # too short to mask everywhere
    assert scrub("a short word") == "a short word"
