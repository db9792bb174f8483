"""Error bodies (docs/api.md#bodies, docs/api.md#errors): the one place where exceptions become HTTP answers.

Routes and services raise :class:`~app.core.errors.ApiError`; the adapters' domain errors (an unreachable or
refusing Kubernetes API, an unreachable MongoDB or Neo4j) become the status the contract gives them here; any
other exception becomes a 500 carrying only the request id. Dependency outages are 503, never 500.
"""

from __future__ import annotations

import logging
from typing import Any

from quart import Quart, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestEntityTooLarge

from app.core.errors import DB_UNAVAILABLE, GRAPH_UNAVAILABLE, KUBE_UNAVAILABLE, ApiError
from app.http.routing import allowed_methods
from app.kube.errors import KubeError, KubeRefused, KubeUnavailable

log = logging.getLogger("kure.errors")


def _body(status: int, detail: Any, headers: dict[str, str] | None = None) -> Response:
    response = jsonify({"detail": detail})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _is_db_outage(exc: BaseException) -> bool:
    from pymongo.errors import ConnectionFailure, ServerSelectionTimeoutError

    return isinstance(exc, ConnectionFailure | ServerSelectionTimeoutError)


def _is_graph_outage(exc: BaseException) -> bool:
    from neo4j.exceptions import ServiceUnavailable, SessionExpired

    return isinstance(exc, ServiceUnavailable | SessionExpired)


def kube_error_answer(exc: KubeError) -> tuple[int, str]:
    """The status and detail of a Kubernetes failure: no or an unreachable cluster is 503; an error answer of the
    API server is 502, named by its reason phrase (and followed by the server's message when the request carried
    only what the user wrote, app/kube/errors.py)."""
    if isinstance(exc, KubeRefused):
        detail = f"Kubernetes API error: {exc.reason or exc.status}"
        return 502, f"{detail}: {exc.message}" if exc.explain and exc.message else detail
    if isinstance(exc, KubeUnavailable):
        return 503, KUBE_UNAVAILABLE
    return 502, "Kubernetes API error"


def register_error_handlers(app: Quart) -> None:
    @app.errorhandler(KubeError)
    async def _kube_error(exc: KubeError) -> Response:
        status, detail = kube_error_answer(exc)
        return _body(status, detail)

    @app.errorhandler(ApiError)
    async def _api_error(exc: ApiError) -> Response:
        return _body(exc.status, exc.detail, exc.headers)

    @app.errorhandler(RequestEntityTooLarge)
    async def _too_large(exc: RequestEntityTooLarge) -> Response:
        return _body(413, "Request body too large")

    @app.errorhandler(MethodNotAllowed)
    async def _method(exc: MethodNotAllowed) -> Response:
        adapter = app.create_url_adapter(request)
        allowed = allowed_methods(app.url_map, adapter) if adapter is not None else []
        allowed = allowed or sorted(set(exc.valid_methods or []))
        return _body(405, "Method Not Allowed", {"Allow": ", ".join(allowed)} if allowed else None)

    @app.errorhandler(HTTPException)
    async def _http(exc: HTTPException) -> Response:
        status = exc.code or 500
        if status >= 500:
            return _internal(exc)
        name = exc.name if status != 400 else "Bad Request"
        return _body(status, name)

    @app.errorhandler(Exception)
    async def _unexpected(exc: Exception) -> Response:
        if _is_db_outage(exc):
            log.warning("MongoDB unavailable: %s", type(exc).__name__)
            return _body(503, DB_UNAVAILABLE)
        if _is_graph_outage(exc):
            log.warning("Neo4j unavailable: %s", type(exc).__name__)
            return _body(503, GRAPH_UNAVAILABLE)
        return _internal(exc)


def _internal(exc: BaseException) -> Response:
    request_id = getattr(g, "request_id", None) or ""
    log.error("Unhandled error (request_id=%s)", request_id, exc_info=exc)
    response = jsonify({"detail": "Internal server error", "request_id": request_id})
    response.status_code = 500
    return response
