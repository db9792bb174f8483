"""The simulation: a scenario played on the in-memory API server by simulated cluster components.

:class:`Simulation` owns a queue of timed actions in scenario seconds. The controllers (Deployments, ReplicaSets,
StatefulSets, DaemonSets, Jobs, CronJobs, namespaces, volumes), the scheduler and the kubelet react to the
scenario's timeline and to what API clients write (a mirror pod created by the backend starts like any pod);
each writes objects and Events through the API server, so every client sees ordinary Kubernetes traffic.

Deterministic for a seed: names, uids, ids and log lines come from seeded random sources, every action runs at
its own scheduled scenario instant, and simultaneous actions run in the order they were scheduled. The
``journal`` lists what happened; two runs with one seed and one scenario write the same journal.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import heapq
import itertools
import logging
import random
import uuid
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Any

from .clock import SimClock, iso
from .controllers import Controllers
from .events import EventRecorder
from .kubeapi.resources import resource_for
from .kubeapi.server import FakeKubeApi
from .kubelet import Kubelet
from .logbook import LogBook
from .programs import Programs
from .scenario import (
    AddNode,
    DeleteFailedPods,
    Evict,
    Load,
    RemoveNode,
    Scale,
    Scenario,
    SetConfig,
    SetEnv,
    SetImage,
    SetResources,
    Step,
    parse_target,
)
from .scheduler import Scheduler

log = logging.getLogger("kure.simulator")

Obj = dict[str, Any]
JOURNAL_LIMIT = 20_000
#: etcd compacts every five minutes; watches older than the previous compaction point get 410.
COMPACT_EVERY = 300.0


class Simulation:
    def __init__(self, api: FakeKubeApi, scenario: Scenario, *, seed: int = 7, clock: SimClock | None = None) -> None:
        self.api = api
        self.scenario = scenario
        self.seed = seed
        self.clock = clock or SimClock()
        self.rng = random.Random(seed)
        self.now = 0.0
        self.cycle = 0
        self.journal: deque[tuple[float, str]] = deque(maxlen=JOURNAL_LIMIT)
        self._queue: list[tuple[float, int, Callable[[], None]]] = []
        self._seq = itertools.count()
        self._wake = asyncio.Event()
        self.programs = Programs(scenario.programs)
        self.events = EventRecorder(self)
        self.logs = LogBook(self)
        self.scheduler = Scheduler(self)
        self.kubelet = Kubelet(self)
        self.controllers = Controllers(self)
        self.loads: dict[tuple[str, str, str], str] = {}
        self._baseline: dict[tuple[str, str, str], Obj] = {}
        self._touched: set[tuple[str, str, str]] = set()
        self._added_nodes: set[str] = set()
        self._compact_mark = 0
        self._started = False
        api.log_source = self.logs
        api.log_line_limit = 1000
        api.add_change_listener(self._on_client_change)

    # ------------------------------------------------------------------ time and identity

    def wall(self, at: float) -> datetime:
        return self.clock.wall(at)

    def stamp(self, at: float | None = None) -> str:
        return iso(self.wall(self.now if at is None else at))

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hex(self, length: int) -> str:
        return f"{self.rng.getrandbits(length * 4):0{length}x}"

    def record(self, text: str) -> None:
        self.journal.append((round(self.now, 3), text))
        log.debug("t=%.1fs %s", self.now, text)

    # ------------------------------------------------------------------ the action queue

    def at(self, when: float, action: Callable[[], None]) -> None:
        """Run ``action`` at scenario instant ``when`` (not before the present)."""
        heapq.heappush(self._queue, (max(when, self.now), next(self._seq), action))
        self._wake.set()

    def after(self, delay: float, action: Callable[[], None]) -> None:
        self.at(self.now + delay, action)

    def next_due(self) -> float | None:
        return self._queue[0][0] if self._queue else None

    def run_until(self, until: float) -> int:
        """Run every action due up to ``until``, each at its own instant; returns how many ran."""
        ran = 0
        while self._queue and self._queue[0][0] <= until:
            due, _, action = heapq.heappop(self._queue)
            self.now = max(self.now, due)
            action()
            ran += 1
        self.now = max(self.now, until)
        return ran

    def advance(self, seconds: float) -> int:
        """Move a manual clock forward and run what fell due (tests)."""
        advance = getattr(self.clock, "advance", None)
        if advance is None:
            raise TypeError("advance() needs a ManualClock")
        advance(seconds)
        return self.run_until(self.clock.elapsed())

    # ------------------------------------------------------------------ start and run

    def start(self) -> None:
        """Create the scenario's cluster (already running, as if for days) and schedule the first cycle."""
        if self._started:
            return
        self._started = True
        self.now = 0.0
        self.record(f"scenario {self.scenario.name} starts (seed {self.seed})")
        for node in self.scenario.nodes:
            self.controllers.add_node(node, initial=True)
        ordered = sorted(self.scenario.objects, key=_apply_order)
        for obj in ordered:
            stored = self.controllers.create(copy.deepcopy(obj), initial=True)
            key = _key(stored)
            self._baseline[key] = copy.deepcopy(stored)
        self.controllers.sync_all(initial=True)
        self.events.start()
        self.after(COMPACT_EVERY, self._compact)
        self._schedule_cycle(0)

    async def run(self, stop: asyncio.Event) -> None:
        """Play the scenario in real time until ``stop`` is set."""
        self.start()
        while not stop.is_set():
            self.run_until(self.clock.elapsed())
            due = self.next_due()
            timeout = None if due is None else max(0.0, self.clock.real_seconds(due - self.clock.elapsed()))
            self._wake.clear()
            waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
            try:
                await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiter in waiters:
                    waiter.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await waiter

    def _compact(self) -> None:
        self.api.compact(self._compact_mark)
        self._compact_mark = self.api.resource_version
        self.after(COMPACT_EVERY, self._compact)

    # ------------------------------------------------------------------ timeline

    def _schedule_cycle(self, cycle: int) -> None:
        self.cycle = cycle
        begin = cycle * self.scenario.cycle_seconds
        for step in self.scenario.timeline:
            self.at(begin + step.at, lambda step=step: self._play(step))  # type: ignore[misc]
        self.at(begin + self.scenario.cycle_seconds, lambda: self._end_cycle(cycle))

    def _end_cycle(self, cycle: int) -> None:
        self.record(f"cycle {cycle + 1} ends: the cluster returns to its starting state and the timeline repeats")
        self._reset()
        self._schedule_cycle(cycle + 1)

    def _play(self, step: Step) -> None:
        self.record(f"timeline: {step.note or step.do}")
        if step.note:
            log.info("simulated cluster: %s", step.note)
        if isinstance(step, AddNode):
            self._added_nodes.add(step.node.name)
            self.controllers.add_node(step.node)
            return
        if isinstance(step, RemoveNode):
            self._added_nodes.discard(step.name)
            self.controllers.remove_node(step.name)
            return
        target = parse_target(step.target)
        if isinstance(step, Load):
            self.loads[target] = step.level
            self.kubelet.load_changed(target)
            return
        if isinstance(step, Evict):
            self.kubelet.evict_one(target, step.resource)
            return
        if isinstance(step, DeleteFailedPods):
            self.controllers.delete_failed_pods(target)
            return
        self._touched.add(target)
        kind, namespace, name = target
        if isinstance(step, SetConfig):
            self.controllers.update(kind, namespace, name, lambda obj: _set_data(obj, step.data))
            self.kubelet.config_changed(namespace)
            return
        if isinstance(step, Scale):
            replicas = step.replicas
            self.controllers.update(kind, namespace, name, lambda obj: obj["spec"].__setitem__("replicas", replicas))
            return
        if isinstance(step, SetImage | SetEnv | SetResources):
            self.controllers.update(kind, namespace, name, lambda obj: _change_container(obj, step))
            return
        raise AssertionError(f"unhandled step {step!r}")

    def _reset(self) -> None:
        """Undo the timeline: workloads and ConfigMaps back to the scenario, added nodes gone, normal load."""
        for target in sorted(self._touched):
            baseline = self._baseline.get(target)
            if baseline is None:
                continue

            def restore(obj: Obj, baseline: Obj = baseline) -> None:
                for field in ("spec", "data"):
                    if field in baseline:
                        obj[field] = copy.deepcopy(baseline[field])

            self.controllers.update(*target, restore)
            if target[0] in ("ConfigMap", "Secret"):
                self.kubelet.config_changed(target[1])
        self._touched.clear()
        for target in list(self.loads):
            if self.loads.pop(target) != "normal":
                self.kubelet.load_changed(target)
        for node in sorted(self._added_nodes):
            self.controllers.remove_node(node)
        self._added_nodes.clear()
        for target in sorted(self._baseline):
            if target[0] in ("Deployment", "StatefulSet", "DaemonSet"):
                self.controllers.delete_failed_pods(target)

    # ------------------------------------------------------------------ writes by API clients

    def _on_client_change(self, event_type: str, obj: Obj) -> None:
        if not self._started:
            return
        self.now = max(self.now, self.clock.elapsed())
        self.controllers.client_change(event_type, obj)
        self._wake.set()


