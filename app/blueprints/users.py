"""User administration (docs/api.md#auth-and-users)."""

from __future__ import annotations

from quart import Blueprint, Response

from app.core.guards import current_principal, guard
from app.core.responses import NoContent
from app.core.validation import document, validate
from app.schemas.auth import User, UserCreateRequest, UserPatchRequest
from app.services.auth import public_user
from app.state import get_state

blueprint = Blueprint("users", __name__, url_prefix="/api/admin/users")


@blueprint.get("")
@guard("admin")
@document({200: list[User]})
async def list_users() -> list[dict[str, object]]:
    return [public_user(doc) for doc in await get_state().users.all()]


@blueprint.post("")
@guard("admin")
@validate(body=UserCreateRequest, responses={201: User}, errors=(409,))
async def create_user(data: UserCreateRequest) -> tuple[dict[str, object], int]:
    user = await get_state().auth.create_user(data.username, data.password, data.role)
    return public_user(user), 201


@blueprint.patch("/<user_id>")
@guard("admin")
@validate(path={"user_id": int}, body=UserPatchRequest, responses={200: User}, errors=(400, 404))
async def update_user(user_id: int, data: UserPatchRequest) -> dict[str, object]:
    principal = current_principal()
    assert principal.user is not None
    user = await get_state().auth.update_user(principal.user, user_id, data.role, data.password)
    return public_user(user)


@blueprint.delete("/<user_id>")
@guard("admin")
@validate(path={"user_id": int}, responses={204: NoContent()}, errors=(400, 404))
async def delete_user(user_id: int) -> Response:
    principal = current_principal()
    assert principal.user is not None
    await get_state().auth.delete_user(principal.user, user_id)
    return Response(status=204)
