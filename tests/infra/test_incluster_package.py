"""The agent's and the scanner's own dependency set (docs/agent-scanner.md#the-in-cluster-image).

Their image installs the package without dependencies plus only the ``incluster`` extra. These tests prove, without
a container engine, that this is enough: the in-cluster entry points import with every other distribution made
unimportable, and the extra names every third-party package the in-cluster modules import.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import grimp
import pytest
from packaging.requirements import Requirement

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
INCLUSTER = ("app.agent", "app.scanner", "app.incluster")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _extra(name: str) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {_normal(Requirement(spec).name) for spec in project["optional-dependencies"][name]}


def _server_only_modules() -> set[str]:
    """Top-level modules of the distributions the package depends on that the ``incluster`` extra does not name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    server = {_normal(Requirement(spec).name) for spec in project["dependencies"]} - _extra("incluster")
    modules = {module for module, dists in packages_distributions().items()
               if any(_normal(dist) in server for dist in dists)}
    return {module for module in modules if not module.startswith("_")}


def test_the_in_cluster_commands_import_without_the_servers_dependencies() -> None:
    blocked = sorted(_server_only_modules())
    assert {"quart", "motor", "neo4j", "openai", "hypercorn"} <= set(blocked)
    script = f"""
import importlib.abc, json, sys
BLOCKED = set({json.dumps(blocked)})
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError("not in the incluster extra: " + name)
        return None
sys.meta_path.insert(0, Block())
import app.agent.main, app.scanner.main, app.cli
app.cli.build_parser().parse_args(["agent"])
print("imported")
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "imported"


def test_the_incluster_extra_names_every_package_the_components_import() -> None:
    graph = grimp.build_graph("app", include_external_packages=True)
    components = {m for m in graph.modules if m in INCLUSTER or m.startswith(tuple(p + "." for p in INCLUSTER))}
    reached = components | {m for c in components for m in graph.find_upstream_modules(c)}
    assert any(m.startswith("app.kube.") for m in reached), "the shared library is not reached: the check is broken"
    external = {m.split(".")[0] for m in reached} - {"app", "storage", "graph"} - set(sys.stdlib_module_names)
    distributions = packages_distributions()
    needed = {_normal(dist) for top in external for dist in distributions.get(top, [top])}
    assert {"kubernetes-asyncio", "pydantic"} <= needed, "third-party imports not found: the check is broken"
    missing = needed - _extra("incluster")
    assert not missing, f"imported by the in-cluster components but not in the incluster extra: {sorted(missing)}"
