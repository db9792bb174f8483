"""Evaluation of one object against the catalogue, finding bodies and digests (docs/agent-scanner.md#findings,
docs/agent-scanner.md#incremental-rescans, docs/agent-scanner.md#check-interface).

Everything here is pure; the scanner runtime (``main.py``) owns caches, posted state and HTTP.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.kube.manifests import SCANNER_DROPPED_METADATA, manifest_yaml, strip_object

from .checks import CATALOGUE, Check, Context, FindingDraft
from .checks.base import KubeObject
from .scope import finding_namespace

log = logging.getLogger("kure.scanner.engine")


@dataclass
class EvaluationErrors:
    """Checks that raised (a bug): counted per check name so the runtime can export them."""

    counts: dict[str, int]

    def __init__(self) -> None:
        self.counts = {}


def checks_for(kind: str, disabled: Iterable[str] = (), catalogue: Iterable[Check] = CATALOGUE) -> list[Check]:
    off = set(disabled)
    return [c for c in catalogue if kind in c.kinds and c.check_name not in off]


def evaluate_object(
    obj: KubeObject,
    ctx: Context,
    *,
    disabled: Iterable[str] = (),
    errors: EvaluationErrors | None = None,
    catalogue: Iterable[Check] = CATALOGUE,
) -> list[FindingDraft]:
    """Every applicable check's finding; a check that raises is logged, counted and skipped."""
    kind = str(obj.get("kind") or "")
    out: list[FindingDraft] = []
    for chk in checks_for(kind, disabled, catalogue):
        try:
            finding = chk.evaluate(obj, ctx)
        except Exception:
            meta = obj.get("metadata") or {}
            log.exception(
                "check %s failed on %s %s/%s", chk.check_name, kind, meta.get("namespace", ""), meta.get("name")
            )
            if errors is not None:
                errors.counts[chk.check_name] = errors.counts.get(chk.check_name, 0) + 1
            continue
        if finding is not None:
            out.append(finding)
    return out


def manifest_text(obj: KubeObject, max_bytes: int, secrets: Iterable[str] = ()) -> str:
    """docs/agent-scanner.md#findings: the object without status and server bookkeeping, ConfigMap values replaced,
    redacted, as YAML."""
    stripped = strip_object(obj, drop_metadata=SCANNER_DROPPED_METADATA, configmap_keys_only=True)
    return manifest_yaml(stripped, max_bytes=max_bytes, secrets=secrets)


def finding_body(obj: KubeObject, finding: FindingDraft, manifest: str) -> dict[str, Any]:
    """The body of ``POST /api/security/findings`` (docs/api.md#reporting-a-finding)."""
    return {
        "resource_type": str(obj.get("kind") or ""),
        "resource_name": str((obj.get("metadata") or {}).get("name") or ""),
        "namespace": finding_namespace(obj),
        "check_name": finding.check_name,
        "severity": finding.severity,
        "message": finding.message,
        "remediation": finding.remediation,
        "details": finding.details,
        "manifest": manifest,
    }


def digest(finding: FindingDraft) -> str:
    """docs/agent-scanner.md#incremental-rescans: what identifies the content of a posted finding."""
    canonical = json.dumps(
        [finding.check_name, finding.severity, finding.message, finding.remediation, finding.details],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def manifest_hash(manifest: str) -> str:
    return hashlib.sha256(manifest.encode()).hexdigest()


@dataclass(frozen=True)
class Plan:
    """The requests one resource needs after an evaluation (docs/agent-scanner.md#incremental-rescans)."""

    delete_checks: tuple[str, ...]
    post: tuple[FindingDraft, ...]


def plan(
    findings: Iterable[FindingDraft],
    posted: Mapping[str, str],
    manifest_changed: bool,
) -> Plan:
    """Diff the current findings ``S`` against the posted digests ``P`` (check_name → digest)."""
    current = {f.check_name: f for f in findings}
    missing = tuple(sorted(name for name in posted if name not in current))
    post = tuple(f for name, f in current.items() if manifest_changed or posted.get(name) != digest(f))
    return Plan(missing, post)
