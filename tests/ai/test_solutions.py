"""AI solutions: fingerprint, 1-hour cache, bypass, shared in-flight calls, scheduler, redaction."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.ai.llm import LlmClient, LlmConfig, LlmError
from app.ai.solutions import (
    SolutionCache,
    SolutionScheduler,
    SolutionService,
    fingerprint,
    normalise_message,
)
from tests.fakes.openai_server import FakeOpenAI, Reply

pytestmark = pytest.mark.unit

PLANTED = "Pl4nted-S3cret-Value-77"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def report(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "pod_name": "checkout-7d9f8b6c4-abc12",
        "namespace": "shop",
        "failure_reason": "CrashLoopBackOff",
        "failure_message": "Back-off restarting failed container 'app' (restarts: 4); last termination: Error "
                           "(exit code 1) at 2024-01-15T10:35:00Z",
        "container_statuses": [{"name": "app", "image": "ghcr.io/acme/checkout:1.4.2", "exit_code": 1}],
        "events": [],
        "manifest": "",
        "logs": "",
    }
    base.update(overrides)
    return base


def config(fake: FakeOpenAI) -> LlmConfig:
    return LlmConfig("openai_compatible", "sk-key-0123456789", "m", fake.base_url)


def test_normalise_message() -> None:
    assert normalise_message("  Back-off  42s\n\tRESTARTING pod-7d9f8b6c4 (restarts: 12) ") == \
        "back-off #s restarting pod-#d#f#b#c# (restarts: #)"


def test_fingerprint_ignores_counts_and_times_but_not_reason_or_image() -> None:
    a = fingerprint(report())
    assert a == fingerprint(report(failure_message=report()["failure_message"].replace("4", "9")))
    assert a != fingerprint(report(failure_reason="OOMKilled"))
    assert a != fingerprint(report(container_statuses=[{"name": "app", "image": "ghcr.io/acme/checkout:1.4.3"}]))
    assert fingerprint({"failure_reason": "Pending"}) == ("Pending", "", "", "")


def test_fingerprint_follows_what_the_cluster_impact_says_not_its_counts() -> None:
    def impact(state: str, ready: int) -> dict[str, Any]:
        return {"state": state, "controller": {"kind": "Deployment", "name": "checkout", "desired": 3, "ready": ready},
                "services": [{"name": "checkout", "state": state, "ready_endpoints": ready, "endpoints": 3}]}

    plain = fingerprint(report())
    down = fingerprint(report(graph_impact=impact("down", 0)))
    assert down != plain and down[3] == "Deployment/checkout:down;checkout:down"
    assert fingerprint(report(graph_impact=impact("degraded", 1))) == fingerprint(
        report(graph_impact=impact("degraded", 2))
    )  # one crash storm of one workload keeps sharing one answer
    assert fingerprint(report(graph_impact=impact("degraded", 1))) != down


def test_cache_expires_after_one_hour() -> None:
    clock = Clock()
    cache = SolutionCache(clock=clock)
    key = ("r", "i", "m")
    cache.put(key, "answer")
    clock.now += 3599
    assert cache.get(key) == "answer"
    clock.now += 1
    assert cache.get(key) is None
    assert len(cache) == 0


def test_cache_is_bounded() -> None:
    cache = SolutionCache(max_entries=2)
    for i in range(3):
        cache.put((str(i), "", ""), str(i))
    assert cache.get(("0", "", "")) is None
    assert cache.get(("2", "", "")) == "2"


async def test_identical_failures_share_a_cached_answer(fake_llm: FakeOpenAI) -> None:
    clock = Clock()
    service = SolutionService(LlmClient(), SolutionCache(clock=clock))
    fake_llm.push(Reply.text("## Root Cause\nfirst"), Reply.text("## Root Cause\nsecond"))
    first = await service.generate_solution(report(), config(fake_llm))
    again = await service.generate_solution(report(failure_message=report()["failure_message"] + " "),
                                            config(fake_llm))
    assert first == again == "## Root Cause\nfirst"
    assert len(fake_llm.chat_requests) == 1
    clock.now += 3600
    assert await service.generate_solution(report(), config(fake_llm)) == "## Root Cause\nsecond"
    assert len(fake_llm.chat_requests) == 2


async def test_different_failures_miss_the_cache(fake_llm: FakeOpenAI) -> None:
    service = SolutionService(LlmClient())
    await service.generate_solution(report(), config(fake_llm))
    await service.generate_solution(report(failure_reason="OOMKilled"), config(fake_llm))
    assert len(fake_llm.chat_requests) == 2


async def test_bypass_cache_makes_a_fresh_call_and_refreshes_the_cache(fake_llm: FakeOpenAI) -> None:
    service = SolutionService(LlmClient())
    fake_llm.push(Reply.text("old"), Reply.text("new"))
    assert await service.generate_solution(report(), config(fake_llm)) == "old"
    assert await service.generate_solution(report(), config(fake_llm), bypass_cache=True) == "new"
    assert await service.generate_solution(report(), config(fake_llm)) == "new"
    assert len(fake_llm.chat_requests) == 2


async def test_concurrent_identical_failures_make_one_call(fake_llm: FakeOpenAI) -> None:
    fake_llm.default = Reply.text("shared", delay=0.1)
    service = SolutionService(LlmClient())
    answers = await asyncio.gather(*(service.generate_solution(report(), config(fake_llm)) for _ in range(5)))
    assert answers == ["shared"] * 5
    assert len(fake_llm.chat_requests) == 1


async def test_failures_are_not_cached_and_raise(fake_llm: FakeOpenAI) -> None:
    fake_llm.push(Reply.error(401), Reply.text("recovered"))
    service = SolutionService(LlmClient())
    with pytest.raises(LlmError):
        await service.generate_solution(report(), config(fake_llm))
    assert len(service.cache) == 0
    assert await service.generate_solution(report(), config(fake_llm)) == "recovered"


async def test_answer_wrapped_in_a_fence_is_unwrapped(fake_llm: FakeOpenAI) -> None:
    fake_llm.push(Reply.text("```markdown\n## Root Cause\nx\n```"))
    assert await SolutionService(LlmClient()).generate_solution(report(), config(fake_llm)) == "## Root Cause\nx"


async def test_planted_secrets_never_reach_the_llm(fake_llm: FakeOpenAI) -> None:
    service_token = "kure-service-token-abcdef012345"
    manifest = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: checkout\n  annotations:\n    note: token=" + PLANTED + "\n"
        "spec:\n  containers:\n  - name: app\n    image: ghcr.io/acme/checkout:1.4.2\n"
        "    command: [sh, -c, 'run --password=" + PLANTED + "']\n"
        "    env:\n    - name: DB_PASSWORD\n      value: " + PLANTED + "\n"
        "    - name: DATABASE_URL\n      value: postgres://app:" + PLANTED + "@db/shop\n"
        "    - name: MODE\n      value: production\n"
    )
    planted_report = report(
        failure_message=f"connect failed: postgres://app:{PLANTED}@db:5432/shop",
        events=[{"type": "Warning", "reason": "BackOff", "message": f"Authorization: Bearer {PLANTED}"}],
        container_statuses=[{"name": "app", "image": "ghcr.io/acme/checkout:1.4.2",
                             "message": f"api_key={PLANTED}", "exit_code": 1}],
        manifest=manifest,
        logs=f"starting\nusing secret={PLANTED}\nAKIAIOSFODNN7EXAMPLE\nheader {service_token}\nboom\n",
    )
    service = SolutionService(LlmClient(), secrets=[service_token])
    await service.generate_solution(planted_report, config(fake_llm))
    sent = fake_llm.chat_requests[0]
    assert PLANTED not in sent.raw
    assert service_token not in sent.raw
    assert "AKIAIOSFODNN7EXAMPLE" not in sent.raw
    # The evidence itself did go out: the diagnosis needs it.
    assert "MODE" in sent.prompt_text and "production" in sent.prompt_text
    assert "boom" in sent.prompt_text and "CrashLoopBackOff" in sent.prompt_text


async def test_scheduler_stores_the_answer_after_ingest(fake_llm: FakeOpenAI) -> None:
    fake_llm.default = Reply.text("## Root Cause\nai", delay=0.05)
    stored: list[tuple[int, str, str]] = []

    async def on_solution(record_id: int, solution: str, reason: str) -> None:
        stored.append((record_id, solution, reason))

    scheduler = SolutionScheduler(SolutionService(LlmClient()), on_solution)
    assert scheduler.schedule(7, report(), config(fake_llm)) is True
    assert stored == []  # scheduling returns at once; the answer arrives later
    await scheduler.drain()
    assert stored == [(7, "## Root Cause\nai", "CrashLoopBackOff")]


async def test_scheduler_does_nothing_without_llm_or_on_failure(fake_llm: FakeOpenAI) -> None:
    stored: list[int] = []

    async def on_solution(record_id: int, solution: str, reason: str) -> None:
        stored.append(record_id)

    scheduler = SolutionScheduler(SolutionService(LlmClient(sleep=_no_sleep)), on_solution)
    assert scheduler.schedule(1, report(), None) is False
    fake_llm.push(Reply.error(500), Reply.error(500), Reply.error(500))
    scheduler.schedule(2, report(), config(fake_llm))
    await scheduler.drain()
    assert stored == []
    assert scheduler.pending == 0


async def test_scheduler_survives_a_failing_callback(fake_llm: FakeOpenAI) -> None:
    async def on_solution(record_id: int, solution: str, reason: str) -> None:
        raise RuntimeError("database down")

    scheduler = SolutionScheduler(SolutionService(LlmClient()), on_solution)
    scheduler.schedule(3, report(), config(fake_llm))
    await scheduler.drain()
    assert scheduler.pending == 0


async def test_scheduler_close_cancels_slow_generations(fake_llm: FakeOpenAI) -> None:
    fake_llm.default = Reply.text("slow", delay=10)
    stored: list[int] = []

    async def on_solution(record_id: int, solution: str, reason: str) -> None:
        stored.append(record_id)

    scheduler = SolutionScheduler(SolutionService(LlmClient()), on_solution)
    # Ingest is never held up by a slow provider: schedule() returns while the call is still in flight.
    assert scheduler.schedule(4, report(), config(fake_llm)) is True
    for _ in range(500):
        if fake_llm.in_flight:
            break
        await asyncio.sleep(0.01)
    assert fake_llm.in_flight == 1 and scheduler.pending == 1 and stored == []
    await scheduler.aclose()
    assert stored == [] and scheduler.pending == 0


async def _no_sleep(delay: float) -> None:
    return None
