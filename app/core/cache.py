"""A small value read from storage on a hot path, kept in memory for a few seconds.

Ingest consults the exclusion lists on every report and, for every new incident, the notification settings and
the LLM configuration. Each is tiny and changes rarely, so each is read at most once per ``seconds`` and the copy
is dropped on every change made through this process; a change made through another replica is seen within
``seconds``. That keeps a report's database round trips to its own records: at most 4, the budget docs/benchmarks.md
records.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from app.core.clock import Clock

T = TypeVar("T")

#: How stale a copy may be when another replica changed the stored value.
SHARED_VALUE_SECONDS = 2.0


class CachedValue(Generic[T]):
    def __init__(self, load: Callable[[], Awaitable[T]], clock: Clock, seconds: float = SHARED_VALUE_SECONDS) -> None:
        self._load = load
        self._clock = clock
        self._seconds = seconds
        self._copy: tuple[float, T] | None = None  # (loaded at, value)
        self._generation = 0

    async def get(self) -> T:
        now = self._clock.monotonic()
        if self._copy is not None and now - self._copy[0] <= self._seconds:
            return self._copy[1]
        generation = self._generation
        value = await self._load()
        if generation == self._generation:  # a change made while this read was in flight must not be hidden
            self._copy = (now, value)
        return value

    def invalidate(self) -> None:
        self._generation += 1
        self._copy = None
