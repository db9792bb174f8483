from __future__ import annotations

import uuid

import pytest
from mongomock_motor import AsyncMongoMockClient

from app.settings import Settings
from storage.mongo import MongoHandle
from tests.logs import kube

fake_kube = kube.fake_kube
kube_settings = kube.kube_settings
start_app = kube.start_app


@pytest.fixture
def mongo() -> MongoHandle:
    """Logs touch no storage: the app runs on the embedded store only."""
    client: AsyncMongoMockClient = AsyncMongoMockClient(tz_aware=True)
    return MongoHandle(client=client, db=client[f"kure_{uuid.uuid4().hex[:8]}"], embedded=True)


@pytest.fixture
def settings(kube_settings: Settings) -> Settings:
    return kube_settings
