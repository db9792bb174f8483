"""Benchmark: initial graph sync of the synthetic cluster (docs/graph.md#performance-targets-and-benchmarks) and
single-event latency.

    python3 scripts/services.py up
    .venv/bin/python -m bench.graph_sync [--neo4j bolt://127.0.0.1:7687] [--events 50]
                                         [--burst-rate 500] [--burst-seconds 60] [--kubeapi]

WIPES the Neo4j database it is pointed at. Prints: the time the fake API needs to serve every list (list-only
baseline), the initial sync time (start → initial_sync_completed_at), objects/s, their ratio, the memory the
process grew by during the sync, the p50/p99 latency of a Pod label change until a Cypher read sees it (idle
system), the same lag (change → commit) under a burst of label changes and the time the queue takes to drain
after it, and the time to relist 10,000 Pods after a 410 with 100 lost deletions swept. Also counts the Cypher
statements the writer sends (initial sync, per Pod label change) and the CPU time this process (watcher and fake
API) spends on the initial sync and per burst event: figures that depend little on what else the machine runs.

``--kubeapi`` also loads the same synthetic cluster into the real kube-apiserver of ``scripts/services.py`` (once:
the objects stay for the server's lifetime, a second run finds them) and measures its list-only baseline and the
initial sync against it — real list paging (continue tokens from etcd or the watch cache) and real watches — next
to the fake's figures (``kubeapi_*``). The real server also holds its bootstrap RBAC and whatever tests left.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import graph.writer
from app.kube import KubeApiError, create_api_client, load_kube_config, request_json, resource
from app.simulator.kubeapi import FakeKubeApi
from app.simulator.kubeapi.synthetic import generate
from graph.driver import create_driver
from graph.schema import SYNC_ORDER, ensure_schema
from graph.sync import GraphSyncOptions, GraphWatcher


class StatementCounter:
    """Counts the statements the writer runs (a bench-only tap on its one statement runner)."""

    def __init__(self) -> None:
        self.count = 0
        self._run = graph.writer._run

        async def counting(tx: Any, query: str, **params: Any) -> list[dict[str, Any]]:
            self.count += 1
            return await self._run(tx, query, **params)

        graph.writer._run = counting  # type: ignore[assignment]


def rss_mib() -> float:
    """Resident memory of this process (watcher, fake API and benchmark) in MiB, from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


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


async def burst(fake: FakeKubeApi, watcher: GraphWatcher, rate: float, seconds: float) -> dict[str, Any]:
    """docs/graph.md#performance-targets-and-benchmarks: Pod label changes at ``rate``/s for ``seconds``; each event's
    time from the change in the API
    server to the commit that makes it visible, and how long the queue takes to drain after the last change."""
    writer = watcher.writer
    assert writer is not None
    changed_at: dict[str, float] = {}
    lags: list[float] = []
    after_commit = writer._after_commit

    def record(groups: Any) -> None:  # bench-only tap on the writer's post-commit hook
        now = time.perf_counter()
        for group in groups:
            for item in group.items:
                t0 = changed_at.pop(item.id, None) if item.event_type == "MODIFIED" else None
                if t0 is not None:
                    lags.append((now - t0) * 1000)
        after_commit(groups)

    writer._after_commit = record  # type: ignore[method-assign]
    pods = [
        (p["metadata"]["namespace"], p["metadata"]["name"], p["metadata"].get("labels") or {})
        for p in fake.list_objects("Pod")
    ]
    total = int(rate * seconds)
    cpu_started = time.process_time()
    started = time.perf_counter()
    for k in range(total):
        namespace, name, labels = pods[k % len(pods)]  # each Pod changes at most once per 10,000 events
        delay = started + k / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        changed_at[f"Pod/{namespace}/{name}"] = time.perf_counter()
        fake.set_labels("Pod", namespace, name, dict(labels, burst=str(k)))
    last_change = time.perf_counter()
    achieved = total / (last_change - started)
    await writer.wait_idle()
    drained = time.perf_counter() - last_change
    cpu = time.process_time() - cpu_started
    writer._after_commit = after_commit  # type: ignore[method-assign]
    return {
        "burst_events": total,
        "burst_rate_achieved": round(achieved),
        "burst_committed": len(lags),
        "burst_lag_ms_p50": round(statistics.median(lags), 1),
        "burst_lag_ms_p99": round(percentile(lags, 0.99), 1),
        "burst_drain_seconds": round(drained, 2),
        "burst_cpu_ms_per_event": round(cpu * 1000 / total, 2),
    }


