"""Notification settings routes (docs/api.md#notifications)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from quart import Blueprint, Response

from app.core.errors import ApiError, pydantic_items
from app.core.guards import guard
from app.core.responses import NoContent
from app.core.validation import document, validate
from app.schemas.notifications import (
    NotificationConfigIn,
    NotificationCreate,
    NotificationSetting,
    NotificationUpdate,
    TestResult,
)
from app.services.notifications import mask_url
from app.state import get_state

blueprint = Blueprint("notifications", __name__, url_prefix="/api/admin/notifications")


def _config_dict(config: NotificationConfigIn, provider: str) -> dict[str, Any]:
    stored: dict[str, Any] = {"webhook_url": config.webhook_url}
    if provider == "webhook" and config.secret is not None:
        stored["secret"] = config.secret
    return stored


@blueprint.get("")
@guard("admin")
@document({200: list[NotificationSetting]})
async def list_notifications() -> list[dict[str, Any]]:
    return await get_state().notifier.list_settings()


@blueprint.post("")
@guard("admin")
@validate(body=NotificationCreate, responses={201: NotificationSetting}, errors=(409,))
async def create_notification(data: NotificationCreate) -> tuple[dict[str, Any], int]:
    setting = await get_state().notifier.create(
        data.provider, data.enabled, _config_dict(data.config, data.provider), list(data.events), data.min_severity
    )
    return setting, 201


@blueprint.put("/<provider>")
@guard("admin")
@validate(body=NotificationUpdate, responses={200: NotificationSetting}, errors=(400, 404))
async def update_notification(provider: str, data: NotificationUpdate) -> dict[str, Any]:
    service = get_state().notifier
    doc = await service.stored(provider)
    if data.provider is not None and data.provider != provider:
        raise ApiError(400, "Provider in body does not match path")
    stored = service.stored_config(doc)
    merged = dict(stored)
    for key, value in (data.config or {}).items():
        if value is None:
            merged.pop(key, None)
        elif key == "webhook_url" and stored.get("webhook_url") and value == mask_url(stored["webhook_url"]):
            continue  # the masked form sent back unchanged keeps the stored URL
        else:
            merged[key] = value
    try:
        config = NotificationConfigIn.model_validate(merged)
    except ValidationError as exc:
        raise ApiError(422, [{**item, "loc": ["body", "config", *item["loc"][1:]]}
                             for item in pydantic_items(exc, "body")]) from None
    changes: dict[str, Any] = {name: getattr(data, name) for name in ("enabled", "events", "min_severity")
               if name in data.model_fields_set and getattr(data, name) is not None}
    return await service.update(doc, changes, _config_dict(config, provider))


@blueprint.delete("/<provider>")
@guard("admin")
@document({204: NoContent()}, errors=(404,))
async def delete_notification(provider: str) -> Response:
    await get_state().notifier.delete(provider)
    return Response(status=204)


@blueprint.post("/<provider>/test")
@guard("admin")
@document({200: TestResult}, errors=(404, 502))
async def test_notification(provider: str) -> dict[str, Any]:
    await get_state().notifier.send_test(provider)
    return {"success": True}
