"""Benchmark (target in docs/benchmarks.md): cross-replica delivery latency of the live feed.

Two ``kure-monitor serve`` replicas on one MongoDB-wire server (``KURE_TEST_MONGODB_PORT``, as the tests use);
``--clients`` WebSocket clients spread evenly over them and held by ``--reader-procs`` reader processes; messages
published through replica A at ``--rate`` per second for ``--seconds`` (open loop: a request is sent on schedule
whether or not the previous one was answered). Every arrival is timestamped in its reader process and sent back
raw; the parent computes, split by where the client is connected, the delay from A's answer to the arrival (on A:
the same-replica baseline, measured in the same run; on B: B's tail of the event log), and the cross-replica delay
proper: B's arrival minus the first arrival on A of the same ``seq``. Target: cross-replica p99 < 250 ms at 100
reports/s with 500 clients.

The readers must keep up, or the figures measure them instead of the feed. A run is declared **not valid** (and
prints no latency figure) when a client was closed by the server (1013: its queue overflowed because it read too
slowly), when a client was told to ``resync``, when a client did not receive every message before the end, or when
a reader process's event loop ran late (p99 of a 10 ms timer's overshoot above ``LOOP_LAG_LIMIT_MS``): frames then
waited in its sockets, and their timestamps are late.

    .venv/bin/python -m bench.replicas [--clients 500] [--rate 100] [--seconds 10] [--reader-procs N]
                                       [--message report|rescan]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import tempfile
import time
import uuid
from array import array
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import aiohttp

from bench._server import TOKEN, percentile, start_server
from tests.conftest import MONGO_TEST_URI
from tests.e2e.conftest import _drop_database

HEADERS = {"X-Service-Token": TOKEN}
#: The message each kind of request publishes; the only frames timed.
MESSAGE_TYPE = {"report": "pod_failure", "rescan": "security_rescan_request"}
#: A reader whose event loop is later than this (p99) timestamps frames late: the run is not valid.
LOOP_LAG_LIMIT_MS = 25.0
#: How often a reader samples its event loop's lateness.
LAG_SAMPLE_SECONDS = 0.01


def now() -> float:
    """The clock every process timestamps with. CLOCK_MONOTONIC is one system-wide clock on Linux (not per
    process), so a reader's arrival and the parent's send time are comparable; ``main`` checks it at start."""
    return time.monotonic()


def frame_head(text: str) -> tuple[str, int]:
    """``(type, seq)`` of a feed frame without decoding it: the server writes ``{"type":"…","seq":N,"data":…}``
    (app/ws/feed.py ``encode_frame``); frames without a number (ping, resync) give ``seq`` 0."""
    if not text.startswith('{"type":"'):
        return "", 0
    end = text.find('"', 9)
    kind = text[9:end]
    if not text.startswith(',"seq":', end + 1):
        return kind, 0
    start = end + 8
    return kind, int(text[start:text.find(",", start)])


@dataclass
class ReaderResult:
    """What one reader process sends back: raw arrivals, per-connection counts and how late its loop ran."""

    seqs: dict[int, array[int]]  # replica -> seq of each arrival
    times: dict[int, array[float]]  # replica -> arrival time, same order
    counts: list[tuple[int, int]]  # (replica, frames of the timed type) per connection
    pod_of_seq: dict[int, str]  # report runs: which report a seq carries
    close_codes: list[int]  # codes of connections the server closed
    resyncs: int
    loop_lag_ms: list[float]
    cpu_seconds: float
    wall_seconds: float


def reader_main(urls: list[str], indices: list[int], message_type: str, conn: Connection) -> None:
    """A reader process: hold the clients ``indices`` (client i on replica i % 2) until told to stop."""
    asyncio.run(_read(urls, indices, message_type, conn))


async def _read(urls: list[str], indices: list[int], message_type: str, conn: Connection) -> None:
    seqs: dict[int, array[int]] = {0: array("q"), 1: array("q")}
    times: dict[int, array[float]] = {0: array("d"), 1: array("d")}
    pod_of_seq: dict[int, str] = {}
    close_codes: list[int] = []
    lags: list[float] = []
    resyncs = 0
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        sockets = [(i % 2, await session.ws_connect(f"{urls[i % 2].replace('http', 'ws')}/api/ws?token={TOKEN}",
                                                    heartbeat=None, max_msg_size=0))
                   for i in indices]
        counts = [0] * len(sockets)

        async def read(k: int, replica: int, ws: aiohttp.ClientWebSocketResponse) -> None:
            nonlocal resyncs
            seq_out, time_out = seqs[replica].append, times[replica].append
            while True:
                message = await ws.receive()
                arrived = now()
                if message.type is not aiohttp.WSMsgType.TEXT:
                    break
                kind, seq = frame_head(message.data)
                if kind == message_type and seq:
                    seq_out(seq)
                    time_out(arrived)
                    counts[k] += 1
                    if message_type == "pod_failure" and seq not in pod_of_seq:
                        pod_of_seq[seq] = json.loads(message.data)["data"]["pod_name"]
                elif kind == "resync":
                    resyncs += 1
            if ws.close_code is not None and ws.close_code != 1000:
                close_codes.append(ws.close_code)

        async def sample_lag() -> None:
            while True:
                before = time.perf_counter()
                await asyncio.sleep(LAG_SAMPLE_SECONDS)
                lags.append((time.perf_counter() - before - LAG_SAMPLE_SECONDS) * 1000)

        readers = [asyncio.create_task(read(k, r, ws)) for k, (r, ws) in enumerate(sockets)]
        conn.send(("ready", len(sockets), now()))
        cpu, wall = time.process_time(), time.perf_counter()
        sampler = asyncio.create_task(sample_lag())
        await asyncio.to_thread(conn.recv)  # "stop"
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        sampler.cancel()
        await asyncio.gather(*(ws.close() for _, ws in sockets), return_exceptions=True)
        await asyncio.gather(*readers, return_exceptions=True)
    result = ReaderResult(seqs, times, [(r, counts[k]) for k, (r, _) in enumerate(sockets)], pod_of_seq,
                          close_codes, resyncs, lags, cpu, wall)
    conn.send(vars(result))  # plain values: the class lives in a module named differently in this process


@dataclass
class Readers:
    processes: list[Any] = field(default_factory=list)
    pipes: list[Connection] = field(default_factory=list)


async def start_readers(args: argparse.Namespace, urls: list[str]) -> Readers:
    """Spawn the reader processes, each with its share of the clients, and wait until all are connected."""
    context = multiprocessing.get_context("spawn")
    readers = Readers()
    started = now()
    for p in range(args.reader_procs):
        parent_end, child_end = context.Pipe()
        # Client i is on replica i % 2; each process holds as many clients of A as of B.
        indices = [i for i in range(args.clients) if (i // 2) % args.reader_procs == p]
        process = context.Process(target=reader_main, args=(urls, indices, MESSAGE_TYPE[args.message], child_end),
                                  daemon=True)
        process.start()
        readers.processes.append(process)
        readers.pipes.append(parent_end)
    for p, pipe in enumerate(readers.pipes):
        if not await asyncio.to_thread(pipe.poll, 120):
            raise RuntimeError(f"reader process {p} did not connect its clients within 120 s")
        _, connected, stamp = pipe.recv()
        assert connected == sum(1 for i in range(args.clients) if (i // 2) % args.reader_procs == p)
        # The reader's clock reading lies between the parent's start and now: one clock for both processes.
        if not started <= stamp <= now():
            raise RuntimeError("the reader processes' monotonic clock is not the parent's: arrivals cannot be "
                               "compared with send times")
    return readers


async def stop_readers(readers: Readers) -> list[ReaderResult]:
    for pipe in readers.pipes:
        pipe.send("stop")
    results: list[ReaderResult] = []
    for pipe in readers.pipes:
        results.append(ReaderResult(**await asyncio.to_thread(pipe.recv)))
    for process in readers.processes:
        process.join(10)
    return results


async def joined(session: aiohttp.ClientSession, url: str) -> int:
    """The clients one replica's hub holds (its ``kure_websocket_connections`` gauge)."""
    async with session.get(f"{url}/metrics") as response:
        text = await response.text()
    line = next(line for line in text.splitlines() if line.startswith("kure_websocket_connections "))
    return int(float(line.split()[1]))


