"""Container logs, written on demand.

Each container instance has a deterministic line generator (its program's templates, a seeded random source
and its start time). Nothing is generated while nobody reads: a log read first brings the instance's log up to
the present, and an open ``follow`` stream keeps a timer that appends lines as they fall due. So 150 idle pods
cost no CPU, yet ``kubectl logs`` always shows a believable, current log.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .scenario import Program

if TYPE_CHECKING:
    from .engine import Simulation

LogKey = tuple[str, str, str]  # namespace, pod, container

#: Lines kept per container log (older lines are rotated away, as the kubelet's log rotation does).
MAX_LINES = 1000
#: At most this many steady lines are generated for a gap (a pod running for days shows its recent past).
CATCH_UP_LINES = 200


def _millis(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass
class LogStream:
    """The log of one container instance."""

    key: LogKey
    program: Program
    start: float
    rng: random.Random
    values: dict[str, Any]
    next_at: float = 0.0
    counter: int = 0
    ended: bool = False
    lines: list[str] = field(default_factory=list)


class LogBook:
    """Implements the API server's log source: :meth:`before_read` and :meth:`following`."""

    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self.current: dict[LogKey, LogStream] = {}
        self._followers: dict[LogKey, int] = {}
        #: Why a container has no log yet (``trying and failing to pull image``, ...), set by the kubelet.
        self.refusal: Callable[[str, str, str, bool], str | None] = lambda ns, pod, c, previous: None

    # ------------------------------------------------------------------ instances

    def begin(self, key: LogKey, program: Program, start: float, seed: int, values: dict[str, Any]) -> None:
        """A new instance starts: the finished one becomes the ``previous`` log."""
        old = self.current.get(key)
        if old is not None:
            self._catch_up(old, self.sim.now)
            self.sim.api.set_log(*key[:2], old.lines, container=key[2], previous=True)
        stream = LogStream(key, program, start, random.Random(seed), dict(values))
        stream.next_at = start + max(program.ready_after, 0.5)
        self.current[key] = stream
        for offset, template in enumerate(program.start_logs):
            stream.lines.append(self._render(stream, template, start + offset * 0.05))
        self.sim.api.set_log(*key[:2], list(stream.lines), container=key[2])
        if self._followers.get(key):
            self._tick(key)

    def end(self, key: LogKey, at: float, templates: list[str], values: dict[str, Any] | None = None) -> None:
        """The instance exits at ``at``, writing ``templates`` last; follow streams of it end."""
        stream = self.current.get(key)
        if stream is None:
            return
        self._catch_up(stream, at)
        stream.values.update(values or {})
        final = [self._render(stream, t, at - 0.01 * (len(templates) - i)) for i, t in enumerate(templates)]
        self._append(stream, final)
        stream.ended = True
        self.sim.api.end_log(key[0], key[1], container=key[2])

    def forget_pod(self, namespace: str, pod: str) -> None:
        for key in [k for k in self.current if k[0] == namespace and k[1] == pod]:
            del self.current[key]
            self._followers.pop(key, None)
        self.sim.api.forget_logs(namespace, pod)

    # ------------------------------------------------------------------ the API server's log source

    def before_read(self, namespace: str, pod: str, container: str, previous: bool) -> str | None:
        refusal = self.refusal(namespace, pod, container, previous)
        if refusal is not None:
            return refusal
        stream = self.current.get((namespace, pod, container))
        if stream is not None and not previous:
            self._catch_up(stream, max(self.sim.now, self.sim.clock.elapsed()))
        return None

    def following(self, namespace: str, pod: str, container: str, active: bool) -> None:
        key = (namespace, pod, container)
        count = self._followers.get(key, 0) + (1 if active else -1)
        if count <= 0:
            self._followers.pop(key, None)
            return
        self._followers[key] = count
        if active and count == 1:
            self._tick(key)

    def _tick(self, key: LogKey) -> None:
        stream = self.current.get(key)
        if stream is None or stream.ended or not self._followers.get(key):
            return
        self._catch_up(stream, self.sim.now)
        self.sim.at(max(stream.next_at, self.sim.now + 0.1), lambda: self._tick(key))

    # ------------------------------------------------------------------ generation

    def _catch_up(self, stream: LogStream, until: float) -> None:
        if stream.ended or not stream.program.steady_logs:
            return
        every = stream.program.log_every
        if (until - stream.next_at) / every > CATCH_UP_LINES:
            stream.next_at = until - CATCH_UP_LINES * every
        new: list[str] = []
        while stream.next_at <= until:
            template = stream.rng.choice(stream.program.steady_logs)
            new.append(self._render(stream, template, stream.next_at))
            stream.next_at += every * stream.rng.uniform(0.5, 1.5)
        self._append(stream, new)

    def _append(self, stream: LogStream, lines: list[str]) -> None:
        if not lines:
            return
        stream.lines.extend(lines)
        if len(stream.lines) > MAX_LINES:
            del stream.lines[: len(stream.lines) - MAX_LINES]
        self.sim.api.append_log(stream.key[0], stream.key[1], *lines, container=stream.key[2])

    def _render(self, stream: LogStream, template: str, at: float) -> str:
        stream.counter += 1
        rng = stream.rng
        values = dict(stream.values)
        values.update(
            time=_millis(self.sim.wall(at)),
            n=stream.counter,
            id=f"{rng.getrandbits(32):08x}",
            ms=rng.randint(3, 180),
        )
        # Only ``{name}`` placeholders of known values are replaced: JSON log lines keep their own braces.
        return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template)
