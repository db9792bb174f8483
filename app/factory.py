"""The Quart application factory: the HTTP side of the composition root.

It builds the backend (app/wiring), installs the error bodies, request logging and the route guards, and registers
every blueprint with the services its routes call. The jobs start and stop with the server.
"""

from __future__ import annotations

from typing import Any

from quart import Quart, Response
from quart.globals import request_ctx
from quart_auth import QuartAuth
from quart_schema import Info, QuartSchema

from app import __version__
from app.blueprints import (
    auth,
    config,
    diagram,
    exclusions,
    health,
    insight,
    llm,
    logs,
    mirror,
    notifications,
    pods,
    security,
    users,
    web,
    ws,
)
from app.blueprints import settings as app_settings
from app.core.clock import Clock
from app.http.errors import register_error_handlers
from app.http.guards import Gatekeeper, guard
from app.http.logging import install_request_logging
from app.http.openapi import KureOpenAPIProvider
from app.http.responses import Body
from app.http.routing import allowed_methods
from app.http.security_headers import apply_security_headers
from app.http.validation import MAX_BODY_BYTES, document
from app.settings import Settings
from app.wiring import EXTENSION, Backend
from app.wiring.container import COOKIE_NAME, Services
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
    http = settings.http
    # No static folder: the dashboard and the docs pages are served by app/blueprints/web.py from the web build.
    app = KureQuart("kure-monitor", static_folder=None)
    backend = Backend.build(settings, clock=clock, mongo=mongo)
    services = backend.services
    app.extensions[EXTENSION] = backend

    app.secret_key = services.secrets.session_secret
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        QUART_AUTH_COOKIE_NAME=COOKIE_NAME,
        QUART_AUTH_COOKIE_SECURE=http.cookie_secure,
        QUART_AUTH_COOKIE_SAMESITE="Lax",
        QUART_AUTH_COOKIE_HTTP_ONLY=True,
        QUART_AUTH_COOKIE_PATH="/",
        QUART_AUTH_DURATION=http.session_seconds,
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
    gatekeeper = Gatekeeper(services.auth, service_token=services.secrets.service_token, cookie_name=COOKIE_NAME,
                            allowed_origins=list(http.allowed_origins))
    gatekeeper.install(app)
    # No redirect is ever built from request headers: werkzeug would answer `//api/...` with a 308 whose
    # Location comes from the Host header. A path with doubled slashes is simply not a route (404).
    app.url_map.merge_slashes = False
    app.url_map.redirect_defaults = False

    @app.after_request
    async def _security_headers(response: Response) -> Response:
        apply_security_headers(response.headers)
        return response

    register_blueprints(app, services, gatekeeper)

    @app.before_serving
    async def _startup() -> None:
        await backend.start()

    @app.after_serving
    async def _shutdown() -> None:
        await backend.stop()

    return app


def register_blueprints(app: Quart, services: Services, gatekeeper: Gatekeeper) -> None:
    """Every blueprint, handed the services its routes call (in name order, which fixes the OpenAPI document's)."""
    http = services.settings.http
    for blueprint in (
        auth.create_blueprint(services.auth, gatekeeper, list(http.trusted_proxies)),
        config.create_blueprint(services.ai, services.app_settings, services.health),
        diagram.create_blueprint(services.diagram),
        exclusions.create_blueprint(services.exclusions),
        health.create_blueprint(services.health),
        insight.create_blueprint(services.insight),
        llm.create_blueprint(services.ai),
        logs.create_blueprint(services.logs),
        mirror.create_blueprint(services.mirrors),
        notifications.create_blueprint(services.notifier),
        pods.create_blueprint(services.pods),
        security.create_blueprint(services.security),
        app_settings.create_blueprint(services.app_settings),
        users.create_blueprint(services.auth),
        web.create_blueprint(http.web_dir),
        ws.create_blueprint(services.live, services.auth, gatekeeper, http.ws_ping_seconds),
    ):
        app.register_blueprint(blueprint)
