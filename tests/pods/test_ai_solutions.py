"""LLM configuration routes (docs/api.md#llm-configuration) and AI solutions on ingest / retry (docs/api.md#solutions,
docs/api.md#changing-a-failures-status) against a fake OpenAI-compatible server over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from quart.typing import TestClientProtocol

from app.ai.solutions import SolutionScheduler
from app.wiring import Services
from tests.conftest import SERVICE_HEADERS
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.pods.conftest import Feed, Reporter

UserClient = Callable[..., Awaitable[TestClientProtocol]]
API_KEY = "sk-test-0123456789abcd"


def _scheduler(services: Services) -> SolutionScheduler:
    """The background solution scheduler (built whenever the backend is, app/wiring/container.py)."""
    assert services.ai.scheduler is not None
    return services.ai.scheduler


@pytest.fixture
async def fake_llm(services: Services) -> AsyncIterator[FakeOpenAI]:
    async def no_sleep(_: float) -> None:
        return None

    services.llm._sleep = no_sleep  # retries without waiting their backoff
    async with FakeOpenAI(default=Reply.text("## Root Cause\nThe AI looked at it.\n## Fix\nDo X.")) as fake:
        yield fake


@pytest.fixture
async def admin(user_client: UserClient) -> TestClientProtocol:
    return await user_client("admin")


async def configure(admin: TestClientProtocol, fake: FakeOpenAI) -> Any:
    return await admin.post("/api/admin/llm/config", json={
        "provider": "openai_compatible", "api_key": API_KEY, "model": "kure-test", "base_url": fake.base_url})


async def test_configuration_lifecycle(admin: TestClientProtocol, fake_llm: FakeOpenAI, services: Services,
                                       client: TestClientProtocol) -> None:
    empty = await (await admin.get("/api/admin/llm/status")).get_json()
    assert empty == {"configured": False, "provider": None, "model": None, "base_url": None, "key_hint": None}
    response = await configure(admin, fake_llm)
    assert response.status_code == 200
    assert await response.get_json() == {"configured": True, "provider": "openai_compatible", "model": "kure-test",
                                         "base_url": fake_llm.base_url, "key_hint": "…abcd"}
    stored = await services.mongo.db["llm_config"].find_one({})
    assert API_KEY not in repr(stored)
    config = await (await client.get("/api/config", headers=SERVICE_HEADERS)).get_json()
    assert (config["ai_enabled"], config["ai_provider"], config["ai_model"]) == (True, "openai_compatible", "kure-test")
    assert (await admin.delete("/api/admin/llm/config")).status_code == 204
    assert (await admin.delete("/api/admin/llm/config")).status_code == 204  # idempotent
    assert (await (await admin.get("/api/admin/llm/status")).get_json())["configured"] is False


async def test_default_model_and_provider_rules(admin: TestClientProtocol) -> None:
    openai = await admin.post("/api/admin/llm/config", json={"provider": "openai", "api_key": "sk-abcdefgh1234"})
    assert await openai.get_json() == {"configured": True, "provider": "openai", "model": "gpt-5-mini",
                                       "base_url": "https://api.openai.com/v1", "key_hint": "…1234"}
    unknown = await admin.post("/api/admin/llm/config", json={"provider": "skynet", "api_key": "x"})
    assert unknown.status_code == 422
    item = (await unknown.get_json())["detail"][0]
    assert item["loc"] == ["body", "provider"] and "openai_compatible" in item["msg"] and "ollama" in item["msg"]
    forbidden = await admin.post("/api/admin/llm/config",
                                 json={"provider": "openai", "api_key": "k", "base_url": "http://x.test/v1"})
    assert forbidden.status_code == 422
    assert (await forbidden.get_json())["detail"][0]["loc"] == ["body", "base_url"]
    no_key = await admin.post("/api/admin/llm/config", json={"provider": "groq"})
    assert no_key.status_code == 422
    ollama = await admin.post("/api/admin/llm/config", json={"provider": "ollama"})
    assert (await ollama.get_json())["key_hint"] is None


async def test_connection_test_messages(admin: TestClientProtocol, fake_llm: FakeOpenAI) -> None:
    body = {"provider": "openai_compatible", "api_key": API_KEY, "model": "m", "base_url": fake_llm.base_url}
    ok = await (await admin.post("/api/admin/llm/test", json=body)).get_json()
    assert ok["success"] is True and ok["message"] == "LLM connection successful"
    assert isinstance(ok["latency_ms"], int)
    assert fake_llm.chat_requests[-1].headers["Authorization"] == f"Bearer {API_KEY}"
    fake_llm.push(Reply.error(401))
    refused = await (await admin.post("/api/admin/llm/test", json=body)).get_json()
    assert refused["success"] is False and refused["message"] == "openai_compatible returned 401"
    down = await (await admin.post("/api/admin/llm/test", json={**body, "base_url": "http://127.0.0.1:9/v1"})).get_json()
    assert down["success"] is False and down["message"] == "Could not connect to openai_compatible"
    assert (await (await admin.get("/api/admin/llm/status")).get_json())["configured"] is False  # nothing stored


async def test_ingest_schedules_ai_solution_without_waiting(
    admin: TestClientProtocol, fake_llm: FakeOpenAI, report: Reporter, feed: Feed, services: Services
) -> None:
    await configure(admin, fake_llm)
    fake_llm.push(Reply.text("## Root Cause\nSlow but smart.", delay=2))
    response = await report()
    record = await response.get_json()
    # The agent got the rule solution while the LLM is still thinking.
    assert record["solution_source"] == "rules"
    assert [m["type"] for m in feed.messages()] == ["pod_failure"]
    await services.tasks.drain()  # the background config read that schedules the generation ...
    await asyncio.wait_for(_scheduler(services).drain(), 15)  # ... then the generation itself
    updated = [m for m in feed.messages() if m["type"] == "solution_updated"]
    assert updated == [{"type": "solution_updated", "data": {
        "id": record["id"], "solution": "## Root Cause\nSlow but smart.", "solution_source": "ai"}}]
    stored = await (await admin.get(f"/api/pods/failed/{record['id']}")).get_json()
    assert stored["solution_source"] == "ai"


async def test_identical_failures_share_the_cached_answer(
    admin: TestClientProtocol, fake_llm: FakeOpenAI, report: Reporter, services: Services
) -> None:
    await configure(admin, fake_llm)
    await report(pod="api-1")
    await services.tasks.drain()
    await _scheduler(services).drain()
    await report(pod="api-2")  # same reason, image and message: the cache answers
    await services.tasks.drain()
    await _scheduler(services).drain()
    assert len(fake_llm.chat_requests) == 1


async def test_retry_solution_bypasses_cache_and_reports_failure(
    admin: TestClientProtocol, fake_llm: FakeOpenAI, report: Reporter, services: Services, feed: Feed
) -> None:
    await configure(admin, fake_llm)
    record = await (await report()).get_json()
    await services.tasks.drain()
    await _scheduler(services).drain()
    fake_llm.push(Reply.text("## Root Cause\nFresh answer."))
    retried = await admin.post(f"/api/pods/failed/{record['id']}/retry-solution")
    assert (await retried.get_json())["solution"] == "## Root Cause\nFresh answer."
    assert len(fake_llm.chat_requests) == 2
    feed.messages()
    fake_llm.push(Reply.error(500), Reply.error(502), Reply.error(503))
    failed = await admin.post(f"/api/pods/failed/{record['id']}/retry-solution")
    assert failed.status_code == 502
    assert await failed.get_json() == {"detail": "AI provider request failed"}
    assert len(fake_llm.chat_requests) == 5  # one call + 2 retries
    unchanged = await (await admin.get(f"/api/pods/failed/{record['id']}")).get_json()
    assert unchanged["solution"] == "## Root Cause\nFresh answer."
    assert feed.messages() == []


async def test_planted_secrets_never_reach_the_llm(
    admin: TestClientProtocol, fake_llm: FakeOpenAI, report: Reporter, services: Services
) -> None:
    await configure(admin, fake_llm)
    manifest = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-1\nspec:\n  containers:\n  - name: app\n"
                "    image: web:1\n    env:\n    - name: DB_PASSWORD\n      value: hunter2-planted-secret\n")
    await report(manifest=manifest,
                 logs=f"connecting with token={services.secrets.service_token}\npassword=hunter2-planted-secret\n")
    await services.tasks.drain()
    await _scheduler(services).drain()
    [request] = fake_llm.chat_requests
    prompt = request.prompt_text
    assert "hunter2-planted-secret" not in prompt
    assert services.secrets.service_token not in prompt
    assert "web-1" in prompt  # the evidence itself still arrives