async def relist_after_gone(fake: FakeKubeApi, watcher: GraphWatcher, driver: Any, stale: int) -> dict[str, Any]:
    """docs/graph.md#performance-targets-and-benchmarks: a 410 on the Pod watch after ``stale`` deletions were lost →
    relist of every Pod and a sweep of
    the stale ones; timed until the graph holds exactly the API server's Pods."""
    gone = fake.list_objects("Pod")[:stale]
    fake.hold_events("Pod")
    for pod in gone:
        fake.delete("Pod", pod["metadata"]["namespace"], pod["metadata"]["name"])
    fake.release_events("Pod")
    expected = fake.count("Pod")
    started = time.perf_counter()
    fake.drop_watches("Pod", gone=True)
    async with driver.session() as session:
        while True:
            await asyncio.sleep(0.1)
            record = await (await session.run("MATCH (p:Pod) WHERE p.origin = 'synced' RETURN count(p) AS n")).single()
            if record and record["n"] == expected:
                break
    return {"relist_after_410_pods": expected, "relist_after_410_seconds": round(time.perf_counter() - started, 2)}


def kubeapi_kubeconfig() -> Path:
    """The admin kubeconfig `scripts/services.py up` writes for the real API server."""
    services_dir = os.environ.get("KURE_SERVICES_DIR") or str(Path(__file__).resolve().parents[1] / ".services")
    return Path(services_dir) / "kubeapi" / "admin.kubeconfig"


def for_a_real_server(obj: dict[str, Any]) -> dict[str, Any]:
    """A synthetic object as a real server accepts it: status through its subresource only (left out here),
    cluster IPs allocated by the server, a restart policy on Job pods."""
    obj = copy.deepcopy({k: v for k, v in obj.items() if k != "status"})
    if obj["kind"] == "Service" and obj["spec"].get("clusterIP") != "None":
        obj["spec"] = {k: v for k, v in obj["spec"].items() if k not in ("clusterIP", "clusterIPs")}
    # A Job's pods must say what happens when they end (the fake does not validate that).
    template = (obj["spec"].get("jobTemplate", {}).get("spec", obj["spec"]) if obj["kind"] in ("Job", "CronJob")
                else {}).get("template", {})
    if template:
        template.setdefault("spec", {}).setdefault("restartPolicy", "Never")
    return obj


async def load_real_server(api: Any, objects: list[dict[str, Any]], concurrency: int = 16) -> tuple[float, int]:
    """Create every object (namespaces, nodes and ServiceAccounts first: admission needs them); an object that
    exists already (an earlier run on the same server) counts as loaded."""
    gate = asyncio.Semaphore(concurrency)

    async def create(obj: dict[str, Any]) -> int:
        path = resource(obj["kind"]).list_path(obj["metadata"].get("namespace"))
        async with gate:
            try:
                await request_json(api, "POST", path, body=for_a_real_server(obj))
            except KubeApiError as exc:
                if exc.status != 409:
                    raise
                return 0
        return 1

    created = 0
    started = time.perf_counter()
    first = {"Namespace": 0, "Node": 1, "ServiceAccount": 1}
    for phase in (0, 1, 2):
        batch = [o for o in objects if first.get(o["kind"], 2) == phase]
        created += sum(await asyncio.gather(*(create(o) for o in batch)))
    return time.perf_counter() - started, created


