"""Auth routes (docs/api.md#auth-and-users)."""

from __future__ import annotations

from quart import Blueprint, Response, request
from quart_auth import AuthUser, login_user, logout_user

from app.core.clientip import client_ip
from app.core.guards import check_csrf, cookie_principal, current_principal, guard, resolve_principal
from app.core.responses import Body, NoContent
from app.core.validation import document, validate
from app.schemas.auth import (
    AuthStatus,
    LoginRequest,
    PasswordChangeRequest,
    SignupRequest,
    UserEnvelope,
)
from app.services.auth import public_user, user_ref
from app.state import get_state

blueprint = Blueprint("auth", __name__, url_prefix="/api/auth")


def _client_ip() -> str:
    settings = get_state().settings
    return client_ip(request.remote_addr, request.headers.get("X-Forwarded-For"), settings.kure_trusted_proxies)


async def _open_session(user_id: int) -> None:
    state = get_state()
    session_id = await state.auth.start_session(user_id, request.headers.get("User-Agent"), _client_ip())
    login_user(AuthUser(session_id), remember=True)


@blueprint.get("/status")
@guard("public")
@document({200: AuthStatus})
async def auth_status() -> dict[str, object]:
    state = get_state()
    principal = await resolve_principal()
    user = principal.user if principal.kind == "user" else None
    return {
        "setup_required": await state.auth.setup_required(),
        "authenticated": user is not None,
        "user": user_ref(user) if user is not None else None,
    }


@blueprint.post("/signup")
@guard("public")
@validate(body=SignupRequest, responses={201: Body(UserEnvelope, headers=("Set-Cookie",))}, errors=(409,))
async def signup(data: SignupRequest) -> tuple[dict[str, object], int]:
    user = await get_state().auth.signup(data.username, data.password)
    await _open_session(user["_id"])
    return {"user": public_user(user)}, 201


@blueprint.post("/login")
@guard("public")
@validate(body=LoginRequest, responses={200: Body(UserEnvelope, headers=("Set-Cookie",))}, errors=(401, 429))
async def login(data: LoginRequest) -> dict[str, object]:
    state = get_state()
    user = await state.auth.login(data.username, data.password, _client_ip())
    previous = await resolve_principal()
    if previous.kind == "user" and previous.session_id:
        await state.auth.end_session(previous.session_id)
    await _open_session(user["_id"])
    return {"user": public_user(user)}


@blueprint.post("/logout")
@guard("public")
@document({204: NoContent(headers=("Set-Cookie",))}, errors=(403, 503))
async def logout() -> Response:
    # The cookie's session ends whatever else the request carries: an X-Service-Token header must not leave
    # the browser's session valid behind a cookie the response expires.
    principal = await cookie_principal()
    if principal is not None and principal.session_id:
        check_csrf(principal)
        await get_state().auth.end_session(principal.session_id)
    logout_user()
    return Response(status=204)


@blueprint.get("/me")
@guard("read")
@document({200: UserEnvelope})
async def me() -> dict[str, object]:
    user = current_principal().user
    assert user is not None  # the read guard admits users only
    return {"user": public_user(user)}


@blueprint.post("/password")
@guard("read")
@validate(body=PasswordChangeRequest, responses={204: NoContent()}, errors=(400,))
async def change_password(data: PasswordChangeRequest) -> Response:
    principal = current_principal()
    assert principal.user is not None
    await get_state().auth.change_password(
        principal.user, principal.session_id, data.current_password, data.new_password
    )
    return Response(status=204)
