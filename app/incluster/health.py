"""``/healthz``, ``/readyz`` and ``/metrics`` (docs/agent-scanner.md#health-metrics-and-logs). GET routes only."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from app.core.clock import Clock

STALE_WATCH_SECONDS = 600.0


def watching(state: Mapping[str, Any], clock: Clock) -> bool:
    """False when this process leads and an available kind has not watched successfully for 10 minutes."""
    store = state.get("store")
    if store is None or not state.get("leading"):
        return True
    now = clock.monotonic()
    for kind in store.kinds:
        if not store.available(kind):
            continue
        last = store.last_watch_ok.get(kind)
        if last is not None and now - last > STALE_WATCH_SECONDS:
            return False
    return True


class HealthServer:
    def __init__(
        self,
        registry: CollectorRegistry,
        *,
        healthy: Callable[[], bool],
        ready: Callable[[], bool],
        host: str = "0.0.0.0",
        port: int = 8080,
    ) -> None:
        self.registry = registry
        self._healthy = healthy
        self._ready = ready
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def _healthz(self, request: web.Request) -> web.Response:
        ok = self._healthy()
        return web.json_response({"status": "ok" if ok else "unhealthy"}, status=200 if ok else 500)

    async def _readyz(self, request: web.Request) -> web.Response:
        ok = self._ready()
        return web.json_response({"status": "ready" if ok else "not ready"}, status=200 if ok else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        return web.Response(body=generate_latest(self.registry), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        if server is not None and self.port == 0:
            self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
