"""Log formatting shared by the backend and the in-cluster components (no web framework imported here).

No secret reaches a log line. Three layers:

- HTTP client libraries (httpx, httpcore, openai, ...) log every request's full URL at INFO/DEBUG — a Slack or
  Discord webhook URL *is* its credential — so their loggers are held at WARNING;
- :class:`ScrubFilter` masks ``token=`` values and the ``user:password@`` part of URLs in every message;
- values the process knows to be secret (its own tokens and keys, decrypted webhook URLs and LLM keys) are
  registered with :func:`register_secret` where they are loaded, and masked wherever they appear.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from dataclasses import dataclass
from typing import Any

_TOKEN_RE = re.compile(r"(token=)[^&\s\"']+", re.IGNORECASE)
_URL_USERINFO_RE = re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/\s@]+@", re.IGNORECASE)
MASK = "***"
#: Shorter values are too likely to occur by chance in ordinary text to be masked everywhere.
MIN_SECRET_LENGTH = 8
#: Registered secrets kept (the oldest go first); a process knows a handful.
MAX_SECRETS = 256
#: Loggers of HTTP clients that write request URLs (with their credentials) at INFO or DEBUG.
CHATTY_HTTP_LOGGERS = ("httpx", "httpcore", "openai", "hpack", "urllib3", "aiohttp.client")

_secrets: dict[str, None] = {}


def register_secret(value: object) -> None:
    """Mask ``value`` in every later log line of this process (no-op for non-strings and short values). A URL
    with credentials is also registered without them, the way HTTP clients print it."""
    if not isinstance(value, str) or len(value) < MIN_SECRET_LENGTH or value in _secrets:
        return
    _secrets[value] = None
    without_userinfo = _URL_USERINFO_RE.sub(r"\1", value)
    if without_userinfo != value and len(without_userinfo) >= MIN_SECRET_LENGTH:
        _secrets[without_userinfo] = None
    while len(_secrets) > MAX_SECRETS:
        del _secrets[next(iter(_secrets))]


def scrub(text: str) -> str:
    # Registered secrets first and longest first, so a registered URL is masked whole.
    for secret in sorted((s for s in list(_secrets) if s in text), key=len, reverse=True):
        text = text.replace(secret, MASK)
    if "token=" in text.lower():
        text = _TOKEN_RE.sub(r"\1" + MASK, text)
    if "@" in text:
        text = _URL_USERINFO_RE.sub(r"\1" + MASK + "@", text)
    return text


class ScrubFilter(logging.Filter):
    """Masks secrets in the message and its arguments (objects such as URLs are formatted first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = scrub(record.msg)
        if record.args:
            if isinstance(record.args, dict):
                record.args = {key: _scrub_arg(value) for key, value in record.args.items()}
            else:
                record.args = tuple(_scrub_arg(value) for value in record.args)
        return True


def _scrub_arg(value: object) -> object:
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    cleaned = scrub(text)
    return value if cleaned == text and not isinstance(value, str) else cleaned


class ScrubbingFormatter(logging.Formatter):
    """The plain-text format, scrubbed once more as a whole (tracebacks included)."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        for key in ("request_id", "method", "route", "status", "duration_ms"):
            if hasattr(record, key):
                payload[key] = getattr(record, key)
        if record.exc_info:
            payload["exc_info"] = scrub(self.formatException(record.exc_info))
        return json.dumps(payload)


@dataclass(frozen=True)
class LoggingSettings:
    """``LOG_LEVEL`` and ``LOG_FORMAT``, read the same way by the backend and the in-cluster components (their
    defaults differ: ``text`` for the backend, ``json`` for the agent and the scanner)."""

    level: str
    format: str


def configure_logging(settings: LoggingSettings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(ScrubFilter())
    if settings.format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.level)
    # hypercorn's own access log would print raw URLs (with ?token=); ours replaces it.
    logging.getLogger("hypercorn.access").disabled = True
    for name in CHATTY_HTTP_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
