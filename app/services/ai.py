"""The AI side of the product, wired to storage: the LLM configuration (docs/api.md#llm-configuration) and the AI
solutions of docs/api.md#solutions (background on ingest, synchronous on retry). The LLM mechanics live in app/ai/."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from app.ai.llm import ConnectionTestResult, LlmClient, LlmConfig, LlmConfigError, LlmError, key_hint, validate_config
from app.ai.solutions import SolutionScheduler, SolutionService
from app.core.cache import CachedValue
from app.core.clock import Clock
from app.core.crypto import DecryptionError, SecretBox
from app.core.errors import ApiError
from app.core.logformat import register_secret
from app.core.tasks import TaskGroup
from app.schemas.llm import LlmBody
from storage.llm_config import LlmConfigRepository

log = logging.getLogger("kure.ai")

NOT_CONFIGURED = {"configured": False, "provider": None, "model": None, "base_url": None, "key_hint": None}

#: (namespace, pod name) → the graph's impact summary of the pod, or None (app/services/insight.py).
ImpactLookup = Callable[[str, str], Awaitable[dict[str, Any] | None]]


class AiService:
    def __init__(
        self, repository: LlmConfigRepository, box: SecretBox, clock: Clock, tasks: TaskGroup,
        llm: LlmClient, solutions: SolutionService, scheduler: SolutionScheduler | None = None,
        impact: ImpactLookup | None = None,
    ) -> None:
        self.repository = repository
        self.box = box
        self.clock = clock
        self.tasks = tasks
        self.llm = llm
        self.solutions = solutions
        self.scheduler = scheduler
        self.impact = impact
        # Read for every new incident: kept briefly, dropped on every change made here.
        self._stored: CachedValue[dict[str, Any] | None] = CachedValue(repository.get, clock)

    # --- configuration -------------------------------------------------------------------------------------

    async def config(self) -> LlmConfig | None:
        """The usable configuration, or None (not configured, or the key no longer decrypts)."""
        doc = await self._stored.get()
        if doc is None:
            return None
        try:
            api_key = self.box.decrypt(doc["key_ciphertext"]) if doc.get("key_ciphertext") else ""
            register_secret(api_key)
        except DecryptionError:
            log.warning("The stored LLM API key cannot be decrypted (ENCRYPTION_KEY changed); AI is off")
            return None
        return LlmConfig(provider=doc["provider"], api_key=api_key, model=doc.get("model"),
                         base_url=doc.get("base_url"))

    @staticmethod
    def describe(config: LlmConfig | None) -> dict[str, Any]:
        if config is None:
            return dict(NOT_CONFIGURED)
        return {"configured": True, "provider": config.provider, "model": config.effective_model,
                "base_url": config.effective_base_url, "key_hint": key_hint(config.api_key)}

    @staticmethod
    def checked_config(body: LlmBody) -> LlmConfig:
        """An LLM body checked against docs/api.md#llm-configuration; a broken rule answers 422 naming its field."""
        try:
            return validate_config(body.provider, body.api_key, body.model, body.base_url)
        except LlmConfigError as exc:
            raise ApiError(422, [{"loc": ["body", exc.field], "msg": exc.message, "type": "value_error"}]) from None

    async def status(self) -> dict[str, Any]:
        return self.describe(await self.config())

    async def configure(self, config: LlmConfig) -> dict[str, Any]:
        try:
            await self.repository.put({
                "provider": config.provider,
                "model": config.model,
                "base_url": config.base_url,
                "key_ciphertext": self.box.encrypt(config.api_key) if config.api_key else "",
                "updated_at": self.clock.now(),
            })
        finally:
            self._stored.invalidate()
        self.solutions.cache.clear()  # answers of the previous provider/model must not be served for an hour
        return self.describe(config)

    async def unconfigure(self) -> None:
        try:
            await self.repository.delete()
        finally:
            self._stored.invalidate()
        self.solutions.cache.clear()

    async def test_connection(self, config: LlmConfig) -> ConnectionTestResult:
        """One call to the provider with ``config`` (docs/api.md#llm-configuration); nothing is stored."""
        return await self.llm.test_connection(config)

    # --- solutions (the PodService AiSolutions hook) -------------------------------------------------------

    def schedule(self, record_id: int, report: dict[str, Any]) -> None:
        """Background generation after ingest; the ingest response never waits for it."""
        self.tasks.spawn(self._schedule(record_id, report), f"ai-config-{record_id}")

    async def _with_impact(self, report: dict[str, Any]) -> dict[str, Any]:
        """The report with the graph's impact summary of its pod (``graph_impact``), when the graph has one."""
        if self.impact is None or not report.get("namespace") or not report.get("pod_name"):
            return report
        impact = await self.impact(str(report["namespace"]), str(report["pod_name"]))
        return report if impact is None else {**report, "graph_impact": impact}

    async def _schedule(self, record_id: int, report: dict[str, Any]) -> None:
        config = await self.config()
        if config is not None and self.scheduler is not None:
            self.scheduler.schedule(record_id, await self._with_impact(report), config)

    async def regenerate(self, report: dict[str, Any]) -> tuple[str, str] | None:
        config = await self.config()
        if config is None:
            return None
        report = await self._with_impact(report)
        try:
            return await self.solutions.generate_solution(report, config, bypass_cache=True), "ai"
        except LlmError:
            raise ApiError(502, "AI provider request failed") from None
