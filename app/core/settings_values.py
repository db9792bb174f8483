"""Helpers for reading settings from the environment, shared by the backend's and the in-cluster components'
settings."""

from __future__ import annotations

from pydantic import ValidationError


def split_csv(value: object) -> object:
    """A comma-separated environment value → its non-empty, stripped items (lists pass through)."""
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


def first_error(exc: ValidationError) -> tuple[str, str]:
    """(field, message) of the first error of a settings validation: what a one-line configuration error names
    (the field is "" when the error is not about one field)."""
    error = exc.errors()[0]
    loc = error.get("loc") or ()
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    return (str(loc[0]) if loc else ""), message
