"""The ``Idempotency-Key`` request header (IETF httpapi draft "The Idempotency-Key HTTP Header Field"): its name,
the keys the backend accepts, and how a client writes one. Shared by the backend, which parses it, and the
in-cluster backend client, which sends it (docs/api.md#delivery-keys)."""

from __future__ import annotations

import re

IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 128
# A UUID, hex, base64 or a ULID fits; nothing that needs escaping, so a key is stored and compared as sent.
_KEY = re.compile(rf"[A-Za-z0-9._~:+/=-]{{1,{MAX_KEY_LENGTH}}}")
#: The whole header value, quoted or bare, as a JSON-schema pattern (for the OpenAPI document).
KEY_PATTERN = rf'^"?[A-Za-z0-9._~:+/=-]{{1,{MAX_KEY_LENGTH}}}"?$'
INVALID_KEY = (
    f"{IDEMPOTENCY_KEY_HEADER} must be 1 to {MAX_KEY_LENGTH} letters, digits or - _ . : ~ + / =, "
    "optionally in double quotes"
)


def parse_idempotency_key(value: str) -> str:
    """The key of a header value: the draft's quoted string (``"abc"``) or the bare key (``abc``), as clients
    commonly send it. Raises ValueError with :data:`INVALID_KEY` for anything else."""
    key = value.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not _KEY.fullmatch(key):
        raise ValueError(INVALID_KEY)
    return key


def idempotency_header_value(key: str) -> str:
    """The header value a client sends for ``key``: the draft's structured-field string."""
    return f'"{parse_idempotency_key(key)}"'
