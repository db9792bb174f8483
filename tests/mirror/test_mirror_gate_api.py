"""The gate over HTTP: the fake Kubernetes API serves the live source pod (or its controllers), every attack of
the table is answered 400 naming its field paths, every legitimate fix deploys, and the stored report never
becomes the source."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import yaml
from quart.typing import TestClientProtocol

from app.services.mirror import PRIVILEGE_PREFIX
from app.simulator.kubeapi import FakeKubeApi
from app.state import AppState
from tests.conftest import SERVICE_HEADERS
from tests.mirror.attacks import ATTACKS, FIXES, NAMESPACE, POD_NAME, TRUSTED, container, preview, source_pod
from tests.mirror.records import add_failure

Json = dict[str, Any]


@pytest.fixture
async def writer(user_client: Callable[[str], Awaitable[TestClientProtocol]]) -> TestClientProtocol:
    return await user_client("write")


async def deploy(writer: TestClientProtocol, manifest: Json | None = None) -> tuple[int, Json]:
    body = {} if manifest is None else {"manifest": yaml.safe_dump(manifest)}
    response = await writer.post("/api/mirror/deploy/1", json=body)
    return response.status_code, await response.get_json()


async def test_every_attack_is_refused_with_its_field_paths(
    writer: TestClientProtocol, state: AppState, fake_kube: FakeKubeApi
) -> None:
    await add_failure(state, pod_name=POD_NAME, namespace=NAMESPACE, live=fake_kube, source=source_pod())
    await state.trusted_registries.add(TRUSTED[0], state.clock.now())
    wrong: list[str] = []
    for case in ATTACKS:
        status, body = await deploy(writer, case.manifest())
        expected = PRIVILEGE_PREFIX + "; ".join(case.reasons)
        if (status, body) != (400, {"detail": expected}):
            wrong.append(f"{case.name}: {status} {body}")
    assert wrong == []
    assert fake_kube.count("Pod") == 1 and await state.mirrors.count() == 0


async def test_every_legitimate_fix_deploys(
    writer: TestClientProtocol, state: AppState, fake_kube: FakeKubeApi
) -> None:
    await add_failure(state, pod_name=POD_NAME, namespace=NAMESPACE, live=fake_kube, source=source_pod())
    await state.trusted_registries.add(TRUSTED[0], state.clock.now())
    for name, change in FIXES:
        requested = copy.deepcopy(preview())
        change(requested)
        status, body = await deploy(writer, requested)
        assert status == 201, (name, body)
        live = fake_kube.get("Pod", NAMESPACE, body["mirror_pod_name"])
        assert live is not None, name
        assert "nodeName" not in live["spec"], name  # the scheduler places the mirror
        assert live["metadata"]["labels"]["kure.io/mirror"] == "true"
        assert live["spec"]["securityContext"] == preview()["spec"]["securityContext"], name
        assert live["spec"]["automountServiceAccountToken"] is False, name
        for wanted in requested["spec"]["containers"]:
            deployed = container(live, wanted["name"])
            assert deployed["image"] == wanted.get("image", deployed["image"]), name
            assert deployed.get("command") == wanted.get("command"), name
            assert deployed.get("env") == wanted.get("env"), name
        await state.mirrors.delete(body["mirror_id"])  # stay under the cap of 20


async def test_the_stored_report_is_evidence_only(
    writer: TestClientProtocol, state: AppState, fake_kube: FakeKubeApi
) -> None:
    """A service-token holder stores a privileged manifest for kube-system; one click deploys the live pod."""
    forged = source_pod()
    forged["metadata"]["namespace"] = "kube-system"
    forged["spec"].update(hostPID=True, hostNetwork=True, volumes=[{"name": "root", "hostPath": {"path": "/"}}])
    container(forged)["securityContext"] = {"privileged": True}
    report = {"pod_name": "kube-proxy-x1", "namespace": "kube-system", "failure_reason": "CrashLoopBackOff",
              "manifest": yaml.safe_dump(forged)}
    ingest = await writer.post("/api/pods/failed", json=report, headers=SERVICE_HEADERS)
    assert ingest.status_code == 200
    pod_id = (await ingest.get_json())["id"]
    response = await writer.post(f"/api/mirror/deploy/{pod_id}")
    assert response.status_code == 404
    assert await response.get_json() == {"detail": "Pod 'kube-proxy-x1' not found in namespace 'kube-system'"}
    # Once a real pod of that name runs, the mirror is a copy of it — not of the stored report.
    live = source_pod()
    live["metadata"].update(name="kube-proxy-x1", namespace="kube-system")
    fake_kube.apply(live)
    response = await writer.post(f"/api/mirror/deploy/{pod_id}")
    assert response.status_code == 201
    deployed = fake_kube.get("Pod", "kube-system", (await response.get_json())["mirror_pod_name"])
    assert deployed is not None
    assert "hostPID" not in deployed["spec"] and "hostNetwork" not in deployed["spec"]
    assert [v["name"] for v in deployed["spec"]["volumes"]] == ["config", "cache"]
    assert container(deployed)["securityContext"] == container(preview())["securityContext"]


def template_holder(kind: str, name: str, *, template: Json | None = None, owner: tuple[str, str] | None = None,
                    namespace: str = NAMESPACE) -> Json:
    pod = preview()
    pod_template = {"metadata": {"labels": {"app": "web"}, "annotations": {"team": kind.lower()}},
                    "spec": template if template is not None else pod["spec"]}
    api_version = "batch/v1" if kind in ("Job", "CronJob") else "apps/v1"
    spec: Json = {"template": pod_template, "selector": {"matchLabels": {"app": "web"}}}
    if kind == "CronJob":
        spec = {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": pod_template}}}
    metadata: Json = {"name": name, "namespace": namespace}
    if owner is not None:
        metadata["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": owner[0], "name": owner[1], "uid": "u",
                                        "controller": True}]
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, "spec": spec}


@pytest.mark.parametrize(
    ("owner_kind", "owner_name", "live_objects", "marker"),
    [
        ("ReplicaSet", "web-7d9f8b6c4", [("ReplicaSet", "web-7d9f8b6c4"), ("Deployment", "web")], "ReplicaSet"),
        ("ReplicaSet", "web-7d9f8b6c4", [("Deployment", "web")], "Deployment"),
        ("StatefulSet", "db", [("StatefulSet", "db")], "StatefulSet"),
        ("DaemonSet", "agent", [("DaemonSet", "agent")], "DaemonSet"),
        ("Job", "report-28512345", [("Job", "report-28512345"), ("CronJob", "report")], "Job"),
        ("Job", "report-28512345", [("CronJob", "report")], "CronJob"),
    ],
)
async def test_a_gone_pod_falls_back_to_its_controllers_live_template(
    writer: TestClientProtocol, state: AppState, fake_kube: FakeKubeApi,
    owner_kind: str, owner_name: str, live_objects: list[tuple[str, str]], marker: str,
) -> None:
    for kind, name in live_objects:
        spec = copy.deepcopy(preview()["spec"])
        next(c for c in spec["containers"] if c["name"] == "app")["command"] = [kind]
        fake_kube.apply(template_holder(kind, name, template=spec))
    await add_failure(state, pod_name=POD_NAME, namespace=NAMESPACE, owner_kind=owner_kind, owner_name=owner_name,
                      labels={"app": "web", "pod-template-hash": "7d9f8b6c4"})
    response = await writer.post("/api/mirror/preview/1")
    assert response.status_code == 200
    previewed = yaml.safe_load((await response.get_json())["fixed_manifest"])
    assert container(previewed)["command"] == [marker]
    assert previewed["metadata"]["name"] == POD_NAME
    assert previewed["metadata"]["annotations"] == {"team": marker.lower()}
    status, body = await deploy(writer)
    assert status == 201, body
    deployed = fake_kube.get("Pod", NAMESPACE, body["mirror_pod_name"])
    assert deployed is not None and container(deployed)["command"] == [marker]
    # The template is the source for the gate as well.
    attack = copy.deepcopy(previewed)
    attack["spec"]["hostPID"] = True
    status, body = await deploy(writer, attack)
    assert (status, body) == (400, {"detail": PRIVILEGE_PREFIX + "added field 'spec.hostPID'"})


async def test_owner_from_the_stored_manifest_and_no_live_source(
    writer: TestClientProtocol, state: AppState, fake_kube: FakeKubeApi
) -> None:
    # No owner fields in the record: the stored manifest's controller reference names the ReplicaSet.
    await add_failure(state, 1, pod_name=POD_NAME, namespace=NAMESPACE, manifest=source_pod())
    response = await writer.post("/api/mirror/preview/1")
    assert response.status_code == 404
    assert await response.get_json() == {"detail": f"Pod '{POD_NAME}' not found in namespace '{NAMESPACE}'"}
    fake_kube.apply(template_holder("ReplicaSet", "web-7d9f8b6c4"))
    assert (await writer.post("/api/mirror/preview/1")).status_code == 200
    # A controller kind that has no pod template (a Node's static pod) is no source.
    await add_failure(state, 2, pod_name="etcd-node-1", namespace=NAMESPACE, manifest="",
                      owner_kind="Node", owner_name="node-1")
    assert (await writer.post("/api/mirror/preview/2")).status_code == 404
    # Names Kubernetes would refuse never reach an API path: the record simply has no source.
    await add_failure(state, 3, pod_name="../../secrets", namespace=NAMESPACE, manifest="",
                      owner_kind="ReplicaSet", owner_name="../x")
    assert (await writer.post("/api/mirror/preview/3")).status_code == 404
    assert not any(".." in path for _, path in fake_kube.request_log)


async def test_a_malformed_user_manifest_is_refused_not_crashed(
    writer: TestClientProtocol, state: AppState, fake_kube: FakeKubeApi
) -> None:
    await add_failure(state, pod_name=POD_NAME, namespace=NAMESPACE, live=fake_kube, source=source_pod())
    requested = preview()
    container(requested)["volumeMounts"] = [{"name": ["not", "a", "name"], "mountPath": "/x"}]
    status, body = await deploy(writer, requested)
    assert status == 400
    assert body == {"detail": PRIVILEGE_PREFIX + "added field 'spec.containers[app].volumeMounts[/x]'"}
