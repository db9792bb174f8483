"""The agent's and the scanner's own dependency set (docs/agent-scanner.md#the-in-cluster-image).

Their image installs the in-cluster package without dependencies plus only the ``incluster`` extra. This test checks,
from the import graph, that the extra names every third-party package the in-cluster modules import — on every
path, including those a run does not take. tests/infra/test_incluster_image.py rehearses the image itself: a fresh
environment with only what the image gets, from which the agent and the scanner run.
"""

from __future__ import annotations

import re
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
