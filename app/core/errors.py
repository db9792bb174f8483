"""The one error-body layer (docs/api.md#bodies, docs/api.md#errors).

Routes and services raise :class:`ApiError`; every other exception becomes the status its kind implies, and an
unexpected one becomes a 500 carrying only the request id. Dependency outages are 503, never 500.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from quart import Quart, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestEntityTooLarge

from app.core.routing import allowed_methods

log = logging.getLogger("kure.errors")

DB_UNAVAILABLE = "Database not available"
GRAPH_UNAVAILABLE = "Graph database not available"
KUBE_UNAVAILABLE = "Kubernetes client not available"


class ApiError(Exception):
    """An error with a contract status and ``detail`` (string, or the 422 list)."""

    def __init__(self, status: int, detail: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail if isinstance(detail, str) else f"HTTP {status}")
        self.status = status
        self.detail = detail
        self.headers = headers or {}


class DependencyUnavailable(ApiError):
    """A dependency (MongoDB, Neo4j, Kubernetes) is missing or unreachable: 503 with its fixed detail."""

    def __init__(self, detail: str) -> None:
        super().__init__(503, detail)


def validation_error(items: list[dict[str, Any]]) -> ApiError:
    return ApiError(422, items)


# pydantic's wording names Python types ("a valid dictionary or instance of EventIn", "Value error, ...");
# a client of a JSON API reads JSON's names instead. Error types not listed keep pydantic's message, which is
# already written in JSON terms (ranges, lengths, patterns, allowed values).
_JSON_TYPE_MESSAGES = {
    "model_type": "Input should be a JSON object",
    "model_attributes_type": "Input should be a JSON object",
    "dict_type": "Input should be a JSON object",
    "list_type": "Input should be a JSON array",
    "tuple_type": "Input should be a JSON array",
    "set_type": "Input should be a JSON array",
    "string_type": "Input should be a string",
    "int_type": "Input should be an integer",
    "int_parsing": "Input should be an integer",
    "int_from_float": "Input should be a whole number",
    "float_type": "Input should be a number",
    "float_parsing": "Input should be a number",
    "finite_number": "Input should be a finite number",
    "bool_type": "Input should be a boolean (true or false)",
    "bool_parsing": "Input should be a boolean (true or false)",
    "none_required": "Input should be null",
    "is_instance_of": "Input has the wrong type",
    "dataclass_type": "Input should be a JSON object",
    "union_tag_invalid": "Input does not match any allowed shape",
    "missing": "Field required",
}
_PREFIXES = ("Value error, ", "Assertion failed, ")
_LENGTH_TYPES = {"too_long": "at most", "too_short": "at least"}


def api_message(error: Mapping[str, Any]) -> str:
    """The 422 ``msg`` of one pydantic error, in the API's language (docs/api-decisions.md)."""
    kind = str(error.get("type", ""))
    if kind in _JSON_TYPE_MESSAGES:
        return _JSON_TYPE_MESSAGES[kind]
    message = str(error.get("msg", ""))
    for prefix in _PREFIXES:
        message = message.removeprefix(prefix)
    if kind in _LENGTH_TYPES:
        ctx = error.get("ctx") or {}
        bound = ctx.get("max_length" if kind == "too_long" else "min_length")
        if isinstance(bound, int):
            noun = "item" if bound == 1 else "items"
            return f"Input should have {_LENGTH_TYPES[kind]} {bound} {noun}"
    return message


def pydantic_items(exc: ValidationError, source: str) -> list[dict[str, Any]]:
    """pydantic errors → the 422 item list, ``loc`` prefixed with ``path``/``query``/``body``."""
    items = []
    for err in exc.errors(include_url=False, include_context=True, include_input=False):
        items.append({"loc": [source, *err["loc"]], "msg": api_message(err), "type": err["type"]})
    return items


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


def register_error_handlers(app: Quart) -> None:
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
