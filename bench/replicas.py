"""Benchmark (target in docs/benchmarks.md): cross-replica delivery latency of the live feed.

Two ``kure-monitor serve`` replicas on one MongoDB-wire server (``KURE_TEST_MONGODB_PORT``, as the tests use);
``--clients`` WebSocket clients spread evenly over them; reports posted to replica A at ``--rate`` per second for
``--seconds`` (open loop: a report is sent on schedule whether or not the previous one was answered). For each
report and each client the delay from A's ingest response to the message's arrival is recorded, split by where
the client is connected: on A (same replica: the baseline, measured in the same run) or on B (cross-replica: B's
tail of the event log). Target: cross-replica p99 < 250 ms at 100 reports/s with 500 clients.

    .venv/bin/python -m bench.replicas [--clients 500] [--rate 100] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

from bench._server import TOKEN, percentile, start_server
from tests.conftest import MONGO_TEST_URI
from tests.e2e.conftest import _drop_database

HEADERS = {"X-Service-Token": TOKEN}


async def run(args: argparse.Namespace, urls: list[str]) -> None:
    sent: dict[str, float] = {}
    arrivals: dict[int, dict[int, list[float]]] = {0: {}, 1: {}}  # replica -> seq -> arrival times
    seq_of: dict[str, int] = {}
    closed: list[int] = []  # close codes of clients the server closed (1013: the client read too slowly)
    statuses: list[int] = []
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        cookie = ""
        if args.message == "rescan":
            async with session.post(f"{urls[0]}/api/auth/signup",
                                    json={"username": "bench", "password": "bench-pass-1"}) as response:
                assert response.status == 201, await response.text()
                cookie = response.cookies["kure_session"].value
        sockets = [(i % 2, await session.ws_connect(f"{urls[i % 2].replace('http', 'ws')}/api/ws?token={TOKEN}"))
                   for i in range(args.clients)]

        async def reader(replica: int, ws: aiohttp.ClientWebSocketResponse) -> None:
            async for message in ws:
                arrived = time.perf_counter()
                data = json.loads(message.data)
                if data["type"] in ("pod_failure", "security_rescan_request"):
                    arrivals[replica].setdefault(data["seq"], []).append(arrived)
                    if data["type"] == "pod_failure":
                        seq_of[data["data"]["pod_name"]] = data["seq"]
            if ws.close_code is not None and ws.close_code != 1000:
                closed.append(ws.close_code)

        readers = [asyncio.create_task(reader(r, ws)) for r, ws in sockets]
        await asyncio.sleep(1)

        async def post(key: str) -> None:
            sent[key] = time.perf_counter()
            if args.message == "rescan":  # publishes one message and stores nothing else: the feed alone
                request = session.post(f"{urls[0]}/api/security/rescan", cookies={"kure_session": cookie})
            else:
                request = session.post(f"{urls[0]}/api/pods/failed", headers=HEADERS,
                                       json={"pod_name": key, "namespace": "bench"})
            async with request as response:
                await response.read()
                statuses.append(response.status)

        total = int(args.rate * args.seconds)
        started = time.perf_counter()
        posts = []
        for i in range(total):
            posts.append(asyncio.create_task(post(f"r-{i}")))
            await asyncio.sleep(max(0.0, started + (i + 1) / args.rate - time.perf_counter()))
        await asyncio.gather(*posts)
        elapsed = time.perf_counter() - started
        await asyncio.sleep(3)
        for _, ws in sockets:
            await ws.close()
        await asyncio.gather(*readers, return_exceptions=True)
    ok = sum(1 for s in statuses if s in (200, 202))
    print(f"{total} {args.message} requests to replica A in {elapsed:.1f} s ({total / elapsed:.0f}/s, offered "
          f"{args.rate:.0f}/s), {ok} accepted; {args.clients} clients, half on each replica")
    if closed:
        print(f"!! {len(closed)} clients closed by the server (codes {sorted(set(closed))}): this process could not "
              "read fast enough; the figures below are not valid")
    # A's own tail delivers at once after A stored the message; B learns it from its poll of the log.
    for replica, label in ((0, "same replica (A)"), (1, "cross-replica (B)")):
        count = sum(len(times) for times in arrivals[replica].values())
        ms = [(t - sent[pod]) * 1000 for pod, seq in seq_of.items() for t in arrivals[replica].get(seq, [])]
        figures = f"from request: p50 {percentile(ms, .5):6.1f} ms   p99 {percentile(ms, .99):6.1f} ms" if ms else ""
        print(f"{label}: {count} deliveries   {figures}")
    extra = [(t - min(arrivals[0][key])) * 1000 for key, times in arrivals[1].items() if arrivals[0].get(key)
             for t in times]
    print(f"cross-replica delay (B's arrival - A's first arrival): p50 {percentile(extra, .5):6.1f} ms   "
          f"p99 {percentile(extra, .99):6.1f} ms")
    print("target: cross-replica p99 < 250 ms")


async def main(args: argparse.Namespace) -> None:
    database = f"kure_bench_replicas_{uuid.uuid4().hex[:8]}"
    tmp = Path(tempfile.mkdtemp())
    env = {"MONGODB_DATABASE": database, "MONGODB_TIMEOUT_MS": "2000",
           "KURE_WEBSOCKETS_PER_PRINCIPAL": str(args.clients + 10)}  # one service token for every client
    servers = [start_server(tmp, MONGO_TEST_URI, wait_ready=True, port=None, **env)]
    try:
        servers.append(start_server(tmp, MONGO_TEST_URI, wait_ready=True, port=None, **env))
        print(f"machine load (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        await run(args, [s.url for s in servers])
    finally:
        for server in servers:
            server.stop()
        _drop_database(database)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--message", choices=("report", "rescan"), default="report",
                        help="report: POST /api/pods/failed; rescan: POST /api/security/rescan (the feed alone)")
    asyncio.run(main(parser.parse_args()))
