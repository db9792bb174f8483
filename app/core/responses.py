"""What a route answers, declared next to the route and rendered into ``/openapi.json`` (app/core/openapi.py).

A route declares its successful answers (``@validate(responses=...)`` / ``@document(...)``): a JSON body
(:class:`Body`, or a bare model / ``list[Model]`` as shorthand), a paginated list (:func:`paged`, with
``X-Total-Count``), another media type (:class:`Text`) or no body (:class:`NoContent`). The error statuses follow
from the route's guard and inputs (401/403, 400/413/415/422) plus the ones the route names itself (``errors=``);
docs/api-decisions.md ("OpenAPI") lists the rules. Pure declarations: no web framework here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Response headers the document can name. Every response also carries X-Request-ID (docs/api.md#request-ids).
HEADERS: Mapping[str, Mapping[str, Any]] = {
    "X-Request-ID": {
        "description": "The request id: echoed from the request when valid, else generated (also in the logs)",
        "schema": {"type": "string"},
    },
    "X-Total-Count": {
        "description": "Number of matching items before limit/offset",
        "schema": {"type": "integer", "minimum": 0},
    },
    "Retry-After": {
        "description": "Seconds until a retry can succeed",
        "schema": {"type": "integer", "minimum": 1},
    },
    "Set-Cookie": {
        "description": "The session cookie `kure_session` (set on login/signup, expired on logout)",
        "schema": {"type": "string"},
    },
}


@dataclass(frozen=True)
class Body:
    """A JSON body of ``schema`` (a pydantic model class, or a typing form such as ``list[Model]``)."""

    schema: Any
    description: str = ""
    headers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Text:
    """A body of another media type (Prometheus text, an event stream, HTML)."""

    media_type: str
    description: str
    schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "string"})
    headers: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoContent:
    description: str = "No Content"
    headers: tuple[str, ...] = ()


Reply = Body | Text | NoContent


def paged(model: Any, description: str = "") -> Body:
    """A paginated list (docs/api.md#paginated-lists): a bare JSON array of ``model`` plus ``X-Total-Count``."""
    return Body(list[model], description, headers=("X-Total-Count",))


def as_reply(value: Reply | Any) -> Reply:
    """A declared answer; a bare type is a JSON body of that type."""
    return value if isinstance(value, Body | Text | NoContent) else Body(value)


#: Short descriptions of the error statuses of docs/api.md#errors.
ERROR_DESCRIPTIONS: Mapping[int, str] = {
    400: "Bad Request: a malformed or too deeply nested JSON body, or a business rule of the route",
    401: "Not authenticated",
    403: "Forbidden: role too low, wrong kind of principal, or a cross-origin request",
    404: "Not Found",
    409: "Conflict",
    413: "Request body too large",
    415: "Content-Type must be application/json",
    422: "Validation error (path, query or body)",
    429: "Too many requests",
    502: "An upstream (Kubernetes API, webhook, LLM) answered with an error",
    503: "A dependency (MongoDB, Neo4j, Kubernetes) is not available",
}
#: Error statuses that carry headers of their own.
ERROR_HEADERS: Mapping[int, tuple[str, ...]] = {429: ("Retry-After",)}
