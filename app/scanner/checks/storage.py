"""ConfigMaps, CronJobs, PersistentVolumes (docs/catalogue.md#configmaps-cronjobs-and-persistentvolumes). ConfigMap
values are read here and never sent."""

from __future__ import annotations

import re

from app.kube.bodies import as_configmap, as_cronjob, as_persistent_volume
from app.kube.redaction import (
    REDACTED,
    REDACTED_JWT,
    REDACTED_PRIVATE_KEY,
    REDACTED_TOKEN,
    is_secret_name,
    redact_text,
)

from .base import Context, FindingDraft, KubeObject, check, draft, kind_name, sensitive_host_path

CONFIGMAP = frozenset({"ConfigMap"})
_PLACEHOLDER = re.compile(r"^\$\{[^}]*\}$")
_HARMLESS_WORDS = frozenset({"true", "false", "yes", "no", "on", "off"})
_URL_PASSWORD = re.compile(r"://[^\s:/@]+:" + re.escape(REDACTED) + "@")
_AUTH = re.compile(r"(?:authorization|bearer)\s*:?\s*" + re.escape(REDACTED), re.IGNORECASE)


def _harmless(value: object) -> bool:
    text = str(value if value is not None else "").strip()
    return not text or text.lower() in _HARMLESS_WORDS or text.isdigit() or bool(_PLACEHOLDER.match(text))


def value_patterns(value: str) -> list[str]:
    """Names of the value patterns that ``value`` matches (docs/agent-scanner.md#redaction; the component's own token
    is not one of them here), read off the shared redaction."""
    redacted = redact_text(value)
    if redacted == value:
        return []
    found = []

    def grew(marker: str) -> int:
        return redacted.count(marker) - value.count(marker)

    if grew(REDACTED_PRIVATE_KEY) > 0:
        found.append("private key")
    url = len(_URL_PASSWORD.findall(redacted)) - len(_URL_PASSWORD.findall(value))
    if url > 0:
        found.append("URL password")
    auth = len(_AUTH.findall(redacted)) - len(_AUTH.findall(value))
    if auth > 0:
        found.append("authorization header")
    if grew(REDACTED) - url - auth > 0:
        found.append("password/token assignment")
    if grew(REDACTED_JWT) > 0:
        found.append("JWT")
    if grew(REDACTED_TOKEN) > 0:
        found.append("vendor token")
    return found


@check("configmap_secret_like_keys", CONFIGMAP)
def configmap_secret_like_keys(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    configmap = as_configmap(obj)
    keys = [k for k, v in (configmap.get("data") or {}).items() if is_secret_name(k) and not _harmless(v)]
    keys += [k for k, v in (configmap.get("binaryData") or {}).items() if is_secret_name(k) and not _harmless(v)]
    if not keys:
        return None
    return draft(
        "configmap_secret_like_keys",
        "medium",
        f"ConfigMap '{kind_name(obj)[1]}' has keys that look like secrets: {', '.join(keys)}",
        "Move these values into a Secret",
        keys=keys,
    )


@check("configmap_secret_like_values", CONFIGMAP)
def configmap_secret_like_values(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    keys: list[str] = []
    patterns: list[str] = []
    for key, value in (as_configmap(obj).get("data") or {}).items():
        if not isinstance(value, str):
            continue
        hits = value_patterns(value)
        if hits:
            keys.append(str(key))
            patterns.extend(h for h in hits if h not in patterns)
    if not keys:
        return None
    return draft(
        "configmap_secret_like_values",
        "high",
        f"ConfigMap '{kind_name(obj)[1]}' holds credential material in {', '.join(keys)} ({', '.join(patterns)})",
        "Move the values into a Secret and rotate the exposed credentials",
        keys=keys,
        patterns=patterns,
    )


@check("cronjob_history_limit", frozenset({"CronJob"}))
def cronjob_history_limit(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    spec = as_cronjob(obj).get("spec") or {}
    succeeded = int(spec.get("successfulJobsHistoryLimit") or 0)
    failed = int(spec.get("failedJobsHistoryLimit") or 0)
    if succeeded <= 10 and failed <= 10:
        return None
    return draft(
        "cronjob_history_limit",
        "low",
        f"CronJob '{kind_name(obj)[1]}' keeps {max(succeeded, failed)} finished Jobs",
        "Keep at most 10 finished Jobs (the defaults are 3 successful and 1 failed)",
        successful_jobs_history_limit=succeeded,
        failed_jobs_history_limit=failed,
    )


@check("persistent_volume_host_path", frozenset({"PersistentVolume"}))
def persistent_volume_host_path(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    host_path = (as_persistent_volume(obj).get("spec") or {}).get("hostPath")
    if host_path is None:
        return None
    path = str(host_path.get("path") or "")
    return draft(
        "persistent_volume_host_path",
        "critical" if sensitive_host_path(path) else "high",
        f"PersistentVolume '{kind_name(obj)[1]}' exposes host path '{path}'",
        "Use a CSI or local volume type; never expose host system paths",
        paths=[path],
        field="spec.hostPath.path",
    )


CHECKS = [configmap_secret_like_keys, configmap_secret_like_values, cronjob_history_limit, persistent_volume_host_path]
