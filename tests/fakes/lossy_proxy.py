"""A reverse proxy on loopback that loses answers: it forwards every request (and the WebSocket) to a real backend,
but for the next ``lose`` requests on the chosen paths it waits for the backend's complete answer — so the write is
done — and then drops the client's connection without passing the answer on. That is what a client sees when the
replica that served it dies between its write and its answer, made deterministic."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

import aiohttp
from aiohttp import WSMsgType, web

from tests.fakes.loopback import serve_on_loopback

# Hop-by-hop and length headers the proxy must not copy from one connection to the other.
SKIPPED = {"host", "connection", "keep-alive", "transfer-encoding", "content-length", "upgrade",
           "content-encoding"}


@dataclass
class LossyProxy:
    upstream: str
    paths: tuple[str, ...] = ("/api/pods/failed", "/api/pods/dismiss-deleted")
    lose: int = 0
    lost: list[tuple[str, int]] = field(default_factory=list)  # (path, upstream status) of every lost answer
    answered: list[tuple[str, int]] = field(default_factory=list)  # (path, status) of every answer passed on
    port: int = 0
    _runner: web.AppRunner | None = None
    _session: aiohttp.ClientSession | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> LossyProxy:
        self._session = aiohttp.ClientSession(auto_decompress=False)
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner, self.port = await serve_on_loopback(app, handle_signals=False, shutdown_timeout=0.2)
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        assert self._session is not None
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return await self._websocket(request)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in SKIPPED}
        body = await request.read()
        async with self._session.request(request.method, self.upstream + request.path_qs, headers=headers,
                                         data=body, allow_redirects=False) as upstream:
            payload = await upstream.read()
            if self.lose and request.path in self.paths:
                self.lose -= 1
                self.lost.append((request.path, upstream.status))
                assert request.transport is not None
                request.transport.close()
                return web.Response(status=204)  # never reaches the client: its connection is gone
            self.answered.append((request.path, upstream.status))
            response = web.Response(status=upstream.status, body=payload)
            for key, value in upstream.headers.items():
                if key.lower() not in SKIPPED:
                    response.headers.add(key, value)
            return response

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        assert self._session is not None
        downstream = web.WebSocketResponse()
        await downstream.prepare(request)
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in SKIPPED and not k.lower().startswith("sec-websocket")}
        url = "ws" + self.upstream.removeprefix("http") + request.path_qs
        try:
            async with self._session.ws_connect(url, headers=headers) as upstream:

                async def pump(source: web.WebSocketResponse | aiohttp.ClientWebSocketResponse,
                               sink: web.WebSocketResponse | aiohttp.ClientWebSocketResponse) -> None:
                    async for message in source:
                        if message.type == WSMsgType.TEXT:
                            await sink.send_str(message.data)
                        elif message.type == WSMsgType.BINARY:
                            await sink.send_bytes(message.data)
                        else:
                            break
                    await sink.close()

                tasks = [asyncio.ensure_future(pump(upstream, downstream)),
                         asyncio.ensure_future(pump(downstream, upstream))]
                await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
        except (aiohttp.ClientError, ConnectionError):
            pass
        with contextlib.suppress(Exception):
            await downstream.close()
        return downstream
