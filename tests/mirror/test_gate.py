"""The mirror gate as a pure function: every attack of the table is refused with its field paths, every
legitimate fix deploys, and a random mutation of a real pod is either an allowed change or refused."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from app.ai.manifest import clean_manifest
from app.services.mirror_gate import PROBES, MirrorDecision, decide
from tests.mirror.attacks import ATTACKS, FIXES, TRUSTED, Case, container, gate_source, preview

pytestmark = pytest.mark.unit

Json = dict[str, Any]
ALLOWED_CONTAINER_FIELDS = ("image", "command", "args", "env", "resources", *PROBES)


def gate(requested: Json) -> MirrorDecision:
    return decide(gate_source(), clean_manifest(requested, keep_node_name=True), trusted_registries=TRUSTED)


def without_allowed(pod: Json) -> Json:
    """The pod minus what a mirror may change: the forced metadata and the allowed container fields."""
    out = copy.deepcopy(pod)
    metadata = out.get("metadata") or {}
    metadata.pop("name", None)
    metadata.pop("labels", None)
    spec = out.get("spec") or {}
    spec.pop("ephemeralContainers", None)
    for list_name in ("containers", "initContainers"):
        for item in spec.get(list_name) or ():
            for field in ALLOWED_CONTAINER_FIELDS:
                item.pop(field, None)
    return out


def test_the_table_has_at_least_40_attacks() -> None:
    assert len(ATTACKS) >= 40
    assert len({case.name for case in ATTACKS}) == len(ATTACKS)


@pytest.mark.parametrize("case", ATTACKS, ids=lambda case: case.name)
def test_attack_is_refused_with_its_field_paths(case: Case) -> None:
    decision = gate(case.manifest())
    assert decision.reasons() == list(case.reasons)
    # Whatever was refused, the pod the gate built is still the source.
    assert without_allowed(decision.pod) == without_allowed(gate_source())


@pytest.mark.parametrize(("name", "change"), FIXES, ids=[name for name, _ in FIXES])
def test_legitimate_fix_deploys_with_exactly_its_change(name: str, change: Any) -> None:
    requested = copy.deepcopy(preview())
    change(requested)
    decision = gate(requested)
    assert decision.allowed, decision.reasons()
    # Everything a fix may not touch is the source's ...
    assert without_allowed(decision.pod) == without_allowed(gate_source())
    # ... and every allowed field the request sets is deployed as requested (absence included).
    for list_name in ("containers", "initContainers"):
        for wanted in requested["spec"].get(list_name) or ():
            deployed = container(decision.pod, wanted["name"], list_name)
            for field in ALLOWED_CONTAINER_FIELDS:
                if field == "image" and "image" not in wanted:
                    continue
                assert deployed.get(field) == wanted.get(field), (list_name, wanted["name"], field)


def test_omitted_fields_come_from_the_source() -> None:
    decision = gate({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"},
                     "spec": {"containers": [{"name": "app", "image": "registry.example.com/shop/web:2"}]}})
    assert decision.allowed
    spec = decision.pod["spec"]
    source = preview()["spec"]
    assert spec["automountServiceAccountToken"] is False
    assert spec["securityContext"] == source["securityContext"]
    assert spec["volumes"] == source["volumes"] and spec["tolerations"] == source["tolerations"]
    assert [c["name"] for c in spec["containers"]] == ["app", "proxy"]
    assert container(decision.pod)["securityContext"] == container(preview())["securityContext"]
    assert container(decision.pod)["volumeMounts"] == container(preview())["volumeMounts"]
    assert container(decision.pod)["image"] == "registry.example.com/shop/web:2"


def test_a_privileged_source_keeps_its_privileges_and_nothing_more() -> None:
    source = preview()
    source["spec"]["hostNetwork"] = True
    container(source)["securityContext"]["privileged"] = True
    requested = copy.deepcopy(source)
    container(requested)["command"] = ["/bin/fixed"]
    decision = decide(source, requested)
    assert decision.allowed
    assert decision.pod["spec"]["hostNetwork"] is True
    requested["spec"]["hostPID"] = True
    assert decide(source, requested).reasons() == ["added field 'spec.hostPID'"]


def test_ephemeral_containers_of_the_source_are_not_deployed() -> None:
    source = preview()
    source["spec"]["ephemeralContainers"] = [{"name": "dbg", "image": "busybox"}]
    decision = decide(source, copy.deepcopy(source))
    assert decision.allowed and "ephemeralContainers" not in decision.pod["spec"]


def test_malformed_requests_are_refused_not_crashed() -> None:
    cases: list[tuple[Json, list[str]]] = [
        ({"kind": "Pod", "spec": "x"}, ["changed field 'spec'"]),
        ({"kind": "Pod", "metadata": [1]}, ["changed field 'metadata'"]),
        ({"kind": "Pod", "spec": {"containers": {"app": {}}}}, ["changed field 'spec.containers'"]),
        ({"kind": "Pod", "spec": {"containers": [{"image": "x"}]}},
         ["changed field 'spec.containers[0]' (a container needs a name)"]),
        ({"kind": "Pod", "spec": {"containers": [{"name": "app", "env": [{"value": "x"}]}]}},
         ["changed field 'spec.containers[app].env[0]' (an environment variable needs a name)"]),
        ({"kind": "Pod", "spec": {"containers": [{"name": "app", "resources": "big"}]}},
         ["changed field 'spec.containers[app].resources'"]),
        ({"kind": "Pod", "spec": {"containers": [{"name": "app", "livenessProbe": ["x"]}]}},
         ["changed field 'spec.containers[app].livenessProbe'"]),
        ({"kind": "Pod", "spec": {"containers": [{"name": "app"}, {"name": "app"}]}},
         ["changed field 'spec.containers[app]' (the container is listed twice)"]),
        ({"kind": "Pod", "spec": {"volumes": ["x", None]}}, ["changed field 'spec.volumes[0]'"]),
    ]
    for requested, reasons in cases:
        assert decide(preview(), requested).reasons() == reasons, requested
