"""The simulated cluster is a component of its own: it never imports the backend or the in-cluster code (they reach
it over HTTP, like any API server), so the tests' fake cannot come to depend on what it is used to test."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

SIMULATOR = Path(__file__).resolve().parents[2] / "app" / "simulator"
FORBIDDEN_ROOTS = {"storage", "graph", "quart", "quart_auth", "quart_schema", "motor", "pymongo", "neo4j",
                   "kubernetes_asyncio", "tests"}  # fmt: skip


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_the_simulator_imports_nothing_of_the_product_but_itself() -> None:
    files = sorted(SIMULATOR.rglob("*.py"))
    assert len(files) > 10
    offending = {
        f"{path.relative_to(SIMULATOR)}: {module}"
        for path in files
        for module in imported_modules(path)
        if (module.split(".")[0] == "app" and not module.startswith("app.simulator"))
        or module.split(".")[0] in FORBIDDEN_ROOTS
    }
    assert offending == set()
