"""Live pod logs (docs/api.md#logs): the one-shot read and the follow stream.

Everything here is asyncio: the log read, the follow stream, the keep-alive timer and the client-departure
handling run on the event loop (no threads), so a hundred open streams cost a hundred idle sockets, not threads.

:class:`app.kube.access.KubeAccess` is the application's one Kubernetes call path, shared with the mirror and
diagram services; its domain errors (app/kube/errors.py) become the contract's answers in app/http/errors.py: no
client or an unreachable API server → 503 ``Kubernetes client not available``; an API error answer → 502
``Kubernetes API error: <HTTP reason phrase>``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Callable
from typing import Any, Protocol
from urllib.parse import quote

import aiohttp

from app.core.errors import ApiError
from app.kube.access import TRANSPORT_ERRORS, KubeAccess
from app.kube.bodies import Pod, as_pod
from app.kube.errors import KubeRefused

log = logging.getLogger("kure.logs")

MAX_STREAMS = 100
#: Follow streams one principal (a user, or the service token) may hold at once in one backend process, so a
#: single account cannot take every slot (docs/mirror.md, "Logs").
MAX_STREAMS_PER_PRINCIPAL = 10
KEEPALIVE_SECONDS = 15.0
#: A "line" without a newline is cut into events of this size, so one endless line cannot grow memory.
MAX_LINE_BYTES = 1024 * 1024

TOO_MANY_STREAMS = "Too many concurrent log streams"
TOO_MANY_OWN_STREAMS = "Too many concurrent log streams for this user (limit {limit}); close one first"
STREAM_RETRY_AFTER = "15"

KEEPALIVE_FRAME = b": keep-alive\n\n"
END_FRAME = b'event: end\ndata: {"reason":"container_stopped"}\n\n'
ERROR_FRAME = b'event: error\ndata: {"detail":"Kubernetes API error"}\n\n'

# A broken follow stream: transport failures, and aiohttp's ValueError for a malformed chunked body.
STREAM_ERRORS: tuple[type[Exception], ...] = (*TRANSPORT_ERRORS, ValueError)


def pod_not_found(namespace: str, pod_name: str) -> ApiError:
    return ApiError(404, f"Pod '{pod_name}' not found in namespace '{namespace}'")


def pod_path(namespace: str, pod_name: str = "", sub: str = "") -> str:
    """REST path of the pods of a namespace, of one pod or of its ``sub`` resource. Callers pass names that
    passed app/kube/names.py (the routes' path types, or :meth:`KubeAccess.read` for stored names)."""
    path = f"/api/v1/namespaces/{quote(namespace, safe='')}/pods"
    if pod_name:
        path += f"/{quote(pod_name, safe='')}"
    if sub:
        path += f"/{sub}"
    return path


async def read_pod(kube: KubeAccess, namespace: str, pod_name: str) -> Pod | None:
    """The live pod, or ``None`` when it does not exist (or cannot: a name Kubernetes would refuse).
    502/503 for other failures. The one read of a pod by name for the logs and the mirrors: its answer becomes a
    typed Pod here."""
    obj = await kube.read("Pod", namespace, pod_name)
    return as_pod(obj) if obj is not None else None


def container_names(pod: Pod) -> list[str]:
    """``spec.containers`` in order, then ``spec.initContainers`` in order (docs/api.md#logs)."""
    spec = pod.get("spec") or {}
    return [
        name
        for containers in (spec.get("containers") or (), spec.get("initContainers") or ())
        for name in (container.get("name") for container in containers)
        if name is not None
    ]


def default_container(pod: Pod) -> str | None:
    containers = (pod.get("spec") or {}).get("containers") or ()
    return next((name for name in (c.get("name") for c in containers) if name is not None), None)


def sse_data(line: bytes) -> bytes:
    """One log line → one SSE event. A trailing ``\\r`` goes; invalid UTF-8 becomes U+FFFD (SSE is UTF-8)."""
    if line.endswith(b"\r"):
        line = line[:-1]
    text = line.decode("utf-8", errors="replace")
    return b"data: " + text.encode("utf-8") + b"\n\n"


class SharedCaps(Protocol):
    """Per-principal slots counted over every replica (app/services/replicas.py)."""

    async def claim(self, kind: str, principal: str, cap: int) -> str | None: ...

    def release(self, slot_id: str) -> None: ...


class LogStream:
    """The body of one SSE response: owns its stream slot and the Kubernetes follow connection.

    ``aclose`` releases both, whether or not the body was ever iterated (Quart calls it when the response ends,
    and when the client leaves: the server cancels the response task, which lands in the ``finally`` below).
    """

    def __init__(
        self,
        upstream: aiohttp.ClientResponse | None,
        keepalive_seconds: float,
        release: Callable[[], None],
    ) -> None:
        self._upstream = upstream
        self._keepalive = keepalive_seconds
        self._release: Callable[[], None] | None = release
        self._events = self._generate()

    def __aiter__(self) -> LogStream:
        return self

    async def __anext__(self) -> bytes:
        return await self._events.__anext__()

    async def aclose(self) -> None:
        await self._events.aclose()
        self._finish()

    def _finish(self) -> None:
        if self._upstream is not None:
            # close(), not release(): the follow body never completes, so the connection must not go back to
            # the pool — closing it is what ends the API server's log stream.
            self._upstream.close()
            self._upstream = None
        if self._release is not None:
            self._release()
            self._release = None

    async def _read(self, upstream: aiohttp.ClientResponse, seconds: float) -> bytes | None:
        """The next chunk of the follow body (``b""`` at its end), or ``None`` when ``seconds`` passed first.

        ``readany`` consumes nothing until data is there, so cancelling it on the timeout loses no bytes (a
        ``readline`` would). ``asyncio.timeout`` costs one timer per read — no task per line.
        """
        try:
            async with asyncio.timeout(seconds) as deadline:
                return await upstream.content.readany()
        except TimeoutError:
            if deadline.expired():
                return None
            raise

    async def _generate(self) -> AsyncGenerator[bytes, None]:
        upstream = self._upstream
        loop = asyncio.get_running_loop()
        try:
            if upstream is None:
                yield END_FRAME
                return
            buffer = b""
            last_output = loop.time()
            while True:
                remaining = self._keepalive - (loop.time() - last_output)
                try:
                    chunk = await self._read(upstream, max(remaining, 0.0))
                except STREAM_ERRORS as exc:
                    log.info("Log stream from Kubernetes broke: %s", type(exc).__name__)
                    yield ERROR_FRAME
                    return
                if chunk is None:
                    last_output = loop.time()
                    yield KEEPALIVE_FRAME
                    continue
                if not chunk:
                    if buffer:
                        yield sse_data(buffer)
                    yield END_FRAME
                    return
                buffer += chunk
                lines = buffer.split(b"\n")
                buffer = lines.pop()
                while len(buffer) > MAX_LINE_BYTES:
                    lines.append(buffer[:MAX_LINE_BYTES])
                    buffer = buffer[MAX_LINE_BYTES:]
                if lines:
                    last_output = loop.time()
                    yield b"".join(sse_data(line) for line in lines)
        finally:
            self._finish()


class LogService:
    def __init__(
        self,
        kube: KubeAccess,
        *,
        max_streams: int = MAX_STREAMS,
        max_streams_per_principal: int = MAX_STREAMS_PER_PRINCIPAL,
        keepalive_seconds: float = KEEPALIVE_SECONDS,
        caps: SharedCaps | None = None,
    ) -> None:
        self.kube = kube
        #: Counts the per-principal cap over every replica; without it (unit tests) this process counts alone.
        self.caps = caps
        self.max_streams = max_streams
        self.max_streams_per_principal = max_streams_per_principal
        self.keepalive_seconds = keepalive_seconds
        self.active_streams = 0
        self._streams_by_principal: dict[str, int] = {}

    async def _resolve(
        self, namespace: str, pod_name: str, container: str | None
    ) -> tuple[str, list[str]]:
        """The shared pre-checks of docs/api.md#logs after the client check: pod exists, container known."""
        pod = await read_pod(self.kube, namespace, pod_name)
        if pod is None:
            raise pod_not_found(namespace, pod_name)
        containers = container_names(pod)
        wanted = container or default_container(pod)
        if wanted is None or wanted not in containers:
            raise ApiError(
                404,
                f"Container '{wanted or ''}' not found in pod '{pod_name}'. Available: {', '.join(containers)}",
            )
        return wanted, containers

    async def read(
        self, namespace: str, pod_name: str, container: str | None, tail_lines: int, previous: bool
    ) -> dict[str, Any]:
        """docs/api.md#reading-logs: the last ``tail_lines`` lines of one container."""
        name, containers = await self._resolve(namespace, pod_name, container)
        query: list[tuple[str, str | int | bool]] = [("container", name), ("tailLines", tail_lines)]
        if previous:
            query.append(("previous", True))
        try:
            text = await self.kube.text(pod_path(namespace, pod_name, "log"), query=query)
        except KubeRefused as exc:
            if exc.status == 400:
                # No previous instance, or the container has not started yet: nothing to show, not an error.
                text = ""
            elif exc.status == 404:
                raise pod_not_found(namespace, pod_name) from None
            else:
                raise
        return {"pod_name": pod_name, "namespace": namespace, "container": name, "containers": containers,
                "logs": text}

    async def check(self, namespace: str, pod_name: str, container: str | None) -> None:
        """The stream's pre-checks without opening a stream (``HEAD``)."""
        await self._resolve(namespace, pod_name, container)

    def streams_of(self, principal: str) -> int:
        return self._streams_by_principal.get(principal, 0)

    async def open_stream(
        self, namespace: str, pod_name: str, container: str | None, tail_lines: int, principal: str = ""
    ) -> LogStream:
        """docs/api.md#following-logs: run the pre-checks, take a stream slot and open the follow connection.

        ``principal`` names who holds the slot (``user:<id>`` or ``service``), for the per-principal cap.
        Errors are raised before any byte is sent, so they are ordinary JSON answers.
        """
        await self.kube.require()
        if self.active_streams >= self.max_streams:
            raise ApiError(429, TOO_MANY_STREAMS, {"Retry-After": STREAM_RETRY_AFTER})
        slot: str | None = None
        if self.caps is not None:
            slot = await self.caps.claim("log_stream", principal, self.max_streams_per_principal)
        if (slot is None and self.caps is not None) or self.streams_of(principal) >= self.max_streams_per_principal:
            if slot is not None and self.caps is not None:
                self.caps.release(slot)
            raise ApiError(429, TOO_MANY_OWN_STREAMS.format(limit=self.max_streams_per_principal),
                           {"Retry-After": STREAM_RETRY_AFTER})
        self.active_streams += 1
        self._streams_by_principal[principal] = self.streams_of(principal) + 1
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                if slot is not None and self.caps is not None:
                    self.caps.release(slot)
                self.active_streams -= 1
                remaining = self.streams_of(principal) - 1
                if remaining > 0:
                    self._streams_by_principal[principal] = remaining
                else:
                    self._streams_by_principal.pop(principal, None)

        try:
            name, _ = await self._resolve(namespace, pod_name, container)
            query: list[tuple[str, str | int | bool]] = [
                ("container", name), ("follow", True), ("tailLines", tail_lines),
            ]
            upstream: aiohttp.ClientResponse | None
            try:
                upstream = await self.kube.stream(pod_path(namespace, pod_name, "log"), query=query)
            except KubeRefused as exc:
                if exc.status == 400:
                    # The container has not started (or cannot be followed): the stream ends at once.
                    upstream = None
                elif exc.status == 404:
                    raise pod_not_found(namespace, pod_name) from None
                else:
                    raise
        except BaseException:
            release()
            raise
        return LogStream(upstream, self.keepalive_seconds, release)

