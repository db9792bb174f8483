"""Fixtures of the security-findings tests: a WebSocket-hub listener and finding-report helpers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from quart.typing import TestClientProtocol

from app.wiring import Services
from app.ws.hub import HubClient
from tests.conftest import SERVICE_HEADERS


class HubListener:
    """A registered hub client whose queued frames the test reads back, in publication order."""

    def __init__(self, services: Services) -> None:
        self.client = HubClient(user_id=None, session_id=None)
        services.hub.register(self.client)

    def drain(self) -> list[tuple[str, dict[str, Any]]]:
        messages = []
        while not self.client.queue.empty():
            frame = json.loads(self.client.queue.get_nowait())
            messages.append((frame["type"], frame["data"]))
        return messages

    def of_type(self, message_type: str) -> list[dict[str, Any]]:
        return [data for kind, data in self.drain() if kind == message_type]


@pytest.fixture
def hub(services: Services) -> Iterator[HubListener]:
    listener = HubListener(services)
    yield listener
    services.hub.unregister(listener.client)


class RecordingNotifier:
    """Replaces the notification service's ``notify``: records what would be sent."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any], str | None]] = []

    def notify(self, event: str, data: dict[str, Any], severity: str | None = None) -> None:
        self.calls.append((event, data, severity))


@pytest.fixture
def notifier(services: Services, monkeypatch: pytest.MonkeyPatch) -> RecordingNotifier:
    recorder = RecordingNotifier()
    monkeypatch.setattr(services.notifier, "notify", recorder.notify)
    return recorder


def finding_body(**overrides: Any) -> dict[str, Any]:
    """The docs/api.md#reporting-a-finding reference example, with overrides."""
    body: dict[str, Any] = {
        "resource_type": "Pod",
        "resource_name": "my-app-7d9f8b6c4-abc12",
        "namespace": "default",
        "check_name": "privileged_container",
        "severity": "critical",
        "message": "Container 'app' is running in privileged mode",
        "remediation": "Remove 'privileged: true' from securityContext",
        "details": {"container": "app", "field": "securityContext.privileged"},
    }
    body.update(overrides)
    return body


Poster = Callable[..., Any]


@pytest.fixture
def post_finding(client: TestClientProtocol) -> Poster:
    """``await post_finding(**overrides)`` → (status, json) of POST /api/security/findings as the scanner."""

    async def post(**overrides: Any) -> tuple[int, Any]:
        response = await client.post("/api/security/findings", json=finding_body(**overrides),
                                     headers=SERVICE_HEADERS)
        return response.status_code, await response.get_json()

    return post
