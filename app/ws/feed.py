"""The live feed across replicas (docs/api.md#websocket, docs/replicas.md#the-live-event-log).

Publishing writes the message to the event log in MongoDB; every replica tails that log and hands each message,
in sequence order, to its own WebSocket clients through its :class:`~app.ws.hub.Hub` (the bounded queues and
slow-client rules are the hub's). So a client sees what any replica published, and a client that reconnects —
to any replica — names the last sequence it saw and gets what it missed.

- **Writer**: one task per replica takes every message queued by requests and appends them in one ordered
  insert. ``publish`` returns once the message is stored *and* this replica's tail has handed it to its own
  clients, so a response never overtakes its own message on the same replica (today's guarantee).
- **Tail**: polls the log for numbers above the last one delivered: every ``poll_seconds``, and at once when this
  replica wrote. Numbers have no holes (storage/events.py says why), so a jump means the log pruned messages
  this replica never read (it was stopped or cut off for longer than the log keeps): its clients are told to
  re-fetch (``resync``).
- **Window**: the tail keeps the last ``window`` messages (at most ``max_age`` old) in memory; a resuming client
  is served from it, from the database when the window does not reach back far enough, and otherwise told to
  re-fetch.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

from app.core.clock import Clock
from app.ws.hub import Hub, HubClient
from storage.events import EventLog, StoredEvent

log = logging.getLogger("kure.ws")

#: Messages one append carries at most.
WRITE_BATCH = 500
#: Messages one poll reads at most.
READ_BATCH = 1000
#: How long ``publish`` waits for its own replica's tail before it returns anyway.
DELIVERY_WAIT_SECONDS = 2.0


def encode_frame(seq: int, message_type: str, data_json: str) -> str:
    """``{"type", "seq", "data"}`` without decoding the stored ``data`` text again."""
    return f'{{"type":{json.dumps(message_type)},"seq":{seq},"data":{data_json}}}'


def resync_frame(seq: int, reason: str) -> str:
    return json.dumps({"type": "resync", "data": {"seq": seq, "reason": reason}}, separators=(",", ":"))


class TailSettings(Protocol):
    """What the feed reads of the backend's ``settings.live`` group (app/settings.py)."""

    @property
    def max_events(self) -> int: ...

    @property
    def poll_seconds(self) -> float: ...


