"""A generic list-then-watch reflector for one Kubernetes kind (kopf / client-go style).

Lifecycle of :meth:`Reflector.run` (never returns until cancelled):

1. ``sink.relist_begin(reason)``; paginated list with ``limit``/``continue``; each item →
   ``sink.item("LISTED", obj)``; after the last page ``sink.relist_end(resource_version)``. A 410 on a
   continuation restarts the list (the interrupted list never reaches ``relist_end``).
2. Watch from the list's resourceVersion with ``allowWatchBookmarks``; ADDED/MODIFIED/DELETED →
   ``sink.item(type, obj)``, BOOKMARK → ``sink.bookmark(rv)``. Every event advances the resourceVersion.
   When the server ends the stream (its ``timeoutSeconds``) the watch resumes from the current RV.
3. 410 Gone (ERROR event or HTTP status) → relist with reason ``gone``.
4. Transport errors (classified as in :class:`~app.kube.access.KubeAccess`), 5xx, 429 → state ``backoff``,
   wait (the one :class:`~app.core.backoff.Backoff`: 1 s doubling to ``backoff_max``, ±20 % jitter, reset after
   a watch stayed up ``stable_after`` seconds), then resume the watch from the RV (or restart an interrupted
   list). 401 → ``on_unauthorized()`` (reload credentials) then retry.
5. 403 → state ``forbidden``, 404 → ``unavailable``: reported through ``sink.state``, never fatal; retried
   every ``forbidden_retry`` seconds with a fresh list (reason ``initial`` if no list has completed yet).
6. Every ``resync_seconds`` (0 = never) a full relist with reason ``periodic``.

The sink receives raw JSON dicts (list items get their ``kind``/``apiVersion`` filled in, as list responses
omit them). Back-pressure is the sink's business: if ``item`` awaits, the reflector stops reading.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from kubernetes_asyncio import client

from app.core.backoff import Backoff

from .access import TRANSPORT_ERRORS
from .resources import ResourceKind
from .rest import (
    JSON_ACCEPT,
    METADATA_ACCEPT,
    METADATA_LIST_ACCEPT,
    KubeApiError,
    open_request,
    request_json,
    stream_lines,
)

log = logging.getLogger("kure.kube.reflector")

# Failures that only wait and resume: the API server could not be reached, or a watch line was cut off mid-way.
BACKED_OFF: tuple[type[Exception], ...] = (*TRANSPORT_ERRORS, json.JSONDecodeError)

JSON = dict[str, Any]


class ReflectorSink(Protocol):
    """Receiver of a reflector's output. All methods may await (back-pressure)."""

    async def relist_begin(self, kind: str, reason: str) -> None: ...

    async def item(self, kind: str, event_type: str, obj: JSON) -> None: ...

    async def relist_end(self, kind: str, resource_version: str, count: int) -> None: ...

    async def bookmark(self, kind: str, resource_version: str) -> None: ...

    def state(self, kind: str, state: str, error: str | None) -> None: ...


class ListWatchSettings(Protocol):
    """What a reflector reads of a component's settings group (the in-cluster components' ``settings.cluster``,
    app/incluster/settings.py)."""

    @property
    def list_page_size(self) -> int: ...

    @property
    def watch_timeout_seconds(self) -> int: ...


@dataclass
class ReflectorOptions:
    @classmethod
    def from_settings(cls, cluster: ListWatchSettings, *, field_selector: str | None = None) -> ReflectorOptions:
        """The options of a component's reflectors: list pages and watch timeout from its group, the rest the
        defaults; ``field_selector`` narrows what one reflector lists and watches."""
        return cls(page_size=cluster.list_page_size, watch_timeout=cluster.watch_timeout_seconds,
                   field_selector=field_selector)

    page_size: int = 500
    watch_timeout: int = 300
    backoff_initial: float = 1.0
    backoff_max: float = 60.0
    forbidden_retry: float = 300.0
    resync_seconds: float = 0.0
    stable_after: float = 60.0
    metadata_only: bool = False
    namespace: str | None = None
    label_selector: str | None = None
    field_selector: str | None = None


class _Gone(Exception):
    pass


class _Resync(Exception):
    pass


