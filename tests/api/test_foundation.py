"""Conventions every route shares (docs/api.md#conventions): error bodies, request ids, health, docs, config."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from openapi_spec_validator import validate as validate_openapi
from quart import Quart
from quart.typing import TestClientProtocol

from app.core.guards import guard
from app.factory import create_app
from tests.conftest import SERVICE_HEADERS


async def test_unknown_path_and_trailing_slash_are_404(client: TestClientProtocol) -> None:
    # Other top-level paths belong to the dashboard's client-side routes (tests/web/test_serving.py).
    for path in ("/api/nope", "/health/", "/api/pods/failed/"):
        response = await client.get(path)
        assert response.status_code == 404
        assert await response.get_json() == {"detail": "Not Found"}


async def test_wrong_method_is_405_with_allow(client: TestClientProtocol) -> None:
    response = await client.delete("/api/auth/status")
    assert response.status_code == 405
    assert await response.get_json() == {"detail": "Method Not Allowed"}
    assert "GET" in response.headers["Allow"]


async def test_routing_errors_come_before_authentication(client: TestClientProtocol) -> None:
    assert (await client.get("/api/admin/nothing-here")).status_code == 404


async def test_body_errors(client: TestClientProtocol) -> None:
    too_big = await client.post("/api/pods/failed", headers={**SERVICE_HEADERS, "Content-Type": "application/json"},
                                data=b"{" + b" " * (2 * 1024 * 1024) + b"}")
    assert too_big.status_code == 413 and await too_big.get_json() == {"detail": "Request body too large"}
    wrong_type = await client.post("/api/pods/failed", headers={**SERVICE_HEADERS, "Content-Type": "text/plain"},
                                   data="pod_name=x")
    assert wrong_type.status_code == 415
    assert await wrong_type.get_json() == {"detail": "Content-Type must be application/json"}
    malformed = await client.post("/api/pods/failed", data="{nope",
                                  headers={**SERVICE_HEADERS, "Content-Type": "application/json; charset=utf-8"})
    assert malformed.status_code == 400 and await malformed.get_json() == {"detail": "Malformed JSON body"}
    not_object = await client.post("/api/pods/failed", json=[1, 2], headers=SERVICE_HEADERS)
    assert not_object.status_code == 422 and (await not_object.get_json())["detail"][0]["loc"] == ["body"]
    empty = await client.post("/api/pods/failed", headers={**SERVICE_HEADERS, "Content-Type": "application/json"})
    assert empty.status_code == 422


async def test_authentication_precedes_body_checks(client: TestClientProtocol) -> None:
    response = await client.post("/api/pods/failed", data="{nope", headers={"Content-Type": "application/json"})
    assert response.status_code == 401


async def test_request_id_is_echoed_or_generated(client: TestClientProtocol) -> None:
    echoed = await client.get("/health", headers={"X-Request-ID": "abc.DEF:1-2_3"})
    assert echoed.headers["X-Request-ID"] == "abc.DEF:1-2_3"
    generated = await client.get("/nope", headers={"X-Request-ID": "bad id with spaces"})
    rid = generated.headers["X-Request-ID"]
    assert len(rid) == 32 and all(c in "0123456789abcdef" for c in rid)


async def test_unexpected_error_is_500_with_request_id_only(
    settings_factory: Callable[..., Any], mongo: Any, caplog: pytest.LogCaptureFixture
) -> None:
    application = create_app(settings_factory(), mongo=mongo)

    @application.get("/api/boom")
    @guard("public")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    async with application.test_app():
        with caplog.at_level(logging.ERROR):
            response = await application.test_client().get("/api/boom")
    assert response.status_code == 500
    payload = await response.get_json()
    assert payload == {"detail": "Internal server error", "request_id": response.headers["X-Request-ID"]}
    assert "secret internals" not in json.dumps(payload)
    assert payload["request_id"] in caplog.text  # logged with the traceback


async def test_health_ready_and_metrics(client: TestClientProtocol) -> None:
    health = await client.get("/health")
    assert await health.get_json() == {"status": "ok", "checks": {"mongodb": "ok", "neo4j": "disabled",
                                                                  "kubernetes": "disabled"}}
    assert (await client.get("/ready")).status_code == 200
    await client.get("/api/auth/status")
    metrics = await client.get("/metrics")
    assert metrics.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    text = await metrics.get_data(as_text=True)
    assert 'kure_http_requests_total{method="GET",route="/api/auth/status",status="200"}' in text
    for family in ("kure_pod_failures_total", "kure_security_scan_duration_seconds", "kure_websocket_connections",
                   "kure_notifications_total", "kure_http_request_duration_seconds"):
        assert family in text


async def test_openapi_document_is_valid_and_complete(app: Quart, client: TestClientProtocol) -> None:
    document = await (await client.get("/openapi.json")).get_json()
    validate_openapi(document)
    assert document["openapi"].startswith("3.")
    documented = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.websocket:
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods or ():
            if method not in ("HEAD", "OPTIONS"):
                assert (method, path) in documented, f"{method} {path} missing from /openapi.json"
    body = document["paths"]["/api/pods/failed"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]


async def test_docs_pages_render(client: TestClientProtocol) -> None:
    for path in ("/docs", "/redoc"):
        page = await client.get(path)
        assert page.status_code == 200
        assert "/openapi.json" in await page.get_data(as_text=True)


async def test_config_for_user_and_service(client: TestClientProtocol, user_client: Any) -> None:
    reader = await user_client("read")
    config = await (await reader.get("/api/config")).get_json()
    assert config.pop("graph_sync")["state"] == "disabled"
    assert config == {
        "version": "2.3.3", "ai_enabled": False, "ai_provider": None, "ai_model": None, "graph_enabled": False,
        "kubernetes_connected": False, "cluster_mode": "off",
        "settings": {"history_retention_minutes": 0, "ignored_retention_minutes": 0, "mirror_ttl_seconds": 180},
    }
    assert (await client.get("/api/config", headers=SERVICE_HEADERS)).status_code == 200


def test_bad_setting_exits_2_with_one_line(tmp_path: Any) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve"], capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "KURE_SESSION_DAYS": "forever", "KURE_STATE_DIR": str(tmp_path)},
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "KURE_SESSION_DAYS" in lines[0]


def test_service_token_command_prints_the_persisted_token(tmp_path: Any) -> None:
    env = {"PATH": "/usr/bin:/bin", "KURE_STATE_DIR": str(tmp_path)}
    first = subprocess.run([sys.executable, "-m", "app.cli", "service-token"], capture_output=True, text=True,
                           env=env, timeout=60)
    second = subprocess.run([sys.executable, "-m", "app.cli", "service-token"], capture_output=True, text=True,
                            env=env, timeout=60)
    assert first.returncode == 0 and len(first.stdout.strip()) >= 32
    assert first.stdout == second.stdout  # generated once, persisted
    assert (tmp_path / "secrets.json").stat().st_mode & 0o077 == 0
    override = subprocess.run([sys.executable, "-m", "app.cli", "service-token"], capture_output=True, text=True,
                              env={**env, "SERVICE_TOKEN": "from-the-environment-123"}, timeout=60)
    assert override.stdout.strip() == "from-the-environment-123"


def test_blueprints_never_import_a_driver() -> None:
    """Blueprints import services and schemas, never a driver (layering rule)."""
    import pathlib

    for path in pathlib.Path("app/blueprints").glob("*.py"):
        source = path.read_text()
        for driver in ("motor", "pymongo", "neo4j", "kubernetes_asyncio", "mongomock"):
            assert f"import {driver}" not in source and f"from {driver}" not in source, f"{path} imports {driver}"


@pytest.mark.integration
def test_create_user_command_uses_the_same_rules(tmp_path: Any) -> None:
    import uuid

    import pymongo

    from tests.conftest import MONGO_TEST_URI, service_missing

    database = f"kure_cli_{uuid.uuid4().hex[:8]}"
    mongo: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(MONGO_TEST_URI, serverSelectionTimeoutMS=1500)
    try:
        mongo.admin.command("ping")
    except Exception as exc:
        service_missing("MongoDB-wire server", type(exc).__name__)
    env = {"PATH": "/usr/bin:/bin", "KURE_STATE_DIR": str(tmp_path), "MONGODB_URI": MONGO_TEST_URI,
           "MONGODB_DATABASE": database}

    def create(username: str, password: str, role: str = "admin") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app.cli", "create-user", "--username", username, "--role", role],
                              input=password + "\n", capture_output=True, text=True, env=env, timeout=60)

    try:
        ok = create("Operator", "long-enough-password")
        assert ok.returncode == 0, ok.stderr
        stored = mongo[database]["users"].find_one({"username_lower": "operator"})
        assert stored is not None and stored["role"] == "admin"
        assert stored["password_hash"].startswith("$argon2id$") and "long-enough-password" not in str(stored)
        duplicate = create("operator", "another-password")
        assert duplicate.returncode == 1 and duplicate.stderr.strip() == "Username already exists"
        short = create("someone", "short")
        assert short.returncode == 2 and "password" in short.stderr
    finally:
        mongo.drop_database(database)
        mongo.close()
