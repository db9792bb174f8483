"""Pod failures: ingest with dedup, the status state machine, retention (docs/api.md#pod-failure-status,
docs/api.md#solutions, docs/api.md#pod-failures).

Round trips per report (the ingest benchmark checks them): a re-report of an open incident is one
``find_one_and_update``; a new incident is that miss, one look-up of the pod's recent records, one id allocation
and one insert — four in all. A delivery key (docs/api.md#delivery-keys) adds none: it rides in the same writes
and the same look-up; only a replay costs one more read, to answer like the original.
"""

from __future__ import annotations

import fnmatch
import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, Protocol

from app.ai.rules import rule_solution
from app.core.clock import Clock
from app.core.errors import ApiError
from app.core.locks import KeyedLocks
from app.core.metrics import POD_FAILURES
from app.schemas.pods import PodReport, present_full, present_summary
from app.ws.feed import Publisher
from storage.errors import DuplicateError
from storage.pods import OPEN_STATUSES, PodFailureRepository

log = logging.getLogger("kure.pods")

REQUIRED_DETAIL = "Pod name and namespace are required"
NOT_FOUND = "Pod failure not found"
RECOVERED_NOTE = "Pod recovered or deleted"

# docs/api.md#pod-failure-status: which transitions are allowed (same-status requests are no-ops and never reach this
# table).
ALLOWED: dict[str, set[str]] = {
    "new": {"investigating", "resolved", "ignored"},
    "investigating": {"new", "resolved", "ignored"},
    "resolved": {"new"},
    "ignored": {"new"},
}
EVIDENCE_FIELDS = (
    "node_name", "failure_reason", "failure_message", "creation_timestamp", "events", "container_statuses",
    "manifest", "logs", "phase", "owner_kind", "owner_name", "labels",
)
RECENT_RECORDS = 20


class ExclusionChecks(Protocol):
    """What ingest asks the exclusion lists (app/services/exclusions.py)."""

    async def namespace_excluded(self, namespace: str) -> bool: ...

    async def matching_pod_pattern(self, namespace: str, pod_name: str) -> str | None: ...


class Notifier(Protocol):
    def notify(self, event: str, data: dict[str, Any], severity: str | None = None) -> None: ...


class AiSolutions(Protocol):
    """The AI side of docs/api.md#solutions (app/services/ai.py)."""

    def schedule(self, record_id: int, report: dict[str, Any]) -> None:
        """Generate in the background and store + broadcast on success; never blocks."""

    async def regenerate(self, report: dict[str, Any]) -> tuple[str, str] | None:
        """A fresh solution (cache bypassed): (text, "ai"); None when no LLM is configured;
        raises ApiError(502) when the call fails."""


def blank(value: str | None) -> bool:
    return value is None or not value.strip()


def notification_data(doc: dict[str, Any]) -> dict[str, Any]:
    summary = present_summary(doc)
    keys = ("id", "namespace", "pod_name", "failure_reason", "failure_message", "node_name", "status", "last_seen")
    return {key: summary[key] for key in keys}


