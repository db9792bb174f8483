"""Loading and replaying the agent's scenario fixtures (docs/agent-scanner.md#test-fixtures) on a fake clock."""

from __future__ import annotations

import copy
import heapq
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from app.agent.classify import Failing, NotYet, PodMemo, Timings, evaluate, fingerprint, is_mirror
from app.kube.bodies import Event, Pod, as_event, as_pod

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "agent"
T0 = datetime(2024, 1, 15, 10, 30, tzinfo=UTC).timestamp()


def scenario_names() -> list[str]:
    return sorted(p.name.removesuffix(".expect.yaml") for p in FIXTURES.glob("*.expect.yaml"))


def load(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    doc = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text())
    expect = yaml.safe_load((FIXTURES / f"{name}.expect.yaml").read_text())
    return doc, expect


@dataclass
class Report:
    at: float
    verdict: Failing
    fingerprint: str


@dataclass
class Replay:
    reports: list[Report] = field(default_factory=list)
    pod: Pod | None = None
    events: list[Event] = field(default_factory=list)


def apply_step(pod: dict[str, Any], events: list[dict[str, Any]], step: dict[str, Any]) -> None:
    if "status" in step:
        pod["status"] = copy.deepcopy(step["status"])
    if "metadata" in step:
        pod["metadata"].update(copy.deepcopy(step["metadata"]))
    events.extend(copy.deepcopy(step.get("events") or []))


def replay(doc: dict[str, Any], timings: Timings | None = None) -> Replay:
    """Evaluate at t=0, at every step and at every grace deadline, as the agent's timers would."""
    out = Replay()
    if doc.get("pod") is None:
        return out
    pod = copy.deepcopy(doc["pod"])
    events = copy.deepcopy(doc.get("events") or [])
    steps = sorted(doc.get("steps") or [], key=lambda s: s["at"])
    horizon = float(doc.get("horizon") or (max((s["at"] for s in steps), default=0) + 1000))
    memo = PodMemo(uid=pod["metadata"]["uid"])
    queue: list[tuple[float, int, dict[str, Any] | None]] = [(0.0, 0, None)]
    for i, step in enumerate(steps, start=1):
        queue.append((float(step["at"]), i, step))
    heapq.heapify(queue)
    seq = len(steps) + 1
    timers: set[float] = set()
    delivered: str | None = None
    while queue:
        at, _, step = heapq.heappop(queue)
        if at > horizon:
            break
        if step is not None:
            apply_step(pod, events, step)
        if is_mirror(pod):
            continue
        verdict = evaluate(memo, pod, events, T0 + at, timings)
        if isinstance(verdict, Failing):
            fp = fingerprint(pod, verdict)
            if fp != delivered:
                out.reports.append(Report(at, verdict, fp))
                delivered = fp
        elif isinstance(verdict, NotYet) and verdict.deadline is not None:
            rel = verdict.deadline - T0
            if rel not in timers:
                timers.add(rel)
                heapq.heappush(queue, (rel, seq, None))
                seq += 1
    out.pod, out.events = as_pod(pod), [as_event(e) for e in events]
    return out
