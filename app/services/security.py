"""Security findings, the full-scan clearing window and trusted registries (docs/api.md#deduplicating-findings,
docs/api.md#security-findings).

Rules kept here:

- Ingest (docs/api.md#reporting-a-finding): excluded namespace → 202; ``untrusted_registry`` covered by a trusted
  registry → 202; otherwise the dedup of docs/api.md#deduplicating-findings. Only a newly inserted finding is
  broadcast and notified, so re-reports — including every re-report during a full scan — stay quiet.
- The clearing window (docs/api.md#the-full-scan-clearing-window) is mark-and-sweep: ``scan/clear`` records the
  moment T (in MongoDB, so a restart neither loses nor leaks a window); the sweep deletes the active findings whose
  ``last_seen`` is still before T.
  Whoever closes the window (completion, failure, timeout, restart) takes it atomically, so it is swept once.
- Collaborators owned by other areas (the exclusion rules, notifications, the LLM configuration) are handed in at
  construction (app/wiring/container.py); a missing one means "none configured".
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from app.ai.fixes import FixResult, security_fix
from app.ai.llm import LlmClient, LlmConfig
from app.core.clock import Clock
from app.core.errors import ApiError
from app.core.metrics import SCAN_DURATION, SECURITY_FINDINGS
from app.core.timefmt import iso
from app.schemas.security import FindingReport
from app.services.registries import UNTRUSTED_REGISTRY_CHECK, matching_registry, registry_keys
from app.ws.feed import Publisher
from storage.findings import FindingFilter, FindingRepository, ScanWindow
from storage.trusted_registries import TrustedRegistryRepository

log = logging.getLogger("kure.security")

FINDING_NOT_FOUND = "Security finding not found"
# The timeout sweep (a background job, app/wiring/jobs.py) is checked at least this often, so a window closes at
# most this late after its deadline.
MAX_SWEEP_CHECK_SECONDS = 30.0

class LlmConfigSource(Protocol):
    """What the fix route needs from the LLM configuration store (app/services/ai.py)."""

    async def config(self) -> LlmConfig | None: ...


class ExclusionSource(Protocol):
    async def namespace_excluded(self, namespace: str) -> bool: ...


class Notifier(Protocol):
    def notify(self, event: str, data: dict[str, Any], severity: str | None = None) -> None: ...


def public_finding(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A stored finding → the Finding shape of docs/api.md#finding (field order as in the contract)."""
    return {
        "id": doc["id"],
        "resource_type": doc["resource_type"],
        "resource_name": doc["resource_name"],
        "namespace": doc["namespace"],
        "check_name": doc["check_name"],
        "severity": doc["severity"],
        "message": doc["message"],
        "remediation": doc["remediation"],
        "details": doc["details"],
        "has_manifest": bool(doc.get("has_manifest")),
        "dismissed": bool(doc["dismissed"]),
        "dismissed_at": iso(doc.get("dismissed_at")),
        "first_seen": iso(doc["first_seen"]),
        "last_seen": iso(doc["last_seen"]),
    }


