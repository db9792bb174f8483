"""A fake Kure Monitor backend for the agent and scanner end-to-end tests: an aiohttp app on loopback that
records every ingest request, serves the exclusion and registry lists and a WebSocket for pushing messages.

It implements only what the in-cluster components call: failure reports and dismissals
(docs/api.md#reporting-a-failure, docs/api.md#changing-a-failures-status), findings and their deletion and scan
progress (docs/api.md#security-findings), the exclusion and registry lists (docs/api.md#exclusions) and the
WebSocket (docs/api.md#websocket).
``outage`` makes every route answer 503 until cleared, as a restarting backend would. ``lose_answers`` makes
the next pod reports and dismissals be recorded (applied) and then the connection dropped without an answer, as
when a replica dies between its write and its answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.loopback import serve_on_loopback


@dataclass
class Request:
    method: str
    path: str
    body: Any
    query: dict[str, str]
    idempotency_key: str | None = None


@dataclass
class FakeBackend:
    token: str = "svc-token-0123456789abcdef"
    excluded_namespaces: list[str] = field(default_factory=list)
    excluded_pods: list[dict[str, Any]] = field(default_factory=list)
    trusted_registries: list[str] = field(default_factory=list)
    outage: bool = False
    ingest_outage: bool = False  # only the ingest routes (POST/DELETE) answer 503
    lose_answers: int = 0
    requests: list[Request] = field(default_factory=list)
    rejected: int = 0
    completed_scans: int = 0
    dismissed_keys: set[tuple[str, str, str, str]] = field(default_factory=set)
    _sockets: set[web.WebSocketResponse] = field(default_factory=set)
    _runner: web.AppRunner | None = None
    port: int = 0
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> FakeBackend:
        app = web.Application(middlewares=[self._middleware])
        app.router.add_get("/api/ws", self._ws)
        app.router.add_get("/api/admin/excluded-namespaces", self._namespaces)
        app.router.add_get("/api/admin/excluded-pods", self._pods)
        app.router.add_get("/api/security/trusted-registries", self._registries)
        app.router.add_route("*", "/{tail:.*}", self._ingest)
        self._runner, self.port = await serve_on_loopback(app, handle_signals=False, shutdown_timeout=0.2)
        return self

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.headers.get("X-Service-Token") != self.token:
            self.rejected += 1
            return web.json_response({"detail": "Not authenticated"}, status=401)
        if "token" in request.query:
            return web.json_response({"detail": "token in URL"}, status=400)
        down = self.outage or (self.ingest_outage and request.method in ("POST", "DELETE"))
        if down and request.path != "/api/ws":
            self.rejected += 1
            return web.json_response({"detail": "Service unavailable"}, status=503)
        response: web.StreamResponse = await handler(request)
        return response

    async def _namespaces(self, request: web.Request) -> web.Response:
        return web.json_response(
            [{"namespace": n, "created_at": "2024-01-15T10:30:00Z"} for n in self.excluded_namespaces]
        )

    async def _pods(self, request: web.Request) -> web.Response:
        return web.json_response(self.excluded_pods)

    async def _registries(self, request: web.Request) -> web.Response:
        return web.json_response(
            [{"registry": r, "created_at": "2024-01-15T10:30:00Z"} for r in self.trusted_registries]
        )

    async def _ingest(self, request: web.Request) -> web.Response:
        text = await request.text()
        body: Any = json.loads(text) if text else None
        self.requests.append(Request(request.method, request.path, body, dict(request.query),
                                     request.headers.get("Idempotency-Key")))
        self.changed.set()
        path = request.path
        if self.lose_answers and path in ("/api/pods/failed", "/api/pods/dismiss-deleted"):
            self.lose_answers -= 1
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=204)  # never reaches the client: the connection is gone
        if path == "/api/pods/failed":
            if body["namespace"] in self.excluded_namespaces:
                return web.json_response({"excluded": True, "detail": "excluded"}, status=202)
            return web.json_response({"id": len(self.requests), **{k: body[k] for k in ("pod_name", "namespace")}})
        if path == "/api/pods/dismiss-deleted":
            return web.json_response({"resolved": 1})
        if path == "/api/security/findings":
            if body["namespace"] in self.excluded_namespaces:
                return web.json_response({"excluded": True, "detail": "excluded"}, status=202)
            return web.json_response({"id": len(self.requests), **body})
        if path.startswith("/api/security/findings/resource/"):
            return web.json_response({"deleted": 1})
        if path == "/api/security/scan/clear":
            return web.json_response({"pending": 0})
        if path == "/api/security/rescan-status" and body.get("status") == "completed":
            self.completed_scans += 1
        if path in ("/api/security/rescan-status", "/api/metrics/security-scan-duration"):
            return web.Response(status=204)
        return web.json_response({"detail": "Not found"}, status=404)

    async def _ws(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.add(ws)
        try:
            async for msg in ws:
                if msg.type == WSMsgType.ERROR:
                    break
        finally:
            self._sockets.discard(ws)
        return ws

    async def broadcast(self, mtype: str, data: dict[str, Any]) -> None:
        for ws in list(self._sockets):
            await ws.send_json({"type": mtype, "data": data})

    async def drop_sockets(self) -> None:
        for ws in list(self._sockets):
            await ws.close()

    def posts(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.method == "POST" and r.path == path]

    async def wait_for(self, predicate: Any, limit: float = 20.0) -> None:
        """Wait until ``predicate()`` holds (polls on every recorded request, and every 50 ms)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        while not predicate():
            if loop.time() > deadline:
                raise AssertionError("condition not reached; requests: " + repr(
                    [(r.method, r.path, (r.body or {}).get("pod_name") if isinstance(r.body, dict) else None)
                     for r in self.requests]))  # fmt: skip
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), 0.05)
