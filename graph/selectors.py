"""LabelSelector canonical forms and exact evaluation (docs/graph.md#selectors).

:func:`matches` is the one selector algorithm: a Service selector (a plain map) is evaluated as matchLabels, a
NetworkPolicy ``podSelector`` as the LabelSelector it is (see the ``SELECTS`` and ``APPLIES_TO`` declarations
in :mod:`graph.relationships`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from app.kube.bodies import LabelSelector, as_label_selector

_OPERATORS = {"In", "NotIn", "Exists", "DoesNotExist"}


def canonical_selector(selector: LabelSelector | None) -> dict[str, Any]:
    """matchLabels with sorted keys, expressions sorted by (key, operator) with sorted values."""
    selector = selector or {}
    match_labels = {str(k): str(v) for k, v in sorted((selector.get("matchLabels") or {}).items())}
    expressions = []
    for expr in selector.get("matchExpressions") or []:
        entry: dict[str, Any] = {"key": str(expr.get("key", "")), "operator": str(expr.get("operator", ""))}
        values = expr.get("values")
        if values is not None:
            entry["values"] = sorted(str(v) for v in values)
        expressions.append(entry)
    expressions.sort(key=lambda e: (e["key"], e["operator"], e.get("values", [])))
    result: dict[str, Any] = {}
    if match_labels:
        result["matchLabels"] = match_labels
    if expressions:
        result["matchExpressions"] = expressions
    return result


def selector_json(selector: LabelSelector | None) -> str:
    return json.dumps(canonical_selector(selector), sort_keys=True, separators=(",", ":"))


def selector_string(selector: LabelSelector | None) -> str:
    """Kubernetes selector syntax: ``k=v`` sorted, then ``k in (a,b)``, ``k notin (a,b)``, ``k``, ``!k``."""
    canon = canonical_selector(selector)
    parts = [f"{k}={v}" for k, v in canon.get("matchLabels", {}).items()]
    for expr in canon.get("matchExpressions", []):
        op, key, values = expr["operator"], expr["key"], ",".join(expr.get("values", []))
        if op == "In":
            parts.append(f"{key} in ({values})")
        elif op == "NotIn":
            parts.append(f"{key} notin ({values})")
        elif op == "Exists":
            parts.append(key)
        elif op == "DoesNotExist":
            parts.append(f"!{key}")
        else:
            parts.append(f"{key} {op} ({values})")
    return ",".join(parts)


def labels_to_map(labels: Iterable[str] | None) -> dict[str, str]:
    """Inverse of the stored ``labels`` list (``key=value``; keys never contain ``=``)."""
    out: dict[str, str] = {}
    for item in labels or []:
        key, _, value = item.partition("=")
        out[key] = value
    return out


def matches(selector: LabelSelector, labels: Mapping[str, str]) -> bool:
    """Exact LabelSelector semantics. ``{}`` matches everything; unknown operators or In/NotIn without values
    match nothing."""
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        op, label = expr.get("operator"), expr.get("key")
        values = expr.get("values") or []
        if op not in _OPERATORS or (op in ("In", "NotIn") and not values):
            return False
        present = label is not None and label in labels
        current = labels.get(label) if label is not None else None
        if op == "In" and not (present and current in values):
            return False
        if op == "NotIn" and present and current in values:
            return False
        if op == "Exists" and not present:
            return False
        if op == "DoesNotExist" and present:
            return False
    return True


def selector_list_json(selectors: Iterable[LabelSelector | None]) -> str:
    """Canonical JSON of a list of LabelSelectors (an aggregation rule's ``clusterRoleSelectors``), in order."""
    return json.dumps([canonical_selector(s) for s in selectors], sort_keys=True, separators=(",", ":"))


def parse_selector_list_json(value: Any) -> tuple[LabelSelector, ...]:
    """The stored canonical JSON of a list of LabelSelectors; () (selecting nothing) when absent or unreadable."""
    try:
        selectors = json.loads(value) if value else []
    except (TypeError, ValueError):
        return ()
    if not isinstance(selectors, list):
        return ()
    return tuple(as_label_selector(s) for s in selectors if isinstance(s, dict))


def parse_selector_json(value: Any) -> LabelSelector | None:
    """The stored canonical JSON of a LabelSelector (absent: ``{}``, which selects everything); None, selecting
    nothing, for text that is not a JSON object."""
    try:
        selector = json.loads(value or "{}")
    except (TypeError, ValueError):
        return None
    return as_label_selector(selector) if isinstance(selector, dict) else None
