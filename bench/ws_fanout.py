"""Benchmark (targets in docs/benchmarks.md): WebSocket fan-out latency, and isolation from clients that never read.

One hypercorn worker (embedded store, so storage speed is not what is measured). ``--clients`` WebSocket clients
connect; reports are posted at ``--rate`` per second for ``--seconds``; for each report and each client the delay
from the ingest response to the message's arrival is recorded. Phase A has only reading clients; phase B adds
``--stuck`` clients that never read. Targets: p99 < 100 ms; phase B's p99 within 20 % of phase A's. ``--bare`` runs
the same phases against ``bench/_bare_app.py`` (per-client queue and send, nothing else): the ceiling of the stack.

    .venv/bin/python bench/ws_fanout.py [--clients 500] [--rate 100] [--seconds 10] [--stuck 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

import aiohttp
from _server import TOKEN, Server, percentile, start_bare_server, start_server

from tests.e2e.test_server import StuckWebSocket

HEADERS = {"X-Service-Token": TOKEN}


async def phase(server_url: str, ws_url: str, args: argparse.Namespace, label: str, port: int, stuck: int) -> float:
    responded: dict[str, float] = {}
    delays: list[float] = []
    stuck_clients = [StuckWebSocket(port) for _ in range(stuck)]
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        sockets = [await session.ws_connect(f"{ws_url}?token={TOKEN}") for _ in range(args.clients)]

        async def reader(ws: aiohttp.ClientWebSocketResponse) -> None:
            async for message in ws:
                arrived = time.perf_counter()
                data = json.loads(message.data)
                if data["type"] == "pod_failure":
                    pod = data["data"]["pod_name"]
                    sent = responded.get(pod)
                    if sent is not None:
                        delays.append(max(0.0, arrived - sent))
                    else:  # arrived before the poster saw the response: zero delay
                        delays.append(0.0)

        readers = [asyncio.create_task(reader(ws)) for ws in sockets]
        total = int(args.rate * args.seconds)
        started = time.perf_counter()
        for i in range(total):
            pod = f"{label}-{i}"
            async with session.post(f"{server_url}/api/pods/failed", headers=HEADERS,
                                    json={"pod_name": pod, "namespace": "bench",
                                          "failure_message": "x" * args.message_bytes}) as response:
                await response.read()
            responded[pod] = time.perf_counter()
            await asyncio.sleep(max(0.0, started + (i + 1) / args.rate - time.perf_counter()))
        await asyncio.sleep(2)
        for ws in sockets:
            await ws.close()
        await asyncio.gather(*readers, return_exceptions=True)
    for client in stuck_clients:
        client.sock.close()
    ms = [d * 1000 for d in delays]
    expected = total * args.clients
    print(f"{label}: {args.clients} clients (+{stuck} never reading), {total} reports, "
          f"{len(delays)}/{expected} deliveries   p50 {percentile(ms, .5):.1f} ms   p99 {percentile(ms, .99):.1f} ms")
    return percentile(ms, .99)


async def main(args: argparse.Namespace) -> None:
    if args.bare:
        print("-- framework ceiling: bench/_bare_app.py (queue per client and send; no storage, rules or auth)")
        server: Server = start_bare_server(Path(tempfile.mkdtemp()))
    else:
        # Every client uses the one service token here; lift the per-principal cap (20) for the measurement.
        server = start_server(Path(tempfile.mkdtemp()), None,
                              KURE_WEBSOCKETS_PER_PRINCIPAL=str(args.clients + args.stuck + 10))
    try:
        base = await phase(server.url, server.ws_url, args, "phase A", server.port, 0)
        with_stuck = await phase(server.url, server.ws_url, args, "phase B", server.port, args.stuck)
        print(f"p99 phase B / phase A: {with_stuck / base:.2f}   (target <= 1.20; p99 target < 100 ms)")
    finally:
        server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--stuck", type=int, default=10)
    parser.add_argument("--message-bytes", type=int, default=256)
    parser.add_argument("--bare", action="store_true",
                        help="run against bench/_bare_app.py: the fan-out ceiling of Quart + hypercorn here")
    asyncio.run(main(parser.parse_args()))
