"""Simulated-cluster benchmark: the CPU the demo's simulation (API server + scenario) uses.

Starts ``kure-monitor demo`` exactly as ``make run`` does without a cluster (embedded store; Neo4j when
``--neo4j URI`` is given, so the graph watcher's ~20 watches are attached too) and reads utime+stime of each of
its processes from ``/proc`` over two windows of the default scenario at speed 1:

- **story**: scenario seconds 0-60, when the seven failures of the timeline are played (rollouts, crash loops,
  scheduling, eviction) and the scanner's and graph watcher's initial lists are served;
- **between steps**: scenario seconds 75-135, where no timeline step falls (the next one is at 150): what is left
  is the kubelet's back-off restarts of the crash-looping pods, Lease and checkpoint writes of the agent and the
  scanner, watch bookmarks and CronJobs. Target: under 5 % of one core for the simulation process.

The backend, agent and scanner processes are measured in the same run as the baseline the simulation is compared
with. Usage: ``.venv/bin/python bench/simulator.py [--neo4j bolt://127.0.0.1:7687]``.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")
STORY = (0.0, 60.0)
QUIET = (75.0, 135.0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def children(pid: int) -> dict[str, int]:
    """The demo's child processes by role (cluster, agent, scanner)."""
    found: dict[str, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) != pid:
            continue
        if "app.simulator" in cmdline:
            found["simulation"] = int(entry.name)
        elif "app.cli agent" in cmdline:
            found["agent"] = int(entry.name)
        elif "app.cli scanner" in cmdline:
            found["scanner"] = int(entry.name)
    return found


def measure(processes: dict[str, int], start: float, window: tuple[float, float]) -> dict[str, float]:
    """% of one core of each process over the window (seconds after ``start``)."""
    time.sleep(max(0.0, start + window[0] - time.monotonic()))
    before = {name: cpu_seconds(pid) for name, pid in processes.items()}
    began = time.monotonic()
    time.sleep(max(0.0, start + window[1] - time.monotonic()))
    elapsed = time.monotonic() - began
    return {name: 100 * (cpu_seconds(pid) - before[name]) / elapsed for name, pid in processes.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neo4j", default=None, help="NEO4J_URI for the backend (graph watcher attached)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tmp, "KURE_STATE_DIR": tmp,
               "KURE_COOKIE_SECURE": "false"}  # fmt: skip
        if args.neo4j:
            env["NEO4J_URI"] = args.neo4j
        log = Path(tmp) / "demo.log"
        with log.open("w") as handle:
            demo = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "demo", "--port", str(free_port())],
                cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while "simulation" not in (found := children(demo.pid)) or len(found) < 3:
                if time.monotonic() > deadline or demo.poll() is not None:
                    print(log.read_text()[-3000:])
                    return 1
                time.sleep(0.1)
            start = time.monotonic()  # the simulation started a moment earlier: windows err towards the quiet side
            processes = {**found, "backend": demo.pid}
            print(f"load before: {os.getloadavg()[0]:.2f}; graph watcher: {'on' if args.neo4j else 'off'}")
            story = measure(processes, start, STORY)
            quiet = measure(processes, start, QUIET)
            print(f"load after:  {os.getloadavg()[0]:.2f}")
            print(f"{'process':<12} {'story 0-60 s':>14} {'between steps 75-135 s':>24}")
            for name in ("simulation", "backend", "agent", "scanner"):
                print(f"{name:<12} {story[name]:>13.1f}% {quiet[name]:>23.1f}%")
            verdict = "met" if quiet["simulation"] < 5.0 else "NOT met"
            share = quiet["simulation"]
            print(f"simulation between timeline steps: {share:.1f}% of one core (target < 5 %: {verdict})")
            return 0
        finally:
            demo.send_signal(signal.SIGTERM)
            demo.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
