"""The backend's shared Kubernetes client handle (one ApiClient per process, loaded lazily)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import aiohttp
from kubernetes_asyncio import client

from app.core.errors import KUBE_UNAVAILABLE, ApiError, DependencyUnavailable

from .config import check_connection, create_api_client, load_kube_config
from .names import name_error, namespace_error, object_name_rule
from .resources import resource
from .rest import KubeApiError, request_json

#: Read timeout of one non-streaming Kubernetes call.
CALL_TIMEOUT = 30.0

log = logging.getLogger("kure.kube")

# Transport failures before or during an answer: the API server is unreachable, not "answering an error".
TRANSPORT_ERRORS: tuple[type[Exception], ...] = (aiohttp.ClientError, OSError, TimeoutError)


def api_error(exc: KubeApiError) -> ApiError:
    """502 for an error answer of the API server, named by its HTTP reason phrase (docs/api.md#errors)."""
    return ApiError(502, f"Kubernetes API error: {exc.reason or exc.status}")


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
    ) -> None:
        self._kubeconfig = kubeconfig
        self._mode = mode
        self._on_status = on_status
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
        api = await self.api()
        if api is None:
            raise DependencyUnavailable(KUBE_UNAVAILABLE)
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

    async def read(
        self, kind: str, namespace: str | None, name: str, *, read_timeout: float = CALL_TIMEOUT
    ) -> dict[str, Any] | None:
        """GET one object by its exact API kind: ``None`` when it does not exist — or cannot, because a name
        breaks Kubernetes' naming rules (app/kube/names.py; such a name never reaches a URL). A Kubernetes error
        answer is a 502, an unreachable API server a 503, no client a 503."""
        res = resource(kind)
        api = await self.require()  # 503 first: without a cluster nothing can be said about any name
        if name_error(name, object_name_rule(kind)) is not None:
            return None
        if res.namespaced and (namespace is None or namespace_error(namespace) is not None):
            return None
        try:
            obj = await request_json(api, "GET", res.item_path(namespace, name), read_timeout=read_timeout)
        except KubeApiError as exc:
            self.report(True)
            if exc.status == 404:
                return None
            raise api_error(exc) from None
        except TRANSPORT_ERRORS as exc:
            raise self.unreachable(exc) from None
        self.report(True)
        return obj

    def unreachable(self, exc: BaseException) -> ApiError:
        """503 ``Kubernetes client not available`` for a transport failure, which also marks the API server down."""
        self.report(False)
        log.warning("Kubernetes API unreachable: %s", type(exc).__name__)
        return DependencyUnavailable(KUBE_UNAVAILABLE)
