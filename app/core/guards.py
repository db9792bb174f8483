"""Principals and route guards (docs/api.md#principals-and-guards, docs/api.md#cross-origin-requests,
docs/api.md#role-matrix).

Every route declares exactly one guard with ``@guard(...)`` right under its route decorator, so the role matrix can
be read off (and generated from) the code; a test fails for any route without one. The principal is resolved
lazily, once per request, so routing errors (404/405) are answered before any session look-up (the order of checks
of docs/api.md#errors).
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

from quart import Quart, g, has_request_context, request, websocket
from quart_auth import current_user, logout_user

from app.core.errors import ApiError

GuardName = Literal["public", "read", "write", "admin", "service", "read_or_service"]
GUARD_ATTRIBUTE = "_kure_guard"
ROLE_RANK = {"read": 0, "write": 1, "admin": 2}

# Only these routes accept the service token as a ``?token=`` query parameter (step 2 of
# docs/api.md#principals-and-guards).
TOKEN_QUERY_ENDPOINTS = frozenset({"logs.stream_logs", "ws.live_feed"})

NOT_AUTHENTICATED = "Not authenticated"


@dataclass(frozen=True)
class Principal:
    kind: Literal["anonymous", "invalid", "service", "user"]
    user: dict[str, Any] | None = None
    session_id: str | None = None

    @property
    def role(self) -> str | None:
        return self.user["role"] if self.user else None

    @property
    def from_cookie(self) -> bool:
        return self.kind == "user"

    @property
    def key(self) -> str:
        """Who holds per-principal resources (log streams, WebSockets): ``user:<id>``, ``service``, or the
        kind for principals that hold none."""
        if self.user is not None:
            return f"user:{self.user['_id']}"
        return self.kind


ANONYMOUS = Principal("anonymous")


def service_token_matches(candidate: str, expected: str) -> bool:
    """Constant-time comparison; an empty candidate never matches."""
    if not candidate:
        return False
    return hmac.compare_digest(candidate.encode(), expected.encode())


def _connection() -> Any:
    """The HTTP request or the WebSocket handshake being served."""
    return request if has_request_context() else websocket


def _token_from_request(endpoint: str | None) -> str | None:
    conn = _connection()
    header = conn.headers.get("X-Service-Token")
    if header is not None:
        return str(header)
    if endpoint in TOKEN_QUERY_ENDPOINTS and "token" in conn.args:
        return str(conn.args.get("token", ""))
    return None


def _expire_cookie() -> None:
    # Only an HTTP response can carry Set-Cookie; a WebSocket close cannot.
    if has_request_context():
        logout_user()


def cookie_session_id() -> str | None:
    """The session id carried by a correctly signed session cookie; ``None`` without one. A signed payload that
    is not a session id (the signature only proves it was made with our key) counts as no cookie."""
    session_id: object = current_user.auth_id
    if not isinstance(session_id, str) or not session_id:
        return None
    return session_id


async def cookie_principal() -> Principal | None:
    """The user principal of the session cookie alone, whatever other credentials the request carries."""
    from app.state import get_state

    session_id = cookie_session_id()
    if session_id is None:
        return None
    resolved = await get_state().auth.resolve_session(session_id)
    if resolved is None:
        return None
    return Principal("user", user=resolved[0], session_id=session_id)


async def resolve_principal(endpoint: str | None = None) -> Principal:
    """Resolve (once per request) who is calling; see docs/api.md#principals-and-guards for the steps."""
    cached: Principal | None = getattr(g, "principal", None)
    if cached is not None:
        return cached
    from app.state import get_state

    state = get_state()
    conn = _connection()
    token = _token_from_request(endpoint if endpoint is not None else conn.endpoint)
    principal: Principal
    if token is not None:
        expected = state.secrets.service_token
        principal = Principal("service") if service_token_matches(token, expected) else Principal("invalid")
    else:
        session_id = cookie_session_id()
        if session_id is None:
            principal = ANONYMOUS
            if conn.cookies.get(state.cookie_name):
                _expire_cookie()  # bad signature (or a payload that is no session id): expire the cookie
        else:
            resolved = await state.auth.resolve_session(session_id)
            if resolved is None:
                principal = ANONYMOUS
                _expire_cookie()  # revoked, expired or user deleted: expire the cookie in the response
            else:
                user, _session = resolved
                principal = Principal("user", user=user, session_id=session_id)
    g.principal = principal
    return principal


