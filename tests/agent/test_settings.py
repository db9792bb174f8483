"""Configuration of both components (docs/agent-scanner.md#process-and-layout,
docs/agent-scanner.md#agent-configuration, docs/agent-scanner.md#scanner-configuration-and-metrics): invalid → exit 2
with one line."""

from __future__ import annotations

import pytest

from app.agent.main import main as agent_main
from app.agent.settings import AgentSettings
from app.incluster.settings import ConfigError, load
from app.scanner.main import main as scanner_main
from app.scanner.settings import ScannerSettings

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("entry", [agent_main, scanner_main])
def test_missing_token_exits_2_with_one_line(
    entry: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SERVICE_TOKEN", raising=False)
    assert entry([]) == 2  # type: ignore[operator]
    err = capsys.readouterr().err
    assert err == "SERVICE_TOKEN is required\n"


@pytest.mark.parametrize(
    ("cls", "env", "message"),
    [
        (AgentSettings, {"KURE_RESTART_THRESHOLD": "0"}, "KURE_RESTART_THRESHOLD"),
        (AgentSettings, {"KURE_LEASE_RENEW_DEADLINE_SECONDS": "15"}, "KURE_LEASE_RENEW_DEADLINE_SECONDS"),
        (AgentSettings, {"BACKEND_URL": "kure:8000"}, "BACKEND_URL"),
        (ScannerSettings, {"KURE_SCANNER_DISABLED_CHECKS": "privileged_container,nope"}, "unknown check nope"),
        (ScannerSettings, {"KURE_SCANNER_TRUSTED_REGISTRIES": "ghcr.io/"}, "KURE_SCANNER_TRUSTED_REGISTRIES"),
    ],
)
def test_invalid_values_name_the_variable(cls: type[AgentSettings], env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        load(cls, {"SERVICE_TOKEN": "t" * 20, **env})
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_defaults_and_derived_urls() -> None:
    agent = load(AgentSettings, {"SERVICE_TOKEN": "t", "BACKEND_URL": "https://kure.example.com/"})
    assert agent.backend.ws_url == "wss://kure.example.com/api/ws"
    assert agent.kure_lease_name == "kure-monitor-agent"
    scanner = load(ScannerSettings, {"SERVICE_TOKEN": "t", "KURE_SCANNER_TRUSTED_REGISTRIES": "GHCR.io/Acme,quay.io"})
    assert scanner.kure_lease_name == "kure-monitor-scanner"
    assert scanner.kure_scanner_trusted_registries == ["ghcr.io/acme", "quay.io"]
    assert "service_token" not in repr(scanner)
