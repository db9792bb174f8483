"""``cluster_mode`` of GET /api/config: real, simulated (the demo) or off."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.factory import create_app
from app.kube.config import config_source
from app.settings import Settings
from app.simulator.kubeapi import FakeKubeApi
from tests.conftest import SERVICE_HEADERS

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"kure_kubernetes": "off"}, "off"),
        ({"kure_kubernetes": "auto", "kubeconfig": "<kubeconfig>"}, "real"),
        ({"kure_kubernetes": "auto", "kubeconfig": "<kubeconfig>", "kure_simulated_cluster": True}, "simulated"),
        ({"kure_kubernetes": "off", "kure_simulated_cluster": True}, "off"),
    ],
)
async def test_cluster_mode(
    settings_factory: Callable[..., Settings], fake_kube: FakeKubeApi, tmp_path: Path,
    overrides: dict[str, Any], expected: str,
) -> None:  # fmt: skip
    path = str(fake_kube.write_kubeconfig(tmp_path / "kubeconfig"))
    values = {k: (path if v == "<kubeconfig>" else v) for k, v in overrides.items()}
    app = create_app(settings_factory(**values))
    async with app.test_app():
        response = await app.test_client().get("/api/config", headers=SERVICE_HEADERS)
        assert (await response.get_json())["cluster_mode"] == expected


def test_config_source_follows_the_resolution_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    kubeconfig = tmp_path / "kc"
    kubeconfig.write_text("apiVersion: v1\n")
    assert config_source(environ={}) is None
    assert config_source(environ={"KUBECONFIG": str(tmp_path / "missing")}) is None
    assert config_source(environ={"KUBECONFIG": str(kubeconfig)}) == f"kubeconfig:{kubeconfig}"
    assert config_source(environ={"KUBERNETES_SERVICE_HOST": "10.96.0.1"}) == "in-cluster"
    (tmp_path / ".kube").mkdir()
    (tmp_path / ".kube" / "config").write_text("apiVersion: v1\n")
    assert config_source(environ={}) == f"kubeconfig:{tmp_path / '.kube' / 'config'}"


@pytest.mark.parametrize(
    ("env", "expected"),
    [({}, "none"), ({"KURE_KUBERNETES": "off"}, "off"), ({"KUBECONFIG": "<kubeconfig>"}, "real")],
)
def test_the_cluster_mode_command_tells_make_run_whether_to_start_the_demo(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    kubeconfig = tmp_path / "kc"
    kubeconfig.write_text("apiVersion: v1\nkind: Config\n")
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "KURE_STATE_DIR": str(tmp_path / "state"),
                   **{k: (str(kubeconfig) if v == "<kubeconfig>" else v) for k, v in env.items()}}  # fmt: skip
    result = subprocess.run([sys.executable, "-m", "app.cli", "cluster-mode"], capture_output=True, text=True,
                            env=environment, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
