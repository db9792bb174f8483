"""AI solutions (docs/api.md#solutions, docs/api.md#changing-a-failures-status): cache by normalised fingerprint,
generation, background scheduling.

Storage and broadcasting belong to the caller: :class:`SolutionScheduler` hands a successful answer to a callback
(the pods service stores it with ``solution_source: "ai"`` and broadcasts ``solution_updated``); a failure leaves
the rule solution in place and calls nothing.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.ai.llm import LlmClient, LlmConfig, LlmError
from app.ai.prompts import build_solution_messages, impact_key
from app.ai.rules import rule_solution

__all__ = [
    "CACHE_TTL_SECONDS",
    "CacheKey",
    "SolutionCache",
    "SolutionScheduler",
    "SolutionService",
    "fingerprint",
    "normalise_message",
]

log = logging.getLogger(__name__)

CACHE_TTL_SECONDS = 3600.0
CACHE_MAX_ENTRIES = 2048
MAX_SOLUTION_CHARS = 20_000

CacheKey = tuple[str, str, str, str]

_WHITESPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"[0-9]+")
_WRAPPING_FENCE = re.compile(r"\A```[a-zA-Z]*\n(?P<body>.*)\n```\Z", re.DOTALL)


def normalise_message(message: str) -> str:
    """docs/api.md#solutions: lower-case, collapse whitespace (and trim), replace every run of digits with ``#``."""
    return _DIGITS.sub("#", _WHITESPACE.sub(" ", message.lower()).strip())


def fingerprint(report: Mapping[str, Any]) -> CacheKey:
    """Cache key: (``failure_reason``, image of the first container status or ``""``, normalised message, what the
    prompt's cluster impact depends on or ``""``)."""
    reason = report.get("failure_reason")
    statuses = report.get("container_statuses") or []
    image = ""
    if statuses and isinstance(statuses[0], Mapping) and isinstance(statuses[0].get("image"), str):
        image = statuses[0]["image"]
    message = report.get("failure_message")
    impact = report.get("graph_impact")
    return (
        reason if isinstance(reason, str) and reason else "Unknown",
        image,
        normalise_message(message if isinstance(message, str) else ""),
        impact_key(impact if isinstance(impact, Mapping) else None),
    )


class SolutionCache:
    """In-process TTL cache of AI answers. ``clock`` returns seconds (monotonic); injectable for tests.

    Bounded (least recently stored entries go first) so a flood of distinct failures cannot grow it without
    limit. Call :meth:`clear` when the LLM configuration changes, so answers of the previous model are not served.
    """

    def __init__(self, ttl: float = CACHE_TTL_SECONDS, clock: Callable[[], float] = time.monotonic,
                 max_entries: int = CACHE_MAX_ENTRIES) -> None:
        self.ttl = ttl
        self._clock = clock
        self._max = max_entries
        self._items: OrderedDict[CacheKey, tuple[float, str]] = OrderedDict()

    def get(self, key: CacheKey) -> str | None:
        item = self._items.get(key)
        if item is None:
            return None
        stored_at, value = item
        if self._clock() - stored_at >= self.ttl:
            del self._items[key]
            return None
        return value

    def put(self, key: CacheKey, value: str) -> None:
        self._items.pop(key, None)
        self._items[key] = (self._clock(), value)
        while len(self._items) > self._max:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


def _tidy(answer: str) -> str:
    text = answer.strip()
    wrapped = _WRAPPING_FENCE.match(text)
    if wrapped:
        text = wrapped.group("body").strip()
    if len(text) > MAX_SOLUTION_CHARS:
        text = text[:MAX_SOLUTION_CHARS].rstrip() + "\n\n[… answer truncated …]"
    return text


class SolutionService:
    """Generates AI solutions; shares one answer between identical failures (cache and in-flight calls)."""

    def __init__(self, llm: LlmClient, cache: SolutionCache | None = None, secrets: Iterable[str] = ()) -> None:
        self.llm = llm
        self.cache = cache if cache is not None else SolutionCache()
        # Values of the backend's own secrets (service token, ...): replaced wherever they appear in evidence.
        self.secrets = tuple(secrets)
        self._in_flight: dict[CacheKey, asyncio.Future[str]] = {}

    async def generate_solution(
        self, report: Mapping[str, Any], llm_config: LlmConfig, bypass_cache: bool = False
    ) -> str:
        """The AI Markdown solution for a report; raise :class:`LlmError` when the call fails.

        With ``bypass_cache`` (retry-solution) a fresh call is always made; its answer refreshes the cache.
        """
        key = fingerprint(report)
        if not bypass_cache:
            cached = self.cache.get(key)
            if cached is not None:
                return cached
            pending = self._in_flight.get(key)
            if pending is not None:
                return await asyncio.shield(pending)
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        if not bypass_cache:
            self._in_flight[key] = future
        try:
            messages = build_solution_messages(report, self.secrets, rule_hint=rule_solution(report, self.secrets))
            answer = _tidy(await self.llm.complete(llm_config, messages))
            if not answer:
                raise LlmError(llm_config.provider, "empty")
            self.cache.put(key, answer)
            future.set_result(answer)
            return answer
        except BaseException as exc:
            future.set_exception(exc if isinstance(exc, Exception) else LlmError(llm_config.provider, "cancelled"))
            # Waiters re-raise it; mark it retrieved so an unawaited future does not log "never retrieved".
            future.exception()
            raise
        finally:
            if self._in_flight.get(key) is future:
                del self._in_flight[key]


OnSolution = Callable[[int, str, str], Awaitable[None]]
ConfigProvider = Callable[[], Awaitable[LlmConfig | None]]


@dataclass
class _Job:
    record_id: int
    report: Mapping[str, Any]


class SolutionScheduler:
    """Runs AI generation in the background after ingest (the ingest response never waits).

    ``on_solution(record_id, solution, failure_reason)`` is awaited on success; ``failure_reason`` is the reason
    the answer was generated for, so the caller can skip storing it when the record's reason changed meanwhile.
    Failures are logged and dropped (the rule solution stays).
    """

    def __init__(self, service: SolutionService, on_solution: OnSolution) -> None:
        self.service = service
        self.on_solution = on_solution
        self._tasks: set[asyncio.Task[None]] = set()

    def schedule(self, record_id: int, report: Mapping[str, Any], llm_config: LlmConfig | None) -> bool:
        """Start generation for a stored record; ``False`` (nothing scheduled) when no LLM is configured."""
        if llm_config is None:
            return False
        snapshot = dict(report)
        task = asyncio.get_running_loop().create_task(self._run(record_id, snapshot, llm_config),
                                                      name=f"ai-solution-{record_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def _run(self, record_id: int, report: Mapping[str, Any], llm_config: LlmConfig) -> None:
        try:
            solution = await self.service.generate_solution(report, llm_config)
        except LlmError as exc:
            log.info("AI solution for pod failure %s not generated (%s); keeping the rule solution",
                     record_id, exc.kind)
            return
        except Exception:
            log.exception("AI solution for pod failure %s failed unexpectedly", record_id)
            return
        try:
            await self.on_solution(record_id, solution, str(report.get("failure_reason") or "Unknown"))
        except Exception:
            log.exception("Storing the AI solution for pod failure %s failed", record_id)

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def drain(self) -> None:
        """Wait until every scheduled generation has finished (tests, graceful shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def aclose(self) -> None:
        """Cancel pending generations (shutdown)."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)
        self._tasks.clear()
