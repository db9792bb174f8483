"""Process secrets: SESSION_SECRET, SERVICE_TOKEN and ENCRYPTION_KEY.

The environment wins. A secret that is not set is generated once and persisted in a local file
(``$KURE_STATE_DIR/secrets.json``, mode 0600) — never in MongoDB, so a database dump does not carry the keys that
protect it. Replicas must share the values, so multi-replica installs set all three through the environment (the
Kubernetes Secret template does).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from app.core.crypto import SecretBox
from app.settings import StateSettings

log = logging.getLogger("kure.secrets")


@dataclass(frozen=True)
class Secrets:
    session_secret: str
    service_token: str
    encryption_key: str


def load_secrets(state: StateSettings) -> Secrets:
    path = Path(state.dir) / "secrets.json"
    stored: dict[str, str] = {}
    if path.exists():
        try:
            stored = json.loads(path.read_text())
        except (OSError, ValueError):
            log.warning("Could not read %s; generating new secrets", path)
    generated = {
        "session_secret": state.session_secret or stored.get("session_secret") or secrets.token_urlsafe(48),
        "service_token": state.service_token or stored.get("service_token") or secrets.token_urlsafe(32),
        "encryption_key": state.encryption_key or stored.get("encryption_key") or SecretBox.generate_key(),
    }
    to_persist = {
        name: value for name, value in generated.items()
        if getattr(state, name) is None
    }
    if to_persist and to_persist != {k: stored.get(k) for k in to_persist}:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                json.dump({**stored, **to_persist}, handle)
        except OSError as exc:
            log.warning(
                "Could not persist generated secrets to %s (%s): they change at every restart. "
                "Set SESSION_SECRET, SERVICE_TOKEN and ENCRYPTION_KEY.", path, exc.strerror
            )
    return Secrets(**generated)