async def initial_sync(driver: Any, kube: Any, page_size: int) -> tuple[float, GraphWatcher, asyncio.Task[None]]:
    async with driver.session() as session:
        await (await session.run("MATCH (n) DETACH DELETE n")).consume()
    await ensure_schema(driver)
    watcher = GraphWatcher(driver, kube, options=GraphSyncOptions(page_size=page_size, status_interval=3600))
    started = time.perf_counter()
    task = asyncio.create_task(watcher.run())
    while watcher.status.initial_sync_completed_at is None:  # noqa: ASYNC110 - the status has no event to await
        await asyncio.sleep(0.05)
    return time.perf_counter() - started, watcher, task


async def against_the_real_server(args: argparse.Namespace, driver: Any, fake_sync: float) -> dict[str, Any]:
    kube = await load_kube_config(str(args.kubeapi_kubeconfig))
    if kube is None:
        raise SystemExit(f"no kubeconfig at {args.kubeapi_kubeconfig}: run python3 scripts/services.py up")
    api = create_api_client(kube)
    try:
        load_seconds, created = await load_real_server(api, list(generate(args.seed)))
        list_seconds, listed = await list_only(api, args.page_size)
    finally:
        await api.close()
    sync_seconds, watcher, task = await initial_sync(driver, kube, args.page_size)
    assert watcher.writer is not None
    await watcher.writer.wait_idle()
    await watcher.refresh_counts()
    synced = sum(k.objects for k in watcher.status.kinds.values())
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    return {
        "kubeapi_load_seconds": round(load_seconds, 1), "kubeapi_created": created,
        "kubeapi_list_only_seconds": round(list_seconds, 2), "kubeapi_listed": listed,
        "kubeapi_initial_sync_seconds": round(sync_seconds, 2),
        "kubeapi_objects_per_second": round(listed / sync_seconds),
        "kubeapi_sync_to_list_ratio": round(sync_seconds / list_seconds, 2),
        "kubeapi_to_fake_sync_ratio": round(sync_seconds / fake_sync, 2),
        "kubeapi_synced_objects": synced,
    }


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

        statements = StatementCounter()
        options = GraphSyncOptions(page_size=args.page_size, status_interval=3600)
        watcher = GraphWatcher(driver, kube, options=options)
        idle_rss = peak_rss = rss_mib()
        cpu_started = time.process_time()
        started = time.perf_counter()
        task = asyncio.create_task(watcher.run())
        while True:
            peak_rss = max(peak_rss, rss_mib())
            if watcher.status.initial_sync_completed_at is not None:
                break
            await asyncio.sleep(0.05)
        sync_seconds = time.perf_counter() - started
        sync_cpu = time.process_time() - cpu_started
        results.update(
            initial_sync_seconds=round(sync_seconds, 2),
            objects_per_second=round(objects / sync_seconds),
            sync_to_list_ratio=round(sync_seconds / list_seconds, 2),
            # docs/graph.md#performance-targets-and-benchmarks: "backend memory during initial sync <= 300 MiB above the
            # idle process"
            memory_growth_during_sync_mib=round(peak_rss - idle_rss),
            initial_sync_statements=statements.count,
            initial_sync_cpu_seconds=round(sync_cpu, 2),
        )
        await asyncio.sleep(1)
        assert watcher.writer is not None
        await watcher.writer.wait_idle()

        latencies: list[float] = []
        before_events = statements.count
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
            statements_per_label_change=round((statements.count - before_events) / max(1, len(latencies)), 1),
        )
        if args.burst_seconds > 0:
            results.update(await burst(fake, watcher, args.burst_rate, args.burst_seconds))
        results.update(await relist_after_gone(fake, watcher, driver, stale=100))
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        if args.kubeapi:
            results.update(await against_the_real_server(args, driver, sync_seconds))
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
    parser.add_argument("--burst-rate", type=float, default=500.0)
    parser.add_argument("--burst-seconds", type=float, default=60.0, help="0 skips the burst")
    parser.add_argument("--kubeapi", action="store_true", help="also sync from the real kube-apiserver")
    parser.add_argument("--kubeapi-kubeconfig", type=Path, default=kubeapi_kubeconfig())
    figures = asyncio.run(main(parser.parse_args()))
    json.dump(figures, sys.stdout, indent=2)
    print()
