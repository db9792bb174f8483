"""This replica's WebSocket fan-out (docs/api.md#websocket).

``deliver`` drops a message, encoded once, into every client's bounded queue without waiting; a client whose
queue (256) overflows is marked too slow and closed with 1013 by its own sender, so a stuck client never slows
the tail of the event log (app/ws/feed.py), other clients, or the request that caused the event. Each client
remembers the last sequence queued for it (``position``), so a message reaches it at most once; a resuming
client's missed messages wait in its ``backlog``, which its sender empties before the queue.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from app.core.metrics import WEBSOCKET_CONNECTIONS

log = logging.getLogger("kure.ws")

QUEUE_SIZE = 256


@dataclass(eq=False)
class HubClient:
    """One connected WebSocket. ``queue`` holds encoded frames; ``close_code`` set means: close now."""

    user_id: int | None
    session_id: str | None
    #: Who holds the connection (``user:<id>`` or ``service``), for the per-principal cap.
    principal: str = ""
    queue: asyncio.Queue[str] = field(default_factory=lambda: asyncio.Queue(maxsize=QUEUE_SIZE))
    close_code: int | None = None
    close_reason: str = ""
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    #: The highest sequence queued (or backlogged) for this client.
    position: int = 0
    #: Messages a resuming client missed, sent before anything in ``queue``.
    backlog: deque[str] = field(default_factory=deque)

    def close(self, code: int, reason: str) -> None:
        """Ask the connection to close; its handler notices at once, even while a send is blocked."""
        if self.close_code is None:
            self.close_code = code
            self.close_reason = reason
        self.closed.set()


#: WebSockets one principal may hold at once across all replicas (a dashboard needs one per open tab).
MAX_CONNECTIONS_PER_PRINCIPAL = 20
#: Close code and reason when a principal would exceed it (the 4xxx range mirrors HTTP's 429).
TOO_MANY_CONNECTIONS_CODE = 4429
TOO_MANY_CONNECTIONS = "Too many connections for this user"


class Hub:
    def __init__(self, max_per_principal: int = MAX_CONNECTIONS_PER_PRINCIPAL) -> None:
        self._clients: set[HubClient] = set()
        self._per_principal: dict[str, int] = {}
        self.max_per_principal = max_per_principal
        self.published = 0

    @property
    def client_count(self) -> int:
        return len(self._clients)

    def connections_of(self, principal: str) -> int:
        return self._per_principal.get(principal, 0)

    def try_register(self, client: HubClient) -> bool:
        """Register unless the client's principal already holds ``max_per_principal`` connections."""
        if client.principal and self.connections_of(client.principal) >= self.max_per_principal:
            return False
        self.register(client)
        return True

    def register(self, client: HubClient) -> None:
        if client in self._clients:
            return
        self._clients.add(client)
        if client.principal:
            self._per_principal[client.principal] = self.connections_of(client.principal) + 1
        WEBSOCKET_CONNECTIONS.set(len(self._clients))

    def unregister(self, client: HubClient) -> None:
        if client not in self._clients:
            return
        self._clients.discard(client)
        if client.principal:
            remaining = self.connections_of(client.principal) - 1
            if remaining > 0:
                self._per_principal[client.principal] = remaining
            else:
                self._per_principal.pop(client.principal, None)
        WEBSOCKET_CONNECTIONS.set(len(self._clients))

    def deliver(self, seq: int, frame: str) -> None:
        """Queue the logged message ``seq`` for every client that has not had it; never blocks."""
        self.published += 1
        for client in list(self._clients):
            if seq > client.position:
                client.position = seq
                self._offer(client, frame)

    def resync_all(self, seq: int, reason: str) -> None:
        """Tell the clients that miss messages to re-fetch: those up to ``seq`` are lost to this replica. A client
        already past ``seq`` (it resumed here from a replica that was ahead) missed nothing and is not told."""
        frame = json.dumps({"type": "resync", "data": {"seq": seq, "reason": reason}}, separators=(",", ":"))
        for client in list(self._clients):
            if client.position < seq:
                client.position = seq
                self._offer(client, frame)

    def publish(self, message_type: str, data: dict[str, Any]) -> None:
        """Queue an unlogged ``{"type", "data"}`` for this replica's clients only; never blocks."""
        frame = json.dumps({"type": message_type, "data": data}, separators=(",", ":"), default=str)
        self.published += 1
        for client in list(self._clients):
            self._offer(client, frame)

    def send_to(self, client: HubClient, message_type: str, data: dict[str, Any]) -> None:
        self._offer(client, json.dumps({"type": message_type, "data": data}, separators=(",", ":")))

    @staticmethod
    def _offer(client: HubClient, frame: str) -> None:
        if client.close_code is not None:
            return
        try:
            client.queue.put_nowait(frame)
        except asyncio.QueueFull:
            log.warning("WebSocket client too slow (user_id=%s); closing with 1013", client.user_id)
            client.close(1013, "Client too slow")

    def close_all(self, code: int, reason: str) -> None:
        for client in list(self._clients):
            client.close(code, reason)
