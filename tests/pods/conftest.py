"""Helpers for the pod-failure, exclusion, settings and WebSocket tests."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from quart.typing import TestClientProtocol

from app.wiring import Services
from app.ws.hub import HubClient
from tests.conftest import SERVICE_HEADERS


def report_body(pod: str = "web-1", namespace: str = "default", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "pod_name": pod,
        "namespace": namespace,
        "node_name": "worker-1",
        "failure_reason": "CrashLoopBackOff",
        "failure_message": "Back-off restarting failed container",
        "creation_timestamp": "2024-01-15T10:30:00Z",
        "events": [{"type": "Warning", "reason": "BackOff", "message": "Back-off restarting failed container",
                    "timestamp": "2024-01-15T10:31:00Z", "count": 12}],
        "container_statuses": [{"name": "app", "image": "ghcr.io/acme/web:1.4.2", "ready": False,
                                "restart_count": 7, "state": "waiting", "reason": "CrashLoopBackOff",
                                "exit_code": 1}],
        "manifest": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-1\n",
        "logs": "Error: Database connection failed",
    }
    body.update(extra)
    return body


Reporter = Callable[..., Awaitable[Any]]


@pytest.fixture
def report(client: TestClientProtocol) -> Reporter:
    """``await report(pod=..., **fields)`` posts a failure report as the agent; returns the response."""

    async def post(pod: str = "web-1", namespace: str = "default", **extra: Any) -> Any:
        return await client.post("/api/pods/failed", json=report_body(pod, namespace, **extra),
                                  headers=SERVICE_HEADERS)

    return post


class Feed:
    """A hub subscriber that records every broadcast, as a WebSocket client would receive it."""

    def __init__(self, services: Services) -> None:
        self.client = HubClient(user_id=None, session_id=None)
        self.last_seq = 0
        services.hub.register(self.client)

    def messages(self) -> list[dict[str, Any]]:
        out = []
        while not self.client.queue.empty():
            message = json.loads(self.client.queue.get_nowait())
            seq = message.pop("seq")  # every logged message is numbered, in publication order
            assert isinstance(seq, int) and seq > self.last_seq
            self.last_seq = seq
            out.append(message)
        return out

    def types(self) -> list[str]:
        return [m["type"] for m in self.messages()]


@pytest.fixture
def feed(services: Services) -> Feed:
    return Feed(services)


class RecordingNotifier:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any], str | None]] = []

    def notify(self, event: str, data: dict[str, Any], severity: str | None = None) -> None:
        self.sent.append((event, data, severity))


@pytest.fixture
def notifications(services: Services) -> RecordingNotifier:
    """Replace delivery with a recorder: which notifications the product decided to send."""
    recorder = RecordingNotifier()
    services.pods.notifier = recorder
    return recorder
