"""The pure rules of mirror pods: the gate on the contract's original cases, forced fields and naming, status shapes."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from app.agent.evidence import container_statuses
from app.kube.bodies import as_event, as_pod
from app.services.mirror import (
    event_rows,
    force_mirror_fields,
    mirror_pod_name,
    pod_container_statuses,
)
from app.services.mirror_gate import decide

pytestmark = pytest.mark.unit


def source() -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web"}},
        "spec": {
            "serviceAccountName": "web-sa",
            "containers": [
                {"name": "app", "image": "shop/web:1",
                 "securityContext": {"capabilities": {"add": ["NET_BIND_SERVICE"]}}},
                {"name": "proxy", "image": "envoy:1"},
            ],
            "initContainers": [{"name": "migrate", "image": "shop/migrate:1"}],
            "volumes": [{"name": "logs", "hostPath": {"path": "/var/log/web"}}, {"name": "tmp", "emptyDir": {}}],
        },
    }


def changed(change: Any) -> dict[str, Any]:
    mirror = copy.deepcopy(source())
    change(mirror["spec"])
    return mirror


def test_identical_manifest_passes() -> None:
    assert decide(source(), source()).reasons() == []


def test_kept_privileges_of_the_source_pass() -> None:
    privileged = source()
    privileged["spec"]["hostNetwork"] = True
    privileged["spec"]["containers"][0]["securityContext"]["privileged"] = True
    assert decide(privileged, copy.deepcopy(privileged)).reasons() == []


def test_an_omitted_service_account_stays_the_sources() -> None:
    decision = decide(source(), changed(lambda s: s.pop("serviceAccountName")))
    assert decision.allowed and decision.pod["spec"]["serviceAccountName"] == "web-sa"


# The contract's original reasons (privileged, host namespaces, hostPath, capabilities, escalation, service
# account) are all still refused; the gate now names each by its field path.
@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda s: s["containers"][1].update(securityContext={"privileged": True}),
         "added field 'spec.containers[proxy].securityContext.privileged'"),
        (lambda s: s["initContainers"][0].update(securityContext={"privileged": True}),
         "added field 'spec.initContainers[migrate].securityContext.privileged'"),
        (lambda s: s.update(hostNetwork=True), "added field 'spec.hostNetwork'"),
        (lambda s: s.update(hostPID=True), "added field 'spec.hostPID'"),
        (lambda s: s.update(hostIPC=True), "added field 'spec.hostIPC'"),
        (lambda s: s["volumes"].append({"name": "root", "hostPath": {"path": "/"}}),
         "added field 'spec.volumes[root]'"),
        (lambda s: s["volumes"][0].update(hostPath={"path": "/etc"}),
         "changed field 'spec.volumes[logs].hostPath.path'"),
        (lambda s: s["volumes"][1].update(hostPath={"path": "/tmp"}), "added field 'spec.volumes[tmp].hostPath.path'"),
        (lambda s: s["containers"][0]["securityContext"]["capabilities"]["add"].append("SYS_ADMIN"),
         "changed field 'spec.containers[app].securityContext.capabilities.add'"),
        (lambda s: s["containers"][1].update(securityContext={"capabilities": {"add": ["NET_ADMIN"]}}),
         "added field 'spec.containers[proxy].securityContext.capabilities.add'"),
        (lambda s: s["containers"][0]["securityContext"].update(allowPrivilegeEscalation=True),
         "added field 'spec.containers[app].securityContext.allowPrivilegeEscalation'"),
        (lambda s: s.update(serviceAccountName="cluster-admin"), "changed field 'spec.serviceAccountName'"),
        (lambda s: s["containers"].append({"name": "debug", "image": "busybox",
                                           "securityContext": {"privileged": True}}),
         "added field 'spec.containers[debug]' (the source pod has no such container)"),
    ],
)
def test_each_contract_reason_alone(change: Any, reason: str) -> None:
    assert decide(source(), changed(change)).reasons() == [reason]


def test_malformed_sources_do_not_crash_the_gate() -> None:
    odd = {"kind": "Pod", "spec": {"containers": ["not-a-dict", {"name": "x", "securityContext": "nope"}],
                                   "volumes": "none"}}
    assert decide(odd, odd).reasons() == ["changed field 'spec.containers[0]' (a container needs a name)"]
    assert decide({"kind": "Pod"}, {"kind": "Pod", "spec": None}).reasons() == []


def test_mirror_name_fits_63_characters() -> None:
    assert mirror_pod_name("web", "0123456789ab") == "web-mirror-0123456789ab"
    long_name = "a" * 70
    name = mirror_pod_name(long_name, "0123456789ab")
    assert len(name) == 63
    assert name == "a" * 43 + "-mirror-0123456789ab"
    # Exactly fitting names are kept whole.
    assert mirror_pod_name("b" * 43, "0123456789ab") == "b" * 43 + "-mirror-0123456789ab"


def test_shortened_part_drops_trailing_dash_and_dot() -> None:
    cut_at_dash = "x" * 41 + "-.yyyyyy"  # the cut at 43 characters ends in "-."
    name = mirror_pod_name(cut_at_dash, "0123456789ab")
    assert name == "x" * 41 + "-mirror-0123456789ab"
    assert len(name) <= 63


def test_forced_fields_replace_name_namespace_and_labels() -> None:
    user = source()
    user["metadata"].update(name="evil", namespace="kube-system", uid="u-1", resourceVersion="9",
                            annotations={"note": "kept"})
    user["status"] = {"phase": "Running"}
    out = force_mirror_fields(user, "web", "shop", "0123456789ab")
    assert out["metadata"] == {
        "name": "web-mirror-0123456789ab",
        "namespace": "shop",
        "labels": {"kure.io/mirror": "true", "kure.io/mirror-id": "0123456789ab", "kure.io/source-pod": "web"},
        "annotations": {"note": "kept"},
    }
    assert "status" not in out
    assert user["metadata"]["name"] == "evil"  # input untouched
    long_source = "p" * 80
    label = force_mirror_fields(user, long_source, "shop", "0123456789ab")["metadata"]["labels"]
    assert label["kure.io/source-pod"] == "p" * 63


def test_container_statuses_and_events_shapes() -> None:
    """The mirror's live status speaks like the agent's reports (one conversion, app/kube/rows.py)."""
    live = as_pod({"spec": {"containers": [{"name": "app", "image": "a:1"}, {"name": "side", "image": "b:1"},
                                           {"name": "late", "image": "c:1"}]},
                   "status": {"containerStatuses": [
        {"name": "app", "image": "a:1", "ready": False, "restartCount": 3,
         "state": {"terminated": {"reason": "Error", "exitCode": 2, "message": "boom"}}},
        {"name": "side", "image": "b:1", "ready": True, "restartCount": 0, "state": {"running": {}}},
    ]}})
    assert pod_container_statuses(live) == [
        {"name": "app", "image": "a:1", "ready": False, "restart_count": 3, "state": "terminated",
         "reason": "Error", "message": "boom", "exit_code": 2},
        {"name": "side", "image": "b:1", "ready": True, "restart_count": 0, "state": "running",
         "reason": None, "message": None, "exit_code": None},
        # No status yet (the kubelet has not reported it): listed, in an unknown state.
        {"name": "late", "image": "c:1", "ready": False, "restart_count": 0, "state": "unknown",
         "reason": None, "message": None, "exit_code": None},
    ]
    assert pod_container_statuses(live) == container_statuses(live)  # the agent's own conversion
    events = [as_event({"type": "Normal", "reason": f"R{i}", "message": "m", "count": 1,
                        "lastTimestamp": f"2026-03-26T10:{i:02d}:00Z"}) for i in range(25)]
    events.append(as_event({"type": "Warning", "reason": "Undated"}))
    rows = event_rows(events)
    assert len(rows) == 20
    assert rows[0] == {"type": "Normal", "reason": "R24", "message": "m", "timestamp": "2026-03-26T10:24:00Z",
                       "count": 1}
    assert [r["reason"] for r in rows[:3]] == ["R24", "R23", "R22"]
    assert event_rows([as_event({"type": "Warning", "reason": "Undated"})])[0]["count"] == 1  # an event happened once
