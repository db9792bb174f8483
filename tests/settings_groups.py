"""The check the backend's and the in-cluster components' settings share (tests/api/test_settings_groups.py,
tests/agent/test_settings_groups.py): every flat variable is read through exactly one group."""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic_settings import BaseSettings


def other_value(value: object, list_item: str) -> object:
    """A value different from ``value`` of the same kind (``model_construct`` skips validation, so any will do;
    a list gets ``list_item`` added, for properties that parse their items)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 7
    if isinstance(value, float):
        return value + 0.25
    if isinstance(value, str):
        return value + "-changed"
    if isinstance(value, list):
        return [*value, list_item]
    assert value is None, f"no other value for {value!r}"
    return "set-by-the-test"


def groups(settings: BaseSettings) -> dict[str, object]:
    """Every group ``settings`` offers: the properties, of its class or of the project's classes it extends, whose
    value is a dataclass."""
    ours = [cls for cls in type(settings).__mro__ if cls.__module__.startswith("app.")]
    names = {name for cls in ours for name, attr in vars(cls).items() if isinstance(attr, property)}
    values = {name: getattr(settings, name) for name in names}
    return {name: value for name, value in values.items() if dataclasses.is_dataclass(value)}


def assert_every_variable_lands_in_exactly_one_group(cls: type[BaseSettings], list_item: str) -> set[str]:
    """Change one variable at a time and check that exactly one group changes; the groups, for the caller to
    check their names. A variable no group carries would be read by nobody (or re-read flat by hand), one carried
    twice could be read two ways."""
    baseline = cls.model_construct()
    before = groups(baseline)
    for name in cls.model_fields:
        one_changed: dict[str, Any] = {name: other_value(getattr(baseline, name), list_item)}
        changed = groups(cls.model_construct(**one_changed))
        moved = sorted(group for group, value in changed.items() if value != before[group])
        assert len(moved) == 1, f"{name.upper()} changes the groups {moved}; it should change exactly one"
    return set(before)
