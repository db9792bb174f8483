"""The Quart application factory."""

from __future__ import annotations

from typing import Any

from quart import Quart, Response
from quart.globals import request_ctx
from quart_auth import QuartAuth
from quart_schema import Info, QuartSchema

from app import __version__
from app.core.clock import Clock
from app.core.errors import register_error_handlers
from app.core.guards import guard
from app.core.logging import install_request_logging
from app.core.openapi import KureOpenAPIProvider
from app.core.responses import Body
from app.core.routing import allowed_methods
from app.core.security_headers import apply_security_headers
from app.core.validation import MAX_BODY_BYTES, document
from app.settings import Settings
from app.state import COOKIE_NAME, AppState
from storage.mongo import MongoHandle


class KureQuart(Quart):
    async def make_default_options_response(self) -> Response:
        adapter = request_ctx.url_adapter
        methods = allowed_methods(self.url_map, adapter) if adapter is not None else []
        return self.response_class("", headers={"Allow": ", ".join(methods)})


def create_app(
    settings: Settings | None = None, *, clock: Clock | None = None, mongo: MongoHandle | None = None
) -> Quart:
    """Build the app. Dependencies are connected in the ``before_serving`` hook, never at import time."""
    settings = settings or Settings()
    # No static folder: the dashboard and the docs pages are served by app/blueprints/web.py from the web build.
    app = KureQuart("kure-monitor", static_folder=None)
    state = AppState(settings, clock=clock, mongo=mongo)
    app.extensions["kure"] = state

    app.secret_key = state.secrets.session_secret
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        QUART_AUTH_COOKIE_NAME=COOKIE_NAME,
        QUART_AUTH_COOKIE_SECURE=settings.kure_cookie_secure,
        QUART_AUTH_COOKIE_SAMESITE="Lax",
        QUART_AUTH_COOKIE_HTTP_ONLY=True,
        QUART_AUTH_COOKIE_PATH="/",
        QUART_AUTH_DURATION=settings.session_seconds,
        QUART_AUTH_MODE="cookie",
        QUART_AUTH_SALT="kure-session",
        JSON_SORT_KEYS=False,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    QuartAuth(app)
    QuartSchema(
        app,
        info=Info(title="Kure Monitor API", version=__version__,
                  description="Kubernetes failure diagnosis: pods, security findings, mirror pods, cluster graph."),
        openapi_path="/openapi.json",
        # quart-schema's pages load their scripts from public CDNs; /docs and /redoc are served by the web
        # blueprint from pinned, locally built assets instead (docs/dashboard.md).
        swagger_ui_path=None,
        redoc_ui_path=None,
        scalar_ui_path=None,
        openapi_provider_class=KureOpenAPIProvider,
        security_schemes={
            "cookieAuth": {"type": "apiKey", "in_": "cookie", "name": COOKIE_NAME},
            "serviceToken": {"type": "apiKey", "in_": "header", "name": "X-Service-Token"},
        },
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]

    # quart-schema's own view (the OpenAPI document) is public and documented like any route; /docs and /redoc
    # are pages of the web build (app/blueprints/web.py).
    declare_openapi = document({200: Body(dict[str, Any], "This OpenAPI 3 document")})
    app.view_functions["openapi"] = guard("public")(declare_openapi(app.view_functions["openapi"]))  # type: ignore[type-var]

    register_error_handlers(app)
    install_request_logging(app)
    # No redirect is ever built from request headers: werkzeug would answer `//api/...` with a 308 whose
    # Location comes from the Host header. A path with doubled slashes is simply not a route (404).
    app.url_map.merge_slashes = False
    app.url_map.redirect_defaults = False

    @app.after_request
    async def _security_headers(response: Response) -> Response:
        apply_security_headers(response.headers)
        return response

    from app.blueprints import register_blueprints

    register_blueprints(app)

    @app.before_serving
    async def _startup() -> None:
        await state.start()

    @app.after_serving
    async def _shutdown() -> None:
        await state.stop()

    return app
