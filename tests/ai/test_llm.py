"""LLM client against the fake OpenAI-compatible server: providers, auth, retries, timeout, cap,
docs/api.md#llm-configuration messages."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from prometheus_client import REGISTRY

from app.ai.llm import (
    PROVIDERS,
    LlmClient,
    LlmConfig,
    LlmConfigError,
    LlmError,
    key_hint,
    llm_status,
    validate_config,
)
from tests.fakes.openai_server import FakeOpenAI, Reply

pytestmark = pytest.mark.unit

KEY = "sk-test-0123456789abcdef"


class _Redirect(httpx2.AsyncHTTPTransport):
    """Sends every request to the fake server, remembering the URL the SDK wanted."""

    def __init__(self, port: int, seen: list[str]) -> None:
        super().__init__()
        self._port = port
        self._seen = seen

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self._seen.append(str(request.url))
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self._port)
        return await super().handle_async_request(request)


def redirecting(fake: FakeOpenAI, seen: list[str]) -> Callable[[], Any]:
    return lambda: httpx2.AsyncClient(transport=_Redirect(fake.port, seen))


class _Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.calls.append(delay)


def local(fake: FakeOpenAI, **kwargs: Any) -> LlmConfig:
    return LlmConfig(provider="openai_compatible", api_key=KEY, model="test-model", base_url=fake.base_url, **kwargs)


# --- providers table and validation ---------------------------------------------------------------------------

EXPECTED = {
    "openai": ("https://api.openai.com/v1", "gpt-5-mini"),
    "anthropic": ("https://api.anthropic.com/v1/", "claude-sonnet-4-5"),
    "groq": ("https://api.groq.com/openai/v1", "meta-llama/llama-4-scout-17b-16e-instruct"),
    "gemini": ("https://generativelanguage.googleapis.com/v1beta/openai/", "gemini-2.5-flash"),
    "ollama": ("http://ollama:11434/v1", "llama3.2"),
    "copilot": ("https://models.github.ai/inference", "openai/gpt-5-mini"),
}


def test_providers_table_matches_the_contract() -> None:
    assert set(PROVIDERS) == {*EXPECTED, "openai_compatible"}
    for name, (url, model) in EXPECTED.items():
        config = validate_config(name, "k" * 10 if name != "ollama" else None)
        assert (config.effective_base_url, config.effective_model) == (url, model)


def test_base_url_rules() -> None:
    assert validate_config("ollama", None, None, "http://gpu-box:11434/v1").effective_base_url == \
        "http://gpu-box:11434/v1"
    compatible = validate_config("openai_compatible", "k", "m", "https://llm.example/v1")
    assert (compatible.effective_base_url, compatible.effective_model) == ("https://llm.example/v1", "m")
    with pytest.raises(LlmConfigError) as forbidden:
        validate_config("openai", "k", None, "https://evil.example/v1")
    assert forbidden.value.field == "base_url"
    with pytest.raises(LlmConfigError) as required:
        validate_config("openai_compatible", "k", "m", None)
    assert required.value.field == "base_url"
    with pytest.raises(LlmConfigError) as model_required:
        validate_config("openai_compatible", "k", None, "https://llm.example/v1")
    assert model_required.value.field == "model"
    for bad in ("ftp://x/v1", "not a url", "http://", "https://" + "a" * 2050):
        with pytest.raises(LlmConfigError):
            validate_config("ollama", None, None, bad)


def test_provider_and_key_validation() -> None:
    with pytest.raises(LlmConfigError) as unknown:
        validate_config("mistral", "k")
    assert unknown.value.field == "provider"
    for name in PROVIDERS:
        assert name in unknown.value.message
    for key in (None, "", "   "):
        with pytest.raises(LlmConfigError) as missing:
            validate_config("openai", key)
        assert missing.value.field == "api_key"
    assert validate_config("ollama", None).api_key == ""
    with pytest.raises(LlmConfigError):
        validate_config("openai", "k" * 4097)
    with pytest.raises(LlmConfigError):
        validate_config("openai", "k", "")
    with pytest.raises(LlmConfigError):
        validate_config("openai", "k", "m" * 201)


def test_key_hint() -> None:
    assert key_hint("sk-abcdefgh1234") == "…1234"
    assert key_hint("12345678") == "…5678"
    assert key_hint("short") == "…"
    assert key_hint("") is None


def test_llm_status_shape() -> None:
    assert llm_status(None) == {"configured": False, "provider": None, "model": None, "base_url": None,
                                "key_hint": None}
    assert llm_status(LlmConfig("openai", "sk-abcdefgh1234")) == {
        "configured": True, "provider": "openai", "model": "gpt-5-mini", "base_url": "https://api.openai.com/v1",
        "key_hint": "…1234"}
    assert llm_status(validate_config("ollama", None))["key_hint"] is None


def test_key_never_appears_in_repr_or_errors() -> None:
    config = LlmConfig("openai", KEY)
    assert KEY not in repr(config)
    assert KEY not in str(LlmError("openai", "status", 401))


# --- real HTTP ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("provider", ["openai", "anthropic", "groq", "gemini", "copilot"])
async def test_fixed_providers_call_their_base_url_with_bearer_key(fake_llm: FakeOpenAI, provider: str) -> None:
    seen: list[str] = []
    client = LlmClient(http_client_factory=redirecting(fake_llm, seen))
    answer = await client.complete(LlmConfig(provider, KEY), [{"role": "user", "content": "hi"}])
    assert answer.startswith("## Root Cause")
    assert seen == [EXPECTED[provider][0].rstrip("/") + "/chat/completions"]
    request = fake_llm.chat_requests[0]
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert request.body["model"] == EXPECTED[provider][1]
    assert request.body["messages"] == [{"role": "user", "content": "hi"}]


async def test_ollama_default_url_and_keyless_call(fake_llm: FakeOpenAI) -> None:
    seen: list[str] = []
    client = LlmClient(http_client_factory=redirecting(fake_llm, seen))
    await client.complete(validate_config("ollama", None), [{"role": "user", "content": "hi"}])
    assert seen == ["http://ollama:11434/v1/chat/completions"]
    assert fake_llm.chat_requests[0].headers["Authorization"] == "Bearer ollama"


async def test_configured_base_url_is_used_directly(fake_llm: FakeOpenAI) -> None:
    client = LlmClient()
    config = validate_config("ollama", None, "qwen", fake_llm.base_url)
    await client.complete(config, [{"role": "user", "content": "x"}])
    assert fake_llm.chat_requests[0].path == "/v1/chat/completions"
    assert fake_llm.chat_requests[0].body["model"] == "qwen"


async def test_retries_on_429_and_5xx_then_succeeds(fake_llm: FakeOpenAI) -> None:
    sleeps = _Sleeps()
    fake_llm.push(Reply.error(429, retry_after="3"), Reply.error(502), Reply.text("third time lucky"))
    client = LlmClient(backoff_base=0.5, sleep=sleeps)
    assert await client.complete(local(fake_llm), [{"role": "user", "content": "x"}]) == "third time lucky"
    assert len(fake_llm.chat_requests) == 3
    assert sleeps.calls[0] == 3.0  # Retry-After honoured
    assert 0.75 <= sleeps.calls[1] <= 1.25  # the one Backoff (app/core/backoff.py): base * 2 * [0.75, 1.25]


async def test_gives_up_after_two_retries(fake_llm: FakeOpenAI) -> None:
    fake_llm.push(Reply.error(500), Reply.error(503), Reply.error(500), Reply.text("never reached"))
    client = LlmClient(sleep=_Sleeps())
    with pytest.raises(LlmError) as failure:
        await client.complete(local(fake_llm), [{"role": "user", "content": "x"}])
    assert (failure.value.kind, failure.value.status) == ("status", 500)
    assert failure.value.detail == "AI provider request failed"
    assert len(fake_llm.chat_requests) == 3


@pytest.mark.parametrize("status", [400, 401, 403, 404])
async def test_client_errors_are_not_retried(fake_llm: FakeOpenAI, status: int) -> None:
    fake_llm.push(Reply.error(status))
    with pytest.raises(LlmError) as failure:
        await LlmClient(sleep=_Sleeps()).complete(local(fake_llm), [{"role": "user", "content": "x"}])
    assert failure.value.status == status
    assert len(fake_llm.chat_requests) == 1


async def test_timeout_fails_without_retry(fake_llm: FakeOpenAI) -> None:
    fake_llm.push(Reply.text("too late", delay=5))
    client = LlmClient(timeout=0.2, sleep=_Sleeps())
    with pytest.raises(LlmError) as failure:
        await client.complete(local(fake_llm), [{"role": "user", "content": "x"}])
    assert failure.value.kind == "timeout"
    assert len(fake_llm.chat_requests) == 1


@pytest.mark.parametrize("reply", [Reply.empty(), Reply.null_content(), Reply.no_choices(), Reply.malformed(),
                                   Reply.text("   \n ")])
async def test_unusable_answers_are_errors(fake_llm: FakeOpenAI, reply: Reply) -> None:
    fake_llm.push(reply)
    with pytest.raises(LlmError) as failure:
        await LlmClient().complete(local(fake_llm), [{"role": "user", "content": "x"}])
    assert failure.value.kind == "empty"


async def test_at_most_four_calls_in_flight(fake_llm: FakeOpenAI) -> None:
    fake_llm.default = Reply.text("ok", delay=0.1)
    client = LlmClient()
    answers = await asyncio.gather(*(client.complete(local(fake_llm), [{"role": "user", "content": str(i)}])
                                     for i in range(10)))
    assert answers == ["ok"] * 10
    assert fake_llm.max_in_flight == 4
    assert len(fake_llm.chat_requests) == 10


def _count(provider: str, outcome: str) -> float:
    return REGISTRY.get_sample_value("kure_llm_requests_total", {"provider": provider, "outcome": outcome}) or 0.0


async def test_metrics_count_every_attempt(fake_llm: FakeOpenAI) -> None:
    before_ok, before_err = _count("openai_compatible", "success"), _count("openai_compatible", "error")
    before_obs = REGISTRY.get_sample_value("kure_llm_request_duration_seconds_count",
                                           {"provider": "openai_compatible"}) or 0.0
    fake_llm.push(Reply.error(500), Reply.text("ok"))
    await LlmClient(sleep=_Sleeps()).complete(local(fake_llm), [{"role": "user", "content": "x"}])
    assert _count("openai_compatible", "success") == before_ok + 1
    assert _count("openai_compatible", "error") == before_err + 1
    assert REGISTRY.get_sample_value("kure_llm_request_duration_seconds_count",
                                     {"provider": "openai_compatible"}) == before_obs + 2


# --- docs/api.md#llm-configuration test route messages ----------------------------------------------------------------

async def test_connection_success(fake_llm: FakeOpenAI) -> None:
    result = await LlmClient().test_connection(local(fake_llm))
    assert (result.success, result.message) == (True, "LLM connection successful")
    assert isinstance(result.latency_ms, int) and result.latency_ms >= 0
    assert result.as_dict().keys() == {"success", "message", "latency_ms"}


@pytest.mark.parametrize("status", [401, 429, 500])
async def test_connection_reports_status_without_retrying(fake_llm: FakeOpenAI, status: int) -> None:
    fake_llm.push(Reply.error(status))
    seen: list[str] = []
    client = LlmClient(http_client_factory=redirecting(fake_llm, seen), sleep=_Sleeps())
    result = await client.test_connection(LlmConfig("groq", KEY))
    assert (result.success, result.message) == (False, f"groq returned {status}")
    assert len(fake_llm.chat_requests) == 1


async def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = LlmConfig("ollama", "", None, f"http://127.0.0.1:{port}/v1")
    result = await LlmClient().test_connection(config)
    assert (result.success, result.message) == (False, "Could not connect to ollama")


async def test_connection_timeout_message(fake_llm: FakeOpenAI) -> None:
    fake_llm.push(Reply.text("late", delay=5))
    result = await LlmClient(timeout=0.2).test_connection(local(fake_llm))
    assert (result.success, result.message) == (False, "Timed out after 0.2 s")
    assert result.latency_ms >= 200


def test_default_timeout_message_says_60_s() -> None:
    assert f"Timed out after {LlmClient().timeout:g} s" == "Timed out after 60 s"


@pytest.mark.parametrize("reply", [Reply.empty(), Reply.malformed(), Reply.no_choices()])
async def test_connection_empty_response(fake_llm: FakeOpenAI, reply: Reply) -> None:
    fake_llm.push(reply)
    result = await LlmClient().test_connection(local(fake_llm))
    assert (result.success, result.message) == (False, "Empty response from openai_compatible")


async def test_a_new_configuration_takes_effect_for_the_next_call(fake_llm: FakeOpenAI) -> None:
    client = LlmClient()
    first = LlmConfig("openai_compatible", KEY, "model-a", fake_llm.base_url)
    second = LlmConfig("openai_compatible", "sk-other-key-000000", "model-b", fake_llm.base_url)
    await client.complete(first, [{"role": "user", "content": "x"}])
    await client.complete(second, [{"role": "user", "content": "x"}])
    await client.complete(first, [{"role": "user", "content": "x"}])
    bodies = [(r.body["model"], r.headers["Authorization"]) for r in fake_llm.chat_requests]
    assert bodies == [("model-a", f"Bearer {KEY}"), ("model-b", "Bearer sk-other-key-000000"),
                      ("model-a", f"Bearer {KEY}")]
    await client.aclose()