def public_registry(doc: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": doc["_id"], "registry": doc["registry"], "created_at": iso(doc["created_at"])}


@dataclass(frozen=True)
class ReportOutcome:
    """200 with ``body`` (a Finding) or 202 with ``body`` = ``{"excluded": true, "detail": ...}``."""

    status: int
    body: dict[str, Any]


class SecurityService:
    def __init__(
        self,
        findings: FindingRepository,
        registries: TrustedRegistryRepository,
        feed: Publisher,
        clock: Clock,
        *,
        sweep_seconds: int,
        exclusions: ExclusionSource | None = None,
        notifier: Notifier | None = None,
        llm_config: LlmConfigSource | None = None,
        llm: LlmClient | None = None,
        secrets: tuple[str, ...] = (),
    ) -> None:
        self.findings = findings
        self.registries = registries
        self.feed = feed
        self.clock = clock
        self.sweep_seconds = sweep_seconds
        self.exclusions = exclusions
        self.notifier = notifier
        self.llm_config = llm_config
        self.llm = llm
        self._secrets = secrets

    # --- ingest (docs/api.md#reporting-a-finding, docs/api.md#deduplicating-findings) ---------------------------------

    async def _namespace_excluded(self, namespace: str) -> bool:
        if not namespace or self.exclusions is None:
            return False
        return bool(await self.exclusions.namespace_excluded(namespace))

    async def _notify(self, finding: Mapping[str, Any]) -> None:
        if self.notifier is None:
            return
        data = {key: finding[key] for key in ("id", "severity", "resource_type", "namespace", "resource_name",
                                              "check_name", "message")}
        try:
            self.notifier.notify("security_finding", data, severity=finding["severity"])
        except Exception:
            # A notification problem must never fail the scanner's report (docs/api.md#notification-triggers).
            log.exception("Could not schedule the security_finding notification for finding %s", finding["id"])

    async def report(self, report: FindingReport) -> ReportOutcome:
        if await self._namespace_excluded(report.namespace):
            return ReportOutcome(202, {"excluded": True, "detail": f"Namespace '{report.namespace}' is excluded"})
        keys = registry_keys(report.check_name, report.details)
        if keys:
            trusted = matching_registry(report.details, await self.registries.present(keys))
            if trusted is not None:
                return ReportOutcome(202, {"excluded": True, "detail": f"Registry '{trusted}' is trusted"})
        key = {"resource_type": report.resource_type, "namespace": report.namespace,
               "resource_name": report.resource_name, "check_name": report.check_name}
        fields = {"severity": report.severity, "message": report.message, "remediation": report.remediation,
                  "details": report.details}
        manifest = report.manifest if report.manifest.strip() else ""
        doc, created = await self.findings.upsert(key, fields, manifest, keys, self.clock.now())
        SECURITY_FINDINGS.labels(report.severity).inc()
        finding = public_finding(doc)
        if created:
            await self.feed.publish("security_finding", finding)
            await self._notify(finding)
        return ReportOutcome(200, finding)

    # --- reads and dismissal (docs/api.md#listing-and-dismissing-findings) --------------------------------------------

    async def list_findings(
        self,
        *,
        severities: tuple[str, ...],
        namespace: str | None,
        check_name: str | None,
        resource_type: str | None,
        include_dismissed: bool,
        limit: int,
        offset: int,
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of findings, newest first, and the total that match (``namespace`` "" = cluster-scoped)."""
        selection = FindingFilter(severities, namespace, check_name, resource_type, include_dismissed)
        docs, total = await self.findings.page(selection, limit, offset)
        return [public_finding(doc) for doc in docs], total

    async def set_dismissed(self, finding_id: int, dismissed: bool) -> dict[str, Any]:
        doc = await self.findings.set_dismissed(finding_id, dismissed, self.clock.now())
        if doc is None:
            raise ApiError(404, FINDING_NOT_FOUND)
        return public_finding(doc)

    # --- fix (docs/api.md#fixing-a-finding) ---------------------------------------------------------------------------

    async def fix(self, finding_id: int) -> dict[str, Any]:
        doc = await self.findings.get(finding_id, with_manifest=True)
        if doc is None:
            raise ApiError(404, FINDING_NOT_FOUND)
        config = await self.llm_config.config() if self.llm_config is not None else None
        client = self.llm
        if config is None or client is None:
            result = FixResult("", str(doc.get("remediation") or ""), is_fallback=True,
                               fallback_reason="not_configured")
        else:
            result = await security_fix(client, config, doc, doc.get("manifest"), self._secrets)
        return {"finding_id": finding_id, **result.as_dict()}

    # --- deletions -----------------------------------------------------------------------------------------

    async def delete_resource(
        self, resource_type: str, namespace: str, resource_name: str, check_names: list[str] | None
    ) -> int:
        ids = await self.findings.delete_resource(resource_type, namespace, resource_name, check_names)
        if ids:
            await self.feed.publish("security_finding_deleted", {"ids": ids, "reason": "resource_deleted"})
        return len(ids)

    async def delete_active_in_namespace(self, namespace: str) -> list[int]:
        """For the namespace-exclusion route (docs/api.md#excluded-namespaces): delete, return the ids; the caller
        broadcasts."""
        return await self.findings.delete_active_in_namespace(namespace)

    # --- the clearing window (docs/api.md#the-full-scan-clearing-window, docs/api.md#scan-progress-and-requests) ------

    async def open_clearing_window(self) -> int:
        now = self.clock.now()
        await self.findings.open_window(now, now + timedelta(seconds=self.sweep_seconds))
        return await self.findings.count_active_before(now)

    async def _sweep(self, window: ScanWindow, cause: str) -> list[int]:
        ids = await self.findings.delete_active_before(window.opened_at)
        log.info("Clearing window opened at %s closed (%s): %d finding(s) swept", iso(window.opened_at), cause,
                 len(ids))
        if ids:
            await self.feed.publish("security_finding_deleted", {"ids": ids, "reason": "scan_clear"})
        return ids

    async def sweep_expired(self, now: datetime | None = None) -> list[int]:
        """Close and sweep the window if its deadline has passed (the periodic job; tests call it directly)."""
        window = await self.findings.take_window(expired_at=now or self.clock.now())
        return [] if window is None else await self._sweep(window, "timeout")

    async def rescan_status(self, status: str, reason: str | None) -> None:
        if status == "completed":
            window = await self.findings.take_window()
            if window is not None:
                await self._sweep(window, "scan completed")
        elif status == "failed":
            window = await self.findings.take_window()
            if window is not None:
                log.info("Clearing window opened at %s closed without sweeping (scan failed)",
                         iso(window.opened_at))
        await self.feed.publish("security_rescan_status", {"status": status, "reason": reason})

    async def request_rescan(self, username: str) -> None:
        await self.feed.publish("security_rescan_request", {"requested_by": username})

    @staticmethod
    def record_scan_duration(seconds: float) -> None:
        SCAN_DURATION.observe(seconds)

    # --- trusted registries (docs/api.md#trusted-registries) ----------------------------------------------------------

    async def list_registries(self) -> list[dict[str, Any]]:
        return [public_registry(doc) for doc in await self.registries.all()]

    async def add_registry(self, registry: str) -> tuple[dict[str, Any], bool]:
        """``registry`` is already normalised. Returns (row, created); only a creation has side effects."""
        doc, created = await self.registries.add(registry, self.clock.now())
        if created:
            ids = await self.findings.delete_active_matching_registry(UNTRUSTED_REGISTRY_CHECK, registry)
            if ids:
                await self.feed.publish("security_finding_deleted", {"ids": ids, "reason": "registry_trusted"})
            await self.feed.publish("trusted_registry_change", {"registry": registry, "action": "added"})
        return public_registry(doc), created

    async def remove_registry(self, raw: str) -> None:
        registry = raw.lower()
        doc = await self.registries.delete(registry)
        if doc is None:
            raise ApiError(404, f"Registry '{registry}' not found in trusted list")
        await self.feed.publish("trusted_registry_change", {"registry": doc["registry"], "action": "removed"})
