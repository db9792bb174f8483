"""Log streaming benchmark (docs/benchmarks.md#log-streaming): N concurrent SSE log streams, each fed R lines/s by the
fake Kubernetes API.

Three processes, so the backend's CPU time can be read from /proc and the load generator does not starve it: the
backend (``python -m app.cli serve``), this process (the fake API server and the line producer) and a reader
process holding the SSE streams (this script with ``--reader``). Every line carries the CLOCK_MONOTONIC time it
was appended (shared by all processes on Linux), so the readers measure end-to-end lag (fake → backend → reader).

Reported: lines sent/received, lag percentiles per third of the run (a growing lag means the backend does not keep
up), backend CPU as a percentage of one core, and whether every Kubernetes follow connection was closed after
the readers left (the departed-client rule of docs/api.md#following-logs).

    .venv/bin/python bench/log_stream.py [--streams 100] [--rate 50] [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.simulator.kubeapi import FakeKubeApi  # noqa: E402

TOKEN = "bench-service-token-0123456789"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def pod(name: str) -> dict[str, object]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "bench"},
        "spec": {"containers": [{"name": "app", "image": "bench:1"}]},
        "status": {"phase": "Running"},
    }


class Reader:
    def __init__(self) -> None:
        self.lags: list[tuple[float, float]] = []  # (receive time, lag seconds)
        self.received = 0
        self.keepalives = 0


async def read_stream(session: aiohttp.ClientSession, url: str, reader: Reader, ready: asyncio.Event) -> None:
    async with session.get(url) as response:
        if response.status != 200:
            raise RuntimeError(f"stream answered {response.status}: {await response.text()}")
        ready.set()
        async for raw in response.content:
            line = raw.rstrip(b"\n")
            if line.startswith(b"data: t="):
                now = time.monotonic()
                reader.lags.append((now, now - float(line[8:].split(b" ", 1)[0])))
                reader.received += 1
            elif line == b": keep-alive":
                reader.keepalives += 1


async def reader_main(base: str, streams: int) -> int:
    """``--reader`` mode: open the streams, print ``ready``, read until stdin closes, print the lags as JSON."""
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=None))
    readers = [Reader() for _ in range(streams)]
    ready = [asyncio.Event() for _ in range(streams)]
    tasks = [
        asyncio.create_task(
            read_stream(
                session, f"{base}/api/pods/bench/bench-{i}/logs/stream?tail_lines=1&token={TOKEN}", reader, event
            )
        )
        for i, (reader, event) in enumerate(zip(readers, ready, strict=True))
    ]
    await asyncio.wait_for(asyncio.gather(*(e.wait() for e in ready)), 30)
    print("ready", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # the driver closes stdin when the run is over
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await session.close()
    pairs = [(round(t, 4), round(lag, 5)) for r in readers for t, lag in r.lags]
    print(json.dumps({"received": sum(r.received for r in readers), "lags": pairs}), flush=True)
    return 0


async def wait_healthy(base: str, proc: subprocess.Popen[bytes]) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(200):
            if proc.poll() is not None:
                raise RuntimeError("backend exited during startup")
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(f"{base}/health") as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.1)
    raise RuntimeError("backend did not become healthy")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def run(streams: int, rate: float, seconds: float, profile: str | None = None) -> int:
    fake = FakeKubeApi()
    await fake.start()
    names = [f"bench-{i}" for i in range(streams)]
    for name in names:
        fake.apply(pod(name))
    tmp = Path(tempfile.mkdtemp(prefix="kure-bench-"))
    kubeconfig = fake.write_kubeconfig(tmp / "kubeconfig")
    port = free_port()
    env = {
        **os.environ,
        "KUBECONFIG": str(kubeconfig),
        "KURE_KUBERNETES": "auto",
        "SERVICE_TOKEN": TOKEN,
        "KURE_STATE_DIR": str(tmp / "state"),
        "LOG_LEVEL": "WARNING",
        "KURE_GRAPH_WATCHER": "false",
        # All streams come from one service token here; lift the per-principal cap (10) for the measurement.
        "KURE_LOG_STREAMS_PER_PRINCIPAL": str(streams),
        "MONGODB_URI": "",
        "NEO4J_URI": "",
    }
    command = [sys.executable, "-m", "app.cli", "serve", "--port", str(port)]
    if profile:
        command[1:1] = ["-m", "cProfile", "-o", profile]
    backend_log = (tmp / "backend.log").open("wb")
    proc = subprocess.Popen(  # noqa: ASYNC220 (started once, before any load)
        command, cwd=ROOT, env=env, stdout=backend_log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_healthy(base, proc)
        readers = subprocess.Popen(  # noqa: ASYNC220
            [sys.executable, __file__, "--reader", "--base", base, "--streams", str(streams)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert readers.stdin is not None and readers.stdout is not None
        ready_line = await asyncio.get_running_loop().run_in_executor(None, readers.stdout.readline)
        if ready_line.strip() != b"ready":
            raise RuntimeError("reader process failed to open the streams")
        await asyncio.sleep(0.5)
        followers = sum(len(s.listeners) for s in fake._logs.values())

        interval = 1.0 / rate
        sent = 0
        loop = asyncio.get_running_loop()
        start_wall, start_cpu = time.monotonic(), cpu_seconds(proc.pid)
        start_reader_cpu, start_own_cpu = cpu_seconds(readers.pid), cpu_seconds(os.getpid())
        next_tick = loop.time()
        deadline = next_tick + seconds
        while loop.time() < deadline:
            stamp = time.monotonic()
            for name in names:
                fake.append_log("bench", name, f"t={stamp:.6f} payload=lorem-ipsum-dolor-sit-amet-{sent}")
            sent += 1
            next_tick += interval
            await asyncio.sleep(max(0.0, next_tick - loop.time()))
        end_wall, end_cpu = time.monotonic(), cpu_seconds(proc.pid)
        end_reader_cpu, end_own_cpu = cpu_seconds(readers.pid), cpu_seconds(os.getpid())
        await asyncio.sleep(1.0)  # let the last lines arrive

        # The readers leave; the backend must close every follow connection to the API server.
        readers.stdin.close()
        output = await asyncio.get_running_loop().run_in_executor(None, readers.stdout.read)
        readers.wait(30)
        result = json.loads(output)
        total_sent = sent * streams
        total_received = int(result["received"])
        lags = sorted((float(t), float(lag)) for t, lag in result["lags"])
        span = (end_wall - start_wall) / 3
        thirds = [
            [lag for t, lag in lags if start_wall + i * span <= t < start_wall + (i + 1) * span] for i in range(3)
        ]
        cpu_pct = 100 * (end_cpu - start_cpu) / (end_wall - start_wall)
        remaining = followers
        for _ in range(100):
            for name in names:
                fake.append_log("bench", name, "t=0 after-close")  # the fake notices a closed socket on write
            await asyncio.sleep(0.1)
            remaining = sum(len(s.listeners) for s in fake._logs.values())
            if remaining == 0:
                break

        print(f"streams: {streams}, rate: {rate:g} lines/s each, measured for {end_wall - start_wall:.1f} s")
        print(f"follow connections to the fake API while streaming: {followers}")
        print(
            f"lines sent: {total_sent} ({total_sent / (end_wall - start_wall):.0f}/s), "
            f"received: {total_received} ({100 * total_received / total_sent:.2f} %)"
        )
        for i, part in enumerate(thirds, 1):
            if part:
                print(
                    f"lag third {i}: p50 {1000 * statistics.median(part):.1f} ms, "
                    f"p99 {1000 * percentile(part, 0.99):.1f} ms, max {1000 * max(part):.1f} ms "
                    f"({len(part)} lines)"
                )
        print(f"backend CPU: {cpu_pct:.1f} % of one core")
        wall = end_wall - start_wall
        own_pct = 100 * (end_own_cpu - start_own_cpu) / wall
        print(
            f"load generator CPU (for context): fake API + producer {own_pct:.0f} %, "
            f"SSE readers {100 * (end_reader_cpu - start_reader_cpu) / wall:.0f} % of one core "
            f"({os.cpu_count()} cores)"
        )
        print(f"follow connections left open after the readers left: {remaining}")
        return 0
    finally:
        proc.send_signal(signal.SIGINT)  # graceful: lets cProfile write its statistics
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        backend_log.close()
        await fake.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=100)
    parser.add_argument("--rate", type=float, default=50.0, help="lines per second per stream")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--profile", metavar="FILE", help="run the backend under cProfile, stats written to FILE")
    parser.add_argument("--reader", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reader:
        return asyncio.run(reader_main(args.base, args.streams))
    return asyncio.run(run(args.streams, args.rate, args.seconds, args.profile))


if __name__ == "__main__":
    sys.exit(main())
