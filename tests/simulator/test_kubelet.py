"""The simulated kubelet decides a pod's fate from its spec: mirror pods created over HTTP run or fail like their
source would; logs and the log route's refusals look like a real API server's."""

from __future__ import annotations

import copy
from typing import Any

import aiohttp
import pytest

from app.simulator.engine import Simulation
from app.simulator.kubeapi import FakeKubeApi

from .conftest import container_reason, pods_of

pytestmark = pytest.mark.unit

Sim = tuple[Simulation, FakeKubeApi, aiohttp.ClientSession]


def mirror_of(source: dict[str, Any], name: str) -> dict[str, Any]:
    """What the backend deploys: the live source pod, cleaned, renamed, labels replaced (docs/mirror.md)."""
    spec = copy.deepcopy(source["spec"])
    spec.pop("nodeName", None)
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": source["metadata"]["namespace"],
                     "labels": {"kure.io/mirror": "true", "kure.io/mirror-id": "abc123def456"}},
        "spec": spec,
        "status": {"phase": "Running"},  # ignored on create, as by a real API server
    }  # fmt: skip


async def create(http: aiohttp.ClientSession, pod: dict[str, Any]) -> dict[str, Any]:
    async with http.post(f"/api/v1/namespaces/{pod['metadata']['namespace']}/pods", json=pod) as response:
        assert response.status == 201, await response.text()
        body: dict[str, Any] = await response.json()
    assert body["status"]["phase"] == "Pending"
    return body


async def test_a_mirror_with_the_missing_variable_runs_and_one_without_it_crashes(simulated: Sim) -> None:
    sim, api, http = simulated
    sim.advance(30)  # payments 3.2.0 is crash-looping
    source = next(p for p in pods_of(api, "shop", "payments") if container_reason(p) == "CrashLoopBackOff")
    fixed = mirror_of(source, "payments-mirror-fixed")
    fixed["spec"]["containers"][0]["env"].append({"name": "PAYMENT_GATEWAY_URL", "value": "https://gw.example"})
    await create(http, fixed)
    await create(http, mirror_of(source, "payments-mirror-same"))
    sim.advance(20)
    running = api.get("Pod", "shop", "payments-mirror-fixed")
    assert running is not None and running["status"]["phase"] == "Running"
    assert running["status"]["containerStatuses"][0]["ready"] is True
    assert running["spec"]["nodeName"].startswith("worker-")
    crashing = api.get("Pod", "shop", "payments-mirror-same")
    assert crashing is not None and container_reason(crashing) == "CrashLoopBackOff"
    events = [e for e in api.list_objects("Event", "shop")
              if e["involvedObject"]["name"] == "payments-mirror-fixed"]  # fmt: skip
    assert {"Scheduled", "Created", "Started"} <= {e["reason"] for e in events}


async def test_a_mirror_with_the_corrected_tag_pulls_and_runs(simulated: Sim) -> None:
    sim, api, http = simulated
    sim.advance(12)
    pulling = ("ErrImagePull", "ImagePullBackOff")
    source = next(p for p in pods_of(api, "shop", "checkout") if container_reason(p) in pulling)
    same = mirror_of(source, "checkout-mirror-same")
    fixed = mirror_of(source, "checkout-mirror-fixed")
    fixed["spec"]["containers"][0]["image"] = "registry.acme.io/shop/checkout:2.8.0"
    await create(http, same)
    await create(http, fixed)
    sim.advance(10)
    assert container_reason(api.get("Pod", "shop", "checkout-mirror-fixed") or {}) == "running"
    assert container_reason(api.get("Pod", "shop", "checkout-mirror-same") or {}) in ("ErrImagePull",
                                                                                       "ImagePullBackOff")  # fmt: skip
    # A deleted mirror is gone for good, with its logs.
    async with http.delete("/api/v1/namespaces/shop/pods/checkout-mirror-fixed") as response:
        assert response.status == 200
    sim.advance(5)
    assert api.get("Pod", "shop", "checkout-mirror-fixed") is None


async def test_previous_logs_name_the_missing_variable(simulated: Sim) -> None:
    sim, api, http = simulated
    sim.advance(40)
    pod = next(p for p in pods_of(api, "shop", "payments") if p["status"]["containerStatuses"][0]["restartCount"])
    path = f"/api/v1/namespaces/shop/pods/{pod['metadata']['name']}/log"
    async with http.get(path, params={"previous": "true"}) as response:
        assert response.status == 200
        previous = await response.text()
    assert "required environment variable PAYMENT_GATEWAY_URL is not set" in previous
    healthy = next(p for p in pods_of(api, "shop", "cart"))
    async with http.get(f"/api/v1/namespaces/shop/pods/{healthy['metadata']['name']}/log") as response:
        lines = (await response.text()).splitlines()
    assert "cart 2.3.1 listening" in lines[0]
    assert len(lines) > 5  # a pod running for days has a history


async def test_a_container_that_never_started_has_no_log(simulated: Sim) -> None:
    sim, api, http = simulated
    sim.advance(12)
    pod = next(p for p in pods_of(api, "shop", "checkout") if container_reason(p) != "running")
    async with http.get(f"/api/v1/namespaces/shop/pods/{pod['metadata']['name']}/log") as response:
        assert response.status == 400
        body = await response.json()
    assert body["message"] == (f'container "checkout" in pod "{pod["metadata"]["name"]}" is waiting to start: '
                               "trying and failing to pull image")  # fmt: skip


async def test_follow_streams_new_lines_as_they_are_written(simulated: Sim) -> None:
    sim, api, http = simulated
    pod = pods_of(api, "shop", "orders-worker")[0]
    path = f"/api/v1/namespaces/shop/pods/{pod['metadata']['name']}/log"
    async with http.get(path, params={"follow": "true", "tailLines": "1"}) as response:
        first = await response.content.readline()
        assert first
        sim.advance(30)
        following = await response.content.readline()
    assert following and following != first


async def test_deleting_a_deployment_collects_its_replicasets_and_pods(simulated: Sim) -> None:
    sim, api, http = simulated
    assert pods_of(api, "shop", "reviews")
    async with http.delete("/apis/apps/v1/namespaces/shop/deployments/reviews") as response:
        assert response.status == 200
    sim.advance(1)
    assert pods_of(api, "shop", "reviews") == []
    assert [rs for rs in api.list_objects("ReplicaSet", "shop") if rs["metadata"]["name"].startswith("reviews-")] == []


async def test_scaling_a_deployment_over_http_adds_pods(simulated: Sim) -> None:
    sim, api, http = simulated
    async with http.patch("/apis/apps/v1/namespaces/shop/deployments/reviews", json={"spec": {"replicas": 4}},
                          headers={"Content-Type": "application/merge-patch+json"}) as response:  # fmt: skip
        assert response.status == 200
    sim.advance(10)
    reviews = pods_of(api, "shop", "reviews")
    assert len(reviews) == 4 and all(container_reason(p) == "running" for p in reviews)
