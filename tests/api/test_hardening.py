"""Findings of the red-team pass, each reproduced: the request that used to succeed in the wrong way, and what a
client sees now (docs/security.md, "HTTP hardening")."""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from quart import Quart
from quart.typing import TestClientProtocol

from app.core.security_headers import CONTENT_SECURITY_POLICY
from app.core.validation import TOO_DEEP
from app.state import AppState
from tests.conftest import PASSWORD, SERVICE_HEADERS

UserClient = Callable[..., Awaitable[TestClientProtocol]]


# --- request bodies ------------------------------------------------------------------------------------------


async def test_deeply_nested_json_is_a_400_without_a_traceback(
    client: TestClientProtocol, caplog: pytest.LogCaptureFixture
) -> None:
    nested = "[" * 1000 + "]" * 1000  # about 2 KB
    with caplog.at_level(logging.ERROR):
        response = await client.post("/api/auth/login", data='{"username":"a","password":' + nested + "}",
                                     headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert await response.get_json() == {"detail": TOO_DEEP}
    assert "Traceback" not in caplog.text and not caplog.records
    # Moderately deep but still too deep (no recursion error on the way): the same answer.
    response = await client.post("/api/pods/failed", headers={**SERVICE_HEADERS, "Content-Type": "application/json"},
                                 data='{"labels":' + "[" * 70 + "]" * 70 + "}")
    assert response.status_code == 400
    assert await response.get_json() == {"detail": TOO_DEEP}


async def test_integers_beyond_64_bits_are_422(client: TestClientProtocol, user_client: UserClient) -> None:
    huge = 2**70
    cases = [
        ({"events": [{"count": huge}]}, ["body", "events", 0, "count"]),
        ({"container_statuses": [{"name": "app", "restart_count": huge}]},
         ["body", "container_statuses", 0, "restart_count"]),
        ({"container_statuses": [{"name": "app", "exit_code": -huge}]},
         ["body", "container_statuses", 0, "exit_code"]),
    ]
    for extra, loc in cases:
        body = {"pod_name": "web", "namespace": "default", **extra}
        response = await client.post("/api/pods/failed", json=body, headers=SERVICE_HEADERS)
        assert response.status_code == 422, extra
        assert (await response.get_json())["detail"][0]["loc"] == loc
    reader = await user_client("read")
    response = await reader.get(f"/api/pods/failed/{huge}")
    assert response.status_code == 422
    assert (await response.get_json())["detail"][0]["loc"] == ["path", "pod_id"]
    response = await reader.get(f"/api/pods/failed?offset={huge}")
    assert response.status_code == 422
    assert (await response.get_json())["detail"][0]["loc"] == ["query", "offset"]


PYTHON_WORDS = ("Value error", "Assertion failed", "instance of", "dictionary", "after validation", "NoneType",
                "Decimal", "tuple", "pydantic", "model_", "datetime", "bytes")
JUNK: tuple[Any, ...] = (1.5, "x", [1], {"a": 1}, True, None, 2**70, -1, "")


async def test_422_messages_speak_the_apis_language(app: Quart, client: TestClientProtocol,
                                                    user_client: UserClient) -> None:
    """Every JSON body of the API, every property, a set of wrong values: never a 500, never Python's words."""
    document = await (await client.get("/openapi.json")).get_json()
    schemas = document["components"]["schemas"]
    admin = await user_client("admin")
    messages: set[str] = set()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if not body:
                continue
            if "$ref" in body:
                body = schemas[body["$ref"].rsplit("/", 1)[1]]
            url = path.replace("{pod_id}", "1").replace("{user_id}", "99").replace("{provider}", "slack") \
                .replace("{key}", "history_retention_minutes").replace("{id}", "1")
            headers = SERVICE_HEADERS if operation.get("security") == [{"serviceToken": []}] else {}
            caller = client if headers else admin
            for prop in body.get("properties", {}):
                for junk in JUNK:
                    response = await caller.open(url, method=method.upper(), json={prop: junk}, headers=headers)
                    assert response.status_code < 500, (method, url, prop, junk)
                    if response.status_code == 422:
                        for entry in (await response.get_json())["detail"]:
                            messages.add(entry["msg"])
    assert messages
    leaks = sorted(m for m in messages if any(word in m for word in PYTHON_WORDS))
    assert leaks == []
    class_names = sorted(m for m in messages if any(name in m for name in schemas if len(name) > 4))
    assert class_names == []


# --- routing ---------------------------------------------------------------------------------------------------


async def test_double_slashes_are_not_redirected(client: TestClientProtocol) -> None:
    for path in ("/api//auth/status", "/api/pods//failed"):
        response = await client.get(path, headers={"Host": "evil.example"})
        assert response.status_code == 404, path
        assert "Location" not in response.headers


# --- cookies and sessions --------------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [12345, ["a", "b"], {"session": "x"}, None, ""])
async def test_a_signed_cookie_that_is_no_session_id_is_401(app: Quart, payload: Any) -> None:
    auth = app.extensions["QUART_AUTH"]
    extension = auth[0] if isinstance(auth, list) else auth
    token = extension.dump_token(payload, app=app)
    client = app.test_client()
    client.set_cookie("localhost", "kure_session", token)
    response = await client.get("/api/auth/me")
    assert response.status_code == 401
    assert await response.get_json() == {"detail": "Not authenticated"}
    assert "kure_session=;" in response.headers.get("Set-Cookie", "")


async def test_logout_with_a_service_token_header_still_ends_the_cookie_session(
    app: Quart, state: AppState
) -> None:
    await state.auth.create_user("leaver", PASSWORD, "read")
    client = app.test_client()
    user = await state.users.by_username("leaver")
    assert user is not None
    for headers in ({"X-Service-Token": "anything"}, SERVICE_HEADERS):
        await client.post("/api/auth/login", json={"username": "leaver", "password": PASSWORD})
        cookie = client.cookie_jar  # type: ignore[attr-defined]
        token = next(c.value for c in cookie if c.name == "kure_session")
        assert await state.mongo.db["sessions"].count_documents({"user_id": user["_id"]}) == 1
        response = await client.post("/api/auth/logout", headers=headers)
        assert response.status_code == 204
        assert await state.mongo.db["sessions"].count_documents({"user_id": user["_id"]}) == 0
        # The old cookie, replayed, is worth nothing.
        replay = app.test_client()
        replay.set_cookie("localhost", "kure_session", token)
        assert (await replay.get("/api/auth/me")).status_code == 401


async def test_logout_with_a_token_header_still_applies_the_csrf_rule(app: Quart, state: AppState) -> None:
    await state.auth.create_user("csrf-leaver", PASSWORD, "read")
    client = app.test_client()
    await client.post("/api/auth/login", json={"username": "csrf-leaver", "password": PASSWORD})
    response = await client.post("/api/auth/logout",
                                 headers={"X-Service-Token": "x", "Origin": "https://evil.example"})
    assert response.status_code == 403
    assert (await client.get("/api/auth/me")).status_code == 200


async def test_an_admin_cannot_set_their_own_password_without_the_current_one(
    app: Quart, state: AppState, user_client: UserClient
) -> None:
    admin = await user_client("admin", "root-admin")
    me = await state.users.by_username("root-admin")
    other = await state.auth.create_user("someone", PASSWORD, "read")
    assert me is not None
    response = await admin.patch(f"/api/admin/users/{me['_id']}", json={"password": "a-new-password-1"})
    assert response.status_code == 400
    assert await response.get_json() == {
        "detail": "Change your own password with POST /api/auth/password (it asks for the current one)"}
    login = await app.test_client().post("/api/auth/login", json={"username": "root-admin", "password": PASSWORD})
    assert login.status_code == 200  # unchanged
    # Another user's password is still an admin's to set.
    response = await admin.patch(f"/api/admin/users/{other['_id']}", json={"password": "a-new-password-1"})
    assert response.status_code == 200


# --- "at least one admin" under concurrency ------------------------------------------------------------------


class Yielding:
    """A collection whose every operation first yields to the event loop, like a network round trip does, so
    concurrent requests interleave the way they would against a remote database (mongomock never yields)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        if not callable(attribute) or name in ("find", "aggregate", "with_options"):
            return attribute

        async def call(*args: Any, **kwargs: Any) -> Any:
            await asyncio.sleep(0)
            result = attribute(*args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            await asyncio.sleep(0)
            return result

        return call


def interleave(state: AppState) -> None:
    users = state.users
    for name in ("_users", "_ledger_docs"):
        setattr(users, name, Yielding(getattr(users, name)))


async def admin_count(state: AppState) -> int:
    return await state.users.count_admins()


async def test_two_admins_demoting_each_other_leave_one_admin(state: AppState) -> None:
    for _ in range(5):
        first = await state.auth.create_user(f"a-{uuid.uuid4().hex[:6]}", PASSWORD, "admin")
        second = await state.auth.create_user(f"b-{uuid.uuid4().hex[:6]}", PASSWORD, "admin")
        # Only these two are admins.
        for user in await state.users.all():
            if user["role"] == "admin" and user["_id"] not in (first["_id"], second["_id"]):
                await state.auth.delete_user(first, user["_id"])
        interleave(state)
        results = await asyncio.gather(
            state.auth.update_user(first, second["_id"], "read", None),
            state.auth.update_user(second, first["_id"], "write", None),
            return_exceptions=True,
        )
        failures = [r for r in results if isinstance(r, Exception)]
        assert len(failures) == 1, results
        assert getattr(failures[0], "detail", None) == "Cannot demote the last admin"
        assert await admin_count(state) == 1
        # Restore a second admin for the next round.
        survivor = next(u for u in await state.users.all() if u["role"] == "admin")
        other = first if survivor["_id"] == second["_id"] else second
        await state.auth.update_user(survivor, other["_id"], "admin", None)


async def test_two_admins_deleting_each_other_leave_one_admin(state: AppState) -> None:
    first = await state.auth.create_user("del-a", PASSWORD, "admin")
    second = await state.auth.create_user("del-b", PASSWORD, "admin")
    interleave(state)
    results = await asyncio.gather(
        state.auth.delete_user(first, second["_id"]),
        state.auth.delete_user(second, first["_id"]),
        return_exceptions=True,
    )
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 1 and getattr(failures[0], "detail", None) == "Cannot delete the last admin"
    assert await admin_count(state) == 1


async def test_demote_and_delete_racing_leave_one_admin(state: AppState) -> None:
    first = await state.auth.create_user("mix-a", PASSWORD, "admin")
    second = await state.auth.create_user("mix-b", PASSWORD, "admin")
    interleave(state)
    await asyncio.gather(
        state.auth.update_user(first, second["_id"], "read", None),
        state.auth.delete_user(second, first["_id"]),
        return_exceptions=True,
    )
    assert await admin_count(state) == 1


async def test_the_admin_guard_is_built_for_an_existing_database(state: AppState) -> None:
    """A database from before the guard: admins exist, the guard document does not."""
    a = await state.auth.create_user("old-a", PASSWORD, "admin")
    b = await state.auth.create_user("old-b", PASSWORD, "admin")
    await state.mongo.db["admin_ledger"].delete_many({})
    await state.auth.update_user(a, b["_id"], "read", None)
    with pytest.raises(Exception, match="Cannot demote the last admin"):
        await state.auth.update_user(b, a["_id"], "read", None)


# --- login limits --------------------------------------------------------------------------------------------


async def test_password_spraying_from_one_address_is_limited(app: Quart, state: AppState) -> None:
    client = app.test_client()
    for index in range(30):
        response = await client.post("/api/auth/login", json={"username": f"victim{index}", "password": "Winter2026"})
        assert response.status_code == 401, index
    response = await client.post("/api/auth/login", json={"username": "victim-31", "password": "Winter2026"})
    assert response.status_code == 429
    assert await response.get_json() == {"detail": "Too many login attempts"}
    assert 1 <= int(response.headers["Retry-After"]) <= 300
    # The limit lives in MongoDB, per address; the refused attempt was not counted; the window slides.
    keys = [k for k in await state.mongo.db["login_attempts"].distinct("key") if k.startswith("ip|")]
    assert len(keys) == 1
    assert await state.mongo.db["login_attempts"].count_documents({"key": keys[0]}) == 30
    state.clock.advance(301)  # type: ignore[attr-defined]
    response = await client.post("/api/auth/login", json={"username": "victim0", "password": "Winter2026"})
    assert response.status_code == 401


async def test_the_per_address_limit_counts_other_addresses_separately(app: Quart) -> None:
    client = app.test_client()

    async def attempt(username: str, address: str) -> int:
        response = await client.post("/api/auth/login", json={"username": username, "password": "x"},
                                     scope_base={"client": (address, 40000)})
        return response.status_code

    for index in range(30):
        assert await attempt(f"u{index}", "203.0.113.7") == 401
    assert (await attempt("u99", "203.0.113.7"), await attempt("u99", "203.0.113.8")) == (429, 401)


# --- security headers ---------------------------------------------------------------------------------------


async def test_security_headers_on_every_kind_of_response(client: TestClientProtocol,
                                                          user_client: UserClient) -> None:
    reader = await user_client("read")
    responses = [
        await client.get("/health"),
        await client.get("/nope"),
        await client.get("/api/auth/me"),
        await client.post("/api/auth/logout"),
        await client.get("/openapi.json"),
        await client.get("/docs"),
        await client.get("/metrics"),
        await reader.get("/api/pods/failed"),
    ]
    for response in responses:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    policy = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert policy["frame-ancestors"] == "'none'"
    assert policy["script-src"] == "'self'" and policy["object-src"] == "'none'"
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]


def test_the_body_of_a_deep_request_never_reaches_recursion() -> None:
    from app.core.validation import json_depth_exceeds

    deep: Any = []
    for _ in range(10_000):  # far deeper than Python's recursion limit
        deep = [deep]
    assert json_depth_exceeds(deep)
    assert not json_depth_exceeds(json.loads('{"a": [{"b": [1, 2, {"c": {}}]}]}'))


# --- found by the fuzz tier ------------------------------------------------------------------------------------


async def test_a_nul_byte_in_a_details_key_is_stored_as_sent(
    client: TestClientProtocol, user_client: UserClient
) -> None:
    """BSON keys cannot hold a NUL byte; the finding used to answer 500."""
    details = {"a\x00b": [1], "nested": {"\x00": None, "x.y": 2, "$z": "%00"}}
    body = {"resource_type": "Pod", "resource_name": "web", "namespace": "default", "check_name": "odd_keys",
            "severity": "low", "message": "m", "details": details}
    response = await client.post("/api/security/findings", json=body, headers=SERVICE_HEADERS)
    assert response.status_code == 200, await response.get_data(as_text=True)
    assert (await response.get_json())["details"] == details
    reader = await user_client("read")
    [listed] = await (await reader.get("/api/security/findings?check_name=odd_keys")).get_json()
    assert listed["details"] == details


@pytest.mark.parametrize("labels", [{"a\x00b": "x"}, {"$where": "x"}, {"app": "bad value!"},
                                    {"-app": "x"}, {"a" * 64: "x"}, {"UPPER/x": "y"}])
async def test_pod_labels_follow_kubernetes_rules(client: TestClientProtocol, labels: dict[str, str]) -> None:
    response = await client.post("/api/pods/failed", headers=SERVICE_HEADERS,
                                 json={"pod_name": "web", "namespace": "default", "labels": labels})
    assert response.status_code == 422
    assert (await response.get_json())["detail"][0]["loc"] == ["body", "labels"]


async def test_real_pod_labels_are_accepted(client: TestClientProtocol) -> None:
    labels = {"app.kubernetes.io/name": "web", "pod-template-hash": "7d9f8b6c4", "tier": "", "a_b.c-d": "X_1.y-2"}
    response = await client.post("/api/pods/failed", headers=SERVICE_HEADERS,
                                 json={"pod_name": "web", "namespace": "default", "labels": labels})
    assert response.status_code == 200
    assert (await response.get_json())["labels"] == labels


async def test_arrays_inside_arrays_in_details_are_stored_as_sent(
    client: TestClientProtocol, user_client: UserClient
) -> None:
    """FerretDB refuses nested arrays; the finding used to answer 500 on the test server."""
    details = {"matrix": [[1, 2], [], [[["deep"]]]], "mixed": [{"%list": [1]}, ["%list"]], "%list": [[0]]}
    body = {"resource_type": "Pod", "resource_name": "web", "namespace": "default", "check_name": "nested_arrays",
            "severity": "low", "message": "m", "details": details}
    response = await client.post("/api/security/findings", json=body, headers=SERVICE_HEADERS)
    assert response.status_code == 200, await response.get_data(as_text=True)
    assert (await response.get_json())["details"] == details
    reader = await user_client("read")
    [listed] = await (await reader.get("/api/security/findings?check_name=nested_arrays")).get_json()
    assert listed["details"] == details


async def test_a_json_null_body_is_no_object(client: TestClientProtocol, user_client: UserClient) -> None:
    """An optional body may be absent, but `null` is a body that is not an object (the deploy used to take it for
    "all defaults")."""
    writer = await user_client("write")
    for path, caller, headers in (("/api/mirror/deploy/1", writer, {}),
                                  ("/api/pods/failed", client, SERVICE_HEADERS)):
        response = await caller.post(path, data="null", headers={**headers, "Content-Type": "application/json"})
        assert response.status_code == 422, path
        assert await response.get_json() == {
            "detail": [{"loc": ["body"], "msg": "Input should be a JSON object", "type": "model_type"}]}
    # No body at all is still the deploy's "all defaults" (and reaches its own checks: no such record here).
    assert (await writer.post("/api/mirror/deploy/1")).status_code in (404, 503)
