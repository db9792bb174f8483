"""Benchmark: sustained ``POST /api/pods/failed`` and database round trips per report (targets in docs/benchmarks.md).

Part 1 — one hypercorn worker on the real MongoDB-wire server, ``--clients`` concurrent agents posting for
``--seconds``, half new pods and half re-reports of pods already open; prints reports/s, p50/p99 and the ratio to
``GET /health`` measured in the same run. Targets: >= 1,500 reports/s and p99 < 50 ms.

Then the same load against the embedded store, to separate the service's own cost from the server's, and against
``bench/_bare_app.py`` — a Quart app on one hypercorn worker that only parses the JSON and answers — which is the
ceiling of this stack on this machine with this load generator (no implementation of the route can beat it).

Part 2 — the same service in-process with a pymongo command listener: the exact number of database commands
(round trips) for a new incident and for a re-report. Target: <= 4.

    .venv/bin/python -m bench.ingest [--seconds 10] [--clients 50] [--mongodb-uri mongodb://127.0.0.1:27017]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import uuid
from pathlib import Path
from typing import Any

import aiohttp
from pymongo import monitoring

from bench._server import TOKEN, Server, run_load, start_bare_server, start_server

HEADERS = {"X-Service-Token": TOKEN}


def report(pod: str) -> dict[str, Any]:
    return {
        "pod_name": pod, "namespace": "bench", "node_name": "worker-1", "failure_reason": "CrashLoopBackOff",
        "failure_message": "Back-off restarting failed container",
        "container_statuses": [{"name": "app", "image": "registry.example.com/app:1.0", "restart_count": 3,
                                "state": "waiting", "reason": "CrashLoopBackOff", "exit_code": 1}],
        "events": [{"type": "Warning", "reason": "BackOff", "message": "Back-off restarting failed container"}],
        "logs": "panic: cannot connect to database\n" * 5,
    }


async def sustained(args: argparse.Namespace, mongodb_uri: str | None, *, bare: bool = False) -> None:
    if bare:
        print("-- framework ceiling: bench/_bare_app.py (parse JSON, answer; no storage, no rules, no auth)")
        server: Server = start_bare_server(Path(tempfile.mkdtemp()))
    else:
        print(f"-- store: {mongodb_uri or 'embedded (mongomock, in-process)'}")
        server = start_server(Path(tempfile.mkdtemp()), mongodb_uri, MONGODB_TIMEOUT_MS="10000")
    try:
        # aiohttp, not httpx: httpx's async pool caps this machine near 100 req/s and would measure itself.
        connector = aiohttp.TCPConnector(limit=args.clients)
        async with aiohttp.ClientSession(server.url, connector=connector, headers=HEADERS) as client:
            open_pods = [f"repeat-{i}" for i in range(args.clients)]
            for pod in open_pods:
                async with client.post("/api/pods/failed", json=report(pod)) as response:
                    await response.read()

            async def ingest(worker: int, n: int) -> bool:
                pod = open_pods[worker] if n % 2 else f"new-{worker}-{n}"  # half re-reports, half new incidents
                async with client.post("/api/pods/failed", json=report(pod)) as response:
                    await response.read()
                    return response.status == 200

            async def health(_: int, __: int) -> bool:
                async with client.get("/health") as response:
                    await response.read()
                    return response.status == 200

            baseline = await run_load(health, args.clients, args.seconds)
            reports = await run_load(ingest, args.clients, args.seconds)
        print(baseline.line("GET /health (baseline)"))
        print(reports.line("POST /api/pods/failed"))
        print(f"ratio ingest/health: {reports.rate / baseline.rate:.2f}")
    finally:
        server.stop()


class CommandCounter(monitoring.CommandListener):
    def __init__(self) -> None:
        self.commands: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name not in ("ping", "hello", "isMaster", "endSessions"):
            self.commands.append(f"{event.command_name} {event.command.get(event.command_name)}")

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


async def round_trips(args: argparse.Namespace) -> None:
    from motor.motor_asyncio import AsyncIOMotorClient

    from app.factory import create_app
    from app.settings import Settings
    from app.wiring import backend_of
    from storage.mongo import MongoHandle

    counter = CommandCounter()
    client: Any = AsyncIOMotorClient(args.mongodb_uri, tz_aware=True, event_listeners=[counter])
    database = f"kure_bench_{uuid.uuid4().hex[:8]}"
    handle = MongoHandle(client=client, db=client[database], embedded=False)
    settings = Settings(kure_state_dir=tempfile.mkdtemp(), kure_kubernetes="off", service_token=TOKEN)
    app = create_app(settings, mongo=handle)
    try:
        async with app.test_app():
            await asyncio.wait_for(backend_of(app).jobs.indexes_ready.wait(), 30)
            test_client = app.test_client()
            # The first report reads the exclusion lists and the notification/LLM settings, which are then kept
            # for 2 s (app/core/cache.py): under load they cost one read per 2 s, not per report.
            await test_client.post("/api/pods/failed", json=report("rt-warm-up"), headers=HEADERS)
            for label, pod in (("new incident", "rt-1"), ("re-report", "rt-1"), ("new incident", "rt-2"),
                               ("re-report", "rt-2")):
                await asyncio.sleep(0.15)  # let earlier background work finish
                counter.commands.clear()
                response = await test_client.post("/api/pods/failed", json=report(pod), headers=HEADERS)
                assert response.status_code == 200
                on_path = list(counter.commands)
                await asyncio.sleep(0.15)
                later = counter.commands[len(on_path):]
                print(f"round trips, {label:<13}: {len(on_path)}  ({', '.join(on_path)})"
                      f"   then in the background: {', '.join(later) or 'nothing'}")
    finally:
        await client.drop_database(database)
        client.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--mongodb-uri", default="mongodb://127.0.0.1:27017")
    parsed = parser.parse_args()
    asyncio.run(round_trips(parsed))
    asyncio.run(sustained(parsed, parsed.mongodb_uri))
    # The same load on the in-process store: what the service itself costs, without FerretDB's scans.
    asyncio.run(sustained(parsed, None))
    # The same load on a Quart app that only parses and answers: the most this stack reaches on this machine.
    asyncio.run(sustained(parsed, None, bare=True))
