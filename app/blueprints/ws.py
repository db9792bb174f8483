"""The live event feed ``WS /api/ws`` (docs/api.md#websocket).

The upgrade is accepted first so that refusals are observable as close codes. ``?after=<seq>`` resumes: the
messages after that sequence are sent first (the live feed service, app/services/live.py, opens and closes
connections). Each connection runs a sender
(draining its hub queue), a pinger (every 20 s: re-check the session, queue a ping), a receiver (reads and
ignores client frames, enforcing the 64 KiB limit) and waits for whichever ends first or for the hub to ask it
to close.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from quart import Blueprint, websocket

from app.http.guards import Gatekeeper, websocket_guard
from app.services.auth import AuthService
from app.services.live import LiveConnection, LiveFeedService, LiveRefused

log = logging.getLogger("kure.ws")

MAX_CLIENT_FRAME = 64 * 1024


async def _send_loop(connection: LiveConnection) -> None:
    # A plain queue.get(): at 500 clients x 100 events/s a timed wait per message (a task and a timer each)
    # cost more than the sends themselves; pings and closing are other tasks' business.
    peer = websocket._get_current_object()  # type: ignore[attr-defined]  # one proxy lookup, not one a frame
    client = connection.client
    while client.backlog:
        await peer.send(client.backlog.popleft())
    while True:
        frame = await client.queue.get()
        await peer.send(frame)


async def _ping_loop(connection: LiveConnection, live: LiveFeedService, auth: AuthService, ping_seconds: float) -> None:
    """Every ``ping_seconds``: re-check a cookie session (a logged-out or deleted user is closed with 4401),
    then queue a ping."""
    client = connection.client
    while True:
        await asyncio.sleep(ping_seconds)
        if client.session_id is not None:
            try:
                session = await auth.resolve_session(client.session_id)
            except Exception:
                log.warning("WebSocket session re-check failed: session store unavailable")
                client.close(1011, "Server error")
                return
            if session is None:
                client.close(4401, "Not authenticated")  # logged out, revoked or user deleted
                return
        live.ping(connection)


async def _receive_loop(connection: LiveConnection) -> None:
    while True:
        message = await websocket.receive()
        if len(message) > MAX_CLIENT_FRAME:
            connection.client.close(1009, "Message too big")
            return


async def _wait_closing(connection: LiveConnection) -> None:
    """Returns once the hub (overflow, shutdown) or a loop asked this connection to close."""
    client = connection.client
    while client.close_code is None:
        await client.closed.wait()


def create_blueprint(
    live: LiveFeedService, auth: AuthService, gatekeeper: Gatekeeper, ping_seconds: float
) -> Blueprint:
    blueprint = Blueprint("ws", __name__)

    @blueprint.websocket("/api/ws")
    @websocket_guard("read_or_service")
    async def live_feed() -> None:
        await websocket.accept()
        try:
            principal = await gatekeeper.resolve_principal()
        except Exception:
            log.warning("WebSocket authentication failed: session store unavailable")
            await websocket.close(1011, "Server error")
            return
        if principal.kind in ("anonymous", "invalid"):
            await websocket.close(4401, "Not authenticated")
            return
        if principal.from_cookie and not gatekeeper.handshake_origin_allowed(websocket.headers):
            await websocket.close(4403, "Cross-origin request refused")
            return

        try:
            connection = await live.open(
                principal=principal.key, user_id=principal.user["_id"] if principal.user else None,
                session_id=principal.session_id, after=resume_after(websocket.args.get("after")),
            )
        except LiveRefused as refused:
            await websocket.close(refused.code, refused.reason)
            return
        client = connection.client
        closing = asyncio.create_task(_wait_closing(connection))
        tasks = (
            closing,
            asyncio.create_task(_send_loop(connection)),
            asyncio.create_task(_ping_loop(connection, live, auth, ping_seconds)),
            asyncio.create_task(_receive_loop(connection)),
        )
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            live.close(connection)
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if client.close_code is not None:
            with contextlib.suppress(Exception):
                await websocket.close(client.close_code, client.close_reason)

    return blueprint


def resume_after(value: str | None) -> int | None:
    """The ``after`` query parameter: the last sequence the client saw. Anything but a non-negative integer is
    ignored (the connection starts from now, as without it)."""
    if value is None or not value.isdigit() or len(value) > 18:
        return None
    return int(value)
