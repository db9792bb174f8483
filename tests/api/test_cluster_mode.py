"""``cluster_mode`` of GET /api/config: real, simulated (the demo) or off."""

from __future__ import annotations

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
