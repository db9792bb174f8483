"""Agent benchmark (docs/benchmarks.md#agent-and-scanner): first full pass over a generated cluster and steady-state
CPU.

A fake Kubernetes API server (app/simulator/kubeapi) is seeded with ``--pods`` (10,000) pods of which ``--failing``
(5 %) fail in different ways (evicted, OOM-killed, crash loop, image pull, config error); a fake backend records the
requests. The real agent (``run_agent``) then runs in this process:

1. first pass: wall time from start until every failing pod has been reported, pods/s, and the number of HTTP
   requests sent to the backend (target: exactly one per failing pod);
2. steady state: ``--idle`` seconds with no change; the process CPU time over that period (target < 2 % of a core).
   The fake API server and backend run in the same process, so this figure is an upper bound.

Usage: ``.venv/bin/python -m bench.agent [--pods 10000] [--failing-ratio 0.05] [--idle 20]``.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import logging
import tempfile
import time
from pathlib import Path
from typing import Any

from app.agent.main import run_agent
from app.agent.settings import AgentSettings
from app.incluster.settings import load
from app.simulator.kubeapi.server import FakeKubeApi
from tests.agent.fake_backend import FakeBackend

ROOT = Path(__file__).resolve().parents[1]

NS = "kure"


def _status(kind: int) -> dict[str, Any]:
    base = {"name": "app", "image": "ghcr.io/acme/app:1.0", "ready": False, "restartCount": 3}
    if kind == 0:
        return {"phase": "Failed", "reason": "Evicted", "message": "The node was low on resource: memory."}
    if kind == 1:
        cs = {**base, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
              "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137}}}  # fmt: skip
    elif kind == 2:
        cs = {**base, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
              "lastState": {"terminated": {"reason": "Error", "exitCode": 1}}}  # fmt: skip
    elif kind == 3:
        cs = {**base, "restartCount": 0, "state": {"waiting": {"reason": "ImagePullBackOff", "message": "not found"}}}
    else:
        cs = {**base, "restartCount": 0, "state": {"waiting": {"reason": "InvalidImageName", "message": "bad"}}}
    return {"phase": "Running" if kind in (1, 2) else "Pending", "containerStatuses": [cs]}


def _pod(i: int, failing: bool) -> dict[str, Any]:
    ns = f"ns-{i % 200}"
    status = (
        _status(i % 5)
        if failing
        else {
            "phase": "Running",
            "conditions": [{"type": "Ready", "status": "True"}],
            "containerStatuses": [{"name": "app", "image": "ghcr.io/acme/app:1.0", "ready": True, "restartCount": 0,
                                   "state": {"running": {"startedAt": "2026-01-01T00:00:00Z"}}}],
        }
    )  # fmt: skip
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": f"pod-{i}", "namespace": ns, "labels": {"app": f"app-{i % 50}"},
                     "creationTimestamp": "2026-01-01T00:00:00Z"},
        "spec": {"nodeName": f"node-{i % 30}", "restartPolicy": "Always",
                 "containers": [{"name": "app", "image": "ghcr.io/acme/app:1.0",
                                 "env": [{"name": "DB_PASSWORD", "value": "x"}]}]},
        "status": copy.deepcopy(status),
    }  # fmt: skip


async def bench(pods: int, ratio: float, idle: float) -> None:
    kube = FakeKubeApi(bookmark_interval=60)
    await kube.start()
    backend = FakeBackend()
    await backend.start()
    kube.apply(
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kure-monitor-agent-state", "namespace": NS}}
    )
    step = max(1, round(1 / ratio))
    failing = 0
    for i in range(pods):
        is_failing = i % step == 0
        failing += is_failing
        kube.apply(_pod(i, is_failing))
    with tempfile.TemporaryDirectory() as tmp:
        config = kube.write_kubeconfig(Path(tmp) / "kubeconfig")
        settings = load(AgentSettings, {
            "BACKEND_URL": backend.url, "SERVICE_TOKEN": backend.token, "KUBECONFIG": str(config),
            "POD_NAME": "bench", "POD_NAMESPACE": NS, "KURE_HEALTH_PORT": "0",
            "KURE_LIST_PAGE_SIZE": "500", "LOG_LEVEL": "WARNING",
        })  # fmt: skip
        stop = asyncio.Event()
        started = time.perf_counter()
        task = asyncio.ensure_future(run_agent(settings, stop, health_host="127.0.0.1"))
        await backend.wait_for(lambda: len(backend.posts("/api/pods/failed")) >= failing, limit=600)
        first_pass = time.perf_counter() - started
        requests = len(backend.requests)
        await asyncio.sleep(2)
        before_idle = len(backend.requests)
        cpu0, wall0 = time.process_time(), time.perf_counter()
        await asyncio.sleep(idle)
        cpu = (time.process_time() - cpu0) / (time.perf_counter() - wall0)
        idle_requests = len(backend.requests) - before_idle
        stop.set()
        await asyncio.wait_for(task, 30)
    await backend.stop()
    await kube.stop()
    reported = {r.body["pod_name"] for r in backend.posts("/api/pods/failed")}
    print(f"pods: {pods}, failing: {failing}")
    print(f"first pass: {first_pass:.2f} s ({pods / first_pass:,.0f} pods/s)")
    print(f"backend requests in the first pass: {requests} (one per failing pod: {requests == failing}); "
          f"distinct pods reported: {len(reported)}")  # fmt: skip
    print(f"steady state over {idle:.0f} s: {cpu * 100:.2f} % of a core (agent + fake servers), "
          f"{idle_requests} backend requests")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pods", type=int, default=10_000)
    parser.add_argument("--failing-ratio", type=float, default=0.05)
    parser.add_argument("--idle", type=float, default=20.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(bench(args.pods, args.failing_ratio, args.idle))


if __name__ == "__main__":
    main()
