"""Run the fake API server standalone: ``python -m app.simulator.kubeapi --fixture DIR --port N``."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from .server import FakeKubeApi
from .synthetic import generate


async def _serve(args: argparse.Namespace) -> None:
    fake = FakeKubeApi(token=args.token)
    fake.host = args.host
    for fixture in args.fixture:
        fake.load_fixture(fixture)
    if args.synthetic:
        fake.load_objects(generate(args.seed))
    await fake.start(args.port)
    if args.kubeconfig:
        fake.write_kubeconfig(args.kubeconfig)
    print(f"fake Kubernetes API on {fake.url} ({fake.resource_version} objects loaded)", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await fake.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.simulator.kubeapi")
    parser.add_argument(
        "--fixture",
        action="append",
        default=[],
        type=Path,
        help="fixture directory of multi-document YAML files (repeatable)",
    )
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="load the synthetic cluster of the graph benchmarks (docs/graph.md#performance-targets-and-benchmarks)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on (e.g. 127.0.0.2)")
    parser.add_argument("--token", default=None, help="require this bearer token")
    parser.add_argument("--kubeconfig", type=Path, default=None, help="write a kubeconfig file here")
    args = parser.parse_args(argv)
    try:
        asyncio.run(_serve(args))
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
