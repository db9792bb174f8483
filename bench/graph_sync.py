"""Benchmark: initial graph sync of the synthetic cluster (graph.md §6) and single-event latency.

    python3 scripts/services.py up
    .venv/bin/python -m bench.graph_sync [--neo4j bolt://127.0.0.1:7687] [--events 50]

WIPES the Neo4j database it is pointed at. Prints: the time the fake API needs to serve every list (list-only
baseline), the initial sync time (start → initial_sync_completed_at), objects/s, their ratio, and the
p50/p99 latency of a Pod label change until a Cypher read sees it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from app.kube import create_api_client, load_kube_config, request_json, resource
from graph.driver import create_driver
from graph.schema import SYNC_ORDER, ensure_schema
from graph.sync import GraphSyncOptions, GraphWatcher
from tests.fakes.kubeapi import FakeKubeApi
from tests.fakes.kubeapi.synthetic import generate


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def list_only(api: Any, page_size: int) -> tuple[float, int]:
    """Time to page through every kind with nothing done to the items (the API-serving baseline)."""
    started = time.perf_counter()
    total = 0
    for kind in SYNC_ORDER:
        token: str | None = None
        while True:
            query: list[tuple[str, str | int | bool]] = [("limit", page_size)]
            if token:
                query.append(("continue", token))
            page = await request_json(api, "GET", resource(kind).list_path(), query=query)
            total += len(page.get("items") or [])
            token = (page.get("metadata") or {}).get("continue")
            if not token:
                break
    return time.perf_counter() - started, total


async def main(args: argparse.Namespace) -> dict[str, Any]:
    fake = FakeKubeApi(bookmark_interval=30)
    objects = fake.load_objects(generate(args.seed))
    await fake.start()
    kubeconfig = fake.write_kubeconfig(Path(tempfile.mkdtemp()) / "kubeconfig")
    kube = await load_kube_config(str(kubeconfig))
    assert kube is not None
    driver = create_driver(args.neo4j, password=None)
    results: dict[str, Any] = {"objects": objects}
    try:
        async with driver.session() as session:
            await (await session.run("MATCH (n) DETACH DELETE n")).consume()
        await ensure_schema(driver)
        api = create_api_client(kube)
        try:
            list_seconds, listed = await list_only(api, args.page_size)
        finally:
            await api.close()
        results.update(list_only_seconds=round(list_seconds, 2), listed=listed)

        options = GraphSyncOptions(page_size=args.page_size, status_interval=3600)
        watcher = GraphWatcher(driver, kube, options=options)
        started = time.perf_counter()
        task = asyncio.create_task(watcher.run())
        while True:
            if watcher.status.initial_sync_completed_at is not None:
                break
            await asyncio.sleep(0.05)
        sync_seconds = time.perf_counter() - started
        results.update(
            initial_sync_seconds=round(sync_seconds, 2),
            objects_per_second=round(objects / sync_seconds),
            sync_to_list_ratio=round(sync_seconds / list_seconds, 2),
        )
        await asyncio.sleep(1)
        assert watcher.writer is not None
        await watcher.writer.wait_idle()

        latencies: list[float] = []
        pods = fake.list_objects("Pod", "big")[: args.events]
        async with driver.session() as session:
            for i, pod in enumerate(pods):
                name = pod["metadata"]["name"]
                value = f"bench-{i}"
                labels = dict(pod["metadata"].get("labels") or {}, bench=value)
                t0 = time.perf_counter()
                fake.set_labels("Pod", "big", name, labels)
                while True:
                    result = await session.run(
                        "MATCH (p:K8s {id: $id}) RETURN $label IN p.labels AS seen",
                        id=f"Pod/big/{name}",
                        label=f"bench={value}",
                    )
                    record = await result.single()
                    if record and record["seen"]:
                        break
                    await asyncio.sleep(0.002)
                latencies.append((time.perf_counter() - t0) * 1000)
                await asyncio.sleep(0.05)
        results.update(
            event_latency_ms_p50=round(statistics.median(latencies), 1),
            event_latency_ms_p99=round(percentile(latencies, 0.99), 1),
            events=len(latencies),
        )
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    finally:
        await driver.close()
        await fake.stop()
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--neo4j", default="bolt://127.0.0.1:7687")
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    figures = asyncio.run(main(parser.parse_args()))
    json.dump(figures, sys.stdout, indent=2)
    print()
