"""WebSocket subscription to the backend (docs/agent-scanner.md#websocket-subscription).

The token travels in the ``X-Service-Token`` header, never in the URL. After every (re)connect
``on_connect`` runs (the component fetches its lists again and applies the differences), then every
``{"type", "data"}`` frame goes to ``on_message`` in its own task so a slow handler never blocks intake.
A connection silent for 60 s is closed and opened again; reconnects back off from 1 s doubling to 30 s.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from app.core.backoff import Backoff

from .settings import BackendSettings

log = logging.getLogger("kure.incluster.ws")

MessageHandler = Callable[[str, dict[str, Any]], Awaitable[None]]


class Subscriber:
    @classmethod
    def from_settings(
        cls, backend: BackendSettings, on_message: MessageHandler, on_connect: Callable[[], Awaitable[None]]
    ) -> Subscriber:
        """The component's subscription to the backend's live feed, with its service token."""
        return cls(backend.ws_url, backend.token, on_message, on_connect)

    def __init__(
        self,
        url: str,
        token: str,
        on_message: MessageHandler,
        on_connect: Callable[[], Awaitable[None]],
        *,
        silence_seconds: float = 60,
        backoff_max: float = 30,
        on_auth_error: Callable[[], None] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.url = url
        self._token = token
        self._on_message = on_message
        self._on_connect = on_connect
        self._silence = silence_seconds
        self._backoff_max = backoff_max
        self._on_auth_error = on_auth_error
        self._sleep = sleep
        self._tasks: set[asyncio.Task[None]] = set()
        self.connected = asyncio.Event()
        self.connects = 0

    def _spawn(self, coro: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def run(self) -> None:
        backoff = Backoff(1.0, self._backoff_max, jitter=0.2)
        async with aiohttp.ClientSession(headers={"X-Service-Token": self._token}) as session:
            while True:
                try:
                    async with session.ws_connect(self.url, heartbeat=None, autoping=True) as ws:
                        self.connects += 1
                        self.connected.set()
                        await self._on_connect()
                        backoff.reset()
                        await self._read(ws)
                        if ws.close_code == 4401 and self._on_auth_error is not None:
                            self._on_auth_error()
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    log.warning("websocket %s: %s", type(exc).__name__, exc)
                finally:
                    self.connected.clear()
                await self._sleep(backoff.next_delay())

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        while True:
            try:
                msg = await ws.receive(timeout=self._silence)
            except TimeoutError:
                log.warning("websocket silent for %.0f s; reconnecting", self._silence)
                await ws.close()
                return
            if msg.type != aiohttp.WSMsgType.TEXT:
                if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    return
                continue
            try:
                frame = json.loads(msg.data)
            except ValueError:
                continue
            if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
                continue
            mtype = frame["type"]
            if mtype == "ping":
                continue
            raw = frame.get("data")
            data: dict[str, Any] = raw if isinstance(raw, dict) else {}
            self._spawn(self._on_message(mtype, data))

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
