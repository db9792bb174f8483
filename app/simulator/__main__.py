"""Serve a simulated cluster: ``python -m app.simulator [--scenario default] [--speed 1] [--kubeconfig PATH]``.

The in-memory API server plays the scenario until SIGTERM/SIGINT. Once it listens it writes the kubeconfig (when
asked) and prints one line, ``simulated Kubernetes API on http://127.0.0.1:PORT ...``, which ``kure-monitor demo``
waits for. Timeline steps are logged as they happen. Exit 2 on an invalid scenario or option.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path

from .clock import SimClock
from .engine import Simulation
from .kubeapi.server import FakeKubeApi
from .scenario import ScenarioError, available_scenarios, load_scenario

#: Real API servers send a watch bookmark about once a minute; more often only costs CPU.
BOOKMARK_SECONDS = 60.0
KUBECONFIG_CONTEXT = "kure-simulated"


async def serve(args: argparse.Namespace) -> None:
    scenario = load_scenario(args.scenario)
    api = FakeKubeApi(token=args.token, bookmark_interval=args.bookmark_interval)
    api.host = args.host
    api.log_request_paths = False  # a long-running server must not keep every request in memory
    simulation = Simulation(api, scenario, seed=args.seed, clock=SimClock(args.speed))
    simulation.start()
    await api.start(args.port)
    if args.kubeconfig:
        api.write_kubeconfig(args.kubeconfig, KUBECONFIG_CONTEXT)
    print(
        f"simulated Kubernetes API on {api.url} (scenario {scenario.name}, speed {args.speed:g}, seed {args.seed}; "
        f"{api.count('Namespace')} namespaces, {api.count('Pod')} pods)",
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await simulation.run(stop)
    finally:
        await api.stop()


def positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m app.simulator", description="Serve a simulated Kubernetes cluster.")
    p.add_argument("--scenario", default="default",
                   help=f"a shipped scenario ({', '.join(available_scenarios())}) or a scenario file")  # fmt: skip
    p.add_argument("--seed", type=int, default=7, help="random seed: the same seed plays the same story")
    p.add_argument("--speed", type=positive, default=1.0, help="scenario seconds per wall-clock second")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port")
    p.add_argument("--token", default=None, help="require this bearer token (written into the kubeconfig)")
    p.add_argument("--kubeconfig", type=Path, default=None, help="write a kubeconfig for the server here")
    p.add_argument("--bookmark-interval", type=positive, default=BOOKMARK_SECONDS)
    p.add_argument("--log-level", default="INFO")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s",
                        stream=sys.stderr)  # fmt: skip
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    try:
        asyncio.run(serve(args))
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
