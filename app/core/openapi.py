"""OpenAPI generation: quart-schema's document, completed with what every route shares.

Each operation gets the error body of docs/api.md#errors as its ``default`` response, ``204`` where it declares no
body, and the security requirement implied by its ``@guard`` (cookie session, service token, or none).
"""

from __future__ import annotations

from typing import Any

from quart_schema.openapi import OpenAPIProvider
from werkzeug.routing import Rule

from app.core.guards import GUARD_ATTRIBUTE

ERROR_BODY = {
    "type": "object",
    "title": "ErrorBody",
    "required": ["detail"],
    "properties": {
        "detail": {
            "description": "A message, or for 422 a list of {loc, msg, type} items",
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "object", "properties": {
                    "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                    "msg": {"type": "string"}, "type": {"type": "string"}}}},
            ],
        },
        "request_id": {"type": "string", "description": "500 only: equals the X-Request-ID header"},
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


class KureOpenAPIProvider(OpenAPIProvider):
    def build_paths(self, rule: Rule) -> tuple[dict[str, Any], dict[str, Any]]:
        paths, components = super().build_paths(rule)
        guard = getattr(self._app.view_functions[rule.endpoint], GUARD_ATTRIBUTE, None)
        for item in paths.values():
            for operation in item.values():
                responses = dict(operation["responses"])
                if not responses:
                    responses["204"] = {"description": "No Content"}
                responses["default"] = {
                    "description": "Error (docs/api.md#errors)",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
                }
                operation["responses"] = responses
                if guard in SECURITY:
                    operation["security"] = SECURITY[guard]
        components = {**components, "ErrorBody": ERROR_BODY}
        return paths, components

    def operation_id(self, method: str, path: str, func: Any) -> str | None:
        # View names repeat across blueprints (two areas may both have `list_namespaces`); method + path is unique.
        words = [part.strip("{}") for part in path.strip("/").split("/") if part]
        return "_".join([method.lower(), *words]).replace("-", "_")
