"""Shared benchmark helpers: start ``kure-monitor serve`` as a real process and measure request loops."""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.conftest import TOKEN, Server, free_port, start_server

__all__ = ["TOKEN", "LoadResult", "Server", "percentile", "run_load", "start_bare_server", "start_server"]


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@dataclass
class LoadResult:
    requests: int
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def line(self, label: str) -> str:
        ms = [x * 1000 for x in self.latencies]
        return (f"{label:<28} {self.rate:8.0f} req/s   p50 {percentile(ms, .5):6.1f} ms   "
                f"p95 {percentile(ms, .95):6.1f} ms   p99 {percentile(ms, .99):6.1f} ms   errors {self.errors}")


async def run_load(call: Callable[[int, int], Awaitable[bool]], clients: int, seconds: float) -> LoadResult:
    """``clients`` loops calling ``call(client, n)`` for ``seconds``; bounded in time and count."""
    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + seconds

    async def worker(index: int) -> None:
        nonlocal errors
        n = 0
        while time.perf_counter() < stop_at and n < 1_000_000:
            started = time.perf_counter()
            ok = await call(index, n)
            latencies.append(time.perf_counter() - started)
            errors += 0 if ok else 1
            n += 1

    began = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(clients)))
    return LoadResult(len(latencies), time.perf_counter() - began, latencies, errors)


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def start_bare_server(tmp_path: Path) -> Server:
    """Start ``bench/_bare_app.py`` (the framework ceiling, one hypercorn worker) and wait until it answers."""
    import subprocess
    import urllib.request

    port = free_port()
    log_path = tmp_path / f"bare-{port}.log"
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("_bare_app.py")), str(port)],
        stdout=log_path.open("w"), stderr=subprocess.STDOUT, text=True,
    )
    server = Server(process, port, log_path)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{server.url}/health", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"bare app did not start:\n{server.log()}")
