"""Security headers sent with every HTTP response, and the one place the Content-Security-Policy is written.

The dashboard (a Vite/React single-page app in ``web/``, served from this origin) and the API documentation pages
(Swagger UI and ReDoc, served locally with their start-up code in separate ``.js`` files) load nothing from other
origins and run no inline scripts, so scripts are limited to ``'self'``. Inline *styles* stay allowed: React and
ReDoc set ``style`` attributes at run time. ``blob:`` workers are ReDoc's search worker; ``data:`` images and fonts
are inlined icons. ``frame-ancestors 'none'`` (with the older ``X-Frame-Options: DENY``) keeps every page out of
frames, so no page can be click-jacked. docs/security.md ("HTTP hardening") explains each choice; adjust the
policy here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping

from werkzeug.datastructures import Headers

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

SECURITY_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Same-origin requests keep their Referer (the CSRF rule falls back to it when a browser sends no Origin);
    # no URL of this service leaks to another site.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def apply_security_headers(headers: Headers) -> None:
    """Set the security headers on a response's header map, keeping any a route set itself."""
    for name, value in SECURITY_HEADERS.items():
        if name not in headers:
            headers[name] = value