async def wait_joined(session: aiohttp.ClientSession, urls: list[str], clients: int) -> None:
    """Wait until every client has joined its replica's feed. A replica accepts the upgrade before the connection
    claims its place under the per-principal cap (a database write) and joins the hub; a message published
    before then never reaches that client, which would count as a frame the feed lost."""
    started = now()
    while (held := sum([await joined(session, url) for url in urls])) < clients:
        if now() - started > 300:
            raise RuntimeError(f"only {held} of {clients} clients joined the feed within 300 s")
        await asyncio.sleep(0.5)
    print(f"all {clients} clients joined the feed {now() - started:.1f} s after their upgrades were accepted")


async def run(args: argparse.Namespace, urls: list[str]) -> None:
    sent: dict[str, float] = {}
    answered: list[float] = []
    statuses: list[int] = []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        cookie = ""
        if args.message == "rescan":
            async with session.post(f"{urls[0]}/api/auth/signup",
                                    json={"username": "bench", "password": "bench-pass-1"}) as response:
                assert response.status == 201, await response.text()
                cookie = response.cookies["kure_session"].value
        readers = await start_readers(args, urls)
        await wait_joined(session, urls, args.clients)
        await asyncio.sleep(1)

        async def post(key: str) -> None:
            sent[key] = now()
            if args.message == "rescan":  # publishes one message and stores nothing else: the feed alone
                request = session.post(f"{urls[0]}/api/security/rescan", cookies={"kure_session": cookie})
            else:
                request = session.post(f"{urls[0]}/api/pods/failed", headers=HEADERS,
                                       json={"pod_name": key, "namespace": "bench"})
            async with request as response:
                await response.read()
                statuses.append(response.status)
                answered.append(now())

        total = int(args.rate * args.seconds)
        started = now()
        posts = []
        for i in range(total):
            posts.append(asyncio.create_task(post(f"r-{i}")))
            await asyncio.sleep(max(0.0, started + (i + 1) / args.rate - now()))
        sending = now() - started
        await asyncio.gather(*posts)
        elapsed = now() - started
        await asyncio.sleep(args.drain)
        results = await stop_readers(readers)
    report(args, results, sent, statuses, total, sending, elapsed)


