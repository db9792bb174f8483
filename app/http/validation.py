"""Request parsing with the contract's error rules (docs/api.md#bodies, docs/api.md#errors, docs/api.md#identifiers,
docs/api.md#paginated-lists).

``@validate(...)`` parses path parameters, then the query string, then the JSON body — the evaluation order of
docs/api.md#errors — and passes the parsed models to the view as keyword arguments ``query`` and ``data``. It also
records the models on the view the way quart-schema expects, so ``/openapi.json`` documents every route from the same
models.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError, create_model
from quart import request
from quart_schema.validation import (
    QUART_SCHEMA_HEADERS_ATTRIBUTE,
    QUART_SCHEMA_QUERYSTRING_ATTRIBUTE,
    QUART_SCHEMA_REQUEST_ATTRIBUTE,
    DataSource,
)

from app.core.errors import ApiError, pydantic_items
from app.http.responses import Reply, as_reply
from app.schemas.base import PathInt

MAX_BODY_BYTES = 2 * 1024 * 1024
#: Nesting limit of a JSON body. The deepest legitimate body (a finding's ``details``, at most 32 levels below its
#: object) stays far below it; deeper bodies are refused before validation (and before any recursion can fail).
MAX_JSON_DEPTH = 64
TOO_DEEP = f"JSON body is nested too deeply (at most {MAX_JSON_DEPTH} levels)"
def json_depth_exceeds(value: object, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``value`` nests arrays/objects deeper than ``limit`` (iterative: no recursion to exhaust)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


F = TypeVar("F", bound=Callable[..., Awaitable[Any]])

_path_model_cache: dict[tuple[tuple[str, Any], ...], type[BaseModel]] = {}


def _path_model(spec: dict[str, Any]) -> type[BaseModel]:
    key = tuple(sorted(spec.items(), key=lambda item: item[0]))
    model = _path_model_cache.get(key)
    if model is None:
        fields: dict[str, Any] = {}
        for name, kind in spec.items():
            fields[name] = (PathInt if kind is int else kind, ...)
        model = create_model("PathParams", **fields)
        _path_model_cache[key] = model
    return model


def _is_json_mimetype(content_type: str) -> bool:
    mimetype = content_type.split(";", 1)[0].strip().lower()
    return mimetype == "application/json" or (mimetype.startswith("application/") and mimetype.endswith("+json"))


async def read_json_body(*, optional: bool = False) -> Any:
    """Read the body under the size, content-type and syntax rules. Returns :data:`NO_BODY` for an empty body
    (a JSON ``null`` is ``None``, which is not an object)."""
    declared = request.content_length
    if declared is not None and declared > MAX_BODY_BYTES:
        raise ApiError(413, "Request body too large")
    raw = await request.get_data(cache=True)
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(413, "Request body too large")
    if not raw:
        return NO_BODY
    if not _is_json_mimetype(request.headers.get("Content-Type", "")):
        if optional and not raw.strip():
            return NO_BODY
        raise ApiError(415, "Content-Type must be application/json")
    try:
        payload = json.loads(raw)
    except RecursionError:
        raise ApiError(400, TOO_DEEP) from None
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "Malformed JSON body") from None
    if json_depth_exceeds(payload):
        raise ApiError(400, TOO_DEEP)
    return payload


class _NoBody:
    def __repr__(self) -> str:
        return "NO_BODY"


#: What :func:`read_json_body` returns when the request has no body at all.
NO_BODY: Any = _NoBody()


def parse_body(model: type[BaseModel], payload: Any) -> BaseModel:
    if payload is NO_BODY:
        raise ApiError(422, [{"loc": ["body"], "msg": "Field required: a JSON object body", "type": "missing"}])
    if not isinstance(payload, dict):
        raise ApiError(422, [{"loc": ["body"], "msg": "Input should be a JSON object", "type": "model_type"}])
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise ApiError(422, pydantic_items(exc, "body")) from None


#: View attributes read by the OpenAPI provider (app/http/openapi.py).
RESPONSES_ATTRIBUTE = "_kure_responses"
PATH_MODEL_ATTRIBUTE = "_kure_path_model"
ERRORS_ATTRIBUTE = "_kure_errors"
INPUTS_ATTRIBUTE = "_kure_inputs"


@dataclass(frozen=True)
class Inputs:
    """What a route validates, which decides its generic error statuses (docs/api-decisions.md, "OpenAPI")."""

    path: bool = False
    query: bool = False
    body: bool = False
    body_optional: bool = False


def validate(
    *,
    path: dict[str, Any] | None = None,
    query: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
    body_optional: bool = False,
    responses: Mapping[int, Reply | Any] | None = None,
    errors: Iterable[int] = (),
) -> Callable[[F], F]:
    """Parse and validate a request; see the module docstring.

    ``path`` maps a URL variable to ``int`` (the base-10 integer rule of docs/api.md#identifiers) or an annotated type
    such as :data:`MirrorId`; parsed values replace the raw strings in the view's keyword arguments. ``responses``
    are the route's successful answers and ``errors`` the error statuses of its own checks (app/http/responses.py).
    """

    path_model = _path_model(path) if path else None

    def decorator(func: F) -> F:
        @wraps(func)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            if path_model is not None:
                raw = {name: kwargs[name] for name in path_model.model_fields}
                try:
                    parsed = path_model.model_validate(raw)
                except ValidationError as exc:
                    raise ApiError(422, pydantic_items(exc, "path")) from None
                kwargs.update(parsed.model_dump())
            if query is not None:
                values = {key: request.args.get(key) for key in request.args}
                try:
                    kwargs["query"] = query.model_validate(values)
                except ValidationError as exc:
                    raise ApiError(422, pydantic_items(exc, "query")) from None
            if body is not None:
                payload = await read_json_body(optional=body_optional)
                if payload is NO_BODY and body_optional:
                    payload = {}
                kwargs["data"] = parse_body(body, payload)
            return await func(*args, **kwargs)

        if query is not None:
            setattr(wrapper, QUART_SCHEMA_QUERYSTRING_ATTRIBUTE, query)
        if body is not None:
            setattr(wrapper, QUART_SCHEMA_REQUEST_ATTRIBUTE, (body, DataSource.JSON))
        declared = {**getattr(func, RESPONSES_ATTRIBUTE, {})}
        declared.update({status: as_reply(reply) for status, reply in (responses or {}).items()})
        setattr(wrapper, RESPONSES_ATTRIBUTE, declared)
        setattr(wrapper, ERRORS_ATTRIBUTE, frozenset(getattr(func, ERRORS_ATTRIBUTE, frozenset())) | set(errors))
        if path_model is not None:
            setattr(wrapper, PATH_MODEL_ATTRIBUTE, path_model)
        setattr(wrapper, INPUTS_ATTRIBUTE, Inputs(path=path_model is not None, query=query is not None,
                                                  body=body is not None, body_optional=body_optional))
        return wrapper  # type: ignore[return-value]

    return decorator


def documented_body(model: type[BaseModel]) -> Callable[[F], F]:
    """Document the JSON body of a route that reads it itself (to check things in its own order)."""

    def decorator(func: F) -> F:
        setattr(func, QUART_SCHEMA_REQUEST_ATTRIBUTE, (model, DataSource.JSON))
        inputs: Inputs = getattr(func, INPUTS_ATTRIBUTE, Inputs())
        setattr(func, INPUTS_ATTRIBUTE, Inputs(path=inputs.path, query=inputs.query, body=True))
        return func

    return decorator


def documented_headers(model: type[BaseModel]) -> Callable[[F], F]:
    """Document the request headers of a route that reads them itself (each field is a header, ``a_b`` → ``a-b``)."""

    def decorator(func: F) -> F:
        setattr(func, QUART_SCHEMA_HEADERS_ATTRIBUTE, model)
        return func

    return decorator


def document(responses: Mapping[int, Reply | Any], errors: Iterable[int] = ()) -> Callable[[F], F]:
    """Declare the answers of a route that takes no input to validate (see :func:`validate`)."""
    return validate(responses=responses, errors=errors)
