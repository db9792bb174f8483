"""The settings groups: the operators' flat variables, read by the code in groups (app/settings.py)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from app.settings import Settings, env_name
from graph.sync import GraphSyncOptions
from tests.settings_groups import assert_every_variable_lands_in_exactly_one_group

pytestmark = pytest.mark.unit


def test_the_graph_watcher_receives_every_knob_of_its_group(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KURE_GRAPH_PAGE_SIZE", "77")
    monkeypatch.setenv("KURE_GRAPH_LEASE_TTL", "9")
    monkeypatch.setenv("KURE_GRAPH_WATCHER", "false")
    settings = Settings(kure_state_dir="/tmp/unused")
    options = GraphSyncOptions.from_settings(settings.graph_sync)
    assert (options.page_size, options.lease_ttl, options.watcher_enabled) == (77, 9, False)
    # Every field of the group is an option of the watcher: a knob added to one but not the other fails here.
    option_names = {f.name for f in dataclasses.fields(GraphSyncOptions)}
    assert {f.name for f in dataclasses.fields(settings.graph_sync)} <= option_names


def test_groups_carry_the_variables_they_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONGODB_DATABASE", "kure_groups")
    monkeypatch.setenv("NEO4J_URI", "bolt://graph.example:7687")
    monkeypatch.setenv("KURE_KUBERNETES", "off")
    monkeypatch.setenv("KURE_TRUSTED_PROXIES", "10.0.0.0/8")
    settings = Settings(kure_state_dir="/tmp/unused")
    assert settings.mongodb.database == "kure_groups"
    assert settings.neo4j.uri == "bolt://graph.example:7687"
    assert settings.kubernetes.enabled is False
    assert settings.http.trusted_proxies == ("10.0.0.0/8",)
    assert settings.http.session_seconds == settings.kure_session_days * 86400


def test_every_variable_lands_in_exactly_one_group() -> None:
    # Changing one variable must change exactly one group: a variable no group carries would be read by nobody
    # (or re-read flat by hand), one carried twice could be read two ways.
    offered = assert_every_variable_lands_in_exactly_one_group(Settings, list_item="192.0.2.0/24")
    assert {"mongodb", "neo4j", "kubernetes", "http", "graph_sync", "timers", "live", "logging", "state"} <= offered


def test_the_readme_configuration_table_names_every_variable_and_no_other() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    table = readme.split("## Configuration (environment)", 1)[1].split("\n## ", 1)[0]
    documented = {name for row in table.splitlines() if row.startswith("| `")
                  for name in re.findall(r"`([A-Z0-9_*]+)`", row.split("|")[1])}
    prefixes = tuple(name[:-1] for name in documented if name.endswith("*"))
    variables = {env_name(name) for name in Settings.model_fields}
    assert {v for v in variables if v not in documented and not v.startswith(prefixes)} == set()
    assert {d for d in documented if not d.endswith("*") and d not in variables} == set()
    for prefix in prefixes:
        assert any(v.startswith(prefix) for v in variables), f"no variable matches {prefix}*"


def test_the_timers_live_log_logging_and_state_groups_read_their_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KURE_SCAN_SWEEP_SECONDS", "900")
    monkeypatch.setenv("KURE_LIVE_POLL_SECONDS", "0.5")
    monkeypatch.setenv("KURE_LIVE_LOG_MAX_EVENTS", "123")
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    monkeypatch.setenv("KURE_STATE_DIR", "/var/lib/kure")
    monkeypatch.setenv("SERVICE_TOKEN", "a-service-token-of-length")
    settings = Settings()
    assert settings.timers.scan_sweep_seconds == 900
    assert (settings.live.poll_seconds, settings.live.max_events) == (0.5, 123)
    assert settings.logging.format == "json"
    assert (settings.state.dir, settings.state.service_token) == ("/var/lib/kure", "a-service-token-of-length")
    assert "a-service-token-of-length" not in repr(settings.state)
