"""The one LLM client (docs/api.md#solutions, docs/api.md#llm-configuration): every provider through
``openai.AsyncOpenAI``.

- Providers table (:data:`PROVIDERS`) with base URLs, default models and base-URL rules, plus
  :func:`validate_config` for the request models of the admin routes.
- :class:`LlmClient`: timeout 60 s per attempt, 2 retries on 429/5xx with exponential backoff (``Retry-After``
  honoured), at most 4 HTTP calls in flight, Prometheus metrics per attempt. The SDK's own retries are disabled
  (``max_retries=0``) so the policy lives in one place.
- :meth:`LlmClient.test_connection` implements the test route's messages (docs/api.md#llm-configuration).

The API key is never logged or put into an exception message; :class:`LlmConfig` hides it from ``repr``.
Callers build prompts with :mod:`app.ai.prompts`, which redacts the evidence before it gets here.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

import openai

from app.ai.metrics import LLM_DURATION, LLM_REQUESTS
from app.core.backoff import Backoff

__all__ = [
    "AI_PROVIDER_FAILED",
    "PROVIDERS",
    "ConnectionTestResult",
    "LlmClient",
    "LlmConfig",
    "LlmConfigError",
    "LlmError",
    "ProviderSpec",
    "key_hint",
    "llm_status",
    "validate_config",
]

log = logging.getLogger(__name__)

AI_PROVIDER_FAILED = "AI provider request failed"
DEFAULT_TIMEOUT = 60.0
DEFAULT_RETRIES = 2
DEFAULT_CONCURRENCY = 4
# Ollama ignores the key, but the SDK refuses to build a client without one.
_OLLAMA_PLACEHOLDER_KEY = "ollama"

BaseUrlRule = Literal["forbidden", "optional", "required"]


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    label: str
    base_url: str | None  # fixed URL, or the default when base_url_rule is "optional"
    default_model: str | None  # None: model required
    base_url_rule: BaseUrlRule
    api_key_required: bool = True


PROVIDERS: Mapping[str, ProviderSpec] = {
    spec.name: spec
    for spec in (
        ProviderSpec("openai", "OpenAI", "https://api.openai.com/v1", "gpt-5-mini", "forbidden"),
        ProviderSpec("anthropic", "Anthropic", "https://api.anthropic.com/v1/", "claude-sonnet-4-5", "forbidden"),
        ProviderSpec("groq", "Groq", "https://api.groq.com/openai/v1",
                     "meta-llama/llama-4-scout-17b-16e-instruct", "forbidden"),
        ProviderSpec("gemini", "Google Gemini", "https://generativelanguage.googleapis.com/v1beta/openai/",
                     "gemini-2.5-flash", "forbidden"),
        ProviderSpec("ollama", "Ollama", "http://ollama:11434/v1", "llama3.2", "optional", api_key_required=False),
        ProviderSpec("copilot", "GitHub Models", "https://models.github.ai/inference", "openai/gpt-5-mini",
                     "forbidden"),
        ProviderSpec("openai_compatible", "OpenAI-compatible", None, None, "required"),
    )
}
SUPPORTED_PROVIDERS_TEXT = ", ".join(PROVIDERS)

MAX_API_KEY = 4096
MAX_MODEL = 200
MAX_BASE_URL = 2048


@dataclass(frozen=True)
class LlmConfig:
    """A decrypted LLM configuration. ``model``/``base_url`` ``None`` mean the provider's defaults."""

    provider: str
    api_key: str = field(repr=False)
    model: str | None = None
    base_url: str | None = None

    @property
    def spec(self) -> ProviderSpec:
        return PROVIDERS[self.provider]

    @property
    def effective_model(self) -> str:
        model = self.model or self.spec.default_model
        if not model:
            raise LlmConfigError("model", f"model is required for provider '{self.provider}'")
        return model

    @property
    def effective_base_url(self) -> str:
        spec = self.spec
        url = self.base_url if spec.base_url_rule != "forbidden" and self.base_url else spec.base_url
        if not url:
            raise LlmConfigError("base_url", f"base_url is required for provider '{self.provider}'")
        return url


