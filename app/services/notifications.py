"""Team notifications (docs/api.md#notification-triggers, docs/api.md#notifications): settings with encrypted webhooks,
and background delivery.

``notify`` never waits: it schedules a task that loads the enabled settings, formats each provider's native
payload and delivers it with a 10 s timeout and up to 3 retries (1 s, 2 s, 4 s) on network errors, 429 and 5xx.
Webhook URLs and secrets are decrypted only inside the delivery; they are never logged or returned.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import httpx

from app.core.cache import CachedValue
from app.core.clock import Clock
from app.core.crypto import DecryptionError, SecretBox
from app.core.errors import ApiError
from app.core.logformat import register_secret
from app.core.metrics import NOTIFICATIONS
from app.core.tasks import TaskGroup
from app.core.timefmt import iso
from storage.errors import DuplicateError
from storage.notifications import NotificationRepository

log = logging.getLogger("kure.notifications")

PROVIDERS = ("slack", "teams", "discord", "webhook")
EVENTS = ("pod_failure", "pod_resolved", "security_finding")
SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
ATTEMPT_TIMEOUT = 10.0
RETRY_DELAYS = (1.0, 2.0, 4.0)
TEST_MESSAGE = "Test notification from Kure Monitor"


def mask_url(url: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return f"{parts.scheme}://{host}…{url[-4:]}"


def not_found(provider: str) -> ApiError:
    return ApiError(404, f"Notification setting for '{provider}' not found")


# --- payloads ------------------------------------------------------------------------------------------------


def _facts(event: str, data: dict[str, Any]) -> tuple[str, list[tuple[str, str]], str]:
    """(title, facts, message) shared by the chat providers."""
    if event == "test":
        return "Kure Monitor test", [], str(data.get("message", TEST_MESSAGE))
    if event == "security_finding":
        title = f"Security finding ({data.get('severity')}): {data.get('check_name')}"
        resource = f"{data.get('resource_type')}/{data.get('resource_name')}"
        facts = [("Namespace", data.get("namespace") or "(cluster)"), ("Resource", resource),
                 ("Check", str(data.get("check_name"))), ("Severity", str(data.get("severity")))]
        return title, facts, str(data.get("message") or "")
    verb = "resolved" if event == "pod_resolved" else "failing"
    title = f"Pod {verb}: {data.get('namespace')}/{data.get('pod_name')}"
    facts = [("Namespace", str(data.get("namespace"))), ("Pod", str(data.get("pod_name"))),
             ("Reason", str(data.get("failure_reason"))), ("Status", str(data.get("status")))]
    return title, facts, str(data.get("failure_message") or "")


def build_payload(provider: str, event: str, data: dict[str, Any], sent_at: str) -> dict[str, Any]:
    if provider == "webhook":
        return {"event": event, "sent_at": sent_at, "data": data}
    title, facts, message = _facts(event, data)
    if provider == "slack":
        lines = [f"*{title}*", *(f"*{name}:* {value}" for name, value in facts)]
        if message:
            lines.append(message)
        return {"text": title, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}}]}
    if provider == "teams":
        return {
            "@type": "MessageCard", "@context": "https://schema.org/extensions", "summary": title,
            "themeColor": "2EB67D" if event == "pod_resolved" else "E01E5A", "title": title,
            "sections": [{"facts": [{"name": n, "value": v} for n, v in facts], "text": message}],
        }
    return {  # discord
        "content": title,
        "embeds": [{"title": title, "description": message[:4000],
                    "fields": [{"name": n, "value": v or "-", "inline": True} for n, v in facts]}],
    }


class NotificationService:
    def __init__(self, repository: NotificationRepository, box: SecretBox, clock: Clock, tasks: TaskGroup,
                 client_factory: Callable[[], httpx.AsyncClient] | None = None) -> None:
        self.repository = repository
        self.box = box
        self.clock = clock
        self.tasks = tasks
        self._client_factory = client_factory or (lambda: httpx.AsyncClient(timeout=ATTEMPT_TIMEOUT))
        self._client: httpx.AsyncClient | None = None
        # Read for every new incident (and finding): kept briefly, dropped on every change made here.
        self._settings: CachedValue[list[dict[str, Any]]] = CachedValue(repository.all, clock)
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = self._client_factory()
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    # --- settings CRUD -------------------------------------------------------------------------------------

    def _config(self, doc: dict[str, Any]) -> dict[str, Any]:
        config: dict[str, Any] = json.loads(self.box.decrypt(doc["config_ciphertext"]))
        # A webhook URL is its own credential: mask it (and a signing secret) in any log line from now on.
        register_secret(config.get("webhook_url"))
        register_secret(config.get("secret"))
        return config

    def present(self, doc: dict[str, Any]) -> dict[str, Any]:
        try:
            config = self._config(doc)
            masked: dict[str, Any] = {"webhook_url": mask_url(config["webhook_url"])}
        except DecryptionError:
            log.warning("Notification setting %s cannot be decrypted (ENCRYPTION_KEY changed)", doc["_id"])
            masked = {"webhook_url": None}
            config = {}
        if doc["_id"] == "webhook":
            masked["has_secret"] = bool(config.get("secret"))
        return {
            "provider": doc["_id"], "enabled": doc["enabled"], "config": masked, "events": doc["events"],
            "min_severity": doc["min_severity"], "created_at": iso(doc["created_at"]),
            "updated_at": iso(doc["updated_at"]),
        }

    async def list_settings(self) -> list[dict[str, Any]]:
        return [self.present(doc) for doc in await self.repository.all()]

    async def create(self, provider: str, enabled: bool, config: dict[str, Any], events: list[str],
                     min_severity: str) -> dict[str, Any]:
        now = self.clock.now()
        doc = {
            "_id": provider, "enabled": enabled, "config_ciphertext": self.box.encrypt(json.dumps(config)),
            "events": events, "min_severity": min_severity, "created_at": now, "updated_at": now,
        }
        try:
            await self.repository.insert(doc)
        except DuplicateError:
            raise ApiError(409, f"Notification setting for '{provider}' already exists") from None
        finally:
            self._settings.invalidate()
        return self.present(doc)

    async def stored(self, provider: str) -> dict[str, Any]:
        doc = await self.repository.get(provider) if provider in PROVIDERS else None
        if doc is None:
            raise not_found(provider)
        return doc

    async def update(self, doc: dict[str, Any], changes: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
        updated = {**doc, **changes, "config_ciphertext": self.box.encrypt(json.dumps(config)),
                   "updated_at": self.clock.now()}
        try:
            await self.repository.replace(updated)
        finally:
            self._settings.invalidate()
        return self.present(updated)

    def stored_config(self, doc: dict[str, Any]) -> dict[str, Any]:
        try:
            return self._config(doc)
        except DecryptionError:
            return {}

    async def delete(self, provider: str) -> None:
        try:
            deleted = provider in PROVIDERS and await self.repository.delete(provider)
        finally:
            self._settings.invalidate()
        if not deleted:
            raise not_found(provider)

    # --- delivery ------------------------------------------------------------------------------------------

    def notify(self, event: str, data: dict[str, Any], severity: str | None = None) -> None:
        """Schedule delivery of ``event`` to every matching enabled setting; returns at once."""
        self.tasks.spawn(self._fan_out(event, data, severity), f"notify-{event}")

    async def _fan_out(self, event: str, data: dict[str, Any], severity: str | None) -> None:
        for doc in await self._settings.get():
            if not doc["enabled"] or event not in doc["events"]:
                continue
            if severity is not None and SEVERITY_RANK[severity] < SEVERITY_RANK[doc["min_severity"]]:
                continue
            config = self.stored_config(doc)
            if not config:
                continue
            await self._deliver(doc["_id"], config, event, data)

    def _request(
        self, provider: str, config: dict[str, Any], event: str, data: dict[str, Any]
    ) -> tuple[bytes, dict[str, str]]:
        body = json.dumps(build_payload(provider, event, data, iso(self.clock.now()) or ""),
                          separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json", "User-Agent": "kure-monitor"}
        secret = config.get("secret") if provider == "webhook" else None
        if secret:
            digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            headers["X-Kure-Signature"] = f"sha256={digest}"
        return body, headers

    async def _deliver(self, provider: str, config: dict[str, Any], event: str, data: dict[str, Any]) -> bool:
        body, headers = self._request(provider, config, event, data)
        for attempt in range(len(RETRY_DELAYS) + 1):
            retryable = True
            try:
                response = await self.client.post(config["webhook_url"], content=body, headers=headers,
                                                  timeout=ATTEMPT_TIMEOUT)
                if response.is_success:
                    NOTIFICATIONS.labels(provider, "success").inc()
                    return True
                retryable = response.status_code == 429 or response.status_code >= 500
                outcome = f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                outcome = type(exc).__name__
            if not retryable or attempt == len(RETRY_DELAYS):
                log.warning("Notification %s to %s failed (%s)", event, provider, outcome)
                NOTIFICATIONS.labels(provider, "error").inc()
                return False
            await self.sleep(RETRY_DELAYS[attempt])
        return False

    async def send_test(self, provider: str) -> None:
        """One attempt (the test route of docs/api.md#notifications): 502 with the provider's answer or
        unreachability."""
        doc = await self.stored(provider)
        config = self.stored_config(doc)
        if not config:
            raise ApiError(502, f"{provider} unreachable")
        body, headers = self._request(provider, config, "test", {"message": TEST_MESSAGE})
        try:
            response = await self.client.post(config["webhook_url"], content=body, headers=headers,
                                              timeout=ATTEMPT_TIMEOUT)
        except httpx.HTTPError:
            NOTIFICATIONS.labels(provider, "error").inc()
            raise ApiError(502, f"{provider} unreachable") from None
        if not response.is_success:
            NOTIFICATIONS.labels(provider, "error").inc()
            raise ApiError(502, f"{provider} returned {response.status_code}")
        NOTIFICATIONS.labels(provider, "success").inc()
