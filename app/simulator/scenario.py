"""Scenario files: the cluster a simulation starts from, how its containers behave, and its timeline.

A scenario is one multi-document YAML file. The first document describes the scenario (``kind: Scenario``);
every further document is an ordinary Kubernetes manifest (Namespaces, Deployments, Services, RBAC, ...), so a
scenario reads like the manifests of a real cluster. The format is described in docs/simulator.md.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .kubeapi.resources import resource_for

Obj = dict[str, Any]

SCENARIO_PACKAGE = "app.simulator.scenarios"


class ScenarioError(Exception):
    """A scenario file is missing or invalid; the message says where."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NodeSpec(_Strict):
    name: str
    role: Literal["control-plane", "worker"] = "worker"
    cpu: str = "8"
    memory: str = "32Gi"
    pods: int = 110
    zone: str = "zone-a"
    instance_type: str = "m6i.2xlarge"
    labels: dict[str, str] = Field(default_factory=dict)


class Program(_Strict):
    """How a container behaves once it runs, chosen by its image repository (and tag).

    Log templates may use ``{time}``, ``{pod}``, ``{namespace}``, ``{container}``, ``{version}``, ``{n}`` (a line
    counter), ``{id}`` (a short random id), ``{ms}`` (a random duration), ``{missing}`` (the missing environment
    variable), ``{limit}`` and ``{usage}`` (memory).
    """

    ready_after: float = 3.0
    start_logs: list[str] = Field(default_factory=list)
    steady_logs: list[str] = Field(default_factory=list)
    log_every: float = Field(default=20.0, gt=0)
    requires_env: list[str] = Field(default_factory=list)
    missing_env_logs: list[str] = Field(
        default_factory=lambda: ["{time} FATAL required environment variable {missing} is not set"]
    )
    crash_after: float = 2.0
    memory: str = "64Mi"
    memory_under_load: str | None = None
    oom_after: float = 8.0
    oom_logs: list[str] = Field(default_factory=list)
    exit_code: int | None = None
    exit_after: float = 2.0
    exit_logs: list[str] = Field(default_factory=list)
    completes_after: float | None = None
    completion_logs: list[str] = Field(default_factory=list)
    tags: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _tags_are_programs(self) -> Program:
        for tag, override in self.tags.items():
            if "tags" in override:
                raise ValueError(f"tag {tag!r}: a tag override cannot have tags of its own")
            Program.model_validate({**self.model_dump(exclude={"tags"}), **override})
        return self

    def for_tag(self, tag: str) -> Program:
        override = self.tags.get(tag)
        if not override:
            return self
        return Program.model_validate({**self.model_dump(exclude={"tags"}), **override})


# ---------------------------------------------------------------------------------------------- timeline steps


class _Step(_Strict):
    at: float = Field(ge=0)
    note: str = ""


class _Targeted(_Step):
    target: str

    @field_validator("target")
    @classmethod
    def _valid_target(cls, value: str) -> str:
        parse_target(value)
        return value


class SetImage(_Targeted):
    """Roll a workload out with another image for one container."""

    do: Literal["set_image"]
    container: str
    image: str


class SetEnv(_Targeted):
    """Set (a string, or a ``valueFrom`` mapping) or remove (``null``) environment variables of a container."""

    do: Literal["set_env"]
    container: str
    env: dict[str, str | dict[str, Any] | None]


class SetResources(_Targeted):
    """Merge requests/limits into a container's resources (a rollout)."""

    do: Literal["set_resources"]
    container: str
    resources: dict[str, dict[str, str | None]]


class SetConfig(_Targeted):
    """Set or remove (``null``) keys of a ConfigMap."""

    do: Literal["set_config"]
    data: dict[str, str | None]


class Load(_Targeted):
    """Change the load on a workload: under ``high`` load its containers use ``memory_under_load``."""

    do: Literal["load"]
    level: Literal["normal", "high"]


class Evict(_Targeted):
    """The kubelet evicts one running pod of the workload under node pressure."""

    do: Literal["evict"]
    resource: Literal["memory", "ephemeral-storage"] = "memory"


class DeleteFailedPods(_Targeted):
    """Someone cleans up the workload's Failed pods (evicted pods stay until deleted)."""

    do: Literal["delete_failed_pods"]


class Scale(_Targeted):
    do: Literal["scale"]
    replicas: int = Field(ge=0)


class AddNode(_Step):
    """A node joins (a cluster autoscaler scale-up); pending pods are scheduled again."""

    do: Literal["add_node"]
    node: NodeSpec


