"""The one Kubernetes call path: a shared ApiClient, loaded lazily, and every call made through it.

The backend's services, the in-cluster agent and scanner (their checkpoint, log reads) and the shared lease all call
Kubernetes through :class:`KubeAccess`, which owns what each call needs and no caller repeats: the read timeout,
retries of requests that can safely be sent again with the project's one :class:`~app.core.backoff.Backoff`, the
reachability report that keeps ``/health``'s ``kubernetes`` state current, and the translation of failures into the
domain errors of app/kube/errors.py (an unavailable cluster, a refusing API server, a missing object, a conflicting
write). Callers never see a transport exception. Only the reflectors' list/watch loop (app/kube/reflector.py) talks
to app/kube/rest.py itself: it is a retry loop of its own, with its own backoff and states, and shares this module's
classification of transport failures.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import aiohttp
from kubernetes_asyncio import client

from app.core.backoff import Backoff

from .config import check_connection, create_api_client, load_kube_config
from .errors import KubeRefused, KubeUnavailable
from .names import name_error, namespace_error, object_name_rule
from .resources import resource
from .rest import JSON, KubeApiError, QueryParams, open_request, request_json, request_text

#: Read timeout of one non-streaming Kubernetes call.
CALL_TIMEOUT = 30.0
#: A request that can safely be sent again (reads; writes a caller marks ``repeatable``) is tried this many times
#: when the API server cannot be reached (about 0.2 s, then 0.4 s apart): a restarting API server or a dropped
#: connection is not reported as an outage at once.
READ_ATTEMPTS = 3
RETRY_INITIAL, RETRY_MAX = 0.2, 2.0

log = logging.getLogger("kure.kube")

# Transport failures before or during an answer: the API server is unreachable, not "answering an error".
TRANSPORT_ERRORS: tuple[type[Exception], ...] = (aiohttp.ClientError, OSError, TimeoutError)
# Of those, the ones where no request reached the server: only these are retried (a timeout is not: the server
# may be working on it, and waiting again would only multiply the caller's wait).
NOT_SENT: tuple[type[Exception], ...] = (aiohttp.ClientConnectorError, ConnectionRefusedError)

T = TypeVar("T")


class KubeAccess:
    """The backend's Kubernetes client: configuration loaded once (lazily, it is async), one shared ApiClient.

    ``on_status`` receives ``True``/``False`` whenever a call shows the API server reachable or not, which keeps
    the ``kubernetes`` dependency state of ``/health`` current without a separate probe.
    """

    def __init__(
        self,
        kubeconfig: str | None,
        mode: str,
        on_status: Callable[[bool], None] | None = None,
        *,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self._kubeconfig = kubeconfig
        self._mode = mode
        self._on_status = on_status
        self._sleep = sleep
        self._api: client.ApiClient | None = None
        self._loaded = False
        self._lock = asyncio.Lock()

    async def api(self) -> client.ApiClient | None:
        """The shared ApiClient, or ``None`` when Kubernetes is off or not configured."""
        if self._loaded:
            return self._api
        async with self._lock:
            if not self._loaded:
                kube = await load_kube_config(self._kubeconfig, mode=self._mode)
                self._api = create_api_client(kube) if kube is not None else None
                self._loaded = True
        return self._api

    async def require(self) -> client.ApiClient:
        """The shared ApiClient; :class:`KubeUnavailable` when there is none."""
        api = await self.api()
        if api is None:
            raise KubeUnavailable()
        return api

    async def probe(self) -> bool:
        """Check reachability once (``GET /version``) and report it; False also when not configured."""
        api = await self.api()
        if api is None:
            return False
        up = await check_connection(api)
        self.report(up)
        return up

    def report(self, up: bool) -> None:
        if self._on_status is not None:
            self._on_status(up)

    async def close(self) -> None:
        if self._api is not None:
            await self._api.close()
        self._api = None

    # --- the call path ---------------------------------------------------------------------------------------

    async def _call(self, operation: Callable[[client.ApiClient], Awaitable[T]], *, attempts: int = 1) -> T:
        """Run one request: no client → :class:`KubeUnavailable`; an error answer → :class:`KubeRefused` (the
        server is reachable); a transport failure → retried up to ``attempts`` times with backoff, then
        :class:`KubeUnavailable` (the server is down)."""
        api = await self.require()
        backoff = Backoff(RETRY_INITIAL, RETRY_MAX)
        for attempt in range(1, attempts + 1):
            try:
                result = await operation(api)
            except KubeApiError as exc:
                self.report(True)
                raise KubeRefused.from_answer(exc) from None
            except TRANSPORT_ERRORS as exc:
                if attempt < attempts and isinstance(exc, NOT_SENT):
                    await self._sleep(backoff.next_delay())
                    continue
                self.report(False)
                log.warning("Kubernetes API unreachable: %s", type(exc).__name__)
                raise KubeUnavailable(type(exc).__name__) from None
            self.report(True)
            return result
        raise AssertionError("unreachable: attempts >= 1")

    async def call(
        self, method: str, path: str, *, query: QueryParams | None = None, body: Mapping[str, Any] | None = None,
        read_timeout: float = CALL_TIMEOUT, repeatable: bool | None = None,
    ) -> JSON:
        """One request returning a JSON object; retried when the server cannot be reached if it is ``repeatable``.
        ``body`` is any JSON object, a typed one (app/kube/bodies.py) included.

        Reads are (the default for GET). A caller marks a write repeatable when sending it twice cannot do harm:
        a create (the second one meets 409 :class:`KubeConflict`) or an update carrying the object's
        ``resourceVersion`` (same). Only failures where no request reached the server are retried anyway.
        """
        attempts = READ_ATTEMPTS if (method == "GET" if repeatable is None else repeatable) else 1
        # The client serialises dicts only: any other mapping is copied into one (shallow, so cheap).
        sent = dict(body) if body is not None else None
        return await self._call(
            lambda api: request_json(api, method, path, query=query, body=sent, read_timeout=read_timeout),
            attempts=attempts,
        )

    async def text(self, path: str, *, query: QueryParams | None = None, read_timeout: float = CALL_TIMEOUT) -> str:
        """GET a text resource (a container's log)."""
        return await self._call(
            lambda api: request_text(api, path, query=query, read_timeout=read_timeout), attempts=READ_ATTEMPTS
        )

    async def stream(
        self, path: str, *, query: QueryParams | None = None, accept: str = "*/*"
    ) -> aiohttp.ClientResponse:
        """Open a long-lived GET (following a log); the caller releases the response. Not retried: a stream that
        cannot open is reported at once."""
        return await self._call(lambda api: open_request(api, "GET", path, query=query, accept=accept,
                                                         read_timeout=None))

    async def read(
        self, kind: str, namespace: str | None, name: str, *, read_timeout: float = CALL_TIMEOUT
    ) -> JSON | None:
        """GET one object by its exact API kind: ``None`` when it does not exist — or cannot, because a name
        breaks Kubernetes' naming rules (app/kube/names.py; such a name never reaches a URL)."""
        res = resource(kind)
        await self.require()  # unavailable first: without a cluster nothing can be said about any name
        if name_error(name, object_name_rule(kind)) is not None:
            return None
        if res.namespaced and (namespace is None or namespace_error(namespace) is not None):
            return None
        try:
            return await self.call("GET", res.item_path(namespace, name), read_timeout=read_timeout)
        except KubeRefused as exc:
            if exc.status == 404:
                return None
            raise
