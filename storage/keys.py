"""Storable free-form JSON: keys, and arrays inside arrays.

FerretDB 1.x rejects keys that contain ``.`` or start with ``$``, and no server stores a NUL byte in a key (BSON
keys are C strings). Free-form maps from the outside — a finding's ``details``, a pod's Kubernetes labels such as
``app.kubernetes.io/name`` — are therefore stored with those characters (and ``%``, the escape itself)
percent-escaped in their keys at every depth, and decoded on read, so the API returns exactly what was sent.
FerretDB 1.x also refuses an array directly inside an array; such an inner array is stored wrapped as
``{"%list": [...]}`` — a key no escaped user key can equal, since a user's ``%`` is stored as ``%25``. On MongoDB
neither is needed, but one stored form for every server keeps data portable between them (docs/storage.md).
"""

from __future__ import annotations

import re
from typing import Any

_ESCAPED = re.compile(r"%(25|2E|24|00)")
_UNESCAPE = {"25": "%", "2E": ".", "24": "$", "00": "\x00"}


def escape_key(key: str) -> str:
    escaped = key.replace("%", "%25").replace(".", "%2E").replace("\x00", "%00")
    return "%24" + escaped[1:] if escaped.startswith("$") else escaped


def unescape_key(key: str) -> str:
    return _ESCAPED.sub(lambda match: _UNESCAPE[match.group(1)], key)


LIST_KEY = "%list"


def encode_keys(value: Any) -> Any:
    """``value`` with every mapping key escaped and every array inside an array wrapped, at every depth.
    Reversible with :func:`decode_keys`."""
    if isinstance(value, dict):
        return {escape_key(str(k)): encode_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [{LIST_KEY: encode_keys(item)} if isinstance(item, list) else encode_keys(item) for item in value]
    return value


def decode_keys(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get(LIST_KEY), list):
            return [decode_keys(item) for item in value[LIST_KEY]]
        return {unescape_key(k): decode_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_keys(item) for item in value]
    return value