class GraphInsight(Protocol):
    """The graph's summaries of a pod (app/services/insight.py), wired when the app has a graph service."""

    async def summaries(self, namespace: str, pod_name: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """(access summary, impact summary); None for either when the graph cannot say. Never raises."""


class PodService:
    def __init__(
        self, repository: PodFailureRepository, exclusions: ExclusionChecks, feed: Publisher, notifier: Notifier,
        clock: Clock, *, ai: AiSolutions | None = None, insight: GraphInsight | None = None,
        secrets: Iterable[str] = (),
    ) -> None:
        self.repository = repository
        self.exclusions = exclusions
        self.feed = feed
        self.notifier = notifier
        self.clock = clock
        self.secrets = tuple(secrets)
        self.ai = ai
        self.insight = insight
        # Reports for one pod are merged one at a time in this process. Real MongoDB applies each merge
        # atomically anyway; FerretDB 1.x (SQLite) loses concurrent $inc's on one document without this. Across
        # replicas the unique open slot still guarantees one open record (docs/storage.md).
        self._pod_locks = KeyedLocks()

    # --- ingest (docs/api.md#reporting-a-failure, docs/api.md#deduplicating-pod-reports) ------------------------------

    def _evidence(self, report: PodReport) -> dict[str, Any]:
        """Stored form of every evidence field present in the report (absent fields keep stored values)."""
        dumped = report.model_dump()
        return {name: dumped[name] for name in EVIDENCE_FIELDS if name in report.model_fields_set}

    def _solution(self, evidence: dict[str, Any]) -> str:
        return rule_solution(evidence, self.secrets)

    async def ingest(self, report: PodReport, delivery_key: str | None = None) -> tuple[int, dict[str, Any]]:
        """Apply a report; with ``delivery_key``, at most once per key (docs/api.md#delivery-keys): a replay
        changes nothing, sends nothing and is answered 200 with the record's summary, like the original."""
        if blank(report.pod_name) or blank(report.namespace):
            raise ApiError(400, REQUIRED_DETAIL)
        namespace, pod_name = str(report.namespace), str(report.pod_name)
        if await self.exclusions.namespace_excluded(namespace):
            return 202, {"excluded": True, "detail": f"Namespace '{namespace}' is excluded"}
        pattern = await self.exclusions.matching_pod_pattern(namespace, pod_name)
        if pattern is not None:
            return 202, {"excluded": True,
                         "detail": f"Pod '{pod_name}' matches excluded pattern '{pattern}'"}

        async with self._pod_locks.hold(f"{namespace}/{pod_name}"):
            return await self._store(namespace, pod_name, report, delivery_key)

    async def _store(
        self, namespace: str, pod_name: str, report: PodReport, key: str | None
    ) -> tuple[int, dict[str, Any]]:
        evidence = self._evidence(report)
        reason_given = "failure_reason" in report.model_fields_set
        conflicted = False
        for _ in range(5):
            now = self.clock.now()
            # Steady state: the open incident with the same reason absorbs the report in one round trip.
            doc = await self.repository.update_open(
                namespace, pod_name, {**evidence, "last_seen": now},
                require_reason=report.failure_reason if reason_given else None, delivery_key=key,
            )
            if doc is not None:
                return 200, await self._accepted(doc, created=False)

            # Every write below is conditional on the key too, so a miss there also lands here on the next turn.
            recent = await self.repository.recent(namespace, pod_name, RECENT_RECORDS, delivery_key=key)
            replayed = next((r for r in recent if r.get("applied")), None)
            if replayed is not None:
                summary = await self._replay(replayed["_id"])
                if summary is not None:
                    return 200, summary
                continue  # the record was deleted meanwhile: the report is applied afresh
            open_record = next((r for r in recent if r["status"] in OPEN_STATUSES), None)
            if open_record is None and conflicted:
                # The open slot is taken by a record older than the recent window (or one just inserted).
                open_record = await self.repository.find_open(namespace, pod_name)
            selected = open_record or (recent[0] if recent else None)

            if selected is not None and selected["status"] in OPEN_STATUSES:
                merged = await self._merge_reason_change(selected["_id"], evidence, now, key)
                if merged is not None:
                    doc, ai_report = merged
                    return 200, await self._accepted(doc, created=False, ai_report=ai_report)
                continue  # its status changed meanwhile: select again
            if selected is not None and selected["status"] == "ignored":
                doc = await self.repository.update_by_id(
                    selected["_id"], {**evidence, "last_seen": now}, expect_status="ignored", inc=True,
                    delivery_key=key,
                )
                if doc is not None:
                    POD_FAILURES.labels(namespace, doc["failure_reason"]).inc()
                    return 200, present_summary(doc)  # quiet update: no broadcast, no notification
                continue
            try:
                doc = await self._insert(namespace, pod_name, report, now, key)
            except DuplicateError:
                conflicted = True
                continue  # a concurrent report opened the incident first: merge into it
            return 200, await self._accepted(doc, created=True, ai_report=present_full(doc))
        raise ApiError(503, "Database not available")  # persistent write conflicts: let the agent retry

    async def _replay(self, record_id: int) -> dict[str, Any] | None:
        """The answer to a delivery that was applied already: the record as it is now; nothing written, notified or
        counted. None when the record is gone.

        The record is broadcast again while it is open: the replica that applied the delivery may have died between
        its write and its message, and a dashboard applies ``pod_failure`` by id, so a repeat is harmless."""
        doc = await self.repository.get(record_id, summary=True)
        if doc is None:
            return None
        summary = present_summary(doc)
        if doc["status"] in OPEN_STATUSES:
            await self.feed.publish("pod_failure", summary)
        return summary

    async def _merge_reason_change(
        self, record_id: int, evidence: dict[str, Any], now: Any, key: str | None
    ) -> tuple[dict[str, Any], dict[str, Any] | None] | None:
        """Merge a report whose reason differs from the open record's: the rule solution is recomputed and an
        AI solution is due (its report is returned). None when the record is no longer open."""
        current = await self.repository.get(record_id)
        if current is None or current["status"] not in OPEN_STATUSES:
            return None
        changes: dict[str, Any] = {**evidence, "last_seen": now}
        ai_report: dict[str, Any] | None = None
        if evidence.get("failure_reason", current.get("failure_reason")) != current.get("failure_reason"):
            merged = {**current, **evidence}
            changes["solution"] = self._solution(merged)
            changes["solution_source"] = "rules"
            ai_report = present_full({**merged, **changes})
        doc = await self.repository.update_by_id(record_id, changes, expect_status=current["status"], inc=True,
                                                 delivery_key=key)
        return (doc, ai_report) if doc is not None else None

    async def _insert(
        self, namespace: str, pod_name: str, report: PodReport, now: Any, key: str | None
    ) -> dict[str, Any]:
        evidence = {name: value for name, value in report.model_dump().items() if name in EVIDENCE_FIELDS}
        doc = {
            "namespace": namespace,
            "pod_name": pod_name,
            **evidence,
            # The rules name the pod, namespace and container in their commands: give them the real names.
            "solution": self._solution({"namespace": namespace, "pod_name": pod_name, **evidence}),
            "solution_source": "rules",
            "status": "new",
            "occurrences": 1,
            "first_seen": now,
            "last_seen": now,
            "resolved_at": None,
            "ignored_at": None,
            "resolution_note": None,
        }
        return await self.repository.insert_open(doc, delivery_key=key)

    async def _accepted(
        self, doc: dict[str, Any], *, created: bool, ai_report: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Side effects of an accepted, non-quiet report; ``ai_report`` set means a new solution is due."""
        summary = present_summary(doc)
        POD_FAILURES.labels(summary["namespace"], summary["failure_reason"]).inc()
        await self.feed.publish("pod_failure", summary)
        if created:
            self.notifier.notify("pod_failure", notification_data(doc))
        if ai_report is not None and self.ai is not None:
            self.ai.schedule(doc["_id"], ai_report)
        return summary

    # --- reads ---------------------------------------------------------------------------------------------

    async def list_records(
        self, statuses: tuple[str, ...], namespace: str | None, reason: str | None, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        docs, total = await self.repository.find_page(statuses, namespace, reason, limit, offset)
        return [present_summary(doc) for doc in docs], total

    async def reason_counts(self, statuses: tuple[str, ...], namespace: str | None) -> list[dict[str, Any]]:
        """How many records of a list have each failure reason, most frequent first."""
        counts = await self.repository.reason_counts(statuses, namespace)
        return [{"reason": reason, "count": count} for reason, count in sorted(counts, key=lambda rc: (-rc[1], rc[0]))]

    async def get(self, record_id: int) -> dict[str, Any]:
        """The full record, with the graph's access and impact summaries of its pod (null without them)."""
        doc = await self.repository.get(record_id)
        if doc is None:
            raise ApiError(404, NOT_FOUND)
        access, impact = (None, None)
        if self.insight is not None:
            access, impact = await self.insight.summaries(doc["namespace"], doc["pod_name"])
        return {**present_full(doc), "access": access, "impact": impact}

    # --- status machine (docs/api.md#pod-failure-status) --------------------------------------------------------------

    async def change_status(self, record_id: int, target: str, note: str | None = None,
                            *, restore: bool = False) -> dict[str, Any]:
        for _ in range(5):
            record = await self.repository.get(record_id, summary=True)
            if record is None:
                raise ApiError(404, NOT_FOUND)
            current = record["status"]
            if restore and current != "ignored":
                raise ApiError(409, "Pod failure is not ignored")
            if current == target:
                return present_summary(record)
            if target not in ALLOWED[current]:
                raise ApiError(409, f"Cannot change status from '{current}' to '{target}'")
            now = self.clock.now()
            changes: dict[str, Any] = {"resolved_at": None, "ignored_at": None, "resolution_note": None}
            if target == "resolved":
                changes.update(resolved_at=now, resolution_note=note)
            elif target == "ignored":
                changes.update(ignored_at=now, resolution_note=note)
            try:
                updated = await self.repository.set_status(record, target, changes)
            except DuplicateError:
                holder = await self.repository.find_open(record["namespace"], record["pod_name"])
                holder_id = holder["_id"] if holder is not None else "?"
                raise ApiError(409, f"Pod already has an open incident (id {holder_id})") from None
            if updated is None:
                continue  # changed concurrently: evaluate the transition again
            await self.feed.publish("pod_status_change", {
                "id": updated["_id"], "namespace": updated["namespace"], "pod_name": updated["pod_name"],
                "status": target, "previous_status": current,
            })
            if target == "resolved":
                self.notifier.notify("pod_resolved", notification_data(updated))
            return present_summary(updated)
        raise ApiError(409, "Pod failure is being changed concurrently; try again")

    async def dismiss_deleted(
        self, namespace: str | None, pod_name: str | None, delivery_key: str | None = None
    ) -> int:
        """Resolve the pod's open record; the number resolved (0 or 1). With ``delivery_key``, at most once per key
        (docs/api.md#delivery-keys): a replay changes nothing — not even a record reopened since — and answers 1
        like the original."""
        if blank(namespace) or blank(pod_name):
            raise ApiError(400, REQUIRED_DETAIL)
        assert namespace is not None and pod_name is not None
        record = await self.repository.find_open(namespace, pod_name)
        updated = None
        if record is not None:
            changes = {"resolved_at": self.clock.now(), "ignored_at": None, "resolution_note": RECOVERED_NOTE}
            updated = await self.repository.set_status(record, "resolved", changes, delivery_key=delivery_key)
        if updated is None:
            # Nothing open, or nothing changed: a replay of a dismissal that was applied is answered as it was, and
            # its message sent again while the record is still resolved (the replica that applied it may have died
            # before sending it).
            replayed = None
            if delivery_key is not None:
                replayed = await self.repository.applied_to(namespace, pod_name, delivery_key)
            if replayed is None:
                return 0
            if replayed["status"] == "resolved":
                await self.feed.publish("pod_deleted", {"namespace": namespace, "pod_name": pod_name,
                                                        "ids": [replayed["_id"]], "reason": "recovered"})
            return 1
        await self.feed.publish("pod_deleted", {"namespace": namespace, "pod_name": pod_name, "ids": [updated["_id"]],
                                         "reason": "recovered"})
        self.notifier.notify("pod_resolved", notification_data(updated))
        return 1

    # --- solutions (docs/api.md#changing-a-failures-status) -----------------------------------------------------------

    async def retry_solution(self, record_id: int) -> dict[str, Any]:
        doc = await self.repository.get(record_id)
        if doc is None:
            raise ApiError(404, NOT_FOUND)
        fresh = await self.ai.regenerate(present_full(doc)) if self.ai is not None else None
        solution, source = fresh if fresh is not None else (self._solution(doc), "rules")
        updated = await self.repository.update_by_id(record_id, {"solution": solution, "solution_source": source})
        if updated is None:
            raise ApiError(404, NOT_FOUND)
        await self.feed.publish("solution_updated", {"id": record_id, "solution": solution, "solution_source": source})
        return present_summary(updated)

    # --- exclusions and retention --------------------------------------------------------------------------

    async def purge_open(self, namespace: str | None, pattern: str | None) -> list[tuple[str, str, list[int]]]:
        """Delete open records in ``namespace`` (all when None) whose pod name matches ``pattern`` (all when None)."""
        matched: dict[tuple[str, str], list[int]] = {}
        for record in await self.repository.open_records(namespace):
            if pattern is None or fnmatch.fnmatchcase(record["pod_name"], pattern):
                matched.setdefault((record["namespace"], record["pod_name"]), []).append(record["_id"])
        await self.repository.delete_ids([i for ids in matched.values() for i in ids])
        return [(ns, pod, ids) for (ns, pod), ids in sorted(matched.items())]

    async def apply_retention(self, history_minutes: int, ignored_minutes: int) -> int:
        """Hard-delete resolved/ignored records past their retention (docs/api.md#retention); open records are never
        touched."""
        now = self.clock.now()
        deleted = 0
        if history_minutes > 0:
            deleted += await self.repository.delete_closed_before(
                "resolved", "resolved_at", now - timedelta(minutes=history_minutes))
        if ignored_minutes > 0:
            deleted += await self.repository.delete_closed_before(
                "ignored", "ignored_at", now - timedelta(minutes=ignored_minutes))
        if deleted:
            log.info("Retention removed %d closed pod-failure records", deleted)
        return deleted


class SolutionWriter:
    """Stores a background AI answer on its record and broadcasts it: the callback the solution scheduler
    (app/ai/solutions.py) hands each answer to. Separate from :class:`PodService` so that the AI service, which the
    pod service calls, does not need the pod service back."""

    def __init__(self, repository: PodFailureRepository, feed: Publisher) -> None:
        self.repository = repository
        self.feed = feed

    async def store(self, record_id: int, solution: str, for_reason: str) -> None:
        """Store a background AI answer unless the record's reason changed meanwhile; broadcast on success."""
        doc = await self.repository.get(record_id, summary=True)
        if doc is None or doc.get("failure_reason") != for_reason:
            return
        await self.repository.update_by_id(record_id, {"solution": solution, "solution_source": "ai"})
        await self.feed.publish("solution_updated", {"id": record_id, "solution": solution, "solution_source": "ai"})
