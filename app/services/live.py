"""The live feed's connections (docs/api.md#websocket): what ``WS /api/ws`` asks of the feed, the hub and the
per-principal caps, so the route talks to one service and knows no adapter.

A connection is opened after the route authenticated it: it takes one of the principal's slots (counted over every
replica), then is attached to the feed, resuming after the client's last sequence. It is closed by releasing both.
A connection the feed will not serve is refused with the WebSocket close code and reason the client sees.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from app.services.replicas import PrincipalCaps
from app.ws.feed import LiveFeed
from app.ws.hub import TOO_MANY_CONNECTIONS, TOO_MANY_CONNECTIONS_CODE, Hub, HubClient

log = logging.getLogger("kure.ws")

#: The close of a connection the server could not set up (a store it needs is unavailable).
SERVER_ERROR = (1011, "Server error")


class LiveRefused(Exception):
    """The feed will not serve this connection; ``code`` and ``reason`` are its WebSocket close."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class LiveConnection:
    """One open connection: the hub's client (its queue, backlog and close request) and the slot it holds."""

    client: HubClient
    slot: str


class LiveFeedService:
    def __init__(self, hub: Hub, feed: LiveFeed, caps: PrincipalCaps) -> None:
        self.hub = hub
        self.feed = feed
        self.caps = caps

    async def open(
        self, *, principal: str, user_id: int | None, session_id: str | None, after: int | None
    ) -> LiveConnection:
        """Claim a slot and attach to the feed after ``after`` (None: from now on); raise :class:`LiveRefused`."""
        try:
            slot = await self.caps.claim("websocket", principal, self.hub.max_per_principal)
        except Exception:
            log.warning("WebSocket refused: connection slots unavailable (MongoDB)")
            raise LiveRefused(*SERVER_ERROR) from None
        if slot is None:
            raise LiveRefused(TOO_MANY_CONNECTIONS_CODE, TOO_MANY_CONNECTIONS)
        client = HubClient(user_id=user_id, session_id=session_id, principal=principal)
        try:
            attached = await self.feed.attach(client, after)
        except Exception:
            self.caps.release(slot)
            log.warning("WebSocket resume failed: event log unavailable")
            raise LiveRefused(*SERVER_ERROR) from None
        if not attached:
            self.caps.release(slot)
            raise LiveRefused(TOO_MANY_CONNECTIONS_CODE, TOO_MANY_CONNECTIONS)
        return LiveConnection(client, slot)

    def ping(self, connection: LiveConnection) -> None:
        self.hub.send_to(connection.client, "ping", {})

    def close(self, connection: LiveConnection) -> None:
        """Leave the hub and free the slot (synchronous: called from the route's clean-up)."""
        self.hub.unregister(connection.client)
        self.caps.release(connection.slot)
