"""Kubernetes Events as the cluster's components record them.

The kubelet and the controllers write core/v1 Events in the classic form (``firstTimestamp``, ``lastTimestamp``,
``count``; a repeat of the same event increments its count), the scheduler in the events.k8s.io form seen through
core/v1 (``eventTime``, ``series``, no ``firstTimestamp``). Events expire after an hour, as on a real cluster.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .clock import iso, iso_micro

if TYPE_CHECKING:
    from .engine import Simulation

Obj = dict[str, Any]

EVENT_TTL = 3600.0
_SWEEP_EVERY = 300.0


@dataclass
class _Recorded:
    namespace: str
    name: str
    last: float


class EventRecorder:
    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self._index: dict[tuple[str, str, str, str], _Recorded] = {}

    def start(self) -> None:
        self.sim.after(_SWEEP_EVERY, self._sweep)

    def emit(
        self,
        obj: Obj,
        type_: str,
        reason: str,
        message: str,
        *,
        field_path: str | None = None,
        component: str = "kubelet",
        host: str | None = None,
    ) -> None:
        """Record an event about ``obj`` (a repeat of the same event counts up instead of adding one)."""
        meta = obj["metadata"]
        key = (str(meta.get("uid")), reason, message, field_path or "")
        now = self.sim.now
        stamp = iso(self.sim.wall(now))
        known = self._index.get(key)
        if known is not None and self.sim.api.get("Event", known.namespace, known.name) is not None:
            known.last = now
            scheduler_form = component == "default-scheduler"

            def repeat(event: Obj) -> None:
                if scheduler_form:
                    series = event.setdefault("series", {"count": 1})
                    series["count"] = int(series.get("count") or 1) + 1
                    series["lastObservedTime"] = iso_micro(self.sim.wall(now))
                else:
                    event["count"] = int(event.get("count") or 1) + 1
                    event["lastTimestamp"] = stamp

            self.sim.api.modify("Event", known.namespace, known.name, repeat)
            return
        namespace = str(meta.get("namespace") or "default")
        name = f"{meta['name']}.{self.sim.hex(16)}"
        involved: Obj = {
            "apiVersion": obj.get("apiVersion", "v1"),
            "kind": obj.get("kind"),
            "name": meta["name"],
            "uid": meta.get("uid"),
        }
        if meta.get("namespace"):
            involved["namespace"] = meta["namespace"]
        if field_path:
            involved["fieldPath"] = field_path
        event: Obj = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name, "namespace": namespace, "uid": self.sim.uid(), "creationTimestamp": stamp},
            "involvedObject": involved,
            "reason": reason,
            "message": message,
            "type": type_,
            "reportingComponent": component,
            "reportingInstance": host or "",
        }
        if component == "default-scheduler":
            event.update(
                {
                    "eventTime": iso_micro(self.sim.wall(now)),
                    "action": "Scheduling",
                    "reportingInstance": f"default-scheduler-{host or 'cp-1'}",
                    "firstTimestamp": None,
                    "lastTimestamp": None,
                    "source": {},
                }
            )
        else:
            event.update(
                {
                    "count": 1,
                    "firstTimestamp": stamp,
                    "lastTimestamp": stamp,
                    "eventTime": None,
                    "source": {"component": component, **({"host": host} if host else {})},
                }
            )
        self.sim.api.apply(event)
        self._index[key] = _Recorded(namespace, name, now)

    def _sweep(self) -> None:
        """Delete events not repeated for an hour of scenario time."""
        horizon = self.sim.now - EVENT_TTL
        for key, known in list(self._index.items()):
            if known.last < horizon:
                self.sim.api.delete("Event", known.namespace, known.name)
                del self._index[key]
        self.sim.after(_SWEEP_EVERY, self._sweep)
