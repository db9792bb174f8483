"""Auth flows of docs/api.md#principals-and-guards, docs/api.md#cross-origin-requests and docs/api.md#auth-and-users, on
mongomock and on the real MongoDB-wire server."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from quart import Quart
from quart.typing import TestClientProtocol

from app.core.clock import ManualClock
from app.state import AppState
from tests.conftest import PASSWORD, SERVICE_HEADERS

UserClient = Callable[..., Awaitable[TestClientProtocol]]


def session_cookie(response: Any) -> str:
    """The raw ``kure_session=...`` Set-Cookie header of a response."""
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("kure_session=")]
    assert len(cookies) == 1, cookies
    return str(cookies[0])


def cookie_value(set_cookie: str) -> str:
    return set_cookie.split(";", 1)[0].split("=", 1)[1]


async def signup(client: TestClientProtocol, username: str = "alice") -> Any:
    return await client.post("/api/auth/signup", json={"username": username, "password": PASSWORD})


async def test_status_reports_setup_required_until_first_signup(client: TestClientProtocol) -> None:
    body = await (await client.get("/api/auth/status")).get_json()
    assert body == {"setup_required": True, "authenticated": False, "user": None}
    await signup(client)
    body = await (await client.get("/api/auth/status")).get_json()
    assert body == {"setup_required": False, "authenticated": True,
                    "user": {"id": 1, "username": "alice", "role": "admin"}}


async def test_signup_creates_admin_and_sets_cookie(client: TestClientProtocol) -> None:
    response = await signup(client)
    assert response.status_code == 201
    body = await response.get_json()
    assert body["user"]["role"] == "admin" and body["user"]["username"] == "alice"
    assert body["user"]["last_login_at"] is not None
    cookie = session_cookie(response)
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "path", "max-age", "samesite"} <= attributes
    assert "SameSite=Lax" in cookie and "Path=/" in cookie and "Max-Age=604800" in cookie
    assert "secure" not in attributes  # KURE_COOKIE_SECURE=false in tests
    assert (await client.get("/api/auth/me")).status_code == 200


async def test_cookie_is_secure_by_default(settings_factory: Callable[..., Any], mongo: Any) -> None:
    from app.factory import create_app

    application = create_app(settings_factory(kure_cookie_secure=True), mongo=mongo)
    async with application.test_app():
        await application.extensions["kure"].indexes_ready.wait()
        response = await signup(application.test_client())
        assert "Secure" in session_cookie(response)


async def test_second_signup_conflicts(client: TestClientProtocol, app: Quart) -> None:
    assert (await signup(client)).status_code == 201
    response = await signup(app.test_client(), "bob")
    assert response.status_code == 409
    assert await response.get_json() == {"detail": "Setup already completed"}


async def test_concurrent_signups_create_exactly_one_admin(app: Quart, state: AppState) -> None:
    responses = await asyncio.gather(*(signup(app.test_client(), f"user{i}") for i in range(2)))
    assert sorted(r.status_code for r in responses) == [201, 409]
    assert await state.users.count() == 1


async def test_signup_validation(client: TestClientProtocol) -> None:
    response = await client.post("/api/auth/signup", json={"username": "a b", "password": "short"})
    assert response.status_code == 422
    locs = [item["loc"] for item in (await response.get_json())["detail"]]
    assert ["body", "username"] in locs and ["body", "password"] in locs


async def test_login_logout_and_stale_cookie(app: Quart, state: AppState) -> None:
    await state.auth.create_user("Carol", PASSWORD, "read")
    client = app.test_client()
    response = await client.post("/api/auth/login", json={"username": "carol", "password": PASSWORD})
    assert response.status_code == 200  # usernames match case-insensitively
    assert (await response.get_json())["user"]["username"] == "Carol"
    old_cookie = cookie_value(session_cookie(response))

    logout = await client.post("/api/auth/logout")
    assert logout.status_code == 204
    assert "Max-Age=0" in session_cookie(logout)

    stale = app.test_client()
    response = await stale.get("/api/auth/me", headers={"Cookie": f"kure_session={old_cookie}"})
    assert response.status_code == 401
    assert await response.get_json() == {"detail": "Not authenticated"}
    assert "Max-Age=0" in session_cookie(response)  # the stale cookie is expired


async def test_logout_without_session_is_idempotent(client: TestClientProtocol) -> None:
    response = await client.post("/api/auth/logout")
    assert response.status_code == 204
    assert "Max-Age=0" in session_cookie(response)


async def test_bad_credentials(app: Quart, state: AppState) -> None:
    await state.auth.create_user("dave", PASSWORD, "read")
    for body in ({"username": "dave", "password": "wrong-password"},
                 {"username": "nobody", "password": PASSWORD}):
        response = await app.test_client().post("/api/auth/login", json=body)
        assert response.status_code == 401
        assert await response.get_json() == {"detail": "Invalid username or password"}


async def test_login_rate_limit_sliding_window(app: Quart, state: AppState, clock: ManualClock) -> None:
    await state.auth.create_user("erin", PASSWORD, "read")
    client = app.test_client()
    for _ in range(5):
        response = await client.post("/api/auth/login", json={"username": "ERIN", "password": "nope-nope"})
        assert response.status_code == 401
        clock.advance(1)
    response = await client.post("/api/auth/login", json={"username": "erin", "password": PASSWORD})
    assert response.status_code == 429
    assert await response.get_json() == {"detail": "Too many login attempts"}
    assert 1 <= int(response.headers["Retry-After"]) <= 30
    # Other usernames from the same client are not limited.
    await state.auth.create_user("frank", PASSWORD, "read")
    ok = await client.post("/api/auth/login", json={"username": "frank", "password": PASSWORD})
    assert ok.status_code == 200
    clock.advance(30)
    response = await client.post("/api/auth/login", json={"username": "erin", "password": PASSWORD})
    assert response.status_code == 200


async def test_rate_limit_uses_forwarded_for_only_from_trusted_proxies(
    settings_factory: Callable[..., Any], mongo: Any, clock: ManualClock
) -> None:
    from app.factory import create_app

    application = create_app(settings_factory(kure_trusted_proxies="127.0.0.0/8"), clock=clock, mongo=mongo)
    async with application.test_app():
        state: AppState = application.extensions["kure"]
        await state.indexes_ready.wait()
        await state.auth.create_user("gina", PASSWORD, "read")
        client = application.test_client()
        bad = {"username": "gina", "password": "wrong-password"}
        proxy = {"client": ("127.0.0.1", 40000)}  # the socket peer is a trusted proxy

        async def attempt(forwarded_for: str) -> int:
            response = await client.post("/api/auth/login", json=bad, scope_base=proxy,
                                         headers={"X-Forwarded-For": forwarded_for})
            return response.status_code

        for _ in range(5):
            assert await attempt("203.0.113.7, 127.0.0.2") == 401
        assert await attempt("203.0.113.7") == 429
        assert await attempt("203.0.113.8") == 401  # another client behind the same proxy


async def test_role_change_applies_on_next_request(app: Quart, state: AppState, user_client: UserClient) -> None:
    admin = await user_client("admin")
    writer = await user_client("write", "willow")
    assert (await writer.get("/api/admin/users")).status_code == 403
    target = await state.users.by_username("willow")
    assert target is not None
    response = await admin.patch(f"/api/admin/users/{target['_id']}", json={"role": "admin"})
    assert response.status_code == 200
    assert (await writer.get("/api/admin/users")).status_code == 200


async def test_deleting_a_user_kills_its_sessions(app: Quart, state: AppState, user_client: UserClient) -> None:
    admin = await user_client("admin")
    victim = await user_client("read", "victor")
    assert (await victim.get("/api/auth/me")).status_code == 200
    target = await state.users.by_username("victor")
    assert target is not None
    assert (await admin.delete(f"/api/admin/users/{target['_id']}")).status_code == 204
    assert (await victim.get("/api/auth/me")).status_code == 401


async def test_password_change_revokes_other_sessions(app: Quart, state: AppState) -> None:
    await state.auth.create_user("hana", PASSWORD, "read")
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        assert (await c.post("/api/auth/login", json={"username": "hana", "password": PASSWORD})).status_code == 200
    wrong = await first.post("/api/auth/password", json={"current_password": "nope", "new_password": "new-password-1"})
    assert wrong.status_code == 400
    assert await wrong.get_json() == {"detail": "Current password is incorrect"}
    ok = await first.post("/api/auth/password",
                          json={"current_password": PASSWORD, "new_password": "new-password-1"})
    assert ok.status_code == 204
    assert (await first.get("/api/auth/me")).status_code == 200
    assert (await second.get("/api/auth/me")).status_code == 401
    relogin = await app.test_client().post("/api/auth/login",
                                           json={"username": "hana", "password": "new-password-1"})
    assert relogin.status_code == 200


async def test_user_admin_rules(app: Quart, state: AppState, user_client: UserClient) -> None:
    admin = await user_client("admin", "root")
    me = await state.users.by_username("root")
    assert me is not None
    created = await admin.post("/api/admin/users", json={"username": "Ivy", "password": PASSWORD, "role": "read"})
    assert created.status_code == 201
    dup = await admin.post("/api/admin/users", json={"username": "ivy", "password": PASSWORD, "role": "write"})
    assert dup.status_code == 409 and await dup.get_json() == {"detail": "Username already exists"}

    async def detail(response: Any) -> Any:
        return (response.status_code, (await response.get_json())["detail"])

    assert await detail(await admin.patch("/api/admin/users/4242", json={"role": "read"})) == (404, "User not found")
    assert await detail(await admin.patch(f"/api/admin/users/{me['_id']}", json={"role": "read"})) == (
        400, "Cannot change your own role")
    assert await detail(await admin.delete(f"/api/admin/users/{me['_id']}")) == (400, "Cannot delete yourself")
    assert await detail(await admin.delete("/api/admin/users/4242")) == (404, "User not found")
    same = await admin.patch(f"/api/admin/users/{me['_id']}", json={})
    assert same.status_code == 200 and (await same.get_json())["role"] == "admin"
    listing = await (await admin.get("/api/admin/users")).get_json()
    assert [u["id"] for u in listing] == sorted(u["id"] for u in listing)
    assert all(set(u) == {"id", "username", "role", "created_at", "last_login_at"} for u in listing)


async def test_last_admin_cannot_be_demoted_or_deleted(state: AppState) -> None:
    only = await state.auth.create_user("solo", PASSWORD, "admin")
    other = await state.auth.create_user("helper", PASSWORD, "admin")
    await state.auth.delete_user(only, other["_id"])
    from app.core.errors import ApiError

    with pytest.raises(ApiError) as raised:
        await state.auth.update_user(other, only["_id"], "read", None)
    assert (raised.value.status, raised.value.detail) == (400, "Cannot demote the last admin")
    with pytest.raises(ApiError) as raised:
        await state.auth.delete_user(other, only["_id"])
    assert (raised.value.status, raised.value.detail) == (400, "Cannot delete the last admin")


async def test_csrf_rule(app: Quart, user_client: UserClient) -> None:
    admin = await user_client("admin")
    body = {"username": "csrf-user", "password": PASSWORD, "role": "read"}
    foreign = await admin.post("/api/admin/users", json=body, headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403
    assert await foreign.get_json() == {"detail": "Cross-origin request refused"}
    null_origin = await admin.post("/api/admin/users", json=body, headers={"Origin": "null"})
    assert null_origin.status_code == 403
    referer = await admin.post("/api/admin/users", json=body, headers={"Referer": "https://evil.example/page"})
    assert referer.status_code == 403
    same_host = await admin.post("/api/admin/users", json=body,
                                 headers={"Origin": "http://localhost", "Host": "localhost"})
    assert same_host.status_code == 201
    no_origin = await admin.post("/api/admin/users", json={**body, "username": "csrf-two"})
    assert no_origin.status_code == 201
    # Safe methods and service-token requests are exempt.
    assert (await admin.get("/api/admin/users", headers={"Origin": "https://evil.example"})).status_code == 200


async def test_allowed_origins_setting(settings_factory: Callable[..., Any], mongo: Any) -> None:
    from app.factory import create_app

    application = create_app(settings_factory(kure_allowed_origins="https://dash.example.com"), mongo=mongo)
    async with application.test_app():
        state: AppState = application.extensions["kure"]
        await state.indexes_ready.wait()
        await state.auth.create_user("olga", PASSWORD, "read")
        client = application.test_client()
        await client.post("/api/auth/login", json={"username": "olga", "password": PASSWORD})
        ok = await client.post("/api/auth/logout", headers={"Origin": "https://DASH.example.com"})
        assert ok.status_code == 204


async def test_service_token_is_not_a_user(client: TestClientProtocol) -> None:
    status = await (await client.get("/api/auth/status", headers=SERVICE_HEADERS)).get_json()
    assert status["authenticated"] is False
    response = await client.get("/api/auth/me", headers=SERVICE_HEADERS)
    assert response.status_code == 403
    assert await response.get_json() == {"detail": "User session required"}


async def test_no_plaintext_secrets_at_rest(app: Quart, state: AppState) -> None:
    client = app.test_client()
    response = await signup(client)
    session_id_cookie = cookie_value(session_cookie(response))
    await client.get("/api/auth/me")
    dump = ""
    for name in await state.mongo.db.list_collection_names():
        async for doc in state.mongo.db[name].find({}):
            dump += repr(doc)
    assert PASSWORD not in dump
    assert state.secrets.service_token not in dump
    assert state.secrets.session_secret not in dump
    assert session_id_cookie.split(".")[0] not in dump
    user = await state.users.by_username("alice")
    assert user is not None and user["password_hash"].startswith("$argon2id$")
