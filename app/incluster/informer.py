"""Per-kind caches fed by the shared reflector (``app.kube.reflector``), docs/agent-scanner.md#kubernetes-access.

The :class:`Store` is the reflector's sink. It keeps raw objects without ``managedFields``, turns a relist (at
start, on lease acquisition, after 410) into the differences against the cache (missing → DELETED, changed
``resourceVersion`` → MODIFIED, new → ADDED) and passes every change to the consumer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

log = logging.getLogger("kure.incluster.informer")

Obj = dict[str, Any]
Key = tuple[str, str]
Consumer = Callable[[str, str, Obj], Awaitable[None] | None]


def obj_key(obj: Obj) -> Key:
    meta = obj.get("metadata") or {}
    return str(meta.get("namespace") or ""), str(meta.get("name") or "")


def _rv(obj: Obj) -> str:
    return str((obj.get("metadata") or {}).get("resourceVersion") or "")


class Store:
    """Caches of every watched kind; ``consumer(kind, event_type, obj)`` sees every change."""

    def __init__(
        self,
        kinds: Iterable[str],
        consumer: Consumer,
        *,
        slim: Callable[[str, Obj], Obj] | None = None,
        on_state: Callable[[str, str, str | None], None] | None = None,
        on_relist: Callable[[str, str], None] | None = None,
    ) -> None:
        self.kinds = list(kinds)
        self.caches: dict[str, dict[Key, Obj]] = {k: {} for k in self.kinds}
        self._consumer = consumer
        self._slim = slim
        self._on_state = on_state
        self._on_relist = on_relist
        self._relisting: dict[str, dict[Key, Obj]] = {}
        self._done: set[str] = set()
        self.states: dict[str, str] = {}
        self.last_watch_ok: dict[str, float] = {}
        self.synced = asyncio.Event()

    async def _emit(self, kind: str, event_type: str, obj: Obj) -> None:
        result = self._consumer(kind, event_type, obj)
        if result is not None:
            await result

    def _prepare(self, kind: str, obj: Obj) -> Obj:
        (obj.get("metadata") or {}).pop("managedFields", None)
        return self._slim(kind, obj) if self._slim is not None else obj

    async def relist_begin(self, kind: str, reason: str) -> None:
        self._relisting[kind] = {}
        if self._on_relist is not None:
            self._on_relist(kind, reason)

    async def item(self, kind: str, event_type: str, obj: Obj) -> None:
        obj = self._prepare(kind, obj)
        key = obj_key(obj)
        if event_type == "LISTED":
            self._relisting.setdefault(kind, {})[key] = obj
            return
        cache = self.caches.setdefault(kind, {})
        if event_type == "DELETED":
            cache.pop(key, None)
        else:
            cache[key] = obj
        self.last_watch_ok[kind] = time.monotonic()
        await self._emit(kind, event_type, obj)

    async def relist_end(self, kind: str, resource_version: str, count: int) -> None:
        fresh = self._relisting.pop(kind, {})
        cache = self.caches.setdefault(kind, {})
        old = dict(cache)
        cache.clear()
        cache.update(fresh)
        self.last_watch_ok[kind] = time.monotonic()
        for key, obj in old.items():
            if key not in fresh:
                await self._emit(kind, "DELETED", obj)
        for key, obj in fresh.items():
            before = old.get(key)
            if before is None:
                await self._emit(kind, "ADDED", obj)
            elif _rv(before) != _rv(obj):
                await self._emit(kind, "MODIFIED", obj)
        self._mark_done(kind)

    async def bookmark(self, kind: str, resource_version: str) -> None:
        self.last_watch_ok[kind] = time.monotonic()

    def state(self, kind: str, state: str, error: str | None) -> None:
        self.states[kind] = state
        if state in ("forbidden", "unavailable"):
            log.error("cannot list/watch %s: %s", kind, error)
            # A kind that cannot be listed does not hold back the sync (its checks are skipped).
            self._mark_done(kind)
        if self._on_state is not None:
            self._on_state(kind, state, error)

    def available(self, kind: str) -> bool:
        return self.states.get(kind) not in ("forbidden", "unavailable")

    def _mark_done(self, kind: str) -> None:
        self._done.add(kind)
        if all(k in self._done for k in self.kinds):
            self.synced.set()
