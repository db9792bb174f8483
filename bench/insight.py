"""Benchmark: the pod access and impact answers and the incident summaries on the synthetic graph
(docs/graph.md#performance-targets-and-benchmarks), 20 warm-up + 200 measured per case: server-side (graph reads
plus the Python that evaluates and shapes them), and through the routes (the app in-process, a logged-in reader,
the embedded document store: guard, JSON encoding and the incident record included).

    .venv/bin/python -m bench.graph_sync          # builds the synthetic graph (wipes the database)
    .venv/bin/python -m bench.insight [--neo4j bolt://127.0.0.1:7687] [--runs 200]

Reads only. Cases: a pod of namespace ``big`` (1,000 pods: its Secrets are mounted by 200 pods each, its ConfigMaps
by 100) and a pod of ``ns-000`` (Services, EndpointSlices, an Ingress, an HPA and NetworkPolicies around it). Prints
p50/p95 in ms per case, and the answer sizes for context.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from collections.abc import Awaitable, Callable
from typing import Any

from app.cli import freeze_startup_heap
from app.core.clock import ManualClock, utcnow
from app.factory import create_app
from app.services.insight import InsightService
from app.settings import Settings
from bench.diagram import measure
from graph.driver import create_driver

# The graph_sync bench deletes the first 100 pods of "big" in its relist test: use one it keeps.
PODS = {"big": "app-10-cur-000", "ns-000": "app-0-cur-000"}


async def main(args: argparse.Namespace) -> dict[str, Any]:
    driver = create_driver(args.neo4j, password=None)
    service = InsightService(lambda: driver)
    freeze_startup_heap()  # what `kure-monitor serve` does once the app is built
    results: dict[str, Any] = {}
    try:
        for namespace, pod in PODS.items():
            access = await service.access(namespace, pod)
            impact = await service.impact(namespace, pod)
            results[f"{namespace}/{pod} size"] = {
                "actions": len(access["actions"]),
                "subjects": sum(len(a["subjects"]) for a in access["actions"]),
                "services": len(impact["services"]),
                "service_account_grants": len((impact["service_account"] or {}).get("permissions") or []),
            }
            cases: dict[str, Callable[[], Awaitable[Any]]] = {
                f"access {namespace}/{pod}": lambda n=namespace, p=pod: service.access(n, p),
                f"impact {namespace}/{pod}": lambda n=namespace, p=pod: service.impact(n, p),
                f"incident summaries {namespace}/{pod}": lambda n=namespace, p=pod: service.summaries(n, p),
            }
            for name, call in cases.items():
                results[name] = await measure(call, args.runs, 20)
    finally:
        await driver.close()
    results.update(await routes(args))
    return results


async def routes(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as state_dir:
        settings = Settings(neo4j_uri=args.neo4j, kure_graph_watcher=False, kure_kubernetes="off",
                            kure_state_dir=state_dir, kure_cookie_secure=False)  # fmt: skip
        app = create_app(settings, clock=ManualClock(utcnow()))
        freeze_startup_heap()  # as `kure-monitor serve` does
        async with app.test_app():
            state = app.extensions["kure"]
            await asyncio.wait_for(state.indexes_ready.wait(), 15)
            await state.auth.create_user("bench", "correct-horse-battery", "read")
            client = app.test_client()
            await client.post("/api/auth/login", json={"username": "bench", "password": "correct-horse-battery"})
            agent = app.test_client()
            token = {"X-Service-Token": state.secrets.service_token}

            def get(path: str) -> Callable[[], Awaitable[Any]]:
                async def call() -> None:
                    response = await client.get(path)
                    assert response.status_code == 200, response.status_code
                    await response.get_data()

                return call

            for namespace, pod in PODS.items():
                reported = await agent.post("/api/pods/failed", headers=token,
                                            json={"namespace": namespace, "pod_name": pod})  # fmt: skip
                record = (await reported.get_json())["id"]
                size = len(await (await client.get(f"/api/pods/{namespace}/{pod}/access")).get_data())
                results[f"GET access {namespace}/{pod} bytes"] = size
                for label, path in (
                    ("access", f"/api/pods/{namespace}/{pod}/access"),
                    ("impact", f"/api/pods/{namespace}/{pod}/impact"),
                    ("failed/{id} with summaries", f"/api/pods/failed/{record}"),
                ):
                    results[f"GET {label} {namespace}/{pod}"] = await measure(get(path), args.runs, 20)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--neo4j", default="bolt://127.0.0.1:7687")
    parser.add_argument("--runs", type=int, default=200)
    figures = asyncio.run(main(parser.parse_args()))
    json.dump(figures, sys.stdout, indent=2)
    print()
