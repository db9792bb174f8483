"""The default scenario's timeline: deterministic for a seed, every failure the issue names, recoveries, repeats.

Failures are judged by the agent's own classifier (``app.agent.classify``) over the pods and Events the
simulation writes — the shapes a real cluster produces (tests/fixtures/agent) — so the agent will report them.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest

from app.agent.classify import Failing, PodMemo, Timings, evaluate
from app.kube.bodies import as_event, as_pod
from app.simulator.clock import ManualClock, SimClock
from app.simulator.engine import Simulation
from app.simulator.kubeapi import FakeKubeApi
from app.simulator.scenario import load_scenario

pytestmark = pytest.mark.unit

EXPECTED_FAILURES = {
    "ImagePullBackOff": "checkout",
    "OOMKilled": "orders-worker",
    "CrashLoopBackOff": "payments",
    "Init:CrashLoopBackOff": "invoices",
    "FailedScheduling": "trainer",
    "Evicted": "recommendations",
    "CreateContainerConfigError": "storefront",
}


def play(seed: int, seconds: int) -> tuple[Simulation, FakeKubeApi]:
    api = FakeKubeApi()
    sim = Simulation(api, load_scenario("default"), seed=seed, clock=ManualClock())
    sim.start()
    sim.advance(seconds)  # every action still runs at its own scenario instant
    return sim, api


STORY_NAMESPACES = ("shop", "backoffice", "ml")


def classify_all(sim: Simulation, api: FakeKubeApi, seconds: int, start: int = 0) -> dict[str, set[str]]:
    """Step the simulation second by second and classify the pods of the story's namespaces as the agent does:
    reason -> pod names."""
    timings = Timings(short_grace=10, pending_grace=20)
    memos: dict[str, PodMemo] = {}
    found: dict[str, set[str]] = {}
    for _ in range(start, seconds):
        sim.advance(1)
        events = [e for ns in STORY_NAMESPACES for e in api.list_objects("Event", ns)]
        now = sim.wall(sim.now).timestamp()
        for pod in (p for ns in STORY_NAMESPACES for p in api.list_objects("Pod", ns)):
            uid = pod["metadata"]["uid"]
            own = [e for e in events if (e.get("involvedObject") or {}).get("uid") == uid]
            verdict = evaluate(
                memos.setdefault(uid, PodMemo(uid=uid)), as_pod(pod), [as_event(e) for e in own], now, timings
            )
            if isinstance(verdict, Failing):
                found.setdefault(verdict.reason, set()).add(pod["metadata"]["name"])
    return found


def unhealthy(api: FakeKubeApi) -> list[str]:
    bad = []
    for pod in api.list_objects("Pod"):
        status = pod.get("status") or {}
        if status.get("phase") == "Succeeded":
            continue
        ready = [cs.get("ready") for cs in status.get("containerStatuses") or []]
        if status.get("phase") != "Running" or not all(ready):
            bad.append(f"{pod['metadata']['namespace']}/{pod['metadata']['name']}")
    return bad


def test_a_seed_plays_the_same_story() -> None:
    first, api_a = play(7, 240)
    second, api_b = play(7, 240)
    other, api_c = play(8, 240)
    assert list(first.journal) == list(second.journal)
    names = sorted(p["metadata"]["name"] for p in api_a.list_objects("Pod"))
    assert names == sorted(p["metadata"]["name"] for p in api_b.list_objects("Pod"))
    assert names != sorted(p["metadata"]["name"] for p in api_c.list_objects("Pod"))
    # The story itself does not depend on the seed: the same steps happen at the same times.
    def steps(sim: Simulation) -> list[tuple[float, str]]:
        return [entry for entry in sim.journal if entry[1].startswith("timeline:")]

    assert steps(first) == steps(other)
    assert len(steps(first)) >= 12


def test_the_cluster_is_believable_and_healthy_at_the_start() -> None:
    _, api = play(7, 1)
    names = [n["metadata"]["name"] for n in api.list_objects("Namespace")]
    user_namespaces = [n for n in names if not n.startswith("kube-") and n != "default"]
    assert 10 <= len(user_namespaces) <= 16
    assert 130 <= api.count("Pod") <= 170
    kinds = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Service", "Ingress", "NetworkPolicy",
             "HorizontalPodAutoscaler", "ConfigMap", "PersistentVolumeClaim", "ServiceAccount", "Role", "RoleBinding",
             "ClusterRole", "ClusterRoleBinding", "ReplicaSet", "PersistentVolume", "Node")
    for kind in kinds:
        assert api.count(kind) > 0, kind
    assert unhealthy(api) == []
    pod = next(p for p in api.list_objects("Pod", "shop") if p["metadata"]["name"].startswith("checkout-"))
    owner = pod["metadata"]["ownerReferences"][0]
    assert owner["kind"] == "ReplicaSet" and owner["controller"] is True
    rs = api.get("ReplicaSet", "shop", owner["name"])
    assert rs is not None and rs["metadata"]["ownerReferences"][0]["name"] == "checkout"
    assert pod["spec"]["nodeName"].startswith("worker-")
    assert pod["status"]["containerStatuses"][0]["containerID"].startswith("containerd://")


def test_every_failure_of_the_story_happens_and_the_agent_classifies_it() -> None:
    sim, api = play(7, 0)
    found = classify_all(sim, api, 110)
    for reason, workload in EXPECTED_FAILURES.items():
        assert reason in found, f"{reason} never seen; seen: {sorted(found)}"
        assert any(name.startswith(workload + "-") for name in found[reason]), (reason, found[reason])


def test_the_story_recovers_before_the_cycle_ends() -> None:
    _, api = play(7, 590)
    assert unhealthy(api) == []
    # The fixed versions run: the rollouts completed.
    checkout = [p for p in api.list_objects("Pod", "shop") if p["metadata"]["name"].startswith("checkout-")]
    assert {p["spec"]["containers"][0]["image"] for p in checkout} == {"registry.acme.io/shop/checkout:2.8.0"}
    assert api.get("Node", None, "highmem-1") is not None


def test_the_timeline_repeats_from_the_starting_state() -> None:
    sim, api = play(7, 605)
    assert api.get("Node", None, "highmem-1") is None
    assert any("cycle 1 ends" in line for _, line in sim.journal)
    found = classify_all(sim, api, 720, start=605)
    assert {"ImagePullBackOff", "CrashLoopBackOff", "OOMKilled"} <= set(found)


def test_events_carry_current_timestamps() -> None:
    """With the real clock, objects and Events are stamped with the wall time they happen at."""
    api = FakeKubeApi()
    sim = Simulation(api, load_scenario("default"), seed=7, clock=SimClock(speed=100))
    sim.start()
    time.sleep(0.15)  # 15 scenario seconds: the mistyped checkout tag has failed to pull
    sim.run_until(sim.clock.elapsed())
    pulls: list[dict[str, Any]] = [e for e in api.list_objects("Event") if e["reason"] == "Failed"
                                   and "2.8.O" in e["message"]]  # fmt: skip
    assert pulls, "the mistyped tag produced no Failed event"
    assert pulls[0]["involvedObject"]["fieldPath"] == "spec.containers{checkout}"
    assert pulls[0]["source"] == {"component": "kubelet", "host": pulls[0]["reportingInstance"]}
    stamped = datetime.fromisoformat(pulls[0]["lastTimestamp"].replace("Z", "+00:00"))
    assert abs((datetime.now(UTC) - stamped).total_seconds()) < 5
