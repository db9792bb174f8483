"""Security findings throughput and list latency (docs/benchmarks.md#security-findings) against a real backend
process on the real MongoDB-wire server.

Phases:
0. ceiling: the same POSTs to ``bench/_bare_app.py`` (a Quart app on one hypercorn worker that parses and answers):
   the most this stack reaches on this machine with this load generator;
1. ingest: ``--findings`` (20,000) distinct findings POSTed by ``--clients`` (20) concurrent scanner clients;
2. rescan: ``scan/clear``, the same findings POSTed again (all updates, no broadcast), ``rescan-status completed``
   (the sweep deletes nothing) — the steady-state full scan of docs/agent-scanner.md#full-scan;
3. list: the store is topped up to ``--stored`` (100,000) findings directly in MongoDB, then
   ``GET /api/security/findings?severity=critical,high&limit=200`` is timed ``--requests`` times as a logged-in
   user (p50/p95/p99).

Usage: ``.venv/bin/python -m bench.findings [--mongodb-uri mongodb://127.0.0.1:27017]``. The backend is started as
``python -m app.cli serve`` on a free loopback port with a throw-away database, which is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from motor.motor_asyncio import AsyncIOMotorClient

from bench._server import start_bare_server

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "bench-service-token-0123456789"
HEADERS = {"X-Service-Token": TOKEN}
SEVERITIES = ("critical", "high", "medium", "low", "info")
CHECKS = (
    "privileged_container",
    "host_network",
    "run_as_root",
    "image_tag_latest",
    "cpu_limit_missing",
    "memory_limit_missing",
    "liveness_probe_missing",
    "readiness_probe_missing",
    "single_replica",
    "seccomp_profile_missing",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def finding(index: int) -> dict[str, Any]:
    rng = random.Random(index)
    return {
        "resource_type": "Deployment",
        "resource_name": f"app-{index // len(CHECKS)}",
        "namespace": f"team-{index % 50}",
        "check_name": CHECKS[index % len(CHECKS)],
        "severity": SEVERITIES[rng.randrange(len(SEVERITIES))],
        "message": f"Deployment 'app-{index // len(CHECKS)}' has a problem ({index})",
        "remediation": "Fix the securityContext",
        "details": {"containers": ["app"], "field": "spec.template.spec.securityContext"},
        "manifest": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n" + "x: y\n" * 40,
    }


async def wait_ready(session: aiohttp.ClientSession, base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"backend exited with {proc.returncode}")
        try:
            async with session.get(f"{base}/ready") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    raise SystemExit("backend not ready after 60 s")


async def post_all(session: aiohttp.ClientSession, base: str, count: int, clients: int) -> float:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(count):
        queue.put_nowait(index)
    failures: list[int] = []

    async def worker() -> None:
        while True:
            try:
                index = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            async with session.post(f"{base}/api/security/findings", json=finding(index), headers=HEADERS) as response:
                await response.read()
                if response.status != 200:
                    failures.append(response.status)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{len(failures)} reports failed, e.g. HTTP {failures[0]}")
    return elapsed


async def top_up(uri: str, database: str, start_id: int, total: int) -> None:
    """Insert stored findings directly (same document shape as storage/findings.py) up to ``total``."""
    client: Any = AsyncIOMotorClient(uri, tz_aware=True)
    try:
        collection = client[database]["security_findings"]
        now = datetime.now(UTC)
        batch: list[dict[str, Any]] = []
        for ident in range(start_id, total + 1):
            body = finding(ident)
            seen = now - timedelta(seconds=ident)
            batch.append(
                {
                    "_id": ident,
                    "resource_type": "StatefulSet",
                    "resource_name": body["resource_name"],
                    "namespace": body["namespace"],
                    "check_name": body["check_name"],
                    "severity": body["severity"],
                    "message": body["message"],
                    "remediation": body["remediation"],
                    "details": body["details"],
                    "manifest": "",
                    "has_manifest": False,
                    "registry_keys": [],
                    "dismissed": ident % 20 == 0,
                    "dismissed_at": seen if ident % 20 == 0 else None,
                    "first_seen": seen,
                    "last_seen": seen,
                }
            )
            if len(batch) == 2000:
                await collection.insert_many(batch, ordered=False)
                batch = []
        if batch:
            await collection.insert_many(batch, ordered=False)
        await client[database]["counters"].update_one(
            {"_id": "security_findings"}, {"$set": {"seq": total}}, upsert=True
        )
    finally:
        client.close()


async def time_list(session: aiohttp.ClientSession, base: str, requests: int) -> tuple[list[float], int]:
    url = f"{base}/api/security/findings?severity=critical,high&limit=200"
    samples = []
    total = -1
    for _ in range(requests):
        started = time.perf_counter()
        async with session.get(url) as response:
            body = await response.json()
            if response.status != 200:
                raise SystemExit(f"list answered {response.status}: {body}")
            total = int(response.headers["X-Total-Count"])
        samples.append((time.perf_counter() - started) * 1000)
        assert len(body) == 200
    return samples, total


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def start_backend(args: argparse.Namespace, database: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "MONGODB_URI": args.mongodb_uri,
        "MONGODB_DATABASE": database,
        "SERVICE_TOKEN": TOKEN,
        "KURE_KUBERNETES": "off",
        "KURE_COOKIE_SECURE": "false",
        "KURE_STATE_DIR": tempfile.mkdtemp(prefix="kure-bench-"),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("NEO4J_URI", None)
    return subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)], cwd=ROOT, env=env)


async def run(args: argparse.Namespace, proc: subprocess.Popen[bytes], database: str, base: str) -> None:
    connector = aiohttp.TCPConnector(limit=args.clients)
    try:
        # unsafe=True: accept the session cookie from an IP-address host (127.0.0.1).
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(connector=connector, cookie_jar=jar) as session:
            await wait_ready(session, base, proc)
            print(f"backend pid {proc.pid} on {base}, database {database}")

            ceiling = start_bare_server(Path(tempfile.mkdtemp()))
            try:
                elapsed = await post_all(session, ceiling.url, args.findings, args.clients)
            finally:
                ceiling.stop()
            print(
                f"ceiling : the same {args.findings} POSTs to bench/_bare_app.py (parse and answer, nothing else): "
                f"{args.findings / elapsed:,.0f} findings/s"
            )
            elapsed = await post_all(session, base, args.findings, args.clients)
            print(
                f"ingest  : {args.findings} new findings, {args.clients} clients: {elapsed:.1f} s = "
                f"{args.findings / elapsed:,.0f} findings/s"
            )

            async with session.post(f"{base}/api/security/scan/clear", headers=HEADERS) as response:
                pending = (await response.json())["pending"]
            elapsed = await post_all(session, base, args.findings, args.clients)
            async with session.post(
                f"{base}/api/security/rescan-status", json={"status": "completed"}, headers=HEADERS
            ) as response:
                assert response.status == 204
            print(
                f"rescan  : clear (pending {pending}), {args.findings} re-reports: {elapsed:.1f} s = "
                f"{args.findings / elapsed:,.0f} findings/s"
            )

            started = time.perf_counter()
            await top_up(args.mongodb_uri, database, args.findings + 1, args.stored)
            print(f"top-up  : {args.stored} findings stored ({time.perf_counter() - started:.1f} s, direct insert)")

            async with session.post(
                f"{base}/api/auth/signup", json={"username": "bench", "password": "bench-password-1"}
            ) as response:
                assert response.status == 201, await response.text()
            await time_list(session, base, 2)  # warm-up
            samples, total = await time_list(session, base, args.requests)
            print(
                f"list    : severity=critical,high&limit=200 over {args.stored} stored ({total} matching), "
                f"{args.requests} requests: p50 {percentile(samples, 0.5):.1f} ms, "
                f"p95 {percentile(samples, 0.95):.1f} ms, p99 {percentile(samples, 0.99):.1f} ms, "
                f"mean {statistics.mean(samples):.1f} ms"
            )
    finally:
        client: Any = AsyncIOMotorClient(args.mongodb_uri)
        await client.drop_database(database)
        client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--mongodb-uri", default=os.environ.get("KURE_TEST_MONGODB_URI", "mongodb://127.0.0.1:27017"))
    parser.add_argument("--findings", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--stored", type=int, default=100000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    database = f"kure_bench_{uuid.uuid4().hex[:8]}"
    port = free_port()
    proc = start_backend(args, database, port)
    try:
        asyncio.run(run(args, proc, database, f"http://127.0.0.1:{port}"))
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