class LiveFeed:
    @classmethod
    def from_settings(cls, log_store: EventLog, hub: Hub, clock: Clock, live: TailSettings) -> LiveFeed:
        """The backend's feed, from its ``settings.live`` group (app/settings.py): the memory window is the log's
        count bound."""
        return cls(log_store, hub, clock, poll_seconds=live.poll_seconds, window=live.max_events)

    def __init__(self, log_store: EventLog, hub: Hub, clock: Clock, *, poll_seconds: float, window: int) -> None:
        self.log = log_store
        self.hub = hub
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.window_size = window
        self.max_age = log_store.max_age
        #: The highest sequence handed to this replica's clients (every lower one was, too).
        self.position = 0
        self.started = asyncio.Event()
        self._window: deque[tuple[int, str, float]] = deque()  # (seq, frame, monotonic time seen)
        self._outbox: asyncio.Queue[tuple[str, str, asyncio.Future[int]]] = asyncio.Queue()
        self._wake = asyncio.Event()
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        #: Called with each message type the tail delivers (e.g. to drop a cache another replica changed).
        self.listeners: list[Callable[[str], None]] = []

    # --- publishing ----------------------------------------------------------------------------------------

    async def publish(self, message_type: str, data: dict[str, Any]) -> int:
        """Store one message for every replica's clients; its sequence number."""
        data_json = json.dumps(data, separators=(",", ":"), default=str)
        stored: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._outbox.put_nowait((message_type, data_json, stored))
        seq = await stored
        if self.position < seq:
            delivered: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.append((seq, delivered))
            self._wake.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(delivered), DELIVERY_WAIT_SECONDS)
        return seq

    async def run_writer(self) -> None:
        while True:
            batch = [await self._outbox.get()]
            while not self._outbox.empty() and len(batch) < WRITE_BATCH:
                batch.append(self._outbox.get_nowait())
            try:
                numbers = await self.log.append([(kind, data) for kind, data, _ in batch], self.clock.now())
            except asyncio.CancelledError:
                for _, _, future in batch:
                    future.cancel()
                raise
            except Exception as exc:
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, _, future), seq in zip(batch, numbers, strict=True):
                if not future.done():
                    future.set_result(seq)
            self._wake.set()

    # --- the tail ------------------------------------------------------------------------------------------

    async def start_position(self) -> None:
        """Start at the log's end, with its last ``window`` messages in memory for resuming clients."""
        recent = await self.log.read_last(self.window_size)
        now = self.clock.monotonic()
        for event in recent:
            if self._fresh(event):
                self._window.append((event.seq, encode_frame(event.seq, event.type, event.data), now))
        self.position = recent[-1].seq if recent else await self.log.newest_seq()
        self.log.observe(self.position)
        self.started.set()

    def _fresh(self, event: StoredEvent) -> bool:
        return event.at > self.clock.now() - self.max_age

    async def run_tail(self) -> None:
        delay = self.poll_seconds
        while True:
            try:
                if not self.started.is_set():
                    await self.start_position()
                events = await self.log.read_after(self.position, READ_BATCH)
                delay = self.poll_seconds
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("Live feed: reading the event log failed (%s); retrying", type(exc).__name__)
                events = []
                delay = min(max(delay * 2, 0.5), 5.0)
            if events:
                self.deliver(events)
            if len(events) >= READ_BATCH:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    def deliver(self, events: list[StoredEvent]) -> None:
        """Hand stored messages, in order, to this replica's clients (synchronous: no client can join between)."""
        now = self.clock.monotonic()
        for event in events:
            if event.seq <= self.position:
                continue
            if event.seq != self.position + 1:
                log.warning("Live feed: messages %d..%d were pruned before this replica read them; clients re-fetch",
                            self.position + 1, event.seq - 1)
                self._window.clear()
                self.hub.resync_all(event.seq - 1, "lost")
            frame = encode_frame(event.seq, event.type, event.data)
            self._window.append((event.seq, frame, now))
            self.position = event.seq
            self.log.observe(event.seq)
            self.hub.deliver(event.seq, frame)
            for listener in self.listeners:
                listener(event.type)
        self._trim(now)
        if self._waiters:
            still = []
            for seq, future in self._waiters:
                if seq <= self.position:
                    if not future.done():
                        future.set_result(None)
                else:
                    still.append((seq, future))
            self._waiters = still

    def _trim(self, now: float) -> None:
        age = self.max_age.total_seconds()
        while self._window and (len(self._window) > self.window_size or now - self._window[0][2] > age):
            self._window.popleft()

    # --- clients -------------------------------------------------------------------------------------------

    async def attach(self, client: HubClient, after: int | None) -> bool:
        """Register ``client`` to receive every message after ``after`` (None: from now on). Missed messages are
        queued first; when they are no longer kept the client gets ``resync`` instead. False when the hub refused
        the client (per-principal cap)."""
        if after is None or after < 0:
            client.position = self.position
            return self.hub.try_register(client)
        if after > self.position:
            # The client saw more than this replica delivered so far (it came from a replica ahead of this one),
            # or names a number this log never had (a log emptied and started over).
            if after > await self.log.newest_seq():
                return self._attach_resync(client, "unknown")
            client.position = max(after, self.position)
            return self.hub.try_register(client)
        older: list[tuple[int, str]] = []
        cursor = after
        for _ in range(5):
            self._trim(self.clock.monotonic())
            first_kept = self._window[0][0] if self._window else self.position + 1
            if cursor + 1 >= first_kept:
                return self._attach_from_window(client, cursor, older)
            # The window does not reach back far enough: read the gap from the database. While that read is
            # awaited the window moves on, so look again afterwards.
            stored = await self.log.read_after(cursor, min(first_kept - cursor - 1, READ_BATCH * 10))
            if not stored or stored[0].seq != cursor + 1 or not self._fresh(stored[0]):
                return self._attach_resync(client, "expired")
            older.extend((e.seq, encode_frame(e.seq, e.type, e.data)) for e in stored)
            cursor = stored[-1].seq
        return self._attach_resync(client, "expired")

    def _attach_from_window(self, client: HubClient, after: int, older: list[tuple[int, str]]) -> bool:
        if not self.hub.try_register(client):
            return False
        client.backlog.extend(frame for _, frame in older)
        client.backlog.extend(frame for seq, frame, _ in self._window if seq > after)
        client.position = max(after, self.position)
        return True

    def _attach_resync(self, client: HubClient, reason: str) -> bool:
        if not self.hub.try_register(client):
            return False
        client.position = self.position
        client.backlog.append(resync_frame(self.position, reason))
        return True

    @property
    def window_first(self) -> int | None:
        return self._window[0][0] if self._window else None

    async def prune(self) -> int:
        return await self.log.prune(self.clock.now())



class Publisher(Protocol):
    """What services need of the live feed: store a message for every replica's clients."""

    async def publish(self, message_type: str, data: dict[str, Any]) -> int: ...
