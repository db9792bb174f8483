"""Redaction of secrets and tokens (docs/agent-scanner.md#redaction): the one shared, pure module.

Used by the agent and the scanner before anything leaves the cluster, and by the backend before evidence is put
into an LLM prompt. Every public function is pure, idempotent and never raises: redaction must not become the
reason a failure report is lost.

Only linear-time regular expressions are used (no nested quantifiers, no unbounded backtracking over
attacker-controlled text), and each text is redacted over at most :data:`MAX_TEXT_BYTES`.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from app.kube.objects import POD_TEMPLATE_PATHS, dig

__all__ = [
    "MAX_TEXT_BYTES",
    "REDACTED",
    "is_secret_name",
    "looks_like_secret_value",
    "redact_env",
    "redact_manifest",
    "redact_text",
]

REDACTED = "<redacted>"
REDACTED_TOKEN = "<redacted:token>"
REDACTED_JWT = "<redacted:jwt>"
REDACTED_PRIVATE_KEY = "<redacted:private-key>"

# Longer texts are cut rather than passed on partly unscanned: an unredacted tail would defeat the purpose.
MAX_TEXT_BYTES = 256 * 1024

# --- secret-looking names ------------------------------------------------------------------------------------

_SECRET_TOKENS = frozenset({
    "password", "passwd", "passphrase", "pwd", "pass", "secret", "secrets", "token", "tokens", "apikey",
    "credential", "credentials", "creds", "auth", "authorization", "cookie", "jwt", "bearer", "privatekey", "dsn",
})
_SECRET_PAIRS = frozenset({
    ("api", "key"), ("access", "key"), ("secret", "key"), ("private", "key"), ("client", "secret"),
    ("signing", "key"), ("encryption", "key"), ("master", "key"), ("connection", "string"),
    ("database", "url"), ("db", "url"),
})
_NAME_SEPARATORS = re.compile(r"[_\-./]+")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _name_tokens(name: str) -> list[str]:
    tokens: list[str] = []
    for part in _NAME_SEPARATORS.split(name):
        if part:
            tokens.extend(piece.lower() for piece in _CAMEL_BOUNDARY.split(part) if piece)
    return tokens


def is_secret_name(name: object) -> bool:
    """True when an env-var (or ConfigMap key) name looks like it holds a secret.

    Whole tokens are compared, so ``AUTHOR`` and ``TOKENIZER_MODEL`` are not secret-looking while ``DB_PASSWORD``,
    ``apiKey`` and ``DATABASE_URL`` are.
    """
    if not isinstance(name, str) or not name:
        return False
    tokens = _name_tokens(name)
    if any(token in _SECRET_TOKENS for token in tokens):
        return True
    return any(pair in _SECRET_PAIRS for pair in itertools.pairwise(tokens))


# --- value patterns (docs/agent-scanner.md#redaction) -----------------------------------------------------------

# Start-of-token guard used instead of ``\b``: besides word characters, a token must not follow one of our own
# markers. Otherwise a replacement could create a word boundary ("…EXAMPLE" + "AKIA…" → "<redacted:token>AKIA…")
# and a second pass would change the text again, breaking idempotence.
_START = (r"(?<!\w)(?<!<redacted>)(?<!<redacted:token>)(?<!<redacted:jwt>)(?<!<redacted:private-key>)")

# 1: a PEM private-key block up to its END line, or to the end of the text when the END line is missing.
_PEM = re.compile(
    r"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----.*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----|\Z)",
    re.IGNORECASE | re.DOTALL,
)
# 2: the password part of user info in a URL.
_URL_PASSWORD = re.compile(_START + r"([a-z][a-z0-9+.\-]{0,30}://[^\s:/@]{1,256}:)[^\s/@]{1,1024}@", re.IGNORECASE)
# 3: header values (to the end of the line) and bearer tokens.
_AUTH_HEADER = re.compile(_START + r"((?:proxy-)?authorization)[ \t]*:[ \t]*[^\r\n]*[^\s]", re.IGNORECASE)
_BEARER = re.compile(_START + r"(bearer)[ \t]+[A-Za-z0-9\-._~+/]{8,}=*", re.IGNORECASE)
# 4: KEY=VALUE, KEY: VALUE, "KEY": "VALUE". Keys are found first (one whole word run: the look-behinds stop a
# match from starting inside a run) and tested for a keyword in Python, which keeps the patterns linear. The value
# is matched separately, so an assignment with a harmless key never swallows a secret assignment after it.
_ASSIGNMENT_KEY = re.compile(_START + r"(?<![.\-])([\"']?)([A-Za-z0-9_.\-]{1,128})\1[ \t]*[:=][ \t]*[\"']?")
_ASSIGNMENT_VALUE = re.compile(r"[^\s\"',;&]+")
_ASSIGNMENT_KEYWORDS = (
    "password", "passwd", "pwd", "secret", "token", "api_key", "apikey", "api-key", "access_key",
    "private_key", "client_secret", "credential",
)
# 5: a JWT (three base64url segments, the first starting with the encoding of '{"').
_JWT = re.compile(_START + r"eyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}", re.IGNORECASE)
# 6: vendor tokens (case-sensitive by definition of their formats).
_VENDOR_TOKENS = re.compile(
    _START + r"(?:"
    r"(?:AKIA|ASIA)[A-Z0-9]{16}"
    r"|gh[pousr]_[A-Za-z0-9]{36,}"
    r"|github_pat_[A-Za-z0-9_]{20,}"
    r"|xox[abposr]-[A-Za-z0-9\-]{10,}"
    r"|AIza[0-9A-Za-z_\-]{35}"
    r"|sk-[A-Za-z0-9_\-]{20,}"
    r")"
)
# A known secret shorter than this is not searched for: replacing a 3-letter word everywhere helps nobody.
_MIN_KNOWN_SECRET = 8


def _cut(text: str) -> str:
    encoded = text.encode("utf-8", "replace")
    if len(encoded) <= MAX_TEXT_BYTES:
        return text
    return encoded[:MAX_TEXT_BYTES].decode("utf-8", "ignore")


def _redact_assignments(text: str) -> str:
    parts: list[str] = []
    copied = 0
    position = 0
    while (key := _ASSIGNMENT_KEY.search(text, position)) is not None:
        position = key.end()
        if not any(word in key.group(2).lower() for word in _ASSIGNMENT_KEYWORDS):
            continue
        value = _ASSIGNMENT_VALUE.match(text, key.end())
        if value is None or value.group(0).startswith("<redacted"):
            continue
        parts += [text[copied:value.start()], REDACTED]
        copied = position = value.end()
    parts.append(text[copied:])
    return "".join(parts)


def redact_text(text: object, secrets: Iterable[str] = ()) -> str:
    """Apply the value patterns of docs/agent-scanner.md#redaction to ``text``.

    ``secrets`` are the component's own secret values (its ``SERVICE_TOKEN``; the backend also passes its other
    secrets), replaced wherever they appear. A non-string input gives ``""``.
    """
    if not isinstance(text, str):
        return ""
    try:
        out = _cut(text)
        # Known values first: a pattern that redacted part of one would leave the rest unrecognisable.
        for secret in secrets:
            if isinstance(secret, str) and len(secret) >= _MIN_KNOWN_SECRET:
                out = out.replace(secret, REDACTED_TOKEN)
        out = _PEM.sub(REDACTED_PRIVATE_KEY, out)
        out = _URL_PASSWORD.sub(lambda m: f"{m.group(1)}{REDACTED}@", out)
        out = _AUTH_HEADER.sub(lambda m: f"{m.group(1)}: {REDACTED}", out)
        out = _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", out)
        out = _redact_assignments(out)
        out = _JWT.sub(REDACTED_JWT, out)
        out = _VENDOR_TOKENS.sub(REDACTED_TOKEN, out)
        return out
    except Exception:
        # Never raise, never leak: if something unexpected happens the text is withheld entirely.
        return REDACTED


def looks_like_secret_value(text: object) -> bool:
    """True when a value pattern would redact something in ``text`` (the scanner's ConfigMap value check)."""
    return isinstance(text, str) and redact_text(text) != _cut(text)


# --- manifests ------------------------------------------------------------------------------------------------

_CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")


def redact_env(env: object, secrets: Iterable[str] = ()) -> object:
    """Redact a container ``env`` list: secret-looking names lose their value, other values go through the
    patterns, ``valueFrom`` references are kept."""
    if not isinstance(env, list):
        return env
    secrets = tuple(secrets)
    out: list[object] = []
    for entry in env:
        if isinstance(entry, dict) and "value" in entry:
            entry = dict(entry)
            if is_secret_name(entry.get("name")):
                entry["value"] = REDACTED
            elif isinstance(entry["value"], str):
                entry["value"] = redact_text(entry["value"], secrets)
        out.append(entry)
    return out


def _redact_string_list(values: object, secrets: tuple[str, ...]) -> object:
    if not isinstance(values, list):
        return values
    return [redact_text(v, secrets) if isinstance(v, str) else v for v in values]


def _redact_pod_spec(spec: object, secrets: tuple[str, ...]) -> None:
    if not isinstance(spec, dict):
        return
    for list_name in _CONTAINER_LISTS:
        containers = spec.get(list_name)
        if not isinstance(containers, list):
            continue
        for container in containers:
            if not isinstance(container, dict):
                continue
            if "env" in container:
                container["env"] = redact_env(container["env"], secrets)
            for field in ("command", "args"):
                if field in container:
                    container[field] = _redact_string_list(container[field], secrets)


def _redact_annotations(metadata: object, secrets: tuple[str, ...]) -> None:
    if not isinstance(metadata, dict):
        return
    annotations = metadata.get("annotations")
    if isinstance(annotations, dict):
        metadata["annotations"] = {
            key: redact_text(value, secrets) if isinstance(value, str) else value
            for key, value in annotations.items()
        }


def _redact_data_map(data: object, secrets: tuple[str, ...], *, all_values: bool) -> object:
    if not isinstance(data, dict):
        return data
    out: dict[object, object] = {}
    for key, value in data.items():
        if all_values or is_secret_name(key):
            out[key] = REDACTED
        elif isinstance(value, str):
            out[key] = redact_text(value, secrets)
        else:
            out[key] = value
    return out


def redact_manifest(manifest: object, secrets: Iterable[str] = ()) -> Any:
    """Return a redacted deep copy of a Kubernetes object (Pod, workload, CronJob, ConfigMap, Secret, ...).

    Pod specs are found at ``spec``, ``spec.template.spec`` and ``spec.jobTemplate.spec.template.spec``. ConfigMap
    values are redacted (by key name, then by pattern) and every Secret value is replaced, in case a caller ever
    hands one over. Anything that is not a mapping is returned unchanged (as a copy).
    """
    try:
        obj = copy.deepcopy(manifest)
    except Exception:
        return None
    if not isinstance(obj, dict):
        return obj
    secrets = tuple(secrets)
    try:
        _redact_annotations(obj.get("metadata"), secrets)
        _redact_pod_spec(obj.get("spec"), secrets)  # a Pod's (any kind's spec is treated as one: defensive)
        for template in (dig(obj, *path) for path in POD_TEMPLATE_PATHS):
            if isinstance(template, dict):
                _redact_pod_spec(template.get("spec"), secrets)
                _redact_annotations(template.get("metadata"), secrets)
        kind = obj.get("kind")
        if kind == "ConfigMap":
            for field in ("data", "binaryData"):
                if field in obj:
                    obj[field] = _redact_data_map(obj[field], secrets, all_values=False)
        elif kind == "Secret":
            for field in ("data", "stringData"):
                if field in obj:
                    obj[field] = _redact_data_map(obj[field], secrets, all_values=True)
    except Exception:
        return {key: obj[key] for key in ("apiVersion", "kind") if key in obj}
    return obj


def redact_mapping_values(values: Mapping[str, object], secrets: Iterable[str] = ()) -> dict[str, object]:
    """Redact a flat name→value mapping (for example an environment): by name first, then by pattern."""
    secrets = tuple(secrets)
    return {
        key: REDACTED if is_secret_name(key) else (redact_text(v, secrets) if isinstance(v, str) else v)
        for key, v in values.items()
    }
