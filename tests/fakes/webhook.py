"""A fake webhook receiver (Slack/Teams/Discord/generic) on loopback: records requests, answers as scripted."""

from __future__ import annotations

import asyncio
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.loopback import serve_on_loopback


@dataclass
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    """``statuses`` is consumed one per request (then 200); ``delay`` holds every answer that long."""

    requests: list[ReceivedRequest] = field(default_factory=list)
    statuses: deque[int] = field(default_factory=deque)
    delay: float = 0.0
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None
    port: int = 0

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def _handle(self, request: web.Request) -> web.Response:
        self.requests.append(ReceivedRequest(request.path, dict(request.headers), await request.read()))
        self.arrived.set()
        if self.delay:
            await asyncio.sleep(self.delay)
        status = self.statuses.popleft() if self.statuses else 200
        return web.Response(status=status, text="ok")

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("POST", "/{tail:.*}", self._handle)
        self._runner, self.port = await serve_on_loopback(app, access_log=None)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def wait_for(self, count: int, seconds: float = 5.0) -> list[ReceivedRequest]:
        async def reached() -> None:
            while len(self.requests) < count:
                self.arrived.clear()
                await self.arrived.wait()

        await asyncio.wait_for(reached(), seconds)
        return self.requests
