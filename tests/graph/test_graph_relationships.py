"""The relationship declarations: what each one says, and that the rest of the code and the docs agree with them.

The writer's behaviour (what a write creates and removes) is proven against Neo4j in test_graph_sync.py; these
tests pin the declarations themselves, so a change to one is a deliberate change of the graph model.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph import queries, statements
from graph.recipes import RECIPES
from graph.relationships import (
    AGGREGATES,
    BY_TYPE,
    HAS_KEEPER,
    OWNS,
    RELATIONSHIPS,
    SELECTS,
    End,
    Reference,
    references_declared_by,
)
from graph.schema import SYNC_ORDER

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "graph.md").read_text()

#: Per synced kind, the references an object of that kind determines (type, arrow leaves the object?).
DETERMINED = {
    "Pod": {("OWNS", False), ("MOUNTS", True), ("USES_SERVICE_ACCOUNT", True), ("SCHEDULED_ON", True)},
    "EndpointSlice": {("OWNS", False), ("HAS_ENDPOINT_SLICE", False)},
    "Ingress": {("OWNS", False), ("ROUTES_TO", True)},
    "HorizontalPodAutoscaler": {("OWNS", False), ("SCALES", True)},
    "RoleBinding": {("OWNS", False), ("ROLE_REF", True), ("SUBJECT_OF", False)},
    "ClusterRoleBinding": {("OWNS", False), ("ROLE_REF", True), ("SUBJECT_OF", False)},
    **{
        k: {("OWNS", False), ("MOUNTS", True), ("USES_SERVICE_ACCOUNT", True)}
        for k in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob")
    },
}


@pytest.mark.parametrize("kind", SYNC_ORDER)
def test_each_kind_determines_exactly_its_references(kind: str) -> None:
    declared = {(r.type, r.determined_at is End.SOURCE) for r in references_declared_by(kind)}
    assert declared == DETERMINED.get(kind, {("OWNS", False)})


def test_a_relationship_keeps_alive_the_end_it_names_and_both_ends_types_keep_nothing() -> None:
    kept_target = {r.type for r in RELATIONSHIPS if r.keeps_alive is End.TARGET}
    kept_source = {r.type for r in RELATIONSHIPS if r.keeps_alive is End.SOURCE}
    assert kept_target == {"MOUNTS", "USES_SERVICE_ACCOUNT", "SCHEDULED_ON", "ROUTES_TO", "SCALES", "ROLE_REF"}
    assert kept_source == {"CONTAINS", "OWNS", "HAS_ENDPOINT_SLICE", "SUBJECT_OF"}
    assert {r.type for r in RELATIONSHIPS if r.keeps_alive is None} == {
        "SELECTS", "APPLIES_TO", "MEMBER_OF", "GRANTS", "AGGREGATES",
    }  # fmt: skip
    for rel in RELATIONSHIPS:
        if isinstance(rel, Reference):
            assert rel.keeps_alive is not rel.determined_at, rel.type


def test_generated_statements_point_the_arrow_the_declared_way() -> None:
    # OWNS is determined by the dependent (the arrow's target): its stale cleanup starts from the target.
    assert "MATCH (t)-[r:OWNS]->(x)" in statements.remove_stale(OWNS, End.TARGET)
    assert "MERGE (t)-[r:OWNS]->(x)" in statements.merge_references(OWNS, End.TARGET, "ReplicaSet", fresh=False)
    assert "CREATE (t)-[r:OWNS]->(x)" in statements.merge_references(OWNS, End.TARGET, "ReplicaSet", fresh=True)
    # A Service's selector is evaluated from either end: from the Service outwards, from the Pod inwards.
    assert "MATCH (x)-[r:SELECTS]->(t)" in statements.remove_stale(SELECTS, End.SOURCE)
    assert "MATCH (t)-[r:SELECTS]->(x)" in statements.remove_stale(SELECTS, End.TARGET)
    assert "c.selector AS value" in statements.selection_candidates(SELECTS, End.SOURCE)
    assert "c.labels AS value" in statements.selection_candidates(SELECTS, End.TARGET)
    # ClusterRoles are cluster-scoped: an aggregation rule is evaluated against every ClusterRole
    assert statements.selection_candidates(AGGREGATES, End.SOURCE).startswith("MATCH (c:ClusterRole) ")
    assert "c.aggregation_selectors AS value" in statements.selection_candidates(AGGREGATES, End.SOURCE)


def _types_in(cypher: str) -> set[str]:
    return {t for group in re.findall(r"\[\w*:([A-Z_|]+)[\]*]", cypher) for t in group.split("|")}


def test_every_relationship_a_query_or_recipe_reads_is_declared() -> None:
    source = (ROOT / "graph" / "queries.py").read_text()
    read = _types_in(source) | {t for recipe in RECIPES for t in _types_in(recipe.cypher)}
    assert {"OWNS", "SELECTS", "GRANTS", "MEMBER_OF"} <= read, "the pattern finds relationship types"
    assert read <= set(BY_TYPE), read - set(BY_TYPE)
    # diagram edge kinds come from the declarations, never from string literals in the queries
    assert "edge_kind(" in source and not re.search(r'b\.edge\("', source)
    assert queries.edge_kind(OWNS) == "owns"


def _section(heading: str) -> str:
    start = DOC.index(f"\n{heading}\n")
    end = DOC.index("\n### ", start + len(heading) + 2)
    return DOC[start:end]


def test_the_documented_relationship_table_matches_the_declarations() -> None:
    table = _section("### Relationships")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([A-Z_]+)` \|.*$", table, re.MULTILINE)}
    assert set(rows) == set(BY_TYPE)
    for rel in RELATIONSHIPS:
        shown = "not shown" if rel.edge_kind is None else f"`{rel.edge_kind}`"
        assert rows[rel.type].rstrip(" |").endswith(shown), rel.type


def test_the_documented_keeper_clause_is_the_generated_one() -> None:
    documented = " ".join(_section("### Placeholders and garbage").split())
    assert HAS_KEEPER.removeprefix("(").removesuffix(")") in documented
