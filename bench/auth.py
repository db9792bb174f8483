"""Benchmark: cost of the session look-up, and login latency (targets in docs/benchmarks.md).

Starts one hypercorn worker on the real MongoDB-wire server, then measures in the same run:
authenticated ``GET /api/auth/me`` vs unauthenticated ``GET /health`` (target ratio >= 0.5), and the p95 of
``POST /api/auth/login`` with the production argon2id parameters (target < 250 ms).

    .venv/bin/python bench/auth.py [--seconds 8] [--clients 16] [--mongodb-uri mongodb://127.0.0.1:27017]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import aiohttp
import httpx
from _server import percentile, run_load, start_server


async def main(args: argparse.Namespace) -> None:
    # Logins come from distinct client addresses (through a trusted proxy), as a real population of users does:
    # from one address the per-IP login limit (30 per 5 minutes) would answer 429.
    server = start_server(Path(tempfile.mkdtemp()), args.mongodb_uri, MONGODB_TIMEOUT_MS="10000",
                          KURE_TRUSTED_PROXIES="127.0.0.1")
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as anonymous:
            signup = await anonymous.post("/api/auth/signup", json={"username": "bench", "password": "bench-password"})
            cookie = signup.cookies.get("kure_session")
            for i in range(args.logins):
                await anonymous.post("/api/admin/users", cookies={"kure_session": cookie},
                                     json={"username": f"user{i}", "password": "bench-password", "role": "read"})
            login_times = []
            for i in range(args.logins):  # distinct users: the rate limit is per (ip, username)
                anonymous.cookies.clear()  # a login replaces the session named by the request's cookie
                started = time.perf_counter()
                response = await anonymous.post("/api/auth/login",
                                                json={"username": f"user{i}", "password": "bench-password"},
                                                headers={"X-Forwarded-For": f"198.51.100.{i % 250 + 1}"})
                login_times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.text
            cookie = response.cookies.get("kure_session")

        # aiohttp for the load: httpx's async pool caps this machine near 100 req/s and would measure itself.
        connector = aiohttp.TCPConnector(limit=args.clients)
        async with aiohttp.ClientSession(server.url, connector=connector,
                                         headers={"Cookie": f"kure_session={cookie}"}) as client:
            async def health(_: int, __: int) -> bool:
                async with client.get("/health") as response:
                    await response.read()
                    return response.status == 200

            statuses: dict[int, int] = {}

            async def me(_: int, __: int) -> bool:
                async with client.get("/api/auth/me") as response:
                    await response.read()
                    statuses[response.status] = statuses.get(response.status, 0) + 1
                    return response.status == 200

            await run_load(health, args.clients, 1.0)  # warm-up
            baseline = await run_load(health, args.clients, args.seconds)
            authed = await run_load(me, args.clients, args.seconds)
        print(baseline.line("GET /health (baseline)"))
        print(authed.line("GET /api/auth/me (session)"))
        print(f"/api/auth/me statuses: {statuses}")
        print(f"ratio me/health: {authed.rate / baseline.rate:.2f}   (target >= 0.5)")
        print(f"login over {args.logins} users: p50 {percentile(login_times, .5):.0f} ms, "
              f"p95 {percentile(login_times, .95):.0f} ms   (target p95 < 250 ms)")
    finally:
        server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--logins", type=int, default=40)
    parser.add_argument("--mongodb-uri", default="mongodb://127.0.0.1:27017")
    asyncio.run(main(parser.parse_args()))
