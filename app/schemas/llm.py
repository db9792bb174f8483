"""LLM configuration shapes (docs/api.md#llm-status, docs/api.md#llm-configuration)."""

from __future__ import annotations

from pydantic import BaseModel

from app.schemas.base import RequestModel


class LlmBody(RequestModel):
    """Types only; the per-provider rules of docs/api.md#llm-configuration are checked by app.ai.llm.validate_config."""

    provider: str
    api_key: str | None = None
    model: str | None = None
    base_url: str | None = None


class LlmStatus(BaseModel):
    configured: bool
    provider: str | None
    model: str | None
    base_url: str | None
    key_hint: str | None


class LlmTestResult(BaseModel):
    success: bool
    message: str
    latency_ms: int
