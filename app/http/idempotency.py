"""Reading the ``Idempotency-Key`` request header of a keyed route (docs/api.md#delivery-keys)."""

from __future__ import annotations

from quart import request

from app.core.errors import ApiError
from app.core.idempotency import IDEMPOTENCY_KEY_HEADER, parse_idempotency_key


def delivery_key() -> str | None:
    """The request's delivery key; None without the header. 400 for a malformed value or more than one."""
    values = request.headers.getlist(IDEMPOTENCY_KEY_HEADER)
    if not values:
        return None
    if len(values) > 1:
        raise ApiError(400, f"Send one {IDEMPOTENCY_KEY_HEADER} header")
    try:
        return parse_idempotency_key(values[0])
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None