def report(args: argparse.Namespace, results: list[ReaderResult], sent: dict[str, float], statuses: list[int],
           total: int, sending: float, elapsed: float) -> None:
    ok = sum(1 for s in statuses if s in (200, 201, 202))
    print(f"{args.clients} clients, half on each replica, held by {args.reader_procs} reader processes")
    print(f"offered {args.rate:.0f} {args.message} requests/s to replica A for {args.seconds:g} s: sent {total} in "
          f"{sending:.1f} s; the last was answered after {elapsed:.1f} s; {ok} accepted")
    arrivals: dict[int, dict[int, list[float]]] = {0: {}, 1: {}}  # replica -> seq -> arrival times
    pod_of_seq: dict[int, str] = {}
    for result in results:
        pod_of_seq.update(result.pod_of_seq)
        for replica in (0, 1):
            by_seq = arrivals[replica]
            for seq, at in zip(result.seqs[replica], result.times[replica], strict=True):
                by_seq.setdefault(seq, []).append(at)
    published = set(arrivals[0]) | set(arrivals[1])
    first_on_a = sorted(min(times) for times in arrivals[0].values())
    carried = (len(first_on_a) - 1) / (first_on_a[-1] - first_on_a[0]) if len(first_on_a) > 1 else 0.0
    print(f"achieved: {ok / elapsed:.0f} requests/s answered; the feed carried {len(published)} messages at "
          f"{carried:.0f}/s (first arrivals on A); offered {args.rate:.0f}/s")
    if carried < 0.9 * args.rate:
        why = (" — FerretDB stores about 30 reports/s (docs/benchmarks.md#pod-ingest-benchingestpy); "
               "--message rescan measures the feed alone") if args.message == "report" else ""
        print(f"!! the offered rate was not achieved: the figures below are at {carried:.0f} messages/s, not "
              f"{args.rate:.0f}/s{why}")

    problems: list[str] = []
    codes = sorted(code for result in results for code in result.close_codes)
    if codes:
        problems.append(f"{len(codes)} clients were closed by the server (codes {sorted(set(codes))}; 1013: the "
                        "client read too slowly)")
    resyncs = sum(result.resyncs for result in results)
    if resyncs:
        problems.append(f"{resyncs} resync messages: the feed told clients to re-fetch")
    readers_late = any(percentile(result.loop_lag_ms, .99) > LOOP_LAG_LIMIT_MS for result in results)
    for replica, label in ((0, "A"), (1, "B")):
        counts = [n for result in results for r, n in result.counts if r == replica]
        short = [len(published) - n for n in counts if n < len(published)]
        if short:
            who = ("the readers ran late (below)" if readers_late else
                   f"the readers were on time, so replica {label} had not sent them")
            problems.append(f"{len(short)} of {len(counts)} clients on {label} had not received every message "
                            f"{args.drain:g} s after the last answer ({sum(short)} frames missing): {who}")
    for p, result in enumerate(results):
        lag99, lag_max = percentile(result.loop_lag_ms, .99), max(result.loop_lag_ms, default=0.0)
        frames = sum(n for _, n in result.counts)
        print(f"reader {p}: {len(result.counts)} clients, {frames} frames, CPU {result.cpu_seconds:.1f} s of "
              f"{result.wall_seconds:.1f} s, loop lag p99 {lag99:.1f} ms, max {lag_max:.1f} ms")
        if lag99 > LOOP_LAG_LIMIT_MS:
            problems.append(f"reader {p}'s event loop ran late (p99 {lag99:.0f} ms > {LOOP_LAG_LIMIT_MS:.0f} ms): "
                            "its timestamps are late; use more --reader-procs or fewer clients")
    if problems:
        for problem in problems:
            print(f"!! {problem}")
        print("!! NOT VALID: these figures would not measure the feed, so none is printed")
        return

    # A's own tail delivers at once after A stored the message; B learns it from its poll of the log.
    for replica, label in ((0, "same replica (A)"), (1, "cross-replica (B)")):
        count = sum(len(times) for times in arrivals[replica].values())
        ms = [(t - sent[pod]) * 1000 for seq, pod in pod_of_seq.items() if pod in sent
              for t in arrivals[replica].get(seq, [])]
        figures = f"from request: p50 {percentile(ms, .5):6.1f} ms   p99 {percentile(ms, .99):6.1f} ms" if ms else ""
        print(f"{label}: {count} deliveries   {figures}")
    extra = [(t - min(arrivals[0][seq])) * 1000 for seq, times in arrivals[1].items() if arrivals[0].get(seq)
             for t in times]
    print(f"cross-replica delay (B's arrival - A's first arrival): p50 {percentile(extra, .5):6.1f} ms   "
          f"p99 {percentile(extra, .99):6.1f} ms")
    print("target: cross-replica p99 < 250 ms")


