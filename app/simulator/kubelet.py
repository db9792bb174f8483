"""The simulated kubelet: runs bound pods and reports their status the way a real kubelet does.

For every container it pulls the image (a tag the registry does not have → ``ErrImagePull`` /
``ImagePullBackOff`` with back-off), builds its environment (a missing ConfigMap key →
``CreateContainerConfigError``), starts it and lets its program decide what happens (keeps running, exits,
is OOM-killed, completes). Restarts follow the pod's ``restartPolicy`` with the kubelet's back-off (10 s doubling
to 5 min: ``CrashLoopBackOff``); init containers run first, one after another. Statuses, conditions and Events
have the shapes of a real cluster (see tests/fixtures/agent), so the agent classifies them as it would there.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .clock import iso
from .kubeapi.admission import qos_class
from .objects import controller_of, full_image, hex_id, mebibytes, pod_containers, quantity, split_image
from .programs import Fate, config_error, fate

if TYPE_CHECKING:
    from .engine import Simulation

Obj = dict[str, Any]

BACKOFF_START = 10.0
BACKOFF_MAX = 300.0
#: A container that ran this long without failing starts its back-off over (the kubelet's reset).
BACKOFF_RESET = 600.0
_CONDITION_ORDER = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled",
                    "DisruptionTarget")  # fmt: skip
_WAITING_TEXT = {
    "ErrImagePull": "trying and failing to pull image",
    "ImagePullBackOff": "trying and failing to pull image",
}


@dataclass
class ContainerRun:
    name: str
    init: bool
    spec: Obj
    restarts: int = 0
    instance: int = 0
    state: Obj = field(default_factory=dict)
    last_state: Obj = field(default_factory=dict)
    ready: bool = False
    ran: bool = False
    done: bool = False
    backoff: float = 0.0
    pull_backoff: float = 0.0
    config_backoff: float = 0.0
    token: int = 0
    container_id: str = ""
    started_at: float = 0.0
    exit_code: int | None = None


@dataclass
class PodRun:
    uid: str
    namespace: str
    name: str
    spec: Obj
    meta: Obj
    workload: tuple[str, str, str] | None
    containers: list[ContainerRun]
    node: str | None = None
    token: int = 0
    phase: str = "Pending"
    reason: str | None = None
    message: str | None = None
    pod_ip: str | None = None
    start_time: str | None = None
    conditions: dict[str, Obj] = field(default_factory=dict)
    initial: bool = False
    age: float = 0.0

    @property
    def terminal(self) -> bool:
        return self.phase in ("Succeeded", "Failed")

    @property
    def ready(self) -> bool:
        regular = [c for c in self.containers if not c.init]
        return self.phase == "Running" and bool(regular) and all(c.ready for c in regular)

    def container(self, name: str) -> ContainerRun | None:
        return next((c for c in self.containers if c.name == name), None)


class Kubelet:
    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self.runs: dict[str, PodRun] = {}
        self._by_name: dict[tuple[str, str], str] = {}
        self._pulled: set[tuple[str, str]] = set()  # (node, image) already on the node
        self._ips: dict[str, int] = {}
        sim.logs.refusal = self._log_refusal

    # ------------------------------------------------------------------ lookup

    def run_of(self, namespace: str, name: str) -> PodRun | None:
        uid = self._by_name.get((namespace, name))
        return self.runs.get(uid) if uid else None

    def pods_of(self, owner_uid: str) -> list[PodRun]:
        out = []
        for run in self.runs.values():
            for ref in run.meta.get("ownerReferences") or []:
                if ref.get("uid") == owner_uid and ref.get("controller"):
                    out.append(run)
        return sorted(out, key=lambda r: r.name)

    def _lookup(self, kind: str, namespace: str, name: str) -> Obj | None:
        return self.sim.api.get(kind, namespace, name)

    # ------------------------------------------------------------------ pods arrive and leave

    def adopt(self, pod: Obj, *, initial: bool = False, age: float = 0.0) -> PodRun:
        meta = pod["metadata"]
        spec = pod.get("spec") or {}
        containers = [ContainerRun(c["name"], init, copy.deepcopy(c)) for c, init in pod_containers(pod)]
        for c in containers:
            c.state = {"waiting": {"reason": "PodInitializing" if not c.init and any(x.init for x in containers)
                                   else "ContainerCreating"}}  # fmt: skip
        run = PodRun(
            uid=meta["uid"], namespace=meta["namespace"], name=meta["name"], spec=copy.deepcopy(spec),
            meta=copy.deepcopy(meta), workload=self._workload(pod), containers=containers, initial=initial, age=age,
        )  # fmt: skip
        self.runs[run.uid] = run
        self._by_name[(run.namespace, run.name)] = run.uid
        self._condition(run, "PodScheduled", "False")
        if spec.get("nodeName"):
            self.bind(run, str(spec["nodeName"]), announce=False)
        else:
            self.sim.scheduler.place(run)
        return run

    def _workload(self, pod: Obj) -> tuple[str, str, str] | None:
        ref = controller_of(pod)
        if ref is None:
            return None
        namespace = pod["metadata"]["namespace"]
        if ref.get("kind") in ("ReplicaSet", "Job"):
            owner = self._lookup(str(ref["kind"]), namespace, str(ref["name"]))
            parent = controller_of(owner) if owner else None
            if parent is not None:
                return str(parent["kind"]), namespace, str(parent["name"])
        return str(ref.get("kind")), namespace, str(ref.get("name"))

    def remove(self, namespace: str, name: str, *, delete: bool = True, announce: bool = True) -> None:
        """The pod is deleted (by a controller, or an API client already did): stop everything about it."""
        uid = self._by_name.pop((namespace, name), None)
        run = self.runs.pop(uid, None) if uid else None
        if run is not None:
            run.token += 1
            if announce and run.node and not run.terminal:
                pod = self._pod(run)
                for c in run.containers:
                    if "running" in c.state:
                        self.sim.events.emit(pod, "Normal", "Killing", f"Stopping container {c.name}",
                                             field_path=self._field_path(c), host=run.node)  # fmt: skip
            self.sim.scheduler.unschedulable.discard(run.uid)
            self.sim.record(f"pod {namespace}/{name} deleted")
        self.sim.logs.forget_pod(namespace, name)
        if delete:
            self.sim.api.delete("Pod", namespace, name)
        self.sim.scheduler.retry_soon()

    # ------------------------------------------------------------------ scheduling

    def bind(self, run: PodRun, node: str, *, announce: bool = True) -> None:
        run.node = node
        run.spec["nodeName"] = node
        self._condition(run, "PodScheduled", "True")
        self.sim.api.modify("Pod", run.namespace, run.name, lambda pod: pod["spec"].__setitem__("nodeName", node))
        if announce and not run.initial:
            self.sim.events.emit(self._pod(run), "Normal", "Scheduled",
                                 f"Successfully assigned {run.namespace}/{run.name} to {node}",
                                 component="default-scheduler")  # fmt: skip
        self.sim.record(f"pod {run.namespace}/{run.name} bound to {node}")
        if run.initial:
            self._start_initial(run)
        else:
            token = run.token
            self.sim.after(0.5, lambda: self._start(run, token))

    def unschedulable(self, run: PodRun, message: str) -> None:
        self._condition(run, "PodScheduled", "False", "Unschedulable", message)
        self.sim.events.emit(self._pod(run), "Warning", "FailedScheduling", message, component="default-scheduler")
        self.sim.record(f"pod {run.namespace}/{run.name} unschedulable: {message}")
        self._publish(run)

    # ------------------------------------------------------------------ starting

    def _allocate_ip(self, node: str) -> str:
        nodes = sorted(n["metadata"]["name"] for n in self.sim.api.list_objects("Node"))
        index = nodes.index(node) if node in nodes else len(nodes)
        self._ips[node] = self._ips.get(node, 1) % 250 + 1
        return f"10.244.{index}.{self._ips[node] + 1}"

    def _start_initial(self, run: PodRun) -> None:
        """A pod of the starting cluster: it has been running for ``run.age`` seconds already."""
        assert run.node is not None
        began = self.sim.now - run.age
        run.pod_ip = self._allocate_ip(run.node)
        run.start_time = iso(self.sim.wall(began))
        task = (run.spec.get("restartPolicy") or "Always") != "Always"
        for c in run.containers:
            self._pulled.add((run.node, str(c.spec.get("image"))))
            c.instance = 1
            c.ran = True
            c.container_id = f"containerd://{hex_id(run.uid, c.name, 1)}"
            if c.init:
                c.done = True
                c.state = {"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": iso(self.sim.wall(began)),
                                          "finishedAt": iso(self.sim.wall(began + 3)),
                                          "containerID": c.container_id}}  # fmt: skip
                continue
            c.started_at = began + 4
            c.state = {"running": {"startedAt": iso(self.sim.wall(c.started_at))}}
            c.ready = True
            self._begin_logs(run, c, c.started_at)
            outcome = self._fate(run, c) if task else None
            if outcome is not None and outcome.outcome != "runs":
                # A finished task of the past (a Job pod of an earlier CronJob run): it completed back then.
                ended = min(c.started_at + outcome.after, self.sim.now)
                self.sim.logs.end((run.namespace, run.name, c.name), ended, outcome.lines, outcome.values)
                c.ready, c.done, c.exit_code = False, True, outcome.exit_code
                c.state = {"terminated": {"exitCode": outcome.exit_code,
                                          "reason": _exit_reason(outcome),
                                          "startedAt": iso(self.sim.wall(c.started_at)),
                                          "finishedAt": iso(self.sim.wall(ended)),
                                          "containerID": c.container_id}}  # fmt: skip
        regular = [c for c in run.containers if not c.init]
        if regular and all(c.done for c in regular):
            run.phase = "Succeeded" if all(c.exit_code == 0 for c in regular) else "Failed"
            self._update_conditions(run)
        else:
            run.phase = "Running"
            for kind in ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"):
                self._condition(run, kind, "True", at=began + 4)
        self._condition(run, "PodReadyToStartContainers", "True", at=began + 1)
        self._publish(run)
        if run.terminal:
            self.sim.controllers.pod_changed(run)
            return
        for c in run.containers:
            if not c.init:
                self._schedule_fate(run, c)

    def _start(self, run: PodRun, token: int) -> None:
        if token != run.token or run.uid not in self.runs:
            return
        assert run.node is not None
        run.pod_ip = self._allocate_ip(run.node)
        run.start_time = self.sim.stamp()
        self._condition(run, "PodReadyToStartContainers", "True")
        self._update_conditions(run)
        self._publish(run)
        self._next(run)

    def _next(self, run: PodRun) -> None:
        """Start the next init container, or every regular container once all init containers completed."""
        for c in run.containers:
            if c.init and not c.done:
                if not c.state.get("running") and c.instance == 0 and not c.state.get("waiting", {}).get("message"):
                    self._launch(run, c, run.token, c.token)
                return
        for c in run.containers:
            if not c.init and c.instance == 0 and c.state.get("waiting", {}).get("reason") in (
                "ContainerCreating", "PodInitializing",
            ):
                self._launch(run, c, run.token, c.token)

    def _launch(self, run: PodRun, c: ContainerRun, pod_token: int, token: int) -> None:
        """Pull, configure and start one container (again)."""
        if pod_token != run.token or token != c.token or run.uid not in self.runs or run.terminal:
            return
        assert run.node is not None
        pod = self._pod(run)
        image = str(c.spec.get("image") or "")
        path = self._field_path(c)
        emit = self.sim.events.emit
        problem = self._pull_problem(image)
        if problem is not None:
            self._pull_failed(run, c, image, problem)
            return
        c.pull_backoff = 0.0
        if (run.node, image) in self._pulled and c.spec.get("imagePullPolicy") != "Always":
            emit(pod, "Normal", "Pulled", f'Container image "{image}" already present on machine',
                 field_path=path, host=run.node)  # fmt: skip
        else:
            seconds = 0.8 + (int(hex_id(image, length=4), 16) % 4000) / 1000
            emit(pod, "Normal", "Pulling", f'Pulling image "{image}"', field_path=path, host=run.node)
            emit(pod, "Normal", "Pulled",
                 f'Successfully pulled image "{image}" in {seconds:.3f}s ({seconds:.3f}s including waiting). '
                 f"Image size: {int(hex_id(image, 'size', length=6), 16) * 4 + 8_000_000} bytes.",
                 field_path=path, host=run.node)  # fmt: skip
            self._pulled.add((run.node, image))
        problem = config_error(c.spec, run.namespace, self._lookup)
        if problem is not None:
            self._config_failed(run, c, problem)
            return
        c.config_backoff = 0.0
        c.instance += 1
        c.ran = True
        c.container_id = f"containerd://{hex_id(run.uid, c.name, c.instance, self.sim.seed)}"
        c.started_at = self.sim.now
        c.state = {"running": {"startedAt": self.sim.stamp()}}
        c.ready = False
        emit(pod, "Normal", "Created", f"Created container: {c.name}", field_path=path, host=run.node)
        emit(pod, "Normal", "Started", f"Started container {c.name}", field_path=path, host=run.node)
        self._begin_logs(run, c, self.sim.now)
        self.sim.record(f"pod {run.namespace}/{run.name} container {c.name} started ({image})")
        if not c.init:
            run.phase = "Running"
        self._update_conditions(run)
        self._publish(run)
        self._schedule_fate(run, c)

    def _begin_logs(self, run: PodRun, c: ContainerRun, start: float) -> None:
        program = self.sim.programs.for_container(c.spec, task=self._is_task(run, c))
        _, tag = split_image(str(c.spec.get("image") or ""))
        values = {"pod": run.name, "namespace": run.namespace, "container": c.name, "version": tag,
                  "node": run.node or ""}  # fmt: skip
        seed = int(hex_id(self.sim.seed, run.uid, c.name, c.instance, length=12), 16)
        self.sim.logs.begin((run.namespace, run.name, c.name), program, start, seed, values)

    def _is_task(self, run: PodRun, c: ContainerRun) -> bool:
        return c.init or (run.spec.get("restartPolicy") or "Always") != "Always"

    def _fate(self, run: PodRun, c: ContainerRun) -> Fate:
        program = self.sim.programs.for_container(c.spec, task=self._is_task(run, c))
        loaded = run.workload is not None and self.sim.loads.get(run.workload) == "high"
        return fate(program, c.spec, run.namespace, self._lookup, under_load=loaded)

    def _schedule_fate(self, run: PodRun, c: ContainerRun) -> None:
        c.token += 1
        token, pod_token = c.token, run.token
        outcome = self._fate(run, c)
        program = self.sim.programs.for_container(c.spec, task=self._is_task(run, c))
        if not c.init and not c.ready:
            ready_at = max(self.sim.now, c.started_at + program.ready_after)
            if outcome.outcome == "runs" or outcome.after > program.ready_after:
                self.sim.at(ready_at, lambda: self._ready(run, c, pod_token, token))
        if outcome.outcome == "runs":
            return
        end = max(self.sim.now, c.started_at + outcome.after) if not run.initial else self.sim.now + outcome.after
        self.sim.at(end, lambda: self._exit(run, c, outcome, pod_token, token))

    def _ready(self, run: PodRun, c: ContainerRun, pod_token: int, token: int) -> None:
        if pod_token != run.token or token != c.token or "running" not in c.state:
            return
        c.ready = True
        self._update_conditions(run)
        self._publish(run)
        if run.ready:
            self.sim.record(f"pod {run.namespace}/{run.name} ready")
        self.sim.controllers.pod_changed(run)

    # ------------------------------------------------------------------ failures

    def _pull_problem(self, image: str) -> str | None:
        repo, tag = split_image(image)
        known = self.sim.scenario.registry.get(repo)
        if known is None or tag.startswith("sha256:") or tag in known:
            return None
        ref = full_image(image)
        return (f'rpc error: code = NotFound desc = failed to pull and unpack image "{ref}": failed to resolve '
                f'reference "{ref}": {ref}: not found')  # fmt: skip

    def _pull_failed(self, run: PodRun, c: ContainerRun, image: str, problem: str) -> None:
        pod, path, node = self._pod(run), self._field_path(c), run.node
        emit = self.sim.events.emit
        emit(pod, "Normal", "Pulling", f'Pulling image "{image}"', field_path=path, host=node)
        emit(pod, "Warning", "Failed", f'Failed to pull image "{image}": {problem}', field_path=path, host=node)
        emit(pod, "Warning", "Failed", "Error: ErrImagePull", field_path=path, host=node)
        c.state = {"waiting": {"reason": "ErrImagePull", "message": problem}}
        self._update_conditions(run)
        self._publish(run)
        self.sim.record(f"pod {run.namespace}/{run.name} container {c.name} ErrImagePull ({image})")
        c.pull_backoff = BACKOFF_START if not c.pull_backoff else min(c.pull_backoff * 2, BACKOFF_MAX)
        c.token += 1
        token, pod_token = c.token, run.token

        def back_off() -> None:
            if pod_token != run.token or token != c.token or run.uid not in self.runs:
                return
            emit(pod, "Normal", "BackOff", f'Back-off pulling image "{image}"', field_path=path, host=node)
            emit(pod, "Warning", "Failed", "Error: ImagePullBackOff", field_path=path, host=node)
            c.state = {"waiting": {"reason": "ImagePullBackOff", "message": f'Back-off pulling image "{image}"'}}
            self._publish(run)
            self.sim.after(c.pull_backoff, lambda: self._launch(run, c, pod_token, token))

        self.sim.after(1.5, back_off)

    def _config_failed(self, run: PodRun, c: ContainerRun, problem: str) -> None:
        pod = self._pod(run)
        self.sim.events.emit(pod, "Warning", "Failed", f"Error: {problem}", field_path=self._field_path(c),
                             host=run.node)  # fmt: skip
        c.state = {"waiting": {"reason": "CreateContainerConfigError", "message": problem}}
        self._update_conditions(run)
        self._publish(run)
        self.sim.record(f"pod {run.namespace}/{run.name} container {c.name} CreateContainerConfigError: {problem}")
        c.config_backoff = BACKOFF_START if not c.config_backoff else min(c.config_backoff * 2, BACKOFF_MAX)
        c.token += 1
        token, pod_token = c.token, run.token
        self.sim.after(c.config_backoff, lambda: self._launch(run, c, pod_token, token))

    def _exit(self, run: PodRun, c: ContainerRun, outcome: Fate, pod_token: int, token: int) -> None:
        if pod_token != run.token or token != c.token or "running" not in c.state:
            return
        code = outcome.exit_code
        reason = _exit_reason(outcome)
        started = c.state["running"].get("startedAt")
        term = {"exitCode": code, "reason": reason, "startedAt": started, "finishedAt": self.sim.stamp(),
                "containerID": c.container_id}  # fmt: skip
        self.sim.logs.end((run.namespace, run.name, c.name), self.sim.now, outcome.lines, outcome.values)
        c.ready = False
        c.exit_code = code
        policy = run.spec.get("restartPolicy") or "Always"
        restarts = policy == "Always" or (policy == "OnFailure" and code != 0)
        if c.init and code == 0:
            c.done = True
            c.state = {"terminated": term}
            self.sim.record(f"pod {run.namespace}/{run.name} init container {c.name} completed")
            self._update_conditions(run)
            self._publish(run)
            self._next(run)
            return
        if restarts:
            ran_for = self.sim.now - c.started_at
            c.backoff = BACKOFF_START if not c.backoff or ran_for >= BACKOFF_RESET else min(c.backoff * 2, BACKOFF_MAX)
            c.last_state = {"terminated": term}
            c.restarts += 1
            c.state = {"waiting": {"reason": "CrashLoopBackOff",
                                   "message": f"back-off {int(c.backoff)}s restarting failed container={c.name} "
                                              f"pod={run.name}_{run.namespace}({run.uid})"}}  # fmt: skip
            self.sim.events.emit(
                self._pod(run), "Warning", "BackOff",
                f"Back-off restarting failed container {c.name} in pod {run.name}_{run.namespace}({run.uid})",
                field_path=self._field_path(c), host=run.node,
            )  # fmt: skip
            self.sim.record(f"pod {run.namespace}/{run.name} container {c.name} {reason} (exit {code}), "
                            f"back-off {int(c.backoff)}s")  # fmt: skip
            c.token += 1
            new_token = c.token
            self.sim.after(c.backoff, lambda: self._launch(run, c, pod_token, new_token))
        else:
            c.done = True
            c.state = {"terminated": term}
            self.sim.record(f"pod {run.namespace}/{run.name} container {c.name} terminated: {reason} (exit {code})")
            regular = [x for x in run.containers if not x.init]
            if c.init:
                run.phase = "Failed"
            elif all(x.done for x in regular):
                run.phase = "Succeeded" if all(x.exit_code == 0 for x in regular) else "Failed"
        self._update_conditions(run)
        self._publish(run)
        self.sim.controllers.pod_changed(run)

    # ------------------------------------------------------------------ scenario actions

    def load_changed(self, workload: tuple[str, str, str]) -> None:
        """The load on a workload changed: running containers may now exceed their memory limit (or not)."""
        for run in sorted(self.runs.values(), key=lambda r: r.name):
            if run.workload != workload or run.terminal:
                continue
            for c in run.containers:
                if "running" in c.state and not c.init:
                    c.started_at = min(c.started_at, self.sim.now)
                    self._reschedule_running(run, c)

    def _reschedule_running(self, run: PodRun, c: ContainerRun) -> None:
        c.token += 1
        token, pod_token = c.token, run.token
        outcome = self._fate(run, c)
        if outcome.outcome == "runs":
            if not c.ready:
                self.sim.after(0, lambda: self._ready(run, c, pod_token, token))
            return
        self.sim.after(outcome.after, lambda: self._exit(run, c, outcome, pod_token, token))

    def config_changed(self, namespace: str) -> None:
        """A ConfigMap or Secret of the namespace changed: containers stuck on their config try again."""
        for run in sorted(self.runs.values(), key=lambda r: r.name):
            if run.namespace != namespace or run.terminal:
                continue
            for c in run.containers:
                if c.state.get("waiting", {}).get("reason") == "CreateContainerConfigError":
                    c.token += 1
                    self._relaunch_later(run, c, 1.0)

    def _relaunch_later(self, run: PodRun, c: ContainerRun, delay: float) -> None:
        token, pod_token = c.token, run.token
        self.sim.after(delay, lambda: self._launch(run, c, pod_token, token))

    def evict_one(self, workload: tuple[str, str, str], resource: str) -> None:
        candidates = [r for r in self.runs.values() if r.workload == workload and r.phase == "Running" and r.node]
        if not candidates:
            self.sim.record(f"eviction: no running pod of {'/'.join(workload)}")
            return
        self.evict(min(candidates, key=lambda r: r.name), resource)

    def evict(self, run: PodRun, resource: str) -> None:
        assert run.node is not None
        run.token += 1
        main = next((c for c in run.containers if not c.init), run.containers[0])
        program = self.sim.programs.for_container(main.spec, task=False)
        usage = quantity(program.memory_under_load or program.memory) * 2
        request = ((main.spec.get("resources") or {}).get("requests") or {}).get(resource, "0")
        if resource == "memory":
            threshold, available = "100Mi", f"{71000 + int(hex_id(run.uid, length=4), 16) % 20000}Ki"
            using = mebibytes(usage)
        else:
            threshold, available, using = "10%", f"{8_100_000 + int(hex_id(run.uid, length=4), 16)}Ki", "12Gi"
        message = (f"The node was low on resource: {resource}. Threshold quantity: {threshold}, available: "
                   f"{available}. Container {main.name} was using {using}, request is {request}, has larger "
                   f"consumption of {resource}. ")  # fmt: skip
        pod = self._pod(run)
        self.sim.events.emit(pod, "Warning", "Evicted", message, host=run.node)
        for c in run.containers:
            if "running" in c.state:
                self.sim.events.emit(pod, "Normal", "Killing", f"Stopping container {c.name}",
                                     field_path=self._field_path(c), host=run.node)  # fmt: skip
                self.sim.logs.end((run.namespace, run.name, c.name), self.sim.now, [])
                c.state = {"terminated": {
                    "exitCode": 137, "reason": "ContainerStatusUnknown",
                    "message": "The container could not be located when the pod was terminated",
                    "startedAt": c.state["running"].get("startedAt"), "finishedAt": self.sim.stamp(),
                }}  # fmt: skip
            c.ready = False
            c.done = True
        run.phase, run.reason, run.message = "Failed", "Evicted", message
        self._condition(run, "DisruptionTarget", "True", "TerminationByKubelet", message)
        self._update_conditions(run)
        self._publish(run)
        self.sim.record(f"pod {run.namespace}/{run.name} evicted from {run.node} ({resource} pressure)")
        self.sim.controllers.node_pressure(run.node, resource)
        self.sim.controllers.pod_changed(run)

    # ------------------------------------------------------------------ status

    def _field_path(self, c: ContainerRun) -> str:
        return f"spec.{'initContainers' if c.init else 'containers'}{{{c.name}}}"

    def _pod(self, run: PodRun) -> Obj:
        return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": run.name, "namespace": run.namespace,
                                                                  "uid": run.uid}}  # fmt: skip

    def _condition(self, run: PodRun, kind: str, status: str, reason: str | None = None, message: str | None = None,
                   at: float | None = None) -> None:  # fmt: skip
        current = run.conditions.get(kind)
        if current is not None and current["status"] == status and current.get("reason") == reason:
            if message is not None:
                current["message"] = message
            return
        cond: Obj = {"type": kind, "status": status, "lastProbeTime": None, "lastTransitionTime": self.sim.stamp(at)}
        if reason:
            cond["reason"] = reason
        if message:
            cond["message"] = message
        run.conditions[kind] = cond

    def _update_conditions(self, run: PodRun) -> None:
        init = [c for c in run.containers if c.init]
        regular = [c for c in run.containers if not c.init]
        pending_init = [c.name for c in init if not c.done]
        if pending_init:
            self._condition(run, "Initialized", "False", "ContainersNotInitialized",
                            f"containers with incomplete status: [{' '.join(pending_init)}]")  # fmt: skip
        else:
            self._condition(run, "Initialized", "True")
        if run.phase == "Succeeded":
            self._condition(run, "Ready", "False", "PodCompleted")
            self._condition(run, "ContainersReady", "False", "PodCompleted")
            return
        unready = [c.name for c in regular if not c.ready]
        if unready:
            message = f"containers with unready status: [{' '.join(unready)}]"
            self._condition(run, "Ready", "False", "ContainersNotReady", message)
            self._condition(run, "ContainersReady", "False", "ContainersNotReady", message)
        else:
            self._condition(run, "Ready", "True")
            self._condition(run, "ContainersReady", "True")

    def status_of(self, run: PodRun) -> Obj:
        node = self.sim.api.get("Node", None, run.node) if run.node else None
        host_ip = next((a["address"] for a in ((node or {}).get("status") or {}).get("addresses") or []
                        if a.get("type") == "InternalIP"), None)  # fmt: skip
        status: Obj = {
            "phase": run.phase,
            "conditions": [run.conditions[k] for k in _CONDITION_ORDER if k in run.conditions],
            "qosClass": qos_class(run.spec),
        }
        if run.reason:
            status["reason"], status["message"] = run.reason, run.message
        if host_ip:
            status["hostIP"], status["hostIPs"] = host_ip, [{"ip": host_ip}]
        if run.pod_ip and not (run.phase == "Failed" and run.reason == "Evicted"):
            status["podIP"], status["podIPs"] = run.pod_ip, [{"ip": run.pod_ip}]
        if run.start_time:
            status["startTime"] = run.start_time
        if run.node is None:
            return status

        def container_status(c: ContainerRun) -> Obj:
            image = str(c.spec.get("image") or "")
            out: Obj = {"name": c.name, "image": image if not c.ran else full_image(image),
                        "imageID": "", "ready": c.ready, "restartCount": c.restarts,
                        "started": "running" in c.state, "state": copy.deepcopy(c.state),
                        "lastState": copy.deepcopy(c.last_state)}  # fmt: skip
            if c.ran:
                repo = full_image(image).rsplit(":", 1)[0] if "@" not in image else image.split("@")[0]
                out["imageID"] = f"{repo}@sha256:{hex_id(image)}"
                out["containerID"] = c.container_id
            return out

        init = [container_status(c) for c in run.containers if c.init]
        if init:
            status["initContainerStatuses"] = init
        status["containerStatuses"] = [container_status(c) for c in run.containers if not c.init]
        return status

    def _publish(self, run: PodRun) -> None:
        if run.uid not in self.runs:
            return
        status = self.status_of(run)

        def write(pod: Obj) -> None:
            pod["status"] = status

        try:
            self.sim.api.modify("Pod", run.namespace, run.name, write)
        except KeyError:
            self.remove(run.namespace, run.name, delete=False, announce=False)

    def _log_refusal(self, namespace: str, pod: str, container: str, previous: bool) -> str | None:
        run = self.run_of(namespace, pod)
        if run is None or previous:
            return None
        c = run.container(container)
        if c is None or c.ran:
            return None
        reason = str(c.state.get("waiting", {}).get("reason") or "ContainerCreating")
        return f'container "{container}" in pod "{pod}" is waiting to start: {_WAITING_TEXT.get(reason, reason)}'


def _exit_reason(outcome: Fate) -> str:
    if outcome.outcome == "oom":
        return "OOMKilled"
    return "Completed" if outcome.exit_code == 0 else "Error"