def origin_allowed(origin_header: str | None, referer_header: str | None, host: str | None) -> bool:
    """The CSRF rule of docs/api.md#cross-origin-requests for a cookie-authenticated unsafe request."""
    origin = origin_header
    if origin is None and referer_header is not None:
        parts = urlsplit(referer_header)
        origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else "null"
    if origin is None:
        return True
    parts = urlsplit(origin.strip())
    if not parts.scheme or not parts.netloc or origin.strip().lower() == "null":
        return False
    if host is not None and parts.netloc.lower() == host.lower():
        return True
    from app.state import get_state

    allowed = {entry.rstrip("/").lower() for entry in get_state().settings.kure_allowed_origins}
    return origin.strip().rstrip("/").lower() in allowed


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def handshake_origin_allowed(headers: Any) -> bool:
    """The CSRF rule (docs/api.md#cross-origin-requests) applied to the request or WebSocket handshake carrying
    ``headers``."""
    return origin_allowed(headers.get("Origin"), headers.get("Referer"), headers.get("Host"))


def check_csrf(principal: Principal) -> None:
    unsafe = request.method in UNSAFE_METHODS
    if principal.from_cookie and unsafe and not handshake_origin_allowed(request.headers):
        raise ApiError(403, "Cross-origin request refused")


async def enforce(name: GuardName) -> Principal:
    if name == "public":
        return ANONYMOUS
    principal = await resolve_principal()
    if principal.kind in ("anonymous", "invalid"):
        raise ApiError(401, NOT_AUTHENTICATED)
    check_csrf(principal)
    if name == "service":
        if principal.kind != "service":
            raise ApiError(403, "Service token required")
        return principal
    if name == "read_or_service":
        return principal
    if principal.kind == "service":
        raise ApiError(403, "User session required")
    role_rank = ROLE_RANK[principal.role or "read"]
    if name == "write" and role_rank < ROLE_RANK["write"]:
        raise ApiError(403, "Write access required")
    if name == "admin" and role_rank < ROLE_RANK["admin"]:
        raise ApiError(403, "Admin access required")
    return principal


F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


def guard(name: GuardName) -> Callable[[F], F]:
    """Declare and enforce a route's guard. The resolved principal is available as ``g.principal``."""

    def decorator(func: F) -> F:
        @wraps(func)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            await enforce(name)
            return await func(*args, **kwargs)

        setattr(wrapper, GUARD_ATTRIBUTE, name)
        return wrapper  # type: ignore[return-value]

    return decorator


def websocket_guard(name: GuardName) -> Callable[[F], F]:
    """Declare a WebSocket route's guard. A WebSocket answers with close codes, not statuses, so the handler
    enforces it itself (resolve_principal + close 4401/4403, docs/api.md#connecting)."""

    def decorator(func: F) -> F:
        setattr(func, GUARD_ATTRIBUTE, name)
        return func

    return decorator


def current_principal() -> Principal:
    """The principal resolved by the route's guard (``anonymous`` on public routes)."""
    principal: Principal | None = getattr(g, "principal", None)
    return principal or ANONYMOUS


def route_guards(app: Quart) -> dict[tuple[str, str], str | None]:
    """(method, rule) → declared guard for every route of ``app`` (None = missing)."""
    table: dict[tuple[str, str], str | None] = {}
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        for method in rule.methods or ():
            if method in ("HEAD", "OPTIONS"):
                continue
            table[(method, rule.rule)] = getattr(view, GUARD_ATTRIBUTE, None)
    return table
