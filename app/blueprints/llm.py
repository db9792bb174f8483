"""LLM configuration routes (docs/api.md#llm-configuration). The key is never returned or logged (``key_hint`` only)."""

from __future__ import annotations

from typing import Any

from quart import Blueprint, Response

from app.http.guards import guard
from app.http.responses import NoContent
from app.http.validation import document, validate
from app.schemas.llm import LlmBody, LlmStatus, LlmTestResult
from app.services.ai import AiService


def create_blueprint(ai: AiService) -> Blueprint:
    blueprint = Blueprint("llm", __name__, url_prefix="/api/admin/llm")

    @blueprint.get("/status")
    @guard("admin")
    @document({200: LlmStatus})
    async def llm_status() -> dict[str, Any]:
        return await ai.status()

    @blueprint.post("/config")
    @guard("admin")
    @validate(body=LlmBody, responses={200: LlmStatus})
    async def set_llm_config(data: LlmBody) -> dict[str, Any]:
        return await ai.configure(ai.checked_config(data))

    @blueprint.delete("/config")
    @guard("admin")
    @document({204: NoContent()})
    async def delete_llm_config() -> Response:
        await ai.unconfigure()
        return Response(status=204)

    @blueprint.post("/test")
    @guard("admin")
    @validate(body=LlmBody, responses={200: LlmTestResult})
    async def test_llm(data: LlmBody) -> dict[str, Any]:
        result = await ai.test_connection(ai.checked_config(data))
        return result.as_dict()

    return blueprint
