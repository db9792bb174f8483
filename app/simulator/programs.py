"""What a container does once it runs: its fate, decided from the pod spec and the live cluster.

The scenario's programs describe images (``registry.acme.io/shop/payments`` needs ``PAYMENT_GATEWAY_URL``; the
orders worker uses 900 MiB under load). The fate of one container instance follows from its *spec* — its env,
its memory limit, its command — so a mirror pod with the missing variable added runs, and one with the same
broken spec crashes the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .objects import mebibytes, quantity, split_image
from .scenario import Program

Obj = dict[str, Any]

#: A main container of an image no program describes: it starts, logs a little and keeps running.
DEFAULT_SERVICE = Program(
    ready_after=2.0,
    start_logs=["{time} INFO starting {container} {version}", "{time} INFO listening on :8080"],
    steady_logs=["{time} INFO GET /healthz 200 {ms}ms", "{time} INFO GET /metrics 200 {ms}ms"],
    log_every=30.0,
)
#: An init container or a batch pod of an image no program describes: it does its work and exits 0.
DEFAULT_TASK = Program(
    ready_after=0.0,
    start_logs=["{time} INFO {container}: starting"],
    completes_after=3.0,
    completion_logs=["{time} INFO {container}: done"],
)

_SHELL_EXIT = re.compile(r"(?:^|[;&|\s])exit\s+([0-9]{1,3})\s*;?\s*$")


@dataclass(frozen=True)
class Fate:
    outcome: Literal["runs", "exits", "oom", "completes"]
    after: float = 0.0
    exit_code: int = 0
    lines: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)


class Programs:
    def __init__(self, programs: Mapping[str, Program]) -> None:
        self._programs = dict(programs)

    def for_container(self, container: Obj, *, task: bool) -> Program:
        repo, tag = split_image(str(container.get("image") or ""))
        program = self._programs.get(repo)
        if program is None:
            return DEFAULT_TASK if task else DEFAULT_SERVICE
        program = program.for_tag(tag)
        if task and program.completes_after is None and program.exit_code is None and not program.requires_env:
            # A service image run as a one-off task (``pg_dump`` in the postgres image): it does its work and exits.
            return program.model_copy(update={
                "completes_after": DEFAULT_TASK.completes_after, "completion_logs": DEFAULT_TASK.completion_logs,
                "steady_logs": [], "memory": DEFAULT_TASK.memory, "memory_under_load": None,
            })  # fmt: skip
        return program


def env_names(container: Obj, namespace: str, lookup: Callable[[str, str, str], Obj | None]) -> set[str]:
    """The environment variable names a container gets: ``env`` plus the keys of ``envFrom`` sources."""
    names = {str(e.get("name")) for e in container.get("env") or [] if e.get("name")}
    for source in container.get("envFrom") or []:
        prefix = str(source.get("prefix") or "")
        for kind, ref in (("ConfigMap", source.get("configMapRef")), ("Secret", source.get("secretRef"))):
            if not ref:
                continue
            obj = lookup(kind, namespace, str(ref.get("name") or ""))
            if obj is not None:
                names.update(prefix + k for k in list(obj.get("data") or {}) + list(obj.get("stringData") or {}))
    return names


def config_error(container: Obj, namespace: str, lookup: Callable[[str, str, str], Obj | None]) -> str | None:
    """Why the kubelet cannot build the container's environment (CreateContainerConfigError), in its words."""
    for entry in container.get("env") or []:
        source = entry.get("valueFrom") or {}
        for kind, ref_key in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
            ref = source.get(ref_key)
            if not ref or ref.get("optional"):
                continue
            name, key = str(ref.get("name") or ""), str(ref.get("key") or "")
            obj = lookup(kind, namespace, name)
            if obj is None:
                return f'{kind.lower()} "{name}" not found'
            if key not in (obj.get("data") or {}) and key not in (obj.get("binaryData") or {}):
                return f"couldn't find key {key} in {kind} {namespace}/{name}"
    for source in container.get("envFrom") or []:
        for kind, ref_key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
            ref = source.get(ref_key)
            if ref and not ref.get("optional") and lookup(kind, namespace, str(ref.get("name") or "")) is None:
                return f'{kind.lower()} "{ref.get("name")}" not found'
    return None


def fate(
    program: Program,
    container: Obj,
    namespace: str,
    lookup: Callable[[str, str, str], Obj | None],
    *,
    under_load: bool,
) -> Fate:
    """What this container instance will do."""
    command = " ".join(str(part) for part in list(container.get("command") or []) + list(container.get("args") or []))
    shell_exit = _SHELL_EXIT.search(command)
    if program.exit_code is not None:
        return Fate("exits", program.exit_after, program.exit_code, program.exit_logs)
    if shell_exit is not None and int(shell_exit.group(1)) != 0:
        return Fate("exits", 1.0, int(shell_exit.group(1)), [])
    missing = [name for name in program.requires_env if name not in env_names(container, namespace, lookup)]
    if missing:
        return Fate("exits", program.crash_after, 1, program.missing_env_logs, {"missing": missing[0]})
    usage = quantity(program.memory_under_load if under_load and program.memory_under_load else program.memory)
    limit_text = ((container.get("resources") or {}).get("limits") or {}).get("memory")
    if limit_text is not None and usage > quantity(limit_text):
        values = {"limit": mebibytes(quantity(limit_text)), "usage": mebibytes(usage)}
        return Fate("oom", program.oom_after, 137, program.oom_logs, values)
    if program.completes_after is not None:
        return Fate("completes", program.completes_after, 0, program.completion_logs)
    return Fate("runs")
