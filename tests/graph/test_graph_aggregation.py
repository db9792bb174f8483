"""ClusterRole aggregation in the graph (docs/graph.md#rbac-exactly): ``AGGREGATES`` joins an aggregated ClusterRole to
the ClusterRoles its ``clusterRoleSelectors`` match, recomputed from either end as labels and rules change."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from app.kube.bodies import as_object
from graph.transforms import transform
from graph.writer import GraphWriter, WorkItem
from tests.graph.conftest import rows

pytestmark = pytest.mark.integration

_VERSIONS = itertools.count(1)


def cluster_role(name: str, labels: dict[str, str] | None = None, selectors: list[Any] | None = None) -> WorkItem:
    obj: dict[str, Any] = {
        "metadata": {"name": name, "labels": labels or {}, "resourceVersion": str(next(_VERSIONS))},
        "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}],
    }
    if selectors is not None:
        obj["aggregationRule"] = {"clusterRoleSelectors": selectors}
    return WorkItem.upsert("ClusterRole", transform("ClusterRole", as_object(obj)))


async def aggregates(driver: Any) -> set[tuple[str, str]]:
    found = await rows(driver, "MATCH (a)-[:AGGREGATES]->(b) RETURN a.name AS a, b.name AS b")
    return {(r["a"], r["b"]) for r in found}


async def test_aggregation_edges_follow_selectors_and_labels_from_either_end(neo4j_driver: Any) -> None:
    writer = GraphWriter(neo4j_driver)
    to_edit = {"rbac.example.com/aggregate-to-edit": "true"}
    to_view = {"rbac.example.com/aggregate-to-view": "true"}
    edit_selectors = [{"matchLabels": to_edit}, {"matchExpressions": [{"key": "extra", "operator": "Exists"}]}]
    # The aggregated role arrives first, a matching role later (and one that matches its own selector).
    await writer.apply([cluster_role("edit", labels=to_view, selectors=edit_selectors)])
    await writer.apply([
        cluster_role("crd-editor", labels=to_edit),
        cluster_role("metrics", labels={"extra": ""}),  # the second selector: any one selecting is enough
        cluster_role("unrelated", labels={"team": "a"}),
        cluster_role("view", labels={}, selectors=[{"matchLabels": to_view}]),
        cluster_role("self", labels=to_edit, selectors=[{"matchLabels": to_edit}]),
    ])  # fmt: skip
    assert await aggregates(neo4j_driver) == {
        ("edit", "crd-editor"), ("edit", "metrics"), ("edit", "self"), ("view", "edit"), ("self", "crd-editor"),
    }  # fmt: skip — "self" never aggregates itself

    # A label change on the aggregated-in end moves its edges; a selector change on the aggregating end too.
    await writer.apply([cluster_role("crd-editor", labels={"team": "b"})])
    await writer.apply([cluster_role("view", labels={}, selectors=[{"matchLabels": {"team": "a"}}])])
    assert await aggregates(neo4j_driver) == {
        ("edit", "metrics"), ("edit", "self"), ("view", "unrelated"),
    }  # fmt: skip

    # An aggregation rule with no selectors selects nothing; deleting either end removes its edges.
    await writer.apply([cluster_role("edit", labels=to_view, selectors=[])])
    await writer.apply([WorkItem.delete("ClusterRole", "ClusterRole/_/unrelated")])
    assert await aggregates(neo4j_driver) == set()
