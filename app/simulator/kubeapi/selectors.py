"""labelSelector / fieldSelector query-string evaluation, as the API server does it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Predicate = Callable[[dict[str, Any]], bool]

_SET_EXPR = re.compile(r"^\s*([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)\s*$")


def _split_top_level(text: str) -> list[str]:
    """Split on commas that are not inside parentheses (``a in (x,y),b`` → two terms)."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def parse_label_selector(text: str | None) -> Predicate:
    """Compile a label selector string into a predicate over an object's labels."""
    terms: list[tuple[str, str, frozenset[str]]] = []
    for term in _split_top_level(text or ""):
        m = _SET_EXPR.match(term)
        if m:
            values = frozenset(v.strip() for v in m.group(3).split(",") if v.strip())
            terms.append((m.group(2), m.group(1), values))
        elif "!=" in term:
            key, value = (s.strip() for s in term.split("!=", 1))
            terms.append(("notin", key, frozenset([value])))
        elif "=" in term:
            key, value = (s.strip() for s in term.replace("==", "=").split("=", 1))
            terms.append(("in", key, frozenset([value])))
        elif term.startswith("!"):
            terms.append(("absent", term[1:].strip(), frozenset()))
        else:
            terms.append(("present", term, frozenset()))

    def predicate(obj: dict[str, Any]) -> bool:
        labels = (obj.get("metadata") or {}).get("labels") or {}
        for op, key, values in terms:
            if op == "in" and labels.get(key) not in values:
                return False
            if op == "notin" and labels.get(key) in values:
                return False
            if op == "present" and key not in labels:
                return False
            if op == "absent" and key in labels:
                return False
        return True

    return predicate


def _dotted(obj: dict[str, Any], path: str) -> str:
    cur: Any = obj
    for part in path.split("."):
        if not isinstance(cur, dict):
            return ""
        cur = cur.get(part)
    if cur is None:
        return ""
    if isinstance(cur, bool):
        return "true" if cur else "false"
    return str(cur)


def parse_field_selector(text: str | None) -> Predicate:
    """Compile ``a.b=v,c.d!=w`` into a predicate (any dotted path, compared as strings)."""
    terms: list[tuple[bool, str, str]] = []
    for term in _split_top_level(text or ""):
        if "!=" in term:
            path, value = (s.strip() for s in term.split("!=", 1))
            terms.append((False, path, value))
        else:
            path, value = (s.strip() for s in term.replace("==", "=").split("=", 1))
            terms.append((True, path, value))
    return lambda obj: all((_dotted(obj, path) == value) == equal for equal, path, value in terms)
