"""The dashboard and the offline API documentation pages, served from the web build (docs/dashboard.md).

``web/`` builds into a directory of static files (``KURE_WEB_DIR``, default ``<checkout>/web/dist``):
``index.html`` (the single-page app), ``docs.html`` / ``redoc.html`` (Swagger UI and ReDoc, with their assets at
pinned versions) and ``assets/`` (content-hashed files). Hashed assets are cached for a year; the HTML pages are
revalidated on every load, so a new build is picked up at once. Client-side routes fall back to ``index.html``,
but never the paths the backend itself serves: ``/api/*``, ``/docs``, ``/redoc``, ``/openapi.json``, ``/metrics``,
``/health`` and ``/ready`` keep their own 404/405 answers. The directory is looked up on every request, so a build
made while the server runs is served without a restart.
"""

from __future__ import annotations

from pathlib import Path

from quart import Blueprint, Response, send_from_directory
from quart.blueprints import BlueprintSetupState
from quart_schema import hide
from werkzeug.routing import PathConverter

from app.core.errors import ApiError
from app.core.guards import guard
from app.core.responses import Text
from app.core.validation import document
from app.state import get_state

blueprint = Blueprint("web", __name__)

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# The checkout's build output; an installed package (the container image) points KURE_WEB_DIR at its copy.
DEFAULT_WEB_DIR = Path(__file__).resolve().parents[2] / "web" / "dist"
# These pages are not part of the API, so they are hidden from /openapi.json; they still declare their answers like
# every route, so the declaration check (tests/api/test_openapi_truth.py) covers them too.
PAGE = Text("text/html", "A page of the web build")
FILE = Text("application/octet-stream", "A file of the web build")
BUILD_HINT = (
    "build it with `make run` (needs Node.js >= 20) or `npm --prefix web ci && npm --prefix web run build`"
)


class ClientRoutePath(PathConverter):
    """A path the single-page app may own: anything except the backend's own top-level names."""

    regex = r"(?!(?:api|docs|redoc|openapi\.json|metrics|health|ready|assets)(?:/|$))[^/].*?"


@blueprint.record_once
def _register_converter(setup: BlueprintSetupState) -> None:
    setup.app.url_map.converters["client_route"] = ClientRoutePath


def web_dir() -> Path:
    configured = get_state().settings.kure_web_dir
    return Path(configured) if configured else DEFAULT_WEB_DIR


async def _page(name: str) -> Response:
    directory = web_dir()
    if not (directory / name).is_file():
        raise ApiError(404, f"The dashboard is not built in {directory}: {BUILD_HINT}")
    response = await send_from_directory(directory, name)
    response.headers["Cache-Control"] = REVALIDATE
    return response


@blueprint.get("/")
@guard("public")
@hide
@document({200: PAGE}, errors=(404,))
async def index() -> Response:
    return await _page("index.html")


@blueprint.get("/assets/<path:name>")
@guard("public")
@hide
@document({200: FILE}, errors=(404,))
async def asset(name: str) -> Response:
    directory = web_dir() / "assets"
    if not (directory / name).is_file():
        raise ApiError(404, "Not Found")
    response = await send_from_directory(directory, name)
    response.headers["Cache-Control"] = IMMUTABLE
    return response


@blueprint.get("/<client_route:path>")
@guard("public")
@hide
@document({200: PAGE}, errors=(404,))
async def client_route(path: str) -> Response:
    """A top-level file of the build (favicon), else the app's own route: the app decides what it shows."""
    directory = web_dir()
    if "/" not in path and (directory / path).is_file() and not path.endswith(".html"):
        response = await send_from_directory(directory, path)
        response.headers["Cache-Control"] = REVALIDATE
        return response
    if "." in path.rsplit("/", 1)[-1]:
        raise ApiError(404, "Not Found")  # a missing file, not a page of the app
    return await _page("index.html")


def _docs_fallback(title: str) -> Response:
    """Without a build there are no UI assets: say how to get them, and where the document itself is."""
    body = (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{title} - Kure Monitor API</title></head><body>"
        f"<h1>{title} is not built</h1>"
        f"<p>The {title} assets (swagger-ui-dist, redoc) are part of the dashboard build: {BUILD_HINT}.</p>"
        "<p>The OpenAPI document is available at <a href=\"/openapi.json\">/openapi.json</a>.</p>"
        "</body></html>"
    )
    return Response(body, status=200, content_type="text/html; charset=utf-8",
                    headers={"Cache-Control": REVALIDATE})


@blueprint.get("/docs")
@guard("public")
@hide
@document({200: PAGE}, errors=(404,))
async def swagger_ui() -> Response:
    if not (web_dir() / "docs.html").is_file():
        return _docs_fallback("Swagger UI")
    return await _page("docs.html")


@blueprint.get("/redoc")
@guard("public")
@hide
@document({200: PAGE}, errors=(404,))
async def redoc_ui() -> Response:
    if not (web_dir() / "redoc.html").is_file():
        return _docs_fallback("ReDoc")
    return await _page("redoc.html")

