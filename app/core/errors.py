"""The errors of the API contract (docs/api.md#errors), free of any web framework.

Services raise :class:`ApiError` with the contract's status and ``detail`` for the answers the contract names
(404 for an unknown record, 409 for a refused transition, ...). Adapters raise their own domain errors instead
(app/kube/errors.py, storage/errors.py, graph/errors.py); app/http/errors.py is the one place that turns those into
statuses and renders every error body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

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
