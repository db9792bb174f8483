"""Start a fake's aiohttp application on the loopback interface, at a port the kernel picks."""

from __future__ import annotations

from typing import Any

from aiohttp import web


async def serve_on_loopback(app: web.Application, **runner_options: Any) -> tuple[web.AppRunner, int]:
    """The running ``app`` on 127.0.0.1: its runner (``cleanup()`` stops it) and its port."""
    runner = web.AppRunner(app, **runner_options)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, int(runner.addresses[0][1])
