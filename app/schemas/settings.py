"""Settings shapes (docs/api.md#small-rows, docs/api.md#settings)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field

from app.schemas.base import RequestModel

_INTEGER_TEXT = re.compile(r"^-?[0-9]+$")


def _setting_value(value: Any) -> Any:
    # A JSON integer, or a string of an optional '-' and digits ("10080"); never a bool or float.
    if isinstance(value, bool):
        raise ValueError("value must be an integer or a string of digits")
    if isinstance(value, str):
        if not _INTEGER_TEXT.match(value):
            raise ValueError("value must be an integer or a string of digits")
        return int(value)
    return value


class Setting(BaseModel):
    key: str
    value: int


class SettingInfo(BaseModel):
    key: str
    value: int
    default: int
    min: int
    max: int


class SettingValueRequest(RequestModel):
    value: Annotated[int, BeforeValidator(_setting_value)]


class MirrorTtl(BaseModel):
    seconds: int


class MirrorTtlRequest(RequestModel):
    seconds: Annotated[int, Field(ge=30, le=3600)]
