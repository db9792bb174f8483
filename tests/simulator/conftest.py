"""A simulation of the default scenario on a manual clock, with its API server listening on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from app.simulator.clock import ManualClock
from app.simulator.engine import Simulation
from app.simulator.kubeapi import FakeKubeApi
from app.simulator.scenario import load_scenario


def pods_of(api: FakeKubeApi, namespace: str, prefix: str) -> list[dict[str, Any]]:
    return [p for p in api.list_objects("Pod", namespace) if p["metadata"]["name"].startswith(prefix + "-")]


def container_reason(pod: dict[str, Any], name: str | None = None) -> str | None:
    """The waiting/terminated reason of a container (or ``running``)."""
    status = pod.get("status") or {}
    for cs in (status.get("initContainerStatuses") or []) + (status.get("containerStatuses") or []):
        if name is None or cs["name"] == name:
            state = cs.get("state") or {}
            if "running" in state:
                return "running"
            for key in ("waiting", "terminated"):
                if key in state:
                    return str(state[key].get("reason"))
    return None


@pytest.fixture
async def simulated() -> AsyncIterator[tuple[Simulation, FakeKubeApi, aiohttp.ClientSession]]:
    api = FakeKubeApi()
    sim = Simulation(api, load_scenario("default"), seed=7, clock=ManualClock())
    sim.start()
    sim.run_until(0)
    await api.start()
    async with aiohttp.ClientSession(base_url=api.url) as http:
        yield sim, api, http
    await api.stop()
