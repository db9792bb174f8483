"""LLM configuration routes (docs/api.md#llm-configuration). The key is never returned or logged (``key_hint`` only)."""

from __future__ import annotations

from typing import Any

from quart import Blueprint, Response

from app.ai.llm import LlmConfig, LlmConfigError, validate_config
from app.core.errors import ApiError
from app.core.guards import guard
from app.core.responses import NoContent
from app.core.validation import document, validate
from app.schemas.llm import LlmBody, LlmStatus, LlmTestResult
from app.state import get_state

blueprint = Blueprint("llm", __name__, url_prefix="/api/admin/llm")


def _checked(data: LlmBody) -> LlmConfig:
    try:
        return validate_config(data.provider, data.api_key, data.model, data.base_url)
    except LlmConfigError as exc:
        raise ApiError(422, [{"loc": ["body", exc.field], "msg": exc.message, "type": "value_error"}]) from None


@blueprint.get("/status")
@guard("admin")
@document({200: LlmStatus})
async def llm_status() -> dict[str, Any]:
    return await get_state().ai.status()


@blueprint.post("/config")
@guard("admin")
@validate(body=LlmBody, responses={200: LlmStatus})
async def set_llm_config(data: LlmBody) -> dict[str, Any]:
    return await get_state().ai.configure(_checked(data))


@blueprint.delete("/config")
@guard("admin")
@document({204: NoContent()})
async def delete_llm_config() -> Response:
    await get_state().ai.unconfigure()
    return Response(status=204)


@blueprint.post("/test")
@guard("admin")
@validate(body=LlmBody, responses={200: LlmTestResult})
async def test_llm(data: LlmBody) -> dict[str, Any]:
    result = await get_state().ai.llm.test_connection(_checked(data))
    return result.as_dict()