class Reflector:
    """Lists and watches one kind; see the module docstring for the exact behaviour."""

    def __init__(
        self,
        api: client.ApiClient,
        resource: ResourceKind,
        sink: ReflectorSink,
        options: ReflectorOptions | None = None,
        *,
        on_unauthorized: Callable[[], Awaitable[None]] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        list_gate: asyncio.Semaphore | None = None,
    ) -> None:
        self.api = api
        self.resource = resource
        self.sink = sink
        self.options = options or ReflectorOptions()
        self.on_unauthorized = on_unauthorized
        self._sleep = sleep
        self._gate = list_gate
        self._list_done_at = 0.0
        self.resource_version: str | None = None
        self.lists_completed = 0
        self._backoff = Backoff(self.options.backoff_initial, self.options.backoff_max)
        self._state = ""

    @property
    def kind(self) -> str:
        return self.resource.kind

    def _set_state(self, state: str, error: str | None = None) -> None:
        self._state = state
        self.sink.state(self.kind, state, error)

    def _filters(self) -> list[tuple[str, str | int | bool]]:
        query: list[tuple[str, str | int | bool]] = []
        if self.options.label_selector:
            query.append(("labelSelector", self.options.label_selector))
        if self.options.field_selector:
            query.append(("fieldSelector", self.options.field_selector))
        return query

    # ------------------------------------------------------------------ main loop

    async def run(self) -> None:
        reason = "initial"
        need_list = True
        while True:
            try:
                if need_list:
                    await self._list(reason)
                    need_list = False
                self._set_state("watching")
                await self._watch_forever()
            except _Gone:
                log.info("graph sync: %s watch expired (410); relisting", self.kind)
                reason, need_list = "gone", True
            except _Resync:
                reason, need_list = "periodic", True
            except KubeApiError as err:
                if err.status == 410:
                    reason, need_list = "gone", True
                    continue
                if err.status in (403, 404):
                    state = "forbidden" if err.status == 403 else "unavailable"
                    self._set_state(state, f"list {state} ({err.status})")
                    await self._sleep(self.options.forbidden_retry)
                    reason = "initial" if self.lists_completed == 0 else "gone"
                    need_list = True
                    continue
                if err.status == 401 and self.on_unauthorized is not None:
                    await self.on_unauthorized()
                need_list = need_list or self.resource_version is None
                await self._back_off(f"{err.status} {err.reason}".strip())
            except BACKED_OFF as exc:
                need_list = need_list or self.resource_version is None
                await self._back_off(type(exc).__name__ + (f": {exc}" if str(exc) else ""))

    async def _back_off(self, error: str) -> None:
        delay = self._backoff.next_delay()
        self._set_state("backoff", error)
        log.warning("graph sync: %s: %s; retrying in %.1f s", self.kind, error, delay)
        await self._sleep(delay)

    # ------------------------------------------------------------------ list

    async def _list(self, reason: str) -> None:
        if self._gate is None:
            await self._list_pages(reason)
        else:
            async with self._gate:
                await self._list_pages(reason)

    async def _list_pages(self, reason: str) -> None:
        self._set_state("listing")
        await self.sink.relist_begin(self.kind, reason)
        path = self.resource.list_path(self.options.namespace)
        accept = METADATA_LIST_ACCEPT if self.options.metadata_only else JSON_ACCEPT
        token: str | None = None
        resource_version = ""
        count = 0
        while True:
            query = [("limit", self.options.page_size), *self._filters()]
            if token:
                query.append(("continue", token))
            page = await request_json(
                self.api,
                "GET",
                path,
                query=query,
                accept=accept,
                read_timeout=max(60.0, float(self.options.watch_timeout)),
            )
            meta = page.get("metadata") or {}
            if not token:
                resource_version = str(meta.get("resourceVersion") or "")
            for obj in page.get("items") or []:
                obj.setdefault("kind", self.resource.kind)
                obj.setdefault("apiVersion", self.resource.api_version)
                await self.sink.item(self.kind, "LISTED", obj)
                count += 1
            token = meta.get("continue") or None
            if not token:
                break
        self.resource_version = resource_version
        self.lists_completed += 1
        self._list_done_at = time.monotonic()
        await self.sink.relist_end(self.kind, resource_version, count)

    # ------------------------------------------------------------------ watch

    async def _watch_forever(self) -> None:
        resync = self.options.resync_seconds
        while True:
            if resync and time.monotonic() - self._list_done_at >= resync:
                raise _Resync
            started = time.monotonic()
            await self._watch_once(None if not resync else resync - (started - self._list_done_at))
            if time.monotonic() - started >= self.options.stable_after:
                self._backoff.reset()

    async def _watch_once(self, budget: float | None) -> None:
        timeout = self.options.watch_timeout
        if budget is not None:
            timeout = max(1, min(timeout, int(budget) + 1))
        query: list[tuple[str, str | int | bool]] = [
            ("watch", True),
            ("allowWatchBookmarks", True),
            ("timeoutSeconds", timeout),
            *self._filters(),
        ]
        if self.resource_version:
            query.append(("resourceVersion", self.resource_version))
        accept = METADATA_ACCEPT if self.options.metadata_only else JSON_ACCEPT
        response = await open_request(
            self.api,
            "GET",
            self.resource.list_path(self.options.namespace),
            query=query,
            accept=accept,
            read_timeout=timeout + 30,
        )
        events = 0
        async for line in stream_lines(response):
            line = line.strip()
            if not line:
                continue
            event = json.loads(line)
            etype = event.get("type")
            obj = event.get("object") or {}
            if etype == "ERROR":
                code = obj.get("code")
                if code == 410:
                    raise _Gone
                raise KubeApiError(int(code or 500), str(obj.get("reason") or "Error"), str(obj.get("message") or ""))
            rv = (obj.get("metadata") or {}).get("resourceVersion")
            if etype == "BOOKMARK":
                if rv:
                    self.resource_version = str(rv)
                    await self.sink.bookmark(self.kind, str(rv))
                continue
            if etype not in ("ADDED", "MODIFIED", "DELETED"):
                continue
            obj.setdefault("kind", self.resource.kind)
            obj.setdefault("apiVersion", self.resource.api_version)
            await self.sink.item(self.kind, etype, obj)
            if rv:
                self.resource_version = str(rv)
            events += 1
            if events == 1 and self._state != "watching":
                self._set_state("watching")
