"""Monitoring exclusions (docs/api.md#exclusions): enforced on ingest, published to agents and scanners.

Two parts, so that the services depend on each other in one direction only:

- :class:`ExclusionRules` answers "is this excluded?" for ingest (pod reports and security findings). Ingest
  consults it on every report, so the (small) lists are a :class:`~app.core.cache.CachedValue`.
- :class:`ExclusionService` changes the lists. Excluding a namespace or a pod pattern also removes what is already
  stored for it, so it is built *after* the pod and security services, with their purge operations handed in.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Awaitable, Callable
from typing import Any

from app.core.cache import CachedValue
from app.core.clock import Clock
from app.core.errors import ApiError
from app.core.timefmt import iso
from app.ws.feed import Publisher
from storage.exclusions import ExclusionRepository

# The security area's: delete a namespace's ACTIVE findings, return their ids (no broadcast).
FindingPurge = Callable[[str], Awaitable[list[int]]]
# The pods area's: delete open records in (namespace or all) whose pod name matches (glob or all)
# → [(namespace, pod_name, ids)], no broadcast.
OpenPodPurge = Callable[[str | None, str | None], Awaitable[list[tuple[str, str, list[int]]]]]


def present_namespace(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["_id"], "namespace": row["namespace"], "created_at": iso(row["created_at"])}


def present_pod(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["_id"], "pod_name": row["pod_name"], "namespace": row["namespace"],
            "created_at": iso(row["created_at"])}


class ExclusionRules:
    """The exclusion lists as ingest reads them: cached, and dropped whenever :class:`ExclusionService` changes
    them."""

    def __init__(self, repository: ExclusionRepository, clock: Clock) -> None:
        self.repository = repository
        self._lists: CachedValue[tuple[set[str], list[tuple[str, str | None]]]] = CachedValue(self._load, clock)

    async def _load(self) -> tuple[set[str], list[tuple[str, str | None]]]:
        namespaces = {row["namespace"] for row in await self.repository.namespaces()}
        patterns = [(row["pod_name"], row["namespace"]) for row in await self.repository.pod_patterns()]
        return namespaces, patterns

    def invalidate(self) -> None:
        self._lists.invalidate()

    def on_live_message(self, message_type: str) -> None:
        """Every replica reads the live feed in order: an exclusion changed on another replica drops this copy
        before this replica shows the change to its clients (else the copy is at most 2 s old)."""
        if message_type in ("namespace_exclusion", "pod_exclusion"):
            self.invalidate()

    async def namespace_excluded(self, namespace: str) -> bool:
        namespaces, _ = await self._lists.get()
        return namespace in namespaces

    async def matching_pod_pattern(self, namespace: str, pod_name: str) -> str | None:
        _, patterns = await self._lists.get()
        for pattern, scope in patterns:
            if (scope is None or scope == namespace) and fnmatch.fnmatchcase(pod_name, pattern):
                return pattern
        return None


class ExclusionService:
    def __init__(
        self,
        repository: ExclusionRepository,
        rules: ExclusionRules,
        feed: Publisher,
        clock: Clock,
        *,
        purge_open_pods: OpenPodPurge,
        purge_findings: FindingPurge,
    ) -> None:
        self.repository = repository
        self.rules = rules
        self.feed = feed
        self.clock = clock
        self._purge_open_pods = purge_open_pods
        self._purge_findings = purge_findings

    def invalidate(self) -> None:
        self.rules.invalidate()

    # --- namespaces ----------------------------------------------------------------------------------------

    async def list_namespaces(self) -> list[dict[str, Any]]:
        return [present_namespace(row) for row in await self.repository.namespaces()]

    async def exclude_namespace(self, namespace: str) -> tuple[dict[str, Any], bool]:
        row, created = await self.repository.add_namespace(namespace, self.clock.now())
        self.invalidate()
        if created:
            for ns, pod, ids in await self._purge_open_pods(namespace, None):
                await self.feed.publish("pod_deleted", {"namespace": ns, "pod_name": pod, "ids": ids,
                                                        "reason": "namespace_excluded"})
            finding_ids = await self._purge_findings(namespace)
            if finding_ids:
                await self.feed.publish("security_finding_deleted",
                                        {"ids": finding_ids, "reason": "namespace_excluded"})
            await self.feed.publish("namespace_exclusion", {"namespace": namespace, "action": "excluded"})
        return present_namespace(row), created

    async def include_namespace(self, namespace: str) -> None:
        if not await self.repository.remove_namespace(namespace):
            raise ApiError(404, f"Namespace '{namespace}' not found in exclusion list")
        self.invalidate()
        await self.feed.publish("namespace_exclusion", {"namespace": namespace, "action": "included"})

    # --- pod patterns --------------------------------------------------------------------------------------

    async def list_pod_patterns(self) -> list[dict[str, Any]]:
        return [present_pod(row) for row in await self.repository.pod_patterns()]

    async def exclude_pods(self, pod_name: str, namespace: str | None) -> tuple[dict[str, Any], bool]:
        row, created = await self.repository.add_pod_pattern(pod_name, namespace, self.clock.now())
        self.invalidate()
        if created:
            for ns, pod, ids in await self._purge_open_pods(namespace, pod_name):
                await self.feed.publish("pod_deleted", {"namespace": ns, "pod_name": pod, "ids": ids,
                                                        "reason": "pod_excluded"})
            await self.feed.publish("pod_exclusion",
                                    {"pod_name": pod_name, "namespace": namespace, "action": "excluded"})
        return present_pod(row), created

    async def include_pods(self, pod_name: str, namespace: str | None) -> None:
        if not await self.repository.remove_pod_pattern(pod_name, namespace):
            raise ApiError(404, f"Pod pattern '{pod_name}' not found in exclusion list")
        self.invalidate()
        await self.feed.publish("pod_exclusion", {"pod_name": pod_name, "namespace": namespace, "action": "included"})
