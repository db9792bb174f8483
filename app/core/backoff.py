"""The one retry delay of the project: exponential backoff with jitter.

Every loop that retries something that failed — a Kubernetes watch, MongoDB at startup, Neo4j writes, the in-cluster
components' WebSocket — waits ``initial`` seconds, then twice as long each time up to ``maximum``, each delay spread
by ``jitter`` (a fraction: 0.2 means ±20 %) so replicas that failed together do not retry together; ``reset`` after
a success starts over. ``full_jitter`` draws the delay uniformly from ``0 .. delay`` instead (AWS's "full jitter":
many clients retrying one server spread out the most).
"""

from __future__ import annotations

import random


class Backoff:
    def __init__(
        self,
        initial: float,
        maximum: float,
        *,
        jitter: float = 0.2,
        full_jitter: bool = False,
        rng: random.Random | None = None,
    ) -> None:
        self.initial = initial
        self.maximum = maximum
        self.jitter = jitter
        self.full_jitter = full_jitter
        self._next = initial
        self._rng = rng or random.Random()

    def reset(self) -> None:
        self._next = self.initial

    def peek(self) -> float:
        """The base of the next delay (before jitter)."""
        return min(self._next, self.maximum)

    def next_delay(self) -> float:
        base = min(self._next, self.maximum)
        self._next = min(self._next * 2, self.maximum)
        if self.full_jitter:
            return self._rng.uniform(0, base)
        return base * self._rng.uniform(1 - self.jitter, 1 + self.jitter)
