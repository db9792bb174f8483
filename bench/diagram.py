"""Benchmark: diagram queries on the synthetic graph (docs/graph.md#performance-targets-and-benchmarks), server-side, 20
warm-up + 200 measured.

    .venv/bin/python -m bench.graph_sync          # builds the synthetic graph (wipes the database)
    .venv/bin/python -m bench.diagram [--neo4j bolt://127.0.0.1:7687] [--runs 200]

Reads only; run it after bench.graph_sync left the synthetic graph in Neo4j. Also times the
docs/graph.md#analyst-recipes-neo4j-browser recipes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from graph import queries
from graph.driver import create_driver
from graph.recipes import RECIPES

RECIPE_PARAMS = {"ns": "big", "name": "sa-0"}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(call: Callable[[], Awaitable[Any]], runs: int, warmup: int) -> dict[str, float]:
    for _ in range(warmup):
        await call()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        await call()
        times.append((time.perf_counter() - t0) * 1000)
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 0.95), 1)}


async def main(args: argparse.Namespace) -> dict[str, Any]:
    driver = create_driver(args.neo4j, password=None)
    results: dict[str, Any] = {}
    try:
        big = await queries.namespace_graph(driver, "big")
        results["namespace_big_nodes"] = len(big["nodes"])
        cases: dict[str, Callable[[], Awaitable[Any]]] = {
            "namespace/big": lambda: queries.namespace_graph(driver, "big"),
            "workload/big/Deployment/app-0": lambda: queries.workload_graph(driver, "big", "Deployment", "app-0"),
            "clusterrole/view": lambda: queries.clusterrole_graph(driver, "view"),
            "role/ns-000/role-0": lambda: queries.role_graph(driver, "ns-000", "role-0"),
            "roles": lambda: queries.list_roles(driver),
        }
        for name, call in cases.items():
            results[name] = await measure(call, args.runs, 20)

        async def recipe(cypher: str, params: dict[str, Any]) -> None:
            async with driver.session() as session:
                await (await session.run(cypher, params)).consume()

        def bind(cypher: str, params: dict[str, Any]) -> Callable[[], Awaitable[None]]:
            return lambda: recipe(cypher, params)

        for r in RECIPES:
            params = {p: RECIPE_PARAMS[p] for p in r.params}
            results[f"recipe {r.key}"] = await measure(bind(r.cypher, params), 10, 2)
    finally:
        await driver.close()
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--neo4j", default="bolt://127.0.0.1:7687")
    parser.add_argument("--runs", type=int, default=200)
    figures = asyncio.run(main(parser.parse_args()))
    json.dump(figures, sys.stdout, indent=2)
    print()
