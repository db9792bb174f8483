from __future__ import annotations

import pytest

from app.settings import Settings
from tests.logs import kube

fake_kube = kube.fake_kube
kube_settings = kube.kube_settings
start_app = kube.start_app


@pytest.fixture
def settings(kube_settings: Settings) -> Settings:
    return kube_settings
