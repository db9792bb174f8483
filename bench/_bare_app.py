"""The framework ceiling: a Quart app on one hypercorn worker that does nothing but the HTTP and WebSocket work.

``POST /api/pods/failed`` parses the JSON body and answers 200 with a small JSON object, after handing one message
to every WebSocket client's queue; ``POST /api/security/findings`` parses and answers; ``GET /health`` answers a
constant; ``/api/ws`` sends each client what was queued for it (one bounded queue and one sender task per
client, like the real hub). No storage, no rules, no authentication: whatever rate or latency this app reaches
with the same load generator on the same machine is the most any implementation of the real routes on this
stack can reach there, which is what the ingest, WebSocket and findings benchmarks compare against.

    python -m bench._bare_app PORT
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from hypercorn.asyncio import serve
from hypercorn.config import Config
from quart import Quart, request, websocket

app = Quart(__name__)
clients: set[asyncio.Queue[str]] = set()


@app.get("/health")
async def health() -> dict[str, Any]:
    return {"status": "ok"}


@app.post("/api/pods/failed")
async def report() -> tuple[dict[str, Any], int]:
    body = await request.get_json()
    pod = body.get("pod_name") if isinstance(body, dict) else None
    message = json.dumps({"type": "pod_failure", "data": {"pod_name": pod}})
    for queue in list(clients):
        if queue.full():
            clients.discard(queue)
        else:
            queue.put_nowait(message)
    return {"id": 1, "pod_name": pod, "status": "pending"}, 200


@app.post("/api/security/findings")
async def finding() -> tuple[dict[str, Any], int]:
    body = await request.get_json()
    check = body.get("check_name") if isinstance(body, dict) else None
    return {"id": 1, "check_name": check, "dismissed": False}, 200


@app.websocket("/api/ws")
async def feed() -> None:
    await websocket.accept()
    queue: asyncio.Queue[str] = asyncio.Queue(maxsize=256)
    clients.add(queue)
    try:
        while True:
            await websocket.send(await queue.get())
    finally:
        clients.discard(queue)


if __name__ == "__main__":
    config = Config()
    config.bind = [f"127.0.0.1:{int(sys.argv[1])}"]
    config.workers = 1
    config.accesslog = None
    asyncio.run(serve(app, config))
