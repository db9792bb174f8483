"""Background work owned by the app: fire-and-forget jobs and supervised periodic loops.

Every task is referenced (so it is not garbage-collected mid-flight), logs its own failure instead of dying
silently, and is cancelled on shutdown.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

log = logging.getLogger("kure.tasks")


class TaskGroup:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._loops: set[asyncio.Task[Any]] = set()
        self._closed = False

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str, *, loop: bool = False) -> asyncio.Task[Any] | None:
        if self._closed:
            coro.close()
            return None
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        if loop:
            self._loops.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        self._loops.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("Background task %s failed", task.get_name(), exc_info=task.exception())

    def every(
        self, seconds: float | Callable[[], float], job: Callable[[], Awaitable[Any]], name: str,
        *, initial_delay: float = 0.0,
    ) -> None:
        """Run ``job`` periodically; an exception is logged and the loop goes on (it never dies)."""

        async def loop() -> None:
            await asyncio.sleep(initial_delay)
            while True:
                try:
                    await job()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("Periodic task %s failed; retrying at the next tick", name)
                await asyncio.sleep(seconds() if callable(seconds) else seconds)

        self.spawn(loop(), name, loop=True)

    async def drain(self, seconds: float = 5.0) -> None:
        """Wait briefly for in-flight one-off jobs, including jobs they spawn (tests, graceful shutdown)."""
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            pending = [task for task in self._tasks if task not in self._loops and not task.done()]
            remaining = deadline - asyncio.get_running_loop().time()
            if not pending or remaining <= 0:
                return
            await asyncio.wait(pending, timeout=remaining)

    async def close(self) -> None:
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