class RemoveNode(_Step):
    """A node leaves; its pods are deleted and their controllers replace them."""

    do: Literal["remove_node"]
    name: str


Step = Annotated[
    SetImage | SetEnv | SetResources | SetConfig | Load | Evict | DeleteFailedPods | Scale | AddNode | RemoveNode,
    Field(discriminator="do"),
]


class Scenario(_Strict):
    kind: Literal["Scenario"] = "Scenario"
    name: str
    description: str = ""
    main_namespace: str
    #: The timeline repeats after this many scenario seconds; the cluster first returns to its starting state.
    cycle_seconds: float = Field(default=600, gt=0)
    nodes: list[NodeSpec]
    #: Image repositories with the tags that exist; a repository not listed here pulls any tag.
    registry: dict[str, list[str]] = Field(default_factory=dict)
    programs: dict[str, Program] = Field(default_factory=dict)
    timeline: list[Step] = Field(default_factory=list)
    objects: list[Obj] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        for step in self.timeline:
            if step.at >= self.cycle_seconds:
                raise ValueError(f"timeline step at {step.at}s is not inside the {self.cycle_seconds}s cycle")
        names = [n.name for n in self.nodes]
        if len(set(names)) != len(names):
            raise ValueError("node names must be unique")
        for obj in self.objects:
            if not isinstance(obj, dict) or not obj.get("kind") or not (obj.get("metadata") or {}).get("name"):
                raise ValueError("every manifest needs kind and metadata.name")
            try:
                resource_for(str(obj["kind"]))
            except KeyError:
                raise ValueError(f"unsupported kind {obj['kind']!r} in {obj['metadata']['name']}") from None
        return self


_TARGET = re.compile(r"^([A-Za-z]+)/(?:([a-z0-9][a-z0-9.-]*)/)?([a-z0-9][a-z0-9.-]*)$")


def parse_target(target: str) -> tuple[str, str, str]:
    """``deployment/shop/checkout`` → ``("Deployment", "shop", "checkout")``; cluster-scoped: ``node/worker-1``."""
    match = _TARGET.match(target)
    if match is None:
        raise ValueError(f"target {target!r} must read <kind>/<namespace>/<name> or <kind>/<name>")
    try:
        res = resource_for(match.group(1))
    except KeyError:
        raise ValueError(f"target {target!r}: unknown kind {match.group(1)!r}") from None
    namespace = match.group(2) or ""
    if res.namespaced != bool(namespace):
        raise ValueError(f"target {target!r}: {res.kind} is {'namespaced' if res.namespaced else 'cluster-scoped'}")
    return res.kind, namespace, match.group(3)


def parse_scenario(text: str, source: str = "<scenario>") -> Scenario:
    """Parse a scenario file's text: the first document is the scenario, the others are manifests."""
    try:
        documents = [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{source}: not valid YAML: {exc}") from None
    if not documents or not isinstance(documents[0], dict) or documents[0].get("kind") != "Scenario":
        raise ScenarioError(f"{source}: the first document must be the scenario (kind: Scenario)")
    header, manifests = documents[0], documents[1:]
    objects: list[Any] = list(header.get("objects") or [])
    for doc in manifests:
        if isinstance(doc, dict) and str(doc.get("kind", "")).endswith("List"):
            objects.extend(doc.get("items") or [])
        else:
            objects.append(doc)
    try:
        return Scenario.model_validate({**header, "objects": objects})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc") or ())
        raise ScenarioError(f"{source}: {where}: {first.get('msg')}") from None


def available_scenarios() -> list[str]:
    """Names of the scenarios shipped with the project."""
    return sorted(
        p.name.removesuffix(".yaml") for p in resources.files(SCENARIO_PACKAGE).iterdir() if p.name.endswith(".yaml")
    )


def load_scenario(name_or_path: str) -> Scenario:
    """A shipped scenario by name (``default``) or a scenario file by path."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise ScenarioError(f"scenario file {path} not found")
        return parse_scenario(path.read_text(), str(path))
    if name_or_path not in available_scenarios():
        raise ScenarioError(
            f"unknown scenario {name_or_path!r} (shipped: {', '.join(available_scenarios())}; or give a file path)"
        )
    text = resources.files(SCENARIO_PACKAGE).joinpath(f"{name_or_path}.yaml").read_text()
    return parse_scenario(text, f"scenario {name_or_path}")
