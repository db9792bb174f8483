"""User administration (docs/api.md#auth-and-users)."""

from __future__ import annotations

from quart import Blueprint, Response

from app.http.guards import current_principal, guard
from app.http.responses import NoContent
from app.http.validation import document, validate
from app.schemas.auth import User, UserCreateRequest, UserPatchRequest
from app.services.auth import AuthService, public_user


def create_blueprint(auth: AuthService) -> Blueprint:
    blueprint = Blueprint("users", __name__, url_prefix="/api/admin/users")

    @blueprint.get("")
    @guard("admin")
    @document({200: list[User]})
    async def list_users() -> list[dict[str, object]]:
        return [public_user(doc) for doc in await auth.list_users()]

    @blueprint.post("")
    @guard("admin")
    @validate(body=UserCreateRequest, responses={201: User}, errors=(409,))
    async def create_user(data: UserCreateRequest) -> tuple[dict[str, object], int]:
        user = await auth.create_user(data.username, data.password, data.role)
        return public_user(user), 201

    @blueprint.patch("/<user_id>")
    @guard("admin")
    @validate(path={"user_id": int}, body=UserPatchRequest, responses={200: User}, errors=(400, 404))
    async def update_user(user_id: int, data: UserPatchRequest) -> dict[str, object]:
        principal = current_principal()
        assert principal.user is not None
        user = await auth.update_user(principal.user, user_id, data.role, data.password)
        return public_user(user)

    @blueprint.delete("/<user_id>")
    @guard("admin")
    @validate(path={"user_id": int}, responses={204: NoContent()}, errors=(400, 404))
    async def delete_user(user_id: int) -> Response:
        principal = current_principal()
        assert principal.user is not None
        await auth.delete_user(principal.user, user_id)
        return Response(status=204)

    return blueprint
