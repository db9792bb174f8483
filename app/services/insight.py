"""Graph insight at the incident (docs/graph.md#access-and-impact-at-the-incident, docs/api.md#pod-access-and-impact):
the access and impact answers of a pod, and the short summaries an incident record and the AI prompt carry.

The facts come from Neo4j (graph/insight.py); app/services/pod_access.py and app/services/pod_impact.py turn them
into the answers; this service reads, bounds the time and maps graph outages to the API's errors.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from neo4j import AsyncDriver

from app.core.errors import ApiError, DependencyUnavailable
from app.services.pod_access import QUERY_GROUPS, QUERY_RESOURCES, access_answer
from app.services.pod_impact import impact_answer, implicit_groups, mirror_blast_radius
from graph import insight as facts_of
from graph.queries import GraphUnavailable

log = logging.getLogger("kure.insight")

JSON = dict[str, Any]

GRAPH_UNAVAILABLE = "Graph database not available"
#: After a summary found the graph unavailable or slow, summaries are left out for this long without asking.
SUMMARY_RETRY_SECONDS = 5.0

class InsightService:
    def __init__(
        self,
        driver: Callable[[], AsyncDriver | None],
        *,
        database: str | None = None,
        query_timeout: float = 10.0,
        summary_timeout: float = 2.0,
    ) -> None:
        self._driver = driver
        self._database = database
        self._timeout = query_timeout
        self._summary_timeout = summary_timeout
        # After the graph failed a summary, summaries are skipped for a moment: during an outage every incident
        # view would otherwise wait out the budget again.
        self._skip_until = 0.0

    async def _access_facts(self, namespace: str, pod_name: str, seconds: float) -> JSON | None:
        return await facts_of.access_facts(
            self._driver(), namespace, pod_name, groups=QUERY_GROUPS, resources=QUERY_RESOURCES,
            database=self._database, timeout_seconds=seconds,
        )  # fmt: skip

    async def _impact_facts(self, namespace: str, pod_name: str, seconds: float) -> JSON | None:
        return await facts_of.impact_facts(
            self._driver(), namespace, pod_name, implicit_groups=implicit_groups(namespace),
            database=self._database, timeout_seconds=seconds,
        )  # fmt: skip

    @staticmethod
    def _not_found(namespace: str, pod_name: str) -> ApiError:
        return ApiError(404, f"Pod '{pod_name}' not found in namespace '{namespace}'")

    async def access(self, namespace: str, pod_name: str) -> JSON:
        try:
            found = await self._access_facts(namespace, pod_name, self._timeout)
        except GraphUnavailable:
            raise DependencyUnavailable(GRAPH_UNAVAILABLE) from None
        if found is None:
            raise self._not_found(namespace, pod_name)
        return access_answer(found)

    async def impact(self, namespace: str, pod_name: str) -> JSON:
        try:
            found = await self._impact_facts(namespace, pod_name, self._timeout)
        except GraphUnavailable:
            raise DependencyUnavailable(GRAPH_UNAVAILABLE) from None
        if found is None:
            raise self._not_found(namespace, pod_name)
        return impact_answer(found)

    async def _within_budget(self, *calls: Awaitable[JSON | None]) -> list[JSON | None] | None:
        """Run fact reads under the summary budget; None when the graph is absent, failing or too slow."""
        if self._driver() is None or time.monotonic() < self._skip_until:
            for call in calls:
                if isinstance(call, Coroutine):
                    call.close()
            return None
        try:
            async with asyncio.timeout(self._summary_timeout + 0.5):
                return list(await asyncio.gather(*calls))
        except (GraphUnavailable, TimeoutError):
            self._skip_until = time.monotonic() + SUMMARY_RETRY_SECONDS
            return None
        except Exception:
            log.exception("Graph summaries failed")
            return None

    async def summaries(self, namespace: str, pod_name: str) -> tuple[JSON | None, JSON | None]:
        """(access summary, impact summary) for an incident record; (None, None) when the graph cannot answer
        within the summary budget or does not hold the pod. Never raises for an unavailable graph."""
        found = await self._within_budget(
            self._access_facts(namespace, pod_name, self._summary_timeout),
            self._impact_facts(namespace, pod_name, self._summary_timeout),
        )
        if found is None:
            return None, None
        access, impact = found
        return (
            None if access is None else access_answer(access)["summary"],
            None if impact is None else impact_answer(impact)["summary"],
        )

    async def mirror_blast_radius(self, namespace: str, pod_name: str, labels: dict[str, str]) -> JSON | None:
        """How a mirror of the pod with ``labels`` differs in blast radius (docs/mirror.md#what-a-mirror-changes), or
        None (no graph, pod not in it, slow or failing)."""
        found = await self._within_budget(facts_of.impact_facts(
            self._driver(), namespace, pod_name, implicit_groups=implicit_groups(namespace), selectors=True,
            database=self._database, timeout_seconds=self._summary_timeout,
        ))  # fmt: skip
        if not found or found[0] is None:
            return None
        return mirror_blast_radius(impact_answer(found[0]), found[0], labels)

    async def impact_summary(self, namespace: str, pod_name: str) -> JSON | None:
        """The impact summary for the AI prompt, or None (no graph, pod not in it, slow or failing)."""
        found = await self._within_budget(self._impact_facts(namespace, pod_name, self._summary_timeout))
        if not found or found[0] is None:
            return None
        return impact_answer(found[0])["summary"]
