"""The settings groups: the operators' flat variables, read by the code in groups (app/settings.py)."""

from __future__ import annotations

import dataclasses

import pytest

from app.settings import Settings
from graph.sync import GraphSyncOptions

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
