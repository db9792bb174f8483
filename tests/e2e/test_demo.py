"""``kure-monitor demo`` as a process: the simulated cluster, the backend (embedded store, real Neo4j), the real
agent and the real scanner. Within 90 s of starting it, a user sees what the README promises: incidents of at
least five reasons whose rule solutions name the pod, a security feed, the main namespace's diagram, a mirror pod
with the fix running, and a recovered incident in History."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import yaml
from neo4j import AsyncDriver

from tests.e2e.conftest import TOKEN, free_port
from tests.graph.conftest import NEO4J_URI, neo4j_driver  # noqa: F401 - the fixture wipes the test Neo4j

pytestmark = pytest.mark.e2e

BUDGET_SECONDS = 90.0
SPEED = "4"
PASSWORD = "demo-password-123"
T = TypeVar("T")


class Demo:
    def __init__(self, process: subprocess.Popen[str], port: int, log_path: Path) -> None:
        self.process = process
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.started = time.monotonic()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-20000:]

    def remaining(self) -> float:
        return BUDGET_SECONDS - (time.monotonic() - self.started)


def start_demo(tmp_path: Path) -> Demo:
    port = free_port()
    log_path = tmp_path / "demo.log"
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),  # no ~/.kube/config: nothing but the simulated cluster
        "KURE_STATE_DIR": str(tmp_path / "state"),
        "KURE_COOKIE_SECURE": "false",
        "SERVICE_TOKEN": TOKEN,
        "NEO4J_URI": NEO4J_URI,
    }
    with log_path.open("w") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "demo", "--host", "127.0.0.1", "--port", str(port), "--speed", SPEED],
            stdout=handle, stderr=subprocess.STDOUT, text=True, env=environment, cwd=Path(__file__).parents[2],
        )  # fmt: skip
    return Demo(process, port, log_path)


def stop_demo(running: Demo, tmp_path: Path) -> None:
    running.process.terminate()
    try:
        code = running.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        running.process.kill()
        running.process.wait()
        raise AssertionError(f"the demo did not stop on SIGTERM:\n{running.log()}") from None
    assert code == 0, running.log()
    leftovers = subprocess.run(["pgrep", "-f", f"--kubeconfig {tmp_path}"], capture_output=True, text=True)
    assert leftovers.stdout.strip() == "", "the simulated cluster outlived the demo"


@pytest.fixture
async def demo(tmp_path: Path, neo4j_driver: AsyncDriver) -> AsyncIterator[Demo]:  # noqa: F811
    running = await asyncio.to_thread(start_demo, tmp_path)
    try:
        yield running
    finally:
        await asyncio.to_thread(stop_demo, running, tmp_path)


async def until(demo: Demo, what: str, check: Callable[[], Awaitable[T | None]]) -> T:
    """Poll ``check`` until it returns a value, within what is left of the 90 s budget."""
    last_error: Exception | None = None
    while demo.remaining() > 0:
        if demo.process.poll() is not None:
            raise AssertionError(f"the demo exited with {demo.process.returncode}:\n{demo.log()}")
        try:
            result = await check()
        except (httpx.HTTPError, AssertionError, KeyError) as exc:
            last_error, result = exc, None
        if result is not None:
            return result
        await asyncio.sleep(1.0)
    raise AssertionError(f"not within {BUDGET_SECONDS:.0f} s: {what} (last error: {last_error!r})\n{demo.log()}")


async def test_the_demo_shows_kure_working(demo: Demo) -> None:
    async with httpx.AsyncClient(base_url=demo.url, timeout=10, headers={"Origin": demo.url}) as http:

        async def ready() -> bool | None:
            return True if (await http.get("/ready")).status_code == 200 else None

        await until(demo, "the backend is ready", ready)
        signup = await http.post("/api/auth/signup", json={"username": "admin", "password": PASSWORD})
        assert signup.status_code in (200, 201), signup.text
        login = await http.post("/api/auth/login", json={"username": "admin", "password": PASSWORD})
        assert login.status_code == 200, login.text
        config = (await http.get("/api/config")).json()
        assert config["cluster_mode"] == "simulated"
        assert "SIMULATED CLUSTER" in demo.log()

        # Incidents of at least five reasons, each with a rule solution naming the real pod.
        async def incidents() -> dict[str, dict[str, Any]] | None:
            records = (await http.get("/api/pods/failed", params={"limit": 200})).json()
            by_reason = {r["failure_reason"]: r for r in records}
            return by_reason if len(by_reason) >= 5 else None

        by_reason = await until(demo, "open incidents of 5 reasons", incidents)
        for reason, record in by_reason.items():
            detail = (await http.get(f"/api/pods/failed/{record['id']}")).json()
            assert detail["solution"].startswith("## Root Cause"), reason
            assert detail["solution_source"] == "rules"
            assert record["pod_name"] in detail["solution"], (reason, detail["solution"])

        # The security feed: at least 20 findings from at least 8 checks.
        async def findings() -> list[dict[str, Any]] | None:
            rows = (await http.get("/api/security/findings", params={"limit": 500})).json()
            checks = {f["check_name"] for f in rows}
            return rows if len(rows) >= 20 and len(checks) >= 8 else None

        await until(demo, "20 findings from 8 checks", findings)

        # The diagram of the scenario's main namespace, from Neo4j.
        async def diagram() -> dict[str, Any] | None:
            response = await http.get("/api/diagram/namespace/shop")
            body: dict[str, Any] = response.json()
            return body if response.status_code == 200 and body["nodes"] else None

        shop = await until(demo, "the shop namespace diagram", diagram)
        assert any(node["kind"] == "Deployment" and node["name"] == "payments" for node in shop["nodes"])

        # A mirror of the CrashLoopBackOff incident with the missing variable added runs; unchanged, it crashes.
        async def crash_loop() -> dict[str, Any] | None:
            records = (await http.get("/api/pods/failed", params={"limit": 200})).json()
            return next((r for r in records if r["failure_reason"] == "CrashLoopBackOff"
                         and r["pod_name"].startswith("payments-")), None)  # fmt: skip

        incident = await until(demo, "the payments CrashLoopBackOff incident", crash_loop)
        preview = await http.post(f"/api/mirror/preview/{incident['id']}")
        assert preview.status_code == 200, preview.text
        manifest = yaml.safe_load(preview.json()["fixed_manifest"])
        container = manifest["spec"]["containers"][0]
        assert container["image"].endswith("payments:3.2.0")
        fixed = yaml.safe_load(yaml.safe_dump(manifest))
        fixed["spec"]["containers"][0].setdefault("env", []).append(
            {"name": "PAYMENT_GATEWAY_URL", "value": "https://gateway.payments.acme.io/v2"}
        )
        deployed = {}
        for name, candidate in (("fixed", fixed), ("unchanged", manifest)):
            response = await http.post(f"/api/mirror/deploy/{incident['id']}",
                                       json={"manifest": yaml.safe_dump(candidate), "ttl_seconds": 600})  # fmt: skip
            assert response.status_code == 201, response.text
            deployed[name] = response.json()["mirror_id"]

        async def mirror_state(mirror_id: str) -> dict[str, Any]:
            response = await http.get(f"/api/mirror/status/{mirror_id}")
            assert response.status_code == 200, response.text
            status: dict[str, Any] = response.json()
            return status

        async def fixed_runs() -> dict[str, Any] | None:
            status = await mirror_state(deployed["fixed"])
            ready = status["container_statuses"] and all(c["ready"] for c in status["container_statuses"])
            return status if status["status"] == "Running" and ready else None

        running = await until(demo, "the fixed mirror runs", fixed_runs)
        assert running["container_statuses"][0]["state"] == "running"

        async def unchanged_crashes() -> dict[str, Any] | None:
            status = await mirror_state(deployed["unchanged"])
            crashed = [c for c in status["container_statuses"] if c["reason"] == "CrashLoopBackOff"]
            return status if crashed else None

        await until(demo, "the unchanged mirror crash-loops", unchanged_crashes)

        # A pod that recovered (or was replaced by the fixed rollout): its incident is in History.
        async def history() -> list[dict[str, Any]] | None:
            records = (await http.get("/api/pods/history", params={"limit": 200})).json()
            resolved = [r for r in records if r["status"] == "resolved"]
            return resolved or None

        resolved = await until(demo, "a resolved incident in History", history)
        open_now = {r["pod_name"] for r in (await http.get("/api/pods/failed", params={"limit": 200})).json()}
        assert all(r["pod_name"] not in open_now for r in resolved)