async def main(args: argparse.Namespace) -> None:
    for name in ("monotonic", "perf_counter"):
        info = time.get_clock_info(name)
        if info.implementation != "clock_gettime(CLOCK_MONOTONIC)":
            raise SystemExit(f"time.{name} is {info.implementation}, not the system-wide CLOCK_MONOTONIC: the "
                             "reader processes' timestamps could not be compared")
    database = f"kure_bench_replicas_{uuid.uuid4().hex[:8]}"
    tmp = Path(tempfile.mkdtemp())
    env = {"MONGODB_DATABASE": database, "MONGODB_TIMEOUT_MS": "2000",
           "KURE_WEBSOCKETS_PER_PRINCIPAL": str(args.clients + 10)}  # one service token for every client
    servers = [start_server(tmp, MONGO_TEST_URI, wait_ready=True, port=None, **env)]
    try:
        servers.append(start_server(tmp, MONGO_TEST_URI, wait_ready=True, port=None, **env))
        print(f"machine load (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
              "clock: CLOCK_MONOTONIC, one system-wide clock for every process")
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
    parser.add_argument("--drain", type=float, default=3.0,
                        help="seconds to keep reading after the last answer (default 3)")
    parser.add_argument("--reader-procs", type=int, default=max(2, os.cpu_count() or 2),
                        help="reader processes holding the clients (default: one per core, at least 2)")
    parser.add_argument("--message", choices=("report", "rescan"), default="report",
                        help="report: POST /api/pods/failed; rescan: POST /api/security/rescan (the feed alone)")
    asyncio.run(main(parser.parse_args()))
