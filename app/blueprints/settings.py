"""App settings routes (docs/api.md#settings). ``mirror-ttl`` takes precedence over ``{key}`` (static rule wins)."""

from __future__ import annotations

from pydantic import ValidationError
from quart import Blueprint

from app.core.errors import ApiError, pydantic_items
from app.core.guards import guard
from app.core.validation import document, documented_body, parse_body, read_json_body, validate
from app.schemas.settings import MirrorTtl, MirrorTtlRequest, Setting, SettingInfo, SettingValueRequest
from app.services.app_settings import SETTINGS, range_error, spec_of
from app.state import get_state

blueprint = Blueprint("settings", __name__, url_prefix="/api/admin/settings")


@blueprint.get("")
@guard("read")
@document({200: list[SettingInfo]})
async def list_settings() -> list[dict[str, object]]:
    values = await get_state().app_settings.values()
    return [
        {"key": key, "value": values[key], "default": spec.default, "min": spec.minimum, "max": spec.maximum}
        for key, spec in sorted(SETTINGS.items())
    ]


@blueprint.get("/mirror-ttl")
@guard("read")
@document({200: MirrorTtl})
async def get_mirror_ttl() -> dict[str, object]:
    return {"seconds": await get_state().app_settings.get("mirror_ttl_seconds")}


@blueprint.put("/mirror-ttl")
@guard("admin")
@validate(body=MirrorTtlRequest, responses={200: MirrorTtl})
async def put_mirror_ttl(data: MirrorTtlRequest) -> dict[str, object]:
    return {"seconds": await get_state().app_settings.set("mirror_ttl_seconds", data.seconds)}


@blueprint.get("/<key>")
@guard("read")
@document({200: Setting}, errors=(404,))
async def get_setting(key: str) -> dict[str, object]:
    return {"key": key, "value": await get_state().app_settings.get(key)}


@blueprint.post("/<key>")
@guard("admin")
@documented_body(SettingValueRequest)
@validate(responses={200: Setting}, errors=(404,))
async def set_setting(key: str) -> dict[str, object]:
    # The order of docs/api.md#settings: a body without a `value` field → 422; then an unknown key → 404; then an
    # invalid value → 422.
    payload = await read_json_body()
    if not isinstance(payload, dict) or "value" not in payload:
        parse_body(SettingValueRequest, payload)  # raises the 422 for a missing, non-object or value-less body
        raise AssertionError("unreachable")
    spec = spec_of(key)
    try:
        value = SettingValueRequest.model_validate(payload).value
    except ValidationError as exc:
        items = pydantic_items(exc, "body")
        for item in items:
            item["msg"] = f"{item['msg']}; allowed range {spec.minimum}-{spec.maximum}"
        raise ApiError(422, items) from None
    if not spec.minimum <= value <= spec.maximum:
        raise range_error(key, spec)
    return {"key": key, "value": await get_state().app_settings.set(key, value)}
