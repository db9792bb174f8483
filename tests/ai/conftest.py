from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.ai.llm import LlmClient
from tests.fakes.openai_server import FakeOpenAI


@pytest.fixture
async def fake_llm() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as fake:
        yield fake


@pytest.fixture(autouse=True)
async def _close_llm_clients(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    """Close the SDK clients every LlmClient of the test opened, inside the test's event loop."""
    made: list[LlmClient] = []
    original = LlmClient.__init__

    def tracking_init(self: LlmClient, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(LlmClient, "__init__", tracking_init)
    yield
    for client in made:
        await client.aclose()
