"""The mirror-pod gate: a mirror is its live source pod plus the changes a fix needs — nothing else.

The requested pod (a user's manifest or the fix generator's) is compared with the source over the whole pod.
Only these may differ, per container (``containers`` and ``initContainers``, matched by name):

- ``image`` — from the source image's repository (a new tag or digest), or from a trusted registry;
- ``command`` and ``args``;
- ``env`` — literal values may be added, changed or removed; an entry with ``valueFrom`` must be the source's
  entry of that name, unchanged (no new Secret, ConfigMap or field references), and ``envFrom`` is not allowed
  to change at all;
- ``resources`` — ``limits`` and ``requests`` (``claims`` must stay the source's);
- ``livenessProbe``, ``readinessProbe``, ``startupProbe`` — except a probe's ``host``, which would point the
  kubelet at another machine.

Everything else — every other field of the pod spec and of each container, known today or added by a future
Kubernetes version — must equal the source wherever the request sets it, or the request is refused with one
:class:`Refusal` per offending field path. A field the request leaves out is taken from the source, so leaving a
field out can never lift a restriction (an omitted ``automountServiceAccountToken: false`` stays ``false``).
For the allowed fields the request's value wins, absence included (removing a failing probe is a fix).

The result is built from the source (:attr:`MirrorDecision.pod`), never from the request, so a field the gate
does not know cannot slip through. Metadata: ``name`` and ``labels`` are replaced by the caller's forced mirror
fields; ``namespace`` must be the source's; annotations must equal the source's (annotations drive sidecar
injection and secret injectors).

Pure: no I/O, no web framework. docs/mirror.md ("The gate") explains the choices.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from app.incluster.images import is_trusted, parse_image

Json = dict[str, Any]

#: Every PodSpec field of Kubernetes 1.34; a field outside this set is reported as ``unknown``.
POD_SPEC_FIELDS = frozenset({
    "activeDeadlineSeconds", "affinity", "automountServiceAccountToken", "containers", "dnsConfig", "dnsPolicy",
    "enableServiceLinks", "ephemeralContainers", "hostAliases", "hostIPC", "hostNetwork", "hostPID", "hostUsers",
    "hostname", "hostnameOverride", "imagePullSecrets", "initContainers", "nodeName", "nodeSelector", "os",
    "overhead", "preemptionPolicy", "priority", "priorityClassName", "readinessGates", "resourceClaims",
    "resources", "restartPolicy", "runtimeClassName", "schedulerName", "schedulingGates", "securityContext",
    "serviceAccount", "serviceAccountName", "setHostnameAsFQDN", "shareProcessNamespace", "subdomain",
    "terminationGracePeriodSeconds", "tolerations", "topologySpreadConstraints", "volumes",
})
#: Every Container field of Kubernetes 1.34.
CONTAINER_FIELDS = frozenset({
    "args", "command", "env", "envFrom", "image", "imagePullPolicy", "lifecycle", "livenessProbe", "name",
    "ports", "readinessProbe", "resizePolicy", "resources", "restartPolicy", "restartPolicyRules",
    "securityContext", "startupProbe", "stdin", "stdinOnce", "terminationMessagePath", "terminationMessagePolicy",
    "tty", "volumeDevices", "volumeMounts", "workingDir",
})
#: The fields of a Pod object and of its metadata that a mirror request may carry.
POD_FIELDS = frozenset({"apiVersion", "kind", "metadata", "spec"})
METADATA_FIELDS = frozenset({"name", "namespace", "labels", "annotations"})

CONTAINER_LISTS = ("containers", "initContainers")
PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
PROBE_FIELDS = frozenset({
    "exec", "httpGet", "tcpSocket", "grpc", "initialDelaySeconds", "periodSeconds", "timeoutSeconds",
    "successThreshold", "failureThreshold", "terminationGracePeriodSeconds",
})
RESOURCE_FIELDS = frozenset({"limits", "requests", "claims"})
ENV_FIELDS = frozenset({"name", "value", "valueFrom"})

#: Lists whose items Kubernetes keys by a field (strategic merge keys): reported as ``path[key]``.
POD_LIST_KEYS: Mapping[str, str] = {
    "volumes": "name", "imagePullSecrets": "name", "resourceClaims": "name", "hostAliases": "ip",
    "readinessGates": "conditionType", "schedulingGates": "name",
}
#: String maps whose keys are reported as ``path[key]`` (their keys contain dots: ``kubernetes.io/os``).
POD_MAP_FIELDS = frozenset({"nodeSelector", "overhead"})
CONTAINER_LIST_KEYS: Mapping[str, str] = {
    "env": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath", "resizePolicy": "resourceName",
    "ports": "containerPort",
}


class Change(Enum):
    ADDED = "added"
    CHANGED = "changed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Refusal:
    """One field the request may not set: ``<change> field '<path>'`` (plus a note where the path alone does not
    say why)."""

    change: Change
    path: str
    note: str = ""

    def __str__(self) -> str:
        text = f"{self.change.value} field '{self.path}'"
        return f"{text} ({self.note})" if self.note else text


@dataclass(frozen=True)
class MirrorDecision:
    """``pod``: the source with the allowed changes applied (what to deploy, before the forced mirror fields);
    ``refusals``: why the request cannot be deployed, empty when it can."""

    pod: Json
    refusals: tuple[Refusal, ...]

    @property
    def allowed(self) -> bool:
        return not self.refusals

    def reasons(self) -> list[str]:
        return [str(refusal) for refusal in self.refusals]


def _mapping(value: object) -> Json:
    return value if isinstance(value, dict) else {}


def _item_key(item: object, key: str) -> str | None:
    value = item.get(key) if isinstance(item, dict) else None
    if isinstance(value, bool) or value is None or value == "":
        return None
    return str(value) if isinstance(value, str | int) else None


def _by_key(items: object, key: str) -> dict[str, Json]:
    found: dict[str, Json] = {}
    for item in items if isinstance(items, list) else ():
        name = _item_key(item, key)
        if name is not None and name not in found:
            found[name] = item
    return found


class _Gate:
    def __init__(self, trusted_registries: Iterable[str]) -> None:
        self.trusted = tuple(trusted_registries)
        self.refusals: list[Refusal] = []

    def refuse(self, change: Change, path: str, note: str = "") -> None:
        self.refusals.append(Refusal(change, path, note))

    # -- "must equal the source wherever the request sets it"

    def same(self, path: str, wanted: object, have: object, *, known: bool = True, list_key: str | None = None,
             bracket_keys: bool = False) -> None:
        """Refuse every place where ``wanted`` sets something other than ``have``. ``None`` means "not set"."""
        if wanted is None or wanted == have:
            return
        if not known:
            self.refuse(Change.UNKNOWN, path)
            return
        if isinstance(wanted, dict) and (have is None or isinstance(have, dict)):
            base = _mapping(have)
            for key in sorted(wanted, key=str):
                child = f"{path}[{key}]" if bracket_keys else f"{path}.{key}"
                self.same(child, wanted[key], base.get(key))
            return
        if list_key is not None and isinstance(wanted, list) and (have is None or isinstance(have, list)):
            source_items = _by_key(have, list_key)
            for index, item in enumerate(wanted):
                name = _item_key(item, list_key)
                if name is None:
                    if item is not None:
                        self.refuse(Change.CHANGED, f"{path}[{index}]")
                elif name in source_items:
                    self.same(f"{path}[{name}]", item, source_items[name])
                else:
                    self.refuse(Change.ADDED, f"{path}[{name}]")
            return
        self.refuse(Change.ADDED if have is None else Change.CHANGED, path)

    # -- the pod

    def pod(self, source: Json, requested: Json) -> Json:
        for key in sorted(requested, key=str):
            if key in ("kind", "metadata", "spec"):
                continue
            self.same(str(key), requested[key], source.get(key), known=key in POD_FIELDS)
        self.metadata(_mapping(source.get("metadata")), requested.get("metadata"))
        built = copy.deepcopy(source)
        built["spec"] = self.spec(_mapping(source.get("spec")), requested.get("spec"))
        return built

    def metadata(self, source: Json, wanted: object) -> None:
        if wanted is None:
            return
        if not isinstance(wanted, dict):
            self.refuse(Change.CHANGED, "metadata")
            return
        for key in sorted(wanted, key=str):
            if key in ("name", "labels"):
                continue  # replaced by the mirror's own name and labels
            if key == "annotations":
                self.same("metadata.annotations", wanted[key], source.get(key), bracket_keys=True)
            else:
                self.same(f"metadata.{key}", wanted[key], source.get(key), known=key in METADATA_FIELDS)

    def spec(self, source: Json, wanted: object) -> Json:
        built = copy.deepcopy(source)
        # Ephemeral containers cannot be set when a pod is created; a mirror never has them.
        built.pop("ephemeralContainers", None)
        if wanted is None:
            return built
        if not isinstance(wanted, dict):
            self.refuse(Change.CHANGED, "spec")
            return built
        for key in sorted(wanted, key=str):
            if key in CONTAINER_LISTS:
                if key in source or wanted[key]:
                    built[key] = self.containers(key, source.get(key), wanted[key])
            elif key == "ephemeralContainers":
                if wanted[key]:
                    self.same("spec.ephemeralContainers", wanted[key], source.get(key), list_key="name")
            else:
                self.same(f"spec.{key}", wanted[key], source.get(key), known=key in POD_SPEC_FIELDS,
                          list_key=POD_LIST_KEYS.get(str(key)), bracket_keys=key in POD_MAP_FIELDS)
        return built

    # -- containers

    def containers(self, list_name: str, source: object, wanted: object) -> list[Json]:
        have = [c for c in source if isinstance(c, dict)] if isinstance(source, list) else []
        if wanted is None:
            return copy.deepcopy(have)
        path = f"spec.{list_name}"
        if not isinstance(wanted, list):
            self.refuse(Change.CHANGED, path)
            return copy.deepcopy(have)
        source_by_name = _by_key(have, "name")
        requested: dict[str, Json] = {}
        for index, item in enumerate(wanted):
            name = _item_key(item, "name")
            if item is None:
                continue
            if name is None or not isinstance(item, dict):
                self.refuse(Change.CHANGED, f"{path}[{index}]", "a container needs a name")
            elif name not in source_by_name:
                self.refuse(Change.ADDED, f"{path}[{name}]", "the source pod has no such container")
            elif name in requested:
                self.refuse(Change.CHANGED, f"{path}[{name}]", "the container is listed twice")
            else:
                requested[name] = item
        built = []
        for container in have:
            name = _item_key(container, "name")
            wanted_container = requested.get(name) if name is not None else None
            if wanted_container is None:
                built.append(copy.deepcopy(container))
            else:
                built.append(self.container(f"{path}[{name}]", container, wanted_container))
        return built

    def container(self, path: str, have: Json, wanted: Json) -> Json:
        built = copy.deepcopy(have)
        for key in sorted(wanted, key=str):
            value = wanted[key]
            if key == "name":
                continue
            if key == "image":
                if value is not None:
                    self.image(f"{path}.image", value, have.get("image"))
                    if self.image_allowed(value, have.get("image")):
                        built["image"] = value
            elif key in ("command", "args"):
                pass  # applied below, absence included
            elif key == "env":
                self.env(f"{path}.env", have.get("env"), value)
            elif key == "resources":
                self.resources(f"{path}.resources", have.get("resources"), value)
            elif key in PROBES:
                self.probe(f"{path}.{key}", have.get(key), value)
            else:
                self.same(f"{path}.{key}", value, have.get(key), known=key in CONTAINER_FIELDS,
                          list_key=CONTAINER_LIST_KEYS.get(str(key)))
        for key in ("command", "args", "env", "resources", *PROBES):
            if wanted.get(key) is None:
                built.pop(key, None)
            else:
                built[key] = copy.deepcopy(wanted[key])
        if isinstance(built.get("env"), list):
            built["env"] = [item for item in built["env"] if item is not None]
        return built

    def image_allowed(self, wanted: object, have: object) -> bool:
        if wanted == have:
            return True
        new = parse_image(wanted)
        if new is None:
            return False
        old = parse_image(have)
        if old is not None and (new.registry, new.path) == (old.registry, old.path):
            return True
        return is_trusted(new, self.trusted)

    def image(self, path: str, wanted: object, have: object) -> None:
        if self.image_allowed(wanted, have):
            return
        if parse_image(wanted) is None:
            self.refuse(Change.CHANGED, path, "not a valid image reference")
        else:
            self.refuse(Change.CHANGED, path, f"'{wanted}' is neither from the source's repository nor from a "
                                              "trusted registry")

    def env(self, path: str, have: object, wanted: object) -> None:
        if wanted is None:
            return
        if not isinstance(wanted, list):
            self.refuse(Change.CHANGED, path)
            return
        source_items = _by_key(have, "name")
        for index, item in enumerate(wanted):
            name = _item_key(item, "name")
            if item is None:
                continue
            if name is None or not isinstance(item, dict):
                self.refuse(Change.CHANGED, f"{path}[{index}]", "an environment variable needs a name")
                continue
            for key in sorted(item, key=str):
                if key not in ENV_FIELDS and item[key] is not None:
                    self.refuse(Change.UNKNOWN, f"{path}[{name}].{key}")
            value_from = item.get("valueFrom")
            if value_from is not None:
                source_from = _mapping(source_items.get(name)).get("valueFrom")
                if value_from != source_from:
                    change = Change.ADDED if source_from is None else Change.CHANGED
                    self.refuse(change, f"{path}[{name}].valueFrom", "only literal values may change")

    def resources(self, path: str, have: object, wanted: object) -> None:
        if wanted is None:
            return
        if not isinstance(wanted, dict):
            self.refuse(Change.CHANGED, path)
            return
        for key in sorted(wanted, key=str):
            if key == "claims":
                self.same(f"{path}.claims", wanted[key], _mapping(have).get("claims"), list_key="name")
            elif key not in RESOURCE_FIELDS and wanted[key] is not None:
                self.refuse(Change.UNKNOWN, f"{path}.{key}")

    def probe(self, path: str, have: object, wanted: object) -> None:
        if wanted is None:
            return
        if not isinstance(wanted, dict):
            self.refuse(Change.CHANGED, path)
            return
        for key in sorted(wanted, key=str):
            if key not in PROBE_FIELDS and wanted[key] is not None:
                self.refuse(Change.UNKNOWN, f"{path}.{key}")
        for handler in ("httpGet", "tcpSocket", "grpc"):
            wanted_handler = wanted.get(handler)
            if not isinstance(wanted_handler, dict):
                continue
            have_host = _mapping(_mapping(have).get(handler)).get("host")
            host = wanted_handler.get("host")
            if host is not None and host != have_host:
                self.refuse(Change.ADDED if have_host is None else Change.CHANGED, f"{path}.{handler}.host",
                            "a probe may only reach its own pod")


def _without_nulls(value: Any) -> Any:
    """``null`` means "not set" in Kubernetes: drop null-valued keys at every depth (list items stay)."""
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def decide(source: Json, requested: Json, *, trusted_registries: Iterable[str] = ()) -> MirrorDecision:
    """Compare a requested mirror pod with its source (both cleaned Pod objects); see the module docstring."""
    gate = _Gate(trusted_registries)
    pod = gate.pod(source, _without_nulls(requested))
    return MirrorDecision(pod=pod, refusals=tuple(gate.refusals))


def allowed_change_paths() -> tuple[str, ...]:
    """The container fields a mirror may change (for documentation and tests)."""
    return ("image", "command", "args", "env", "resources", *PROBES)
