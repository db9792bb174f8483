"""/openapi.json tells the truth: every route's documented answers (status, media type, array vs object, headers)
match what it returns. A fast check with the test client; the fuzz tier (tests/fuzz) does the same with
schemathesis against a real server and generated inputs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from quart import Quart
from quart.typing import TestClientProtocol

from app.core.validation import RESPONSES_ATTRIBUTE
from app.state import AppState
from tests.conftest import SERVICE_HEADERS

UserClient = Callable[..., Awaitable[TestClientProtocol]]

PATH_VALUES = {
    "pod_id": "1", "finding_id": "1", "user_id": "1", "mirror_id": "0123456789ab", "namespace": "default",
    "pod_name": "web", "kind": "Deployment", "name": "web", "provider": "slack", "key": "history_retention_minutes",
    "registry": "registry.example.com", "resource_type": "Pod",
}


def test_every_route_declares_its_answers(app: Quart) -> None:
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.websocket or rule.endpoint == "static":
            continue
        if not getattr(app.view_functions[rule.endpoint], RESPONSES_ATTRIBUTE, None):
            missing.append(rule.rule)
    assert missing == []


async def test_lists_are_arrays_and_special_media_types_are_documented(client: TestClientProtocol) -> None:
    document = await (await client.get("/openapi.json")).get_json()
    paths = document["paths"]
    lists = ["/api/pods/failed", "/api/pods/history", "/api/pods/ignored", "/api/security/findings",
             "/api/mirror/active", "/api/admin/users", "/api/admin/excluded-namespaces", "/api/admin/excluded-pods",
             "/api/admin/notifications", "/api/admin/settings", "/api/security/trusted-registries"]
    for path in lists:
        ok = paths[path]["get"]["responses"]["200"]
        assert ok["content"]["application/json"]["schema"]["type"] == "array", path
    for path in ("/api/pods/failed", "/api/pods/history", "/api/pods/ignored", "/api/security/findings"):
        assert "X-Total-Count" in paths[path]["get"]["responses"]["200"]["headers"], path
    assert list(paths["/metrics"]["get"]["responses"]["200"]["content"]) == ["text/plain"]
    stream = paths["/api/pods/{namespace}/{pod_name}/logs/stream"]["get"]["responses"]
    assert list(stream["200"]["content"]) == ["text/event-stream"]
    assert "Retry-After" in stream["429"]["headers"]
    setting = paths["/api/admin/settings/{key}"]["post"]
    assert setting["requestBody"]["content"]["application/json"]["schema"]
    assert "default" not in str([op["responses"].keys() for item in paths.values() for op in item.values()])
    deploy = paths["/api/mirror/deploy/{pod_id}"]["post"]
    assert deploy["requestBody"]["required"] is False
    assert paths["/api/auth/login"]["post"]["requestBody"]["required"] is True


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


async def _seed(state: AppState) -> None:
    from app.schemas.security import FindingReport

    await state.pods.insert_open({
        "namespace": "default", "pod_name": "web", "failure_reason": "CrashLoopBackOff", "failure_message": "",
        "node_name": None, "phase": None, "owner_kind": None, "owner_name": None, "labels": {},
        "creation_timestamp": None, "events": [], "container_statuses": [], "manifest": "", "logs": "",
        "solution": "## Root Cause", "solution_source": "rules", "status": "new", "occurrences": 1,
        "first_seen": state.clock.now(), "last_seen": state.clock.now(), "resolved_at": None, "ignored_at": None,
        "resolution_note": None,
    })
    await state.security.report(FindingReport.model_validate({
        "resource_type": "Pod", "resource_name": "web", "namespace": "default", "check_name": "privileged_container",
        "severity": "high", "message": "m", "remediation": "r", "details": {"container": "app"}}))
    await state.trusted_registries.add("registry.example.com", state.clock.now())


async def test_every_answer_matches_its_documentation(
    app: Quart, client: TestClientProtocol, state: AppState, user_client: UserClient
) -> None:
    document = await (await client.get("/openapi.json")).get_json()
    components = document["components"]
    await _seed(state)
    admin = await user_client("admin")
    callers: list[tuple[str, TestClientProtocol, dict[str, str]]] = [
        ("anonymous", app.test_client(), {}),
        ("admin", admin, {"Origin": "http://localhost"}),
        ("service", app.test_client(), SERVICE_HEADERS),
    ]
    seen: set[tuple[str, str, int]] = set()
    problems: list[str] = []
    # Logout ends the admin's session: walk it last.
    ordered = sorted(document["paths"].items(), key=lambda entry: entry[0] == "/api/auth/logout")
    for path, item in ordered:
        url = path
        for name, value in PATH_VALUES.items():
            url = url.replace("{" + name + "}", value)
        for method, operation in item.items():
            if method.upper() == "DELETE" and path == "/api/admin/users/{user_id}":
                continue  # would delete the admin making the requests
            bodies: list[Any] = [None]
            if "requestBody" in operation:
                bodies = [{}, []]
            for caller_name, caller, headers in callers:
                for body in bodies:
                    kwargs: dict[str, Any] = {"headers": headers}
                    if body is not None:
                        kwargs["json"] = body
                    response = await caller.open(url, method=method.upper(), **kwargs)
                    where = f"{method.upper()} {path} as {caller_name} body={body!r} -> {response.status_code}"
                    documented = operation["responses"].get(str(response.status_code))
                    seen.add((method, path, response.status_code))
                    if documented is None:
                        problems.append(f"{where}: status not documented")
                        continue
                    for header, spec in documented.get("headers", {}).items():
                        if spec.get("required") and header not in response.headers:
                            problems.append(f"{where}: header {header} missing")
                    raw = await response.get_data()
                    content = documented.get("content")
                    if not content:
                        if raw:
                            problems.append(f"{where}: documented without a body, got {raw[:80]!r}")
                        continue
                    media = _media_type(response.headers.get("Content-Type", ""))
                    if media not in content:
                        problems.append(f"{where}: {media} not in {list(content)}")
                        continue
                    if media != "application/json":
                        continue
                    schema = {**content[media]["schema"], "components": components}
                    errors = [e.message for e in Draft202012Validator(schema).iter_errors(await response.get_json())]
                    if errors:
                        problems.append(f"{where}: body does not match: {errors[:2]}")
    assert problems == []
    # The walk reached success answers too, not only errors.
    assert len({(m, p) for m, p, status in seen if status < 300}) >= 30


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_documentation_pages_are_html(client: TestClientProtocol, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert _media_type(response.headers["Content-Type"]) == "text/html"
