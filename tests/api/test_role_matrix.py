"""The role matrix of docs/api.md#role-matrix, generated from the app's own route table.

A route the app serves without a matrix entry (or without a declared guard) fails; so does a route whose declared
guard differs from the contract. Every served route is then called as every principal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable

import pytest
from quart import Quart
from quart.typing import TestClientProtocol

from app.core.guards import route_guards
from tests.conftest import SERVICE_HEADERS

# (method, rule) → guard, transcribed from docs/api.md#routes / docs/api.md#role-matrix. Rules use the app's Quart
# syntax.
CONTRACT: dict[tuple[str, str], str] = {
    ("GET", "/health"): "public",
    ("GET", "/ready"): "public",
    ("GET", "/metrics"): "public",
    ("GET", "/docs"): "public",
    ("GET", "/redoc"): "public",
    ("GET", "/openapi.json"): "public",
    # The dashboard (docs/dashboard.md): the app, its hashed assets and its client-side routes.
    ("GET", "/"): "public",
    ("GET", "/assets/<path:name>"): "public",
    ("GET", "/<client_route:path>"): "public",
    ("GET", "/api/auth/status"): "public",
    ("POST", "/api/auth/signup"): "public",
    ("POST", "/api/auth/login"): "public",
    ("POST", "/api/auth/logout"): "public",
    ("GET", "/api/auth/me"): "read",
    ("POST", "/api/auth/password"): "read",
    ("GET", "/api/admin/users"): "admin",
    ("POST", "/api/admin/users"): "admin",
    ("PATCH", "/api/admin/users/<user_id>"): "admin",
    ("DELETE", "/api/admin/users/<user_id>"): "admin",
    ("GET", "/api/config"): "read_or_service",
    ("POST", "/api/pods/failed"): "service",
    ("GET", "/api/pods/failed"): "read",
    ("GET", "/api/pods/failed/<pod_id>"): "read",
    ("DELETE", "/api/pods/failed/<pod_id>"): "write",
    ("POST", "/api/pods/failed/<pod_id>/retry-solution"): "write",
    ("GET", "/api/pods/history"): "read",
    ("GET", "/api/pods/ignored"): "read",
    ("GET", "/api/pods/reasons"): "read",
    ("PUT", "/api/pods/ignored/<pod_id>/restore"): "write",
    ("PUT", "/api/pods/<pod_id>/status"): "write",
    ("POST", "/api/pods/dismiss-deleted"): "service",
    ("GET", "/api/pods/<namespace>/<pod_name>/logs"): "read",
    ("GET", "/api/pods/<namespace>/<pod_name>/logs/stream"): "read_or_service",
    ("GET", "/api/pods/<namespace>/<pod_name>/access"): "read",
    ("GET", "/api/pods/<namespace>/<pod_name>/impact"): "read",
    ("POST", "/api/security/findings"): "service",
    ("GET", "/api/security/findings"): "read",
    ("DELETE", "/api/security/findings/<finding_id>"): "write",
    ("PUT", "/api/security/findings/<finding_id>/restore"): "write",
    ("POST", "/api/security/findings/<finding_id>/fix"): "write",
    ("DELETE", "/api/security/findings/resource/<resource_type>/<namespace>/<name>"): "service",
    ("POST", "/api/security/scan/clear"): "service",
    ("POST", "/api/security/rescan-status"): "service",
    ("POST", "/api/security/rescan"): "write",
    ("GET", "/api/security/trusted-registries"): "read_or_service",
    ("POST", "/api/security/trusted-registries"): "write",
    ("DELETE", "/api/security/trusted-registries/<path:registry>"): "write",
    ("POST", "/api/metrics/security-scan-duration"): "service",
    ("POST", "/api/mirror/preview/<pod_id>"): "write",
    ("POST", "/api/mirror/deploy/<pod_id>"): "write",
    ("GET", "/api/mirror/status/<mirror_id>"): "read",
    ("DELETE", "/api/mirror/<mirror_ref:mirror_id>"): "write",
    ("GET", "/api/mirror/active"): "read",
    ("GET", "/api/diagram/namespaces"): "read",
    ("GET", "/api/diagram/namespace/<namespace>"): "read",
    ("GET", "/api/diagram/workload/<namespace>/<kind>/<name>"): "read",
    ("GET", "/api/diagram/manifest/<namespace>/<kind>/<name>"): "read",
    ("GET", "/api/diagram/roles"): "read",
    ("GET", "/api/diagram/role/<namespace>/<name>"): "read",
    ("GET", "/api/diagram/clusterrole/<name>"): "read",
    ("GET", "/api/admin/llm/status"): "admin",
    ("POST", "/api/admin/llm/config"): "admin",
    ("DELETE", "/api/admin/llm/config"): "admin",
    ("POST", "/api/admin/llm/test"): "admin",
    ("GET", "/api/admin/excluded-namespaces"): "read_or_service",
    ("POST", "/api/admin/excluded-namespaces"): "write",
    ("DELETE", "/api/admin/excluded-namespaces/<namespace>"): "write",
    ("GET", "/api/admin/excluded-pods"): "read_or_service",
    ("POST", "/api/admin/excluded-pods"): "write",
    ("DELETE", "/api/admin/excluded-pods/<pod_name>"): "write",
    ("GET", "/api/admin/notifications"): "admin",
    ("POST", "/api/admin/notifications"): "admin",
    ("PUT", "/api/admin/notifications/<provider>"): "admin",
    ("DELETE", "/api/admin/notifications/<provider>"): "admin",
    ("POST", "/api/admin/notifications/<provider>/test"): "admin",
    ("GET", "/api/admin/settings"): "read",
    ("GET", "/api/admin/settings/mirror-ttl"): "read",
    ("PUT", "/api/admin/settings/mirror-ttl"): "admin",
    ("GET", "/api/admin/settings/<key>"): "read",
    ("POST", "/api/admin/settings/<key>"): "admin",
    ("GET", "/api/ws"): "read_or_service",
}

# Expected outcome class per guard for: anonymous, invalid token, read, write, admin, service (docs/api.md#role-matrix).
OUTCOMES: dict[str, tuple[str, str, str, str, str, str]] = {
    "public": ("2xx", "2xx", "2xx", "2xx", "2xx", "2xx"),
    "read": ("401", "401", "2xx", "2xx", "2xx", "403:User session required"),
    "write": ("401", "401", "403:Write access required", "2xx", "2xx", "403:User session required"),
    "admin": ("401", "401", "403:Admin access required", "403:Admin access required", "2xx",
              "403:User session required"),
    "service": ("401", "401", "403:Service token required", "403:Service token required",
                "403:Service token required", "2xx"),
    "read_or_service": ("401", "401", "2xx", "2xx", "2xx", "2xx"),
}
PRINCIPALS = ("anonymous", "invalid", "read", "write", "admin", "service")

SAMPLE_VALUES = {"mirror_id": "0123456789ab", "registry": "registry.example.com/team"}


def concrete_path(rule: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[-1]
        if name.endswith("_id") and name != "mirror_id":
            return "999999"
        return SAMPLE_VALUES.get(name, "sample")

    return re.sub(r"<([^>]+)>", value, rule)


def served_routes(app: Quart) -> dict[tuple[str, str], str | None]:
    return route_guards(app)


def test_every_served_route_declares_the_contract_guard(app: Quart) -> None:
    served = served_routes(app)
    missing_guard = sorted(key for key, guard in served.items() if guard is None)
    assert missing_guard == [], f"routes without @guard: {missing_guard}"
    unknown = sorted(key for key in served if key not in CONTRACT)
    assert unknown == [], f"routes not in the role matrix (docs/api.md#role-matrix): {unknown}"
    wrong = {key: (guard, CONTRACT[key]) for key, guard in served.items() if CONTRACT[key] != guard}
    assert wrong == {}, f"guard differs from the contract (declared, contract): {wrong}"


async def _request(client: TestClientProtocol, method: str, path: str, headers: dict[str, str]) -> tuple[int, str]:
    kwargs: dict[str, object] = {"headers": headers}
    if method in ("POST", "PUT", "PATCH"):
        kwargs["json"] = {}
    response = await client.open(path, method=method, **kwargs)  # type: ignore[arg-type]
    try:
        body = json.loads(await response.get_data(as_text=True))
    except ValueError:
        body = None  # HTML docs, metrics text
    detail = body.get("detail") if isinstance(body, dict) else None
    return response.status_code, detail if isinstance(detail, str) else ""


async def test_role_matrix(app: Quart, user_client: Callable[[str], Awaitable[TestClientProtocol]]) -> None:
    clients = {
        "anonymous": (app.test_client(), {}),
        "invalid": (app.test_client(), {"X-Service-Token": "wrong-token"}),
        "read": (await user_client("read"), {}),
        "write": (await user_client("write"), {}),
        "admin": (await user_client("admin"), {}),
        "service": (app.test_client(), SERVICE_HEADERS),
    }
    failures = []
    for (method, rule), guard in sorted(served_routes(app).items()):
        if rule == "/api/ws" or rule in ("/api/auth/signup", "/api/auth/login", "/api/auth/logout"):
            continue  # WebSocket: close codes (test_ws); auth routes change the client's session
        path = concrete_path(rule)
        expected_row = OUTCOMES[CONTRACT[(method, rule)]]
        assert guard is not None
        for principal, expected in zip(PRINCIPALS, expected_row, strict=True):
            test_client, headers = clients[principal]
            status, detail = await _request(test_client, method, path, headers)
            if expected == "2xx":
                ok = status not in (401, 403) or (status == 403 and detail not in {
                    "User session required", "Service token required", "Write access required",
                    "Admin access required", "Not authenticated"})
            elif expected == "401":
                ok = status == 401 and detail == "Not authenticated"
            else:
                want_status, want_detail = expected.split(":", 1)
                ok = status == int(want_status) and detail == want_detail
            if not ok:
                failures.append(f"{method} {path} as {principal}: got {status} {detail!r}, want {expected}")
    assert failures == []


@pytest.mark.parametrize("path", ["/api/auth/me", "/api/admin/users"])
async def test_token_query_parameter_is_ignored_elsewhere(client: TestClientProtocol, path: str) -> None:
    response = await client.get(f"{path}?token=test-service-token-0123456789")
    assert response.status_code == 401
