"""OpenAPI generation: quart-schema's parameters and request bodies, and responses exactly as the routes answer.

The responses of an operation come from the route's declarations (app/core/responses.py), never guessed:

- its successful answers (JSON bodies as named components, arrays as arrays, ``text/plain``, ``text/event-stream``,
  ``text/html``, no content), each with the headers it carries (``X-Total-Count``, ``Retry-After``,
  ``Set-Cookie``, and ``X-Request-ID`` on every response);
- the error statuses its guard and inputs imply (401/403 for a non-public guard; 400/413/415/422 for a JSON body;
  422 for validated path or query parameters; 503 for every ``/api`` route, whose principal resolution may need
  the database) plus the ones it names itself, each with the error body of docs/api.md#errors (``detail`` a string,
  or for 422 a list of ``{loc, msg, type}``).

There is no ``default`` response: a status the document does not list is a defect, and the fuzz tier
(tests/fuzz) fails on it. Operations also carry the security requirement of their ``@guard``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import TypeAdapter
from quart_schema.openapi import OpenAPIProvider
from werkzeug.routing import Rule

from app.core.guards import GUARD_ATTRIBUTE
from app.core.responses import ERROR_DESCRIPTIONS, ERROR_HEADERS, HEADERS, Body, NoContent, Reply, Text
from app.core.validation import (
    ERRORS_ATTRIBUTE,
    INPUTS_ATTRIBUTE,
    PATH_MODEL_ATTRIBUTE,
    RESPONSES_ATTRIBUTE,
    Inputs,
)

REF = "#/components/schemas/{model}"

ERROR_BODY = {
    "type": "object",
    "title": "ErrorBody",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in words"},
        "request_id": {"type": "string", "description": "500 only: equals the X-Request-ID header"},
    },
}
VALIDATION_ERROR_BODY = {
    "type": "object",
    "title": "ValidationErrorBody",
    "required": ["detail"],
    "properties": {
        "detail": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["loc", "msg", "type"],
                "properties": {
                    "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                            "description": "\"path\", \"query\" or \"body\", then the field and nested keys"},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
}

SECURITY: dict[str, list[dict[str, list[str]]]] = {
    "public": [],
    "read": [{"cookieAuth": []}],
    "write": [{"cookieAuth": []}],
    "admin": [{"cookieAuth": []}],
    "service": [{"serviceToken": []}],
    "read_or_service": [{"cookieAuth": []}, {"serviceToken": []}],
}


def error_statuses(rule_path: str, guard: str | None, inputs: Inputs | None, named: Iterable[int]) -> set[int]:
    """The error statuses a route can answer (module docstring)."""
    statuses = set(named)
    if guard not in (None, "public"):
        statuses |= {401, 403}
    if inputs is not None:
        if inputs.body:
            statuses |= {400, 413, 415, 422}
        if inputs.path or inputs.query:
            statuses.add(422)
    if rule_path.startswith("/api/"):
        statuses.add(503)
    return statuses


def _headers(names: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("X-Request-ID", *names):
        spec = dict(HEADERS[name])
        out[name] = {**spec, "required": True}
    return out


class KureOpenAPIProvider(OpenAPIProvider):
    def build_paths(self, rule: Rule) -> tuple[dict[str, Any], dict[str, Any]]:
        paths, components = super().build_paths(rule)
        view = self._app.view_functions[rule.endpoint]
        guard = getattr(view, GUARD_ATTRIBUTE, None)
        declared: dict[int, Reply] = getattr(view, RESPONSES_ATTRIBUTE, {})
        inputs: Inputs | None = getattr(view, INPUTS_ATTRIBUTE, None)
        named: frozenset[int] = getattr(view, ERRORS_ATTRIBUTE, frozenset())
        components = {**components, "ErrorBody": ERROR_BODY, "ValidationErrorBody": VALIDATION_ERROR_BODY}
        responses: dict[str, Any] = {}
        for status, reply in sorted(declared.items()):
            responses[str(status)] = self._reply(reply, components)
        for status in sorted(error_statuses(rule.rule, guard, inputs, named) - declared.keys()):
            body = "ValidationErrorBody" if status == 422 else "ErrorBody"
            responses[str(status)] = {
                "description": ERROR_DESCRIPTIONS.get(status, "Error"),
                "headers": _headers(ERROR_HEADERS.get(status, ())),
                "content": {"application/json": {"schema": {"$ref": REF.format(model=body)}}},
            }
        path_schemas = _path_schemas(getattr(view, PATH_MODEL_ATTRIBUTE, None))
        for item in paths.values():
            for operation in item.values():
                operation["responses"] = responses
                operation["parameters"] = [
                    {**parameter, "schema": path_schemas[parameter["name"]]}
                    if parameter.get("in") == "path" and parameter["name"] in path_schemas else parameter
                    for parameter in operation.get("parameters", [])
                ]
                if "requestBody" in operation:
                    operation["requestBody"] = {
                        **operation["requestBody"], "required": not (inputs is not None and inputs.body_optional),
                    }
                if guard in SECURITY:
                    operation["security"] = SECURITY[guard]
        return paths, components

    @staticmethod
    def _reply(reply: Reply, components: dict[str, Any]) -> dict[str, Any]:
        if isinstance(reply, NoContent):
            return {"description": reply.description, "headers": _headers(reply.headers)}
        if isinstance(reply, Text):
            return {"description": reply.description, "headers": _headers(reply.headers),
                    "content": {reply.media_type: {"schema": dict(reply.schema)}}}
        assert isinstance(reply, Body)
        return {"description": reply.description or "OK", "headers": _headers(reply.headers),
                "content": {"application/json": {"schema": json_schema(reply.schema, components)}}}

    def operation_id(self, method: str, path: str, func: Any) -> str | None:
        # View names repeat across blueprints (two areas may both have `list_namespaces`); method + path is unique.
        words = [part.strip("{}") for part in path.strip("/").split("/") if part]
        return "_".join([method.lower(), *words]).replace("-", "_")


def _path_schemas(model: Any) -> dict[str, Any]:
    """Schemas of validated path parameters (an integer id, the mirror id pattern) instead of "any string"."""
    if model is None:
        return {}
    properties = TypeAdapter(model).json_schema()["properties"]
    return {name: {k: v for k, v in schema.items() if k != "title"} for name, schema in properties.items()}


def json_schema(annotation: Any, components: dict[str, Any]) -> dict[str, Any]:
    """The serialization schema of ``annotation``; every model goes into ``components`` by name and is referenced,
    so generated clients get one named type per model."""
    schema = TypeAdapter(annotation).json_schema(ref_template=REF, mode="serialization")
    components.update(schema.pop("$defs", {}))
    title = schema.get("title")
    if schema.get("type") == "object" and isinstance(title, str) and isinstance(annotation, type):
        components[title] = schema
        return {"$ref": REF.format(model=title)}
    return schema
