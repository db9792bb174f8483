"""The shared short-lived cache of hot-path settings (app/core/cache.py)."""

from __future__ import annotations

import asyncio

from app.core.cache import CachedValue
from app.core.clock import ManualClock


async def test_reads_once_per_period_and_again_after_a_change() -> None:
    clock = ManualClock()
    stored = {"value": 1}
    reads = 0

    async def load() -> int:
        nonlocal reads
        reads += 1
        return stored["value"]

    cached = CachedValue(load, clock, seconds=2)
    assert [await cached.get(), await cached.get()] == [1, 1]
    assert reads == 1
    stored["value"] = 2  # changed by another replica: seen once the period is over
    clock.advance(1)
    assert await cached.get() == 1
    clock.advance(1.5)
    assert await cached.get() == 2
    stored["value"] = 3  # changed here
    cached.invalidate()
    assert await cached.get() == 3
    assert reads == 3


async def test_a_read_overtaken_by_a_change_is_not_kept() -> None:
    clock = ManualClock()
    stored = {"value": "old"}
    release = asyncio.Event()

    async def slow_load() -> str:
        value = stored["value"]
        await release.wait()
        return value

    cached = CachedValue(slow_load, clock)
    in_flight = asyncio.create_task(cached.get())
    await asyncio.sleep(0)
    stored["value"] = "new"
    cached.invalidate()
    release.set()
    assert await in_flight == "old"  # that caller asked before the change
    assert await cached.get() == "new"  # but nobody after it gets the stale copy
