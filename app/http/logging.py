"""Logging setup, request ids (docs/api.md#request-ids) and the access log (method, route template, status,
duration, id).

Tokens never reach a log line: the access log records the route *template*, never the raw query string, and the
scrubber below masks ``token=`` values anywhere in a message as a second line of defence.
"""

from __future__ import annotations

import logging
import re
import secrets
import time

from quart import Quart, Response, g, request

from app.core.logformat import scrub
from app.core.metrics import HTTP_LATENCY, HTTP_REQUESTS

__all__ = ["install_request_logging", "route_template", "scrub"]

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

access_log = logging.getLogger("kure.access")


def route_template() -> str:
    rule = request.url_rule
    return rule.rule if rule is not None else "<unmatched>"


def install_request_logging(app: Quart) -> None:
    @app.before_request
    async def _start() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID_RE.match(incoming) else secrets.token_hex(16)
        g.started = time.perf_counter()

    @app.after_request
    async def _finish(response: Response) -> Response:
        request_id = getattr(g, "request_id", None) or secrets.token_hex(16)
        response.headers["X-Request-ID"] = request_id
        started = getattr(g, "started", None)
        duration = time.perf_counter() - started if started is not None else 0.0
        route = route_template()
        status = str(response.status_code)
        HTTP_REQUESTS.labels(request.method, route, status).inc()
        HTTP_LATENCY.labels(request.method, route, status).observe(duration)
        access_log.info(
            "%s %s %s %.1fms id=%s", request.method, route, status, duration * 1000, request_id,
            extra={"request_id": request_id, "method": request.method, "route": route,
                   "status": response.status_code, "duration_ms": round(duration * 1000, 1)},
        )
        return response
