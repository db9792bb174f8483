"""The in-cluster settings groups (app/incluster/settings.py): the operators' flat variables, read by the shared
library in groups defined once for the agent and the scanner."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from app.agent.outbox import Outbox
from app.agent.settings import AgentSettings, OutboxSettings
from app.incluster.settings import InclusterSettings, load
from app.scanner.settings import ScannerSettings

pytestmark = pytest.mark.unit


def _other_value(value: object) -> object:
    """A value different from ``value`` of the same kind (model_construct skips validation, so any will do)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 7
    if isinstance(value, str):
        return value + "-changed"
    assert value is None, f"no other value for {value!r}"
    return "set-by-the-test"


def _groups(settings: InclusterSettings) -> dict[str, object]:
    """Every group ``settings`` offers: its properties whose value is a dataclass."""
    ours = [cls for cls in type(settings).__mro__ if cls.__module__.startswith("app.")]
    names = {name for cls in ours for name, attr in vars(cls).items() if isinstance(attr, property)}
    values = {name: getattr(settings, name) for name in names}
    return {name: value for name, value in values.items() if dataclasses.is_dataclass(value)}


@pytest.mark.parametrize("cls", [AgentSettings, ScannerSettings])
def test_every_shared_variable_lands_in_exactly_one_group(cls: type[InclusterSettings]) -> None:
    # Both components read the shared variables through the same groups: one no group carries would be re-read by
    # hand somewhere, one carried twice could be read two ways.
    baseline = cls.model_construct()
    before = _groups(baseline)
    assert {"backend", "pod", "lease", "cluster", "health", "logging"} <= set(before)
    shared = [*InclusterSettings.model_fields]
    if cls is AgentSettings:
        shared += ["kure_agent_queue_max", "kure_agent_tombstone_bytes"]
    for name in shared:
        one_changed: dict[str, Any] = {name: _other_value(getattr(baseline, name))}
        changed = _groups(cls.model_construct(**one_changed))
        moved = sorted(group for group, value in changed.items() if value != before[group])
        assert len(moved) == 1, f"{name.upper()} changes the groups {moved}; it should change exactly one"


def test_the_groups_carry_the_variables_they_name() -> None:
    settings = load(ScannerSettings, {
        "SERVICE_TOKEN": "t" * 20, "BACKEND_URL": "https://kure.example/", "KURE_BACKEND_TIMEOUT_SECONDS": "7",
        "POD_NAME": "scanner-0", "POD_NAMESPACE": "kure", "KURE_LEASE_DURATION_SECONDS": "20",
        "KURE_HEALTH_PORT": "9090", "LOG_LEVEL": "debug",
    })  # fmt: skip
    assert (settings.backend.url, settings.backend.timeout_seconds) == ("https://kure.example", 7)
    assert "t" * 20 not in repr(settings.backend)
    assert (settings.pod.name, settings.pod.namespace) == ("scanner-0", "kure")
    assert (settings.lease.name, settings.lease.duration_seconds) == ("kure-monitor-scanner", 20)
    assert settings.health.port == 9090
    assert (settings.logging.level, settings.logging.format) == ("DEBUG", "json")


def test_the_outbox_is_sized_by_its_group() -> None:
    settings = load(AgentSettings, {"SERVICE_TOKEN": "t" * 20, "KURE_AGENT_QUEUE_MAX": "3",
                                    "KURE_AGENT_TOMBSTONE_BYTES": "4096"})  # fmt: skip
    assert settings.outbox == OutboxSettings(max_entries=3, tombstone_budget=4096)
    outbox = Outbox.from_settings(settings.outbox)
    assert (outbox.max_entries, outbox.tombstone_budget) == (3, 4096)
