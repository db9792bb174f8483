"""Graph sync status: the ``graph_sync`` object of ``/api/config`` (docs/graph.md#status-and-metrics)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.core.clock import utcnow
from app.core.timefmt import iso

from .metrics import GRAPH_ERRORS, GRAPH_OBJECTS

_iso = iso


def _now() -> datetime:
    return utcnow()


@dataclass
class KindStatus:
    state: str = "pending"
    objects: int = 0
    last_event_at: datetime | None = None
    last_list_at: datetime | None = None
    lists: int = 0
    errors: int = 0
    last_error: str | None = None
    last_error_at: datetime | None = None
    initial_done: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "objects": self.objects,
            "last_event_at": _iso(self.last_event_at),
            "last_list_at": _iso(self.last_list_at),
            "resyncs": max(0, self.lists - 1),
            "errors": self.errors,
            "last_error": self.last_error,
            "last_error_at": _iso(self.last_error_at),
        }


@dataclass
class SyncStatus:
    """Mutable status shared by the reflectors, the writer and the HTTP layer (single event loop)."""

    enabled: bool = True
    state: str = "starting"
    leader: bool = False
    neo4j: str = "ok"
    kubernetes_ok: bool = True
    initial_sync_completed_at: datetime | None = None
    queue_depth: int = 0
    kinds: dict[str, KindStatus] = field(default_factory=dict)

    def kind(self, kind: str) -> KindStatus:
        return self.kinds.setdefault(kind, KindStatus())

    def set_kind_state(self, kind: str, state: str, error: str | None = None) -> None:
        status = self.kind(kind)
        status.state = state
        if error:
            stage = "forbidden" if state in ("forbidden", "unavailable") else "watch"
            self.record_error(kind, error, stage)
        if state in ("forbidden", "unavailable"):
            status.initial_done = True  # such kinds count as done for the initial sync
        self._recompute()

    def record_error(self, kind: str, error: str, stage: str) -> None:
        status = self.kind(kind)
        status.errors += 1
        status.last_error = error
        status.last_error_at = _now()
        GRAPH_ERRORS.labels(kind=kind, stage=stage).inc()

    def set_objects(self, counts: dict[str, int]) -> None:
        for kind, status in self.kinds.items():
            status.objects = counts.get(kind, 0)
            GRAPH_OBJECTS.labels(kind=kind).set(status.objects)

    def mark_swept(self, kind: str) -> None:
        status = self.kind(kind)
        status.initial_done = True
        status.last_list_at = _now()
        self._recompute()

    def _recompute(self) -> None:
        if not self.enabled:
            self.state = "disabled"
            return
        if not self.leader:
            self.state = "standby" if self.state != "starting" else "starting"
            return
        if self.initial_sync_completed_at is None and self.kinds and all(s.initial_done for s in self.kinds.values()):
            self.initial_sync_completed_at = _now()
        if self.neo4j != "ok" or not self.kubernetes_ok or any(s.state == "backoff" for s in self.kinds.values()):
            self.state = "degraded"
        elif self.initial_sync_completed_at is None:
            self.state = "syncing"
        else:
            self.state = "ready"

    def refresh(self) -> None:
        self._recompute()

    def as_dict(self) -> dict[str, Any]:
        self._recompute()
        return {
            "state": self.state,
            "leader": self.leader,
            "neo4j": self.neo4j,
            "initial_sync_completed_at": _iso(self.initial_sync_completed_at),
            "queue_depth": self.queue_depth,
            "kinds": {k: s.as_dict() for k, s in sorted(self.kinds.items())} if self.leader else {},
        }
