"""The backend client's response table (docs/agent-scanner.md#talking-to-the-backend), against a scripted aiohttp server
on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from app.incluster.backend import BackendClient, LeadershipLost, Outcome
from tests.fakes.loopback import serve_on_loopback

pytestmark = pytest.mark.unit

TOKEN = "svc-token-0123456789abcdef"


class Scripted:
    def __init__(self) -> None:
        self.responses: list[web.Response] = []
        self.seen: list[tuple[str, Any, str | None, str]] = []
        self.keys: list[str | None] = []

    async def handle(self, request: web.Request) -> web.Response:
        text = await request.text()
        self.seen.append((request.path, text, request.headers.get("X-Service-Token"), request.query_string))
        self.keys.append(request.headers.get("Idempotency-Key"))
        return self.responses.pop(0) if self.responses else web.json_response({"ok": True})


@pytest.fixture
async def server() -> AsyncIterator[tuple[Scripted, str]]:
    scripted = Scripted()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", scripted.handle)
    runner, port = await serve_on_loopback(app)
    yield scripted, f"http://127.0.0.1:{port}"
    await runner.cleanup()


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


async def _client(url: str, clock: FakeTime, leader: list[bool] | None = None) -> BackendClient:
    state = leader if leader is not None else [True]
    client = BackendClient(url, TOKEN, retry_max_seconds=60, sleep=clock.sleep, monotonic=clock.monotonic,
                           is_leader=lambda: state[0])  # fmt: skip
    await client.start()
    return client


async def test_token_header_and_plain_success(server: tuple[Scripted, str]) -> None:
    scripted, url = server
    client = await _client(url, FakeTime())
    result = await client.call("POST", "/api/pods/failed", {"pod_name": "p"})
    await client.close()
    assert result.outcome is Outcome.OK
    assert scripted.seen[0][2] == TOKEN
    assert TOKEN not in scripted.seen[0][3]


async def test_202_is_done_and_never_retried(server: tuple[Scripted, str]) -> None:
    scripted, url = server
    scripted.responses = [web.json_response({"excluded": True, "detail": "x"}, status=202)]
    client = await _client(url, FakeTime())
    result = await client.call("POST", "/api/security/findings", {})
    await client.close()
    assert result.outcome is Outcome.EXCLUDED
    assert len(scripted.seen) == 1


async def test_transient_errors_back_off_then_clear(server: tuple[Scripted, str]) -> None:
    scripted, url = server
    scripted.responses = [web.json_response({}, status=503), web.json_response({}, status=500)]
    clock = FakeTime()
    client = await _client(url, clock)
    result = await client.call("POST", "/api/pods/failed", {})
    assert result.outcome is Outcome.OK
    assert len(scripted.seen) == 3
    assert clock.sleeps and all(0 <= s <= 60 for s in clock.sleeps)
    assert not client.degraded
    await client.close()


async def test_the_delivery_key_is_sent_on_every_attempt(server: tuple[Scripted, str]) -> None:
    scripted, url = server
    scripted.responses = [web.json_response({}, status=503), web.json_response({"detail": "big"}, status=413)]
    client = await _client(url, FakeTime())
    result = await client.call("POST", "/api/pods/failed", {"logs": "x"}, slim=lambda: {"logs": ""},
                               idempotency_key="0f1e2d3c")
    plain = await client.call("POST", "/api/pods/failed", {})
    await client.close()
    assert result.outcome is Outcome.OK and plain.outcome is Outcome.OK
    # The draft's structured-field string, the same on the retry after a 503 and on the slim retry after a 413.
    assert scripted.keys == ['"0f1e2d3c"'] * 3 + [None]


async def test_401_marks_not_ready_and_retries_at_max_backoff(server: tuple[Scripted, str]) -> None:
    scripted, url = server
    scripted.responses = [web.json_response({"detail": "Not authenticated"}, status=401)]
    clock = FakeTime()
    client = await _client(url, clock)
    result = await client.call("GET", "/api/admin/excluded-namespaces")
    assert result.outcome is Outcome.OK
    assert clock.sleeps == [60]
    assert not client.auth_failing
    await client.close()


async def test_413_retried_once_slim_then_dropped(server: tuple[Scripted, str]) -> None:
    scripted, url = server
    scripted.responses = [web.json_response({}, status=413), web.json_response({}, status=413)]
    client = await _client(url, FakeTime())
    result = await client.call("POST", "/api/pods/failed", {"logs": "x" * 100}, slim=lambda: {"logs": ""})
    await client.close()
    assert result.outcome is Outcome.DROPPED
    assert [text for _, text, _, _ in scripted.seen] == ['{"logs": "' + "x" * 100 + '"}', '{"logs": ""}']


async def test_422_is_permanent(server: tuple[Scripted, str]) -> None:
    scripted, url = server
    scripted.responses = [web.json_response({"detail": [{"loc": ["body"]}]}, status=422)]
    client = await _client(url, FakeTime())
    result = await client.call("POST", "/api/pods/failed", {})
    await client.close()
    assert result.outcome is Outcome.DROPPED
    assert len(scripted.seen) == 1


async def test_429_waits_retry_after(server: tuple[Scripted, str]) -> None:
    scripted, url = server
    scripted.responses = [web.json_response({}, status=429, headers={"Retry-After": "7"})]
    clock = FakeTime()
    client = await _client(url, clock)
    assert (await client.call("POST", "/api/pods/failed", {})).outcome is Outcome.OK
    assert clock.sleeps == [7.0]
    await client.close()


async def test_no_request_after_leadership_is_lost(server: tuple[Scripted, str]) -> None:
    scripted, url = server
    leader = [False]
    client = await _client(url, FakeTime(), leader)
    with pytest.raises(LeadershipLost):
        await client.call("POST", "/api/pods/failed", {})
    await client.close()
    assert scripted.seen == []
