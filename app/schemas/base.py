"""The building blocks of request models: strict JSON bodies, text query values, 64-bit integers, timestamps
(docs/api.md#bodies, docs/api.md#identifiers, docs/api.md#paginated-lists, docs/api.md#timestamps).

Pure pydantic: services take these models as input types, app/http/validation.py parses requests into them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from annotated_types import Ge, Le
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from app.core.timefmt import parse_timestamp

#: The integers a stored document can hold (MongoDB's int64); anything beyond is a 422, never an overflow.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

_INT_RE = re.compile(r"^-?[0-9]+$")
_INT64_MESSAGE = "must be an integer between -9223372036854775808 and 9223372036854775807"


def _strict_int_text(value: object) -> object:
    if isinstance(value, str):
        if not _INT_RE.match(value):
            raise ValueError("must be a base-10 integer")
        if len(value) > 20:
            raise ValueError(_INT64_MESSAGE)
        return int(value)
    return value


def _int64(value: int) -> int:
    if not INT64_MIN <= value <= INT64_MAX:
        raise ValueError(_INT64_MESSAGE)
    return value


def text_bool(true: tuple[str, ...], false: tuple[str, ...]) -> Callable[[object], object]:
    """A before-validator for booleans written as text in a query: the given words, case-insensitive; anything
    else is a 422 naming them (``true, false, 1, 0`` for the pairs ("true", "1") and ("false", "0"))."""
    accepted = ", ".join(word for pair in zip(true, false, strict=True) for word in pair)

    def parse(value: object) -> object:
        if isinstance(value, str):
            lowered = value.lower()
            if lowered in true:
                return True
            if lowered in false:
                return False
            raise ValueError(f"must be one of {accepted}")
        return value

    return parse


# A JSON integer a document can store (64 bits); the bounds are part of the OpenAPI schema too.
# (Use it bare: pydantic drops a field's own `Field(ge=...)` when an annotated alias carries the same kind of bound.)
Int64 = Annotated[int, Ge(INT64_MIN), Le(INT64_MAX)]
# A query integer: digits with an optional leading '-', nothing else, within 64 bits; give it a range with Field.
TextInt = Annotated[int, BeforeValidator(_strict_int_text), AfterValidator(_int64)]
# A path integer (an id): the same text rule, the 64-bit range in the schema.
PathInt = Annotated[int, Ge(INT64_MIN), Le(INT64_MAX), BeforeValidator(_strict_int_text)]
# A query boolean: true/false/1/0, case-insensitive.
QueryBool = Annotated[bool, BeforeValidator(text_bool(("true", "1"), ("false", "0")))]
MirrorId = Annotated[str, Field(pattern=r"^[0-9a-f]{12}$")]


def _input_timestamp(value: object) -> object:
    if isinstance(value, str):
        try:
            return parse_timestamp(value)
        except ValueError:
            raise ValueError("must be an ISO-8601 timestamp") from None
    if isinstance(value, datetime):
        return value
    raise ValueError("must be an ISO-8601 timestamp string")


# An input timestamp (docs/api.md#timestamps): ISO-8601 with Z or an offset; no zone means UTC; anything else is a 422.
InputTimestamp = Annotated[datetime, BeforeValidator(_input_timestamp)]


class RequestModel(BaseModel):
    """Base of every JSON request body: strict types (no silent coercion), unknown fields ignored."""

    model_config = ConfigDict(strict=True, extra="ignore")


class QueryModel(BaseModel):
    """Base of every query-string model; values arrive as text, so types use TextInt/QueryBool."""

    model_config = ConfigDict(extra="ignore")


class Pagination(QueryModel):
    limit: TextInt = Field(default=200, ge=1, le=1000)
    offset: TextInt = Field(default=0, ge=0, le=INT64_MAX)
