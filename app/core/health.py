"""The last known state of one dependency (MongoDB, Neo4j, Kubernetes), as ``/health`` reports it."""

from __future__ import annotations

import logging
from typing import Literal

from app.core.metrics import DEPENDENCY_UP

log = logging.getLogger("kure.health")

State = Literal["ok", "down", "disabled"]


class DependencyState:
    """``ok``, ``down`` or ``disabled`` (not configured: never changes). Whoever talks to the dependency reports
    what it saw with :meth:`set`; a change is logged once and kept in the ``kure_dependency_up`` gauge."""

    def __init__(self, name: str, enabled: bool) -> None:
        self.name = name
        self.state: State = "down" if enabled else "disabled"

    def set(self, up: bool) -> None:
        if self.state == "disabled":
            return
        new: State = "ok" if up else "down"
        if new != self.state:
            log.log(logging.INFO if up else logging.WARNING, "%s is %s", self.name, "up" if up else "DOWN")
        self.state = new
        DEPENDENCY_UP.labels(self.name).set(1 if up else 0)