class LlmConfigError(ValueError):
    """An LLM body breaks a rule of docs/api.md#llm-configuration; ``field`` names the body field for the 422
    ``loc``."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


def _valid_http_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(c.isspace() for c in value)


def validate_config(
    provider: object, api_key: object = None, model: object = None, base_url: object = None
) -> LlmConfig:
    """Check an LLM body against the docs/api.md#llm-configuration table and return the config; raise
    :class:`LlmConfigError`.

    Type checks (strings) are assumed done by the request model; ``None`` means "absent".
    """
    if not isinstance(provider, str) or provider not in PROVIDERS:
        raise LlmConfigError("provider", f"provider must be one of: {SUPPORTED_PROVIDERS_TEXT}")
    spec = PROVIDERS[provider]
    key = api_key if isinstance(api_key, str) else ""
    if len(key) > MAX_API_KEY:
        raise LlmConfigError("api_key", f"api_key must be at most {MAX_API_KEY} characters")
    if spec.api_key_required and not key.strip():
        raise LlmConfigError("api_key", f"api_key is required for provider '{provider}'")
    if model is not None:
        if not isinstance(model, str) or not (1 <= len(model) <= MAX_MODEL):
            raise LlmConfigError("model", f"model must be 1-{MAX_MODEL} characters")
    elif spec.default_model is None:
        raise LlmConfigError("model", f"model is required for provider '{provider}'")
    if base_url is not None:
        if spec.base_url_rule == "forbidden":
            raise LlmConfigError("base_url", f"base_url is not allowed for provider '{provider}'")
        if not isinstance(base_url, str) or len(base_url) > MAX_BASE_URL or not _valid_http_url(base_url):
            raise LlmConfigError("base_url", f"base_url must be an http or https URL of at most {MAX_BASE_URL} "
                                             "characters")
    elif spec.base_url_rule == "required":
        raise LlmConfigError("base_url", f"base_url is required for provider '{provider}'")
    return LlmConfig(provider=provider, api_key=key, model=model if isinstance(model, str) else None,
                     base_url=base_url if isinstance(base_url, str) else None)


def llm_status(config: LlmConfig | None) -> dict[str, object]:
    """The LLM status body (docs/api.md#llm-status): effective model and base URL, never the key."""
    if config is None:
        return {"configured": False, "provider": None, "model": None, "base_url": None, "key_hint": None}
    return {"configured": True, "provider": config.provider, "model": config.effective_model,
            "base_url": config.effective_base_url, "key_hint": key_hint(config.api_key)}


def key_hint(api_key: str) -> str | None:
    """docs/api.md#llm-status: ``…`` + last 4 characters for keys of 8+ characters, ``…`` for shorter keys, ``None``
    when empty."""
    if not api_key:
        return None
    return "…" + api_key[-4:] if len(api_key) >= 8 else "…"


class LlmError(Exception):
    """An LLM call failed (after its retries). Routes answer 502 ``AI provider request failed``.

    ``kind``: ``status`` (``status`` holds the HTTP status), ``connection``, ``timeout`` or ``empty`` (no usable
    content). The message never contains the key or the provider's response body.
    """

    detail = AI_PROVIDER_FAILED

    def __init__(self, provider: str, kind: str, status: int | None = None) -> None:
        self.provider = provider
        self.kind = kind
        self.status = status
        suffix = f" {status}" if status is not None else ""
        super().__init__(f"LLM call to {provider} failed: {kind}{suffix}")


@dataclass(frozen=True)
class ConnectionTestResult:
    success: bool
    message: str
    latency_ms: int

    def as_dict(self) -> dict[str, object]:
        return {"success": self.success, "message": self.message, "latency_ms": self.latency_ms}


Message = Mapping[str, str]
HttpClientFactory = Callable[[], Any]


def _retry_after(exc: openai.APIStatusError) -> float | None:
    try:
        value = exc.response.headers.get("retry-after")
        return max(0.0, float(value)) if value is not None else None
    except (ValueError, AttributeError):
        return None


class LlmClient:
    """Chat completions against the configured provider. One instance per process (it owns the semaphore).

    ``http_client_factory`` (tests only) builds the SDK's HTTP client, e.g. one whose transport records or
    redirects requests; ``sleep`` replaces ``asyncio.sleep`` for the backoff.
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_RETRIES,
        max_concurrency: int = DEFAULT_CONCURRENCY,
        backoff_base: float = 1.0,
        backoff_max: float = 20.0,
        http_client_factory: HttpClientFactory | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_concurrency = max_concurrency
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self._http_client_factory = http_client_factory
        self._sleep = sleep
        self._semaphore = asyncio.Semaphore(max_concurrency)
        # One SDK client per configuration in use (building one costs tens of milliseconds: TLS context, pool).
        # Clients of replaced configurations are closed once their last call has finished.
        self._clients: dict[LlmConfig, openai.AsyncOpenAI] = {}
        self._in_use: dict[LlmConfig, int] = {}
        self._retired: list[tuple[LlmConfig, openai.AsyncOpenAI]] = []

    def _new_client(self, config: LlmConfig) -> openai.AsyncOpenAI:
        kwargs: dict[str, Any] = {
            "base_url": config.effective_base_url,
            "api_key": config.api_key or _OLLAMA_PLACEHOLDER_KEY,
            "timeout": self.timeout,
            "max_retries": 0,
        }
        if self._http_client_factory is not None:
            kwargs["http_client"] = self._http_client_factory()
        return openai.AsyncOpenAI(**kwargs)

    def _acquire(self, config: LlmConfig) -> openai.AsyncOpenAI:
        client = self._clients.get(config)
        if client is None:
            for old_config, old_client in self._clients.items():
                self._retired.append((old_config, old_client))
            self._clients = {config: (client := self._new_client(config))}
        self._in_use[config] = self._in_use.get(config, 0) + 1
        return client

    async def _release(self, config: LlmConfig) -> None:
        self._in_use[config] -= 1
        if not self._in_use[config]:
            del self._in_use[config]
        still_retired = []
        for old_config, old_client in self._retired:
            if old_config in self._in_use or old_config in self._clients:
                still_retired.append((old_config, old_client))
            else:
                await old_client.close()
        self._retired = still_retired

    async def aclose(self) -> None:
        """Close every SDK client (shutdown)."""
        clients = [c for _, c in self._retired] + list(self._clients.values())
        self._retired, self._clients = [], {}
        for client in clients:
            await client.close()

    async def _attempt(self, config: LlmConfig, messages: Sequence[Message], *, shared: bool = True) -> str:
        """One HTTP call under the concurrency cap; returns the content or raises LlmError / APIStatusError.

        ``shared=False`` (connection tests of a candidate configuration) uses a client of its own, so testing does
        not replace the client of the configuration in use.
        """
        provider = config.provider
        async with self._semaphore:
            started = time.monotonic()
            outcome = "error"
            try:
                client = self._acquire(config) if shared else self._new_client(config)
                try:
                    response = await client.chat.completions.create(
                        model=config.effective_model,
                        messages=[dict(m) for m in messages],  # type: ignore[misc]
                    )
                finally:
                    if shared:
                        await self._release(config)
                    else:
                        await client.close()
                content = _content(response)
                if content is None:
                    raise LlmError(provider, "empty")
                outcome = "success"
                return content
            except openai.APITimeoutError as exc:
                raise LlmError(provider, "timeout") from exc
            except openai.APIStatusError:
                raise
            except openai.APIConnectionError as exc:
                raise LlmError(provider, "connection") from exc
            except LlmError:
                raise
            except Exception as exc:
                # Malformed bodies surface as JSON or validation errors from the SDK.
                raise LlmError(provider, "empty") from exc
            finally:
                LLM_REQUESTS.labels(provider=provider, outcome=outcome).inc()
                LLM_DURATION.labels(provider=provider).observe(time.monotonic() - started)

    async def complete(self, config: LlmConfig, messages: Sequence[Message]) -> str:
        """The assistant's answer (non-empty, stripped); raise :class:`LlmError` after the retries."""
        attempt = 0
        # Jitter keeps concurrent retries apart; a server's Retry-After (capped) replaces the computed delay.
        backoff = Backoff(self.backoff_base, self.backoff_max, jitter=0.25)
        while True:
            try:
                return await self._attempt(config, messages)
            except openai.APIStatusError as exc:
                status = exc.status_code
                retryable = status == 429 or status >= 500
                if not retryable or attempt >= self.max_retries:
                    log.warning("LLM call to %s failed with HTTP %s (attempt %d)", config.provider, status,
                                attempt + 1)
                    raise LlmError(config.provider, "status", status) from None
                computed, retry_after = backoff.next_delay(), _retry_after(exc)
                delay = computed if retry_after is None else min(retry_after, self.backoff_max)
                log.info("LLM call to %s got HTTP %s; retrying in %.2fs", config.provider, status, delay)
            except LlmError as exc:
                log.warning("LLM call to %s failed: %s", config.provider, exc.kind)
                raise
            attempt += 1
            await self._sleep(delay)

    async def test_connection(self, config: LlmConfig) -> ConnectionTestResult:
        """``POST /api/admin/llm/test`` (docs/api.md#llm-configuration): one call, no retries; the result message
        names the failure."""
        messages = [
            {"role": "system", "content": "You are a connectivity check."},
            {"role": "user", "content": "Reply with the single word OK."},
        ]
        started = time.monotonic()
        provider = config.provider
        try:
            await self._attempt(config, messages, shared=False)
            message, success = "LLM connection successful", True
        except openai.APIStatusError as exc:
            message, success = f"{provider} returned {exc.status_code}", False
        except LlmError as exc:
            success = False
            if exc.kind == "timeout":
                message = f"Timed out after {self.timeout:g} s"
            elif exc.kind == "connection":
                message = f"Could not connect to {provider}"
            else:
                message = f"Empty response from {provider}"
        latency_ms = int((time.monotonic() - started) * 1000)
        return ConnectionTestResult(success=success, message=message, latency_ms=latency_ms)


def _content(response: Any) -> str | None:
    choices = getattr(response, "choices", None)
    if not choices:
        return None
    message = getattr(choices[0], "message", None)
    content = getattr(message, "content", None)
    if not isinstance(content, str) or not content.strip():
        return None
    return content.strip()
