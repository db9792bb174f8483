"""The dashboard and the docs pages as the backend serves them (app/blueprints/web.py, docs/dashboard.md)."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from mongomock_motor import AsyncMongoMockClient
from quart import Quart
from quart.typing import TestClientProtocol

from app.cli import main as cli_main
from app.factory import create_app
from app.settings import Settings
from storage.mongo import MongoHandle

pytestmark = pytest.mark.unit

INDEX = "<!doctype html><title>Kure Monitor</title><div id=root></div>"


def _build(directory: Path) -> Path:
    """A stand-in for web/dist with the files a real build has."""
    (directory / "assets").mkdir(parents=True)
    (directory / "index.html").write_text(INDEX)
    (directory / "docs.html").write_text('<div id="swagger-ui" data-openapi="/openapi.json"></div>')
    (directory / "redoc.html").write_text('<div id="redoc" data-openapi="/openapi.json"></div>')
    (directory / "favicon.svg").write_text("<svg/>")
    (directory / "assets" / "index-3f2a1b.js").write_text("console.log('app')")
    return directory


async def _client(settings: Settings) -> AsyncIterator[TestClientProtocol]:
    mongo: Any = AsyncMongoMockClient(tz_aware=True)
    app: Quart = create_app(settings, mongo=MongoHandle(client=mongo, db=mongo[f"web_{uuid.uuid4().hex[:6]}"],
                                                        embedded=True))
    async with app.test_app():
        yield app.test_client()


@pytest.fixture
async def built(tmp_path: Path, settings_factory: Callable[..., Settings]) -> AsyncIterator[TestClientProtocol]:
    async for client in _client(settings_factory(kure_web_dir=str(_build(tmp_path / "dist")))):
        yield client


@pytest.fixture
async def unbuilt(tmp_path: Path, settings_factory: Callable[..., Settings]) -> AsyncIterator[TestClientProtocol]:
    async for client in _client(settings_factory(kure_web_dir=str(tmp_path / "nothing-here"))):
        yield client


async def test_index_is_revalidated_and_hashed_assets_are_immutable(built: TestClientProtocol) -> None:
    index = await built.get("/")
    assert index.status_code == 200
    assert await index.get_data(as_text=True) == INDEX
    assert index.headers["Content-Type"].startswith("text/html")
    assert index.headers["Cache-Control"] == "no-cache"
    asset = await built.get("/assets/index-3f2a1b.js")
    assert asset.status_code == 200
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    favicon = await built.get("/favicon.svg")
    assert favicon.status_code == 200 and favicon.headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", ["/incidents", "/incidents/42", "/diagrams/namespace/default", "/admin/users",
                                  "/apiary", "/healthz", "/documentation"])
async def test_client_routes_fall_back_to_the_app(built: TestClientProtocol, path: str) -> None:
    response = await built.get(path)
    assert response.status_code == 200, path
    assert await response.get_data(as_text=True) == INDEX
    assert response.headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", ["/api/nope", "/api", "/api/", "/health/", "/ready/", "/docs/", "/redoc/x",
                                  "/openapi.json/", "/metrics/x", "/assets/missing.js", "/missing.png",
                                  "/incidents/app.js"])
async def test_backend_paths_and_missing_files_are_never_shadowed(built: TestClientProtocol, path: str) -> None:
    response = await built.get(path)
    assert response.status_code == 404, path
    assert await response.get_json() == {"detail": "Not Found"}


async def test_methods_keep_their_contract_answers(built: TestClientProtocol) -> None:
    assert (await built.post("/api/nope", json={})).status_code == 404
    not_allowed = await built.patch("/health")
    assert not_allowed.status_code == 405 and "GET" in not_allowed.headers["Allow"]
    assert (await built.post("/incidents", json={})).status_code == 405
    head = await built.head("/incidents/3")
    assert head.status_code == 200  # (hypercorn drops the body of a HEAD answer)
    health = await built.get("/health")
    assert (await health.get_json())["status"] == "ok"


async def test_docs_pages_come_from_the_build(built: TestClientProtocol) -> None:
    for path, element in (("/docs", "swagger-ui"), ("/redoc", "redoc")):
        page = await built.get(path)
        assert page.status_code == 200
        text = await page.get_data(as_text=True)
        assert f'id="{element}"' in text and "/openapi.json" in text
        assert page.headers["Cache-Control"] == "no-cache"
        assert "cdn" not in text.lower()


async def test_without_a_build_the_answers_say_how_to_build(unbuilt: TestClientProtocol) -> None:
    index = await unbuilt.get("/")
    assert index.status_code == 404
    detail = (await index.get_json())["detail"]
    assert "not built" in detail and "npm --prefix web ci" in detail and "make run" in detail
    assert (await unbuilt.get("/incidents")).status_code == 404
    for path in ("/docs", "/redoc"):
        page = await unbuilt.get(path)
        text = await page.get_data(as_text=True)
        assert page.status_code == 200 and "is not built" in text and 'href="/openapi.json"' in text
        assert "<script" not in text
    assert (await unbuilt.get("/openapi.json")).status_code == 200


async def test_pages_are_not_in_the_openapi_document(built: TestClientProtocol) -> None:
    document = await (await built.get("/openapi.json")).get_json()
    assert not {"/", "/docs", "/redoc", "/{path}", "/assets/{name}"} & set(document["paths"])


async def test_the_cli_dumps_the_served_document(built: TestClientProtocol, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    served = await (await built.get("/openapi.json")).get_json()
    assert cli_main(["openapi", "--output", str(tmp_path / "openapi.json")]) == 0
    assert json.loads((tmp_path / "openapi.json").read_text()) == served
    assert cli_main(["openapi"]) == 0
    assert json.loads(capsys.readouterr().out) == served
