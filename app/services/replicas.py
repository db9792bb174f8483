"""What one replica shares with the others through MongoDB (docs/replicas.md#several-replicas): its identity,
the per-principal connection caps, and leases for the periodic jobs that must run on one replica at a time."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

from app.core.clock import Clock
from app.core.tasks import TaskGroup
from storage.errors import is_unavailable
from storage.leases import LeaseRepository
from storage.slots import SlotRepository

log = logging.getLogger("kure.replicas")

#: A slot of a replica that stopped refreshing it is free again after this long.
SLOT_SECONDS = 60.0
#: How often a replica refreshes its slots (well inside SLOT_SECONDS).
SLOT_REFRESH_SECONDS = 20.0


def outage_tolerant(name: str, job: Callable[[], Awaitable[Any]]) -> Callable[[], Coroutine[Any, Any, None]]:
    """``job`` for a periodic loop: a MongoDB outage is one warning line (the next tick retries), not a traceback."""

    async def tick() -> None:
        try:
            await job()
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            log.warning("%s skipped: MongoDB unavailable (%s); retrying at the next tick", name, type(exc).__name__)

    return tick


def replica_name() -> str:
    """Unique per process: host, pid and a random tail (a restarted pod reuses neither slot nor lease)."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class PrincipalCaps:
    """Per-principal caps counted over every replica (WebSockets, log streams)."""

    def __init__(self, slots: SlotRepository, clock: Clock, tasks: TaskGroup, replica: str) -> None:
        self.slots = slots
        self.clock = clock
        self.tasks = tasks
        self.replica = replica

    async def claim(self, kind: str, principal: str, cap: int) -> str | None:
        now = self.clock.now()
        return await self.slots.claim(kind, principal, self.replica, cap, now, now + timedelta(seconds=SLOT_SECONDS))

    def release(self, slot_id: str) -> None:
        """Free a slot without waiting (called from synchronous clean-up); a failure leaves it to expire."""
        self.tasks.spawn(self.slots.release(slot_id), "slot-release")

    async def refresh(self) -> None:
        now = self.clock.now()
        await self.slots.refresh(self.replica, now + timedelta(seconds=SLOT_SECONDS))
        await self.slots.purge(now)


class Leases:
    """Runs a job only on the replica holding its lease (docs/replicas.md#leases)."""

    def __init__(self, repository: LeaseRepository, clock: Clock, replica: str) -> None:
        self.repository = repository
        self.clock = clock
        self.replica = replica
        self.held: set[str] = set()

    def leased(
        self, name: str, seconds: float, job: Callable[[], Awaitable[Any]]
    ) -> Callable[[], Coroutine[Any, Any, None]]:
        """``job`` wrapped: each tick takes or renews the lease ``name`` for ``seconds`` and runs only when held."""

        async def tick() -> None:
            if await self.repository.acquire(name, self.replica, seconds, self.clock.now()):
                if name not in self.held:
                    log.info("This replica now runs %s", name)
                    self.held.add(name)
                await job()
            else:
                self.held.discard(name)

        return outage_tolerant(name, tick)

    async def release_all(self) -> None:
        for name in list(self.held):
            try:
                await asyncio.wait_for(self.repository.release(name, self.replica), 2)
            except Exception:
                log.warning("Could not release lease %s; it expires on its own", name)
        self.held.clear()
