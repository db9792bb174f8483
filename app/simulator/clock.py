"""Scenario time.

The simulation schedules everything in *scenario seconds* since it started. A :class:`SimClock` runs them
``speed`` times faster than the wall clock (``speed=4``: a ten-minute story plays in 2.5 minutes), and stamps
objects with the wall time of a scenario instant, so every timestamp a client sees is current. Tests use
:class:`ManualClock` and move time by hand.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


def iso(moment: datetime) -> str:
    """``2026-03-26T10:00:00Z``: the second-precision form the API server uses for most timestamps."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_micro(moment: datetime) -> str:
    """``2026-03-26T10:00:00.123456Z``: the MicroTime form of ``eventTime`` and lease times."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class SimClock:
    """Scenario seconds elapsed since construction, ``speed`` times the wall clock."""

    def __init__(self, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._start_mono = time.monotonic()
        self._start_wall = datetime.now(UTC)

    def elapsed(self) -> float:
        return (time.monotonic() - self._start_mono) * self.speed

    def wall(self, at: float) -> datetime:
        """The wall time of scenario instant ``at`` (negative: before the simulation started)."""
        return self._start_wall + timedelta(seconds=at / self.speed)

    def real_seconds(self, scenario_seconds: float) -> float:
        return scenario_seconds / self.speed


class ManualClock(SimClock):
    """A clock tests advance by hand; scenario and wall time move together (speed 1)."""

    def __init__(self, start: datetime | None = None) -> None:
        super().__init__(1.0)
        self._start_wall = start or datetime(2026, 3, 26, 10, 0, tzinfo=UTC)
        self._elapsed = 0.0

    def elapsed(self) -> float:
        return self._elapsed

    def advance(self, seconds: float) -> None:
        self._elapsed += seconds
