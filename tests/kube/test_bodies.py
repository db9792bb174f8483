"""The boundary readers of app/kube/bodies.py that are not covered by the agent's, the graph's or the mirror's tests."""

from __future__ import annotations

from typing import Any

from app.kube.bodies import as_event, as_pod, list_items


def test_a_list_answer_is_read_item_by_item_as_its_kind() -> None:
    first, second = {"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}
    answer: dict[str, Any] = {"kind": "PodList", "metadata": {"resourceVersion": "7"},
                              "items": [first, "junk", None, second]}
    pods = list_items(answer, as_pod)
    # Entries that are not objects are left out; the objects are the answer's own, not copies.
    assert [(pod.get("metadata") or {}).get("name") for pod in pods] == ["a", "b"]
    assert pods[0] is first and pods[1] is second


def test_an_empty_list_answer_has_no_items() -> None:
    assert list_items({"kind": "EventList"}, as_event) == []  # the server leaves an empty ``items`` out
    assert list_items({"kind": "EventList", "items": None}, as_event) == []