def _key(obj: Obj) -> tuple[str, str, str]:
    meta = obj.get("metadata") or {}
    return str(obj.get("kind")), str(meta.get("namespace") or ""), str(meta.get("name"))


_ORDER = {
    "Namespace": 0, "CustomResourceDefinition": 1, "ClusterRole": 2, "ClusterRoleBinding": 3, "ServiceAccount": 4,
    "Role": 5, "RoleBinding": 6, "ConfigMap": 7, "Secret": 8, "PersistentVolume": 9, "PersistentVolumeClaim": 10,
    "Service": 11,
}  # fmt: skip


def _apply_order(obj: Obj) -> int:
    return _ORDER.get(str(obj.get("kind")), 20 if resource_for(str(obj.get("kind"))).namespaced else 1)


def _set_data(obj: Obj, data: dict[str, str | None]) -> None:
    current = obj.setdefault("data", {})
    for key, value in data.items():
        if value is None:
            current.pop(key, None)
        else:
            current[key] = value


def _change_container(obj: Obj, step: SetImage | SetEnv | SetResources) -> None:
    from .objects import find_container, workload_template

    template = workload_template(obj)
    if template is None:
        raise ValueError(f"{obj['kind']} {obj['metadata']['name']} has no pod template")
    container = find_container(template, step.container)
    if isinstance(step, SetImage):
        container["image"] = step.image
    elif isinstance(step, SetEnv):
        env = [e for e in container.get("env") or [] if e.get("name") not in step.env]
        for name, value in step.env.items():
            if value is None:
                continue
            env.append({"name": name, "value": value} if isinstance(value, str) else {"name": name, "valueFrom": value})
        container["env"] = env
    else:
        resources = container.setdefault("resources", {})
        for section, values in step.resources.items():
            current = resources.setdefault(section, {})
            for name, value in values.items():
                if value is None:
                    current.pop(name, None)
                else:
                    current[name] = value
