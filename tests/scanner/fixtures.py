"""Loading the scanner's fixture universes (docs/agent-scanner.md#test-fixtures) and evaluating them without a
cluster."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from app.kube.bodies import KubeObject, as_object
from app.scanner.checks import FindingDraft
from app.scanner.engine import evaluate_object
from app.scanner.scope import build_context, in_scope, key_of

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "scanner"
DEFAULT_TRUSTED = frozenset({"registry.k8s.io"})


def scenario_names() -> list[str]:
    return sorted(p.name.removesuffix(".expect.yaml") for p in FIXTURES.glob("*.expect.yaml"))


def load(name: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    docs = [d for d in yaml.safe_load_all((FIXTURES / f"{name}.yaml").read_text()) if d]
    expect = yaml.safe_load((FIXTURES / f"{name}.expect.yaml").read_text())
    return docs, expect


def object_key(obj: KubeObject) -> str:
    ns, name = key_of(obj)
    return f"{obj.get('kind')}/{ns}/{name}"


def caches_of(docs: list[KubeObject]) -> dict[str, dict[tuple[str, str], KubeObject]]:
    caches: dict[str, dict[tuple[str, str], KubeObject]] = {}
    for obj in docs:
        caches.setdefault(obj.get("kind", ""), {})[key_of(obj)] = obj
    return caches


def evaluate_universe(
    docs: list[dict[str, Any]], trusted: frozenset[str] = DEFAULT_TRUSTED, excluded: frozenset[str] = frozenset()
) -> dict[str, list[FindingDraft]]:
    """Every object of the file → its findings (an object out of scope gets none)."""
    objects = [as_object(d) for d in docs]
    caches = caches_of(objects)
    out: dict[str, list[FindingDraft]] = {}
    for obj in objects:
        if not in_scope(obj, excluded):
            out[object_key(obj)] = []
            continue
        out[object_key(obj)] = evaluate_object(obj, build_context(obj, caches, trusted))
    return out
