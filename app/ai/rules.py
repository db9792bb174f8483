"""Rules engine: a Markdown solution for a pod-failure report, from the knowledge table (docs/api.md#solutions).

``rule_solution(report)`` is pure and synchronous: ingest calls it on every new record. The report is a mapping
with the fields of a failure report (docs/api.md#reporting-a-failure, docs/api.md#pod-failure; missing fields are
tolerated). Every evidence string quoted in the solution goes through :func:`app.kube.redaction.redact_text`
first, and nothing else from the evidence (env values, logs, manifest values other than resource limits and node
selectors) is echoed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from app.ai.knowledge import ENTRIES, GENERIC, LOG_HINTS, Entry, LogHint, Variant
from app.kube.redaction import redact_text

__all__ = ["Facts", "extract_facts", "find_entry", "rule_solution", "split_init_prefix"]

INIT_PREFIX = "Init:"
_QUOTE_LIMIT = 300
_MAX_EVENTS_QUOTED = 3
_MAX_LOG_HINTS = 3
# The newest part of the logs holds the error that ended the instance; older output only adds noise.
_LOG_WINDOW = 64 * 1024

_CONTAINER_IN_MESSAGE = re.compile(r"(?:^|\b)(?:init )?container '([^']{1,253})'", re.IGNORECASE)
_EXIT_CODE_IN_MESSAGE = re.compile(r"exit code (-?\d{1,4})", re.IGNORECASE)
_TERMINATION_IN_MESSAGE = re.compile(r"(?:last termination|terminated): ([A-Za-z]{1,64})", re.IGNORECASE)
_MEMORY_LIMIT_IN_MESSAGE = re.compile(r"memory limit ([^),;\s]{1,32})", re.IGNORECASE)


def split_init_prefix(reason: str) -> tuple[str, bool]:
    """``"Init:CrashLoopBackOff"`` → ``("CrashLoopBackOff", True)``."""
    if reason.startswith(INIT_PREFIX):
        return reason[len(INIT_PREFIX):].strip(), True
    return reason, False


@lru_cache(maxsize=1)
def _index() -> dict[str, Entry]:
    index: dict[str, Entry] = {}
    for entry in ENTRIES:
        for reason in entry.reasons:
            if reason.lower() in index:
                raise ValueError(f"reason {reason!r} appears twice in the knowledge table")
            index[reason.lower()] = entry
    return index


def find_entry(reason: str) -> Entry:
    """The knowledge entry for a bare reason (case-insensitive), else the generic entry."""
    entry = _index().get(reason.lower())
    if entry is not None:
        return entry
    for candidate in ENTRIES:
        if any(reason.startswith(prefix) for prefix in candidate.reason_prefixes):
            return candidate
    return GENERIC


@dataclass
class Facts:
    """What the engine knows about one report, already redacted."""

    reason: str
    raw_reason: str
    init: bool
    pod: str
    namespace: str
    container: str | None
    image: str | None
    exit_code: int | None
    termination: str | None
    restarts: int | None
    memory_limit: str | None
    node: str | None
    owner: str | None
    node_selector: str | None
    message: str
    evidence: str
    warnings: list[str] = field(default_factory=list)
    logs: str = ""

    def values(self) -> dict[str, str]:
        def show(value: object, default: str) -> str:
            return default if value is None or value == "" else str(value)

        return {
            "reason": self.reason,
            "pod": self.pod or "<pod>",
            "namespace": self.namespace or "<namespace>",
            "container": show(self.container, "<container>"),
            "image": show(self.image, "<image>"),
            "exit_code": show(self.exit_code, "unknown"),
            "termination": show(self.termination, "unknown"),
            "restarts": show(self.restarts, "several"),
            "memory_limit": show(self.memory_limit, "no limit reported"),
            "node": show(self.node, "<node>"),
            "owner": show(self.owner, "its Deployment/StatefulSet/Job"),
            "node_selector": show(self.node_selector, "see the pod spec"),
        }


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _one_line(text: str, limit: int = _QUOTE_LIMIT) -> str:
    flat = " ".join(text.split()).replace("`", "'")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _load_manifest(text: str) -> dict[str, Any]:
    if not text.strip():
        return {}
    try:
        obj = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    return obj if isinstance(obj, dict) else {}


def _manifest_container(manifest: Mapping[str, Any], name: str | None) -> Mapping[str, Any]:
    spec = manifest.get("spec")
    if not isinstance(spec, dict) or name is None:
        return {}
    for list_name in ("initContainers", "containers"):
        for container in spec.get(list_name) or ():
            if isinstance(container, dict) and container.get("name") == name:
                return container
    return {}


def _node_selector(manifest: Mapping[str, Any]) -> str | None:
    spec = manifest.get("spec")
    if not isinstance(spec, dict):
        return None
    selector = spec.get("nodeSelector")
    parts: list[str] = []
    if isinstance(selector, dict) and selector:
        parts.append("nodeSelector " + ", ".join(f"`{k}={v}`" for k, v in sorted(selector.items())))
    affinity = spec.get("affinity")
    if isinstance(affinity, dict) and isinstance(affinity.get("nodeAffinity"), dict):
        parts.append("a `nodeAffinity` rule")
    return " and ".join(parts) or None


def _pick_container(
    statuses: Sequence[Mapping[str, Any]], message: str, reason: str, raw_reason: str
) -> Mapping[str, Any] | None:
    named = _CONTAINER_IN_MESSAGE.search(message)
    if named:
        for status in statuses:
            if status.get("name") == named.group(1):
                return status
        return {"name": named.group(1)}
    for wanted in (raw_reason, reason):
        for status in statuses:
            if _str(status.get("reason")) == wanted:
                return status
    for status in statuses:
        if not status.get("ready") and (status.get("exit_code") not in (None, 0) or status.get("reason")):
            return status
    return statuses[0] if statuses else None


def extract_facts(report: Mapping[str, Any], secrets: Iterable[str] = ()) -> Facts:
    """Collect (redacted) facts from a pod-failure report."""
    secrets = tuple(secrets)
    raw_reason = _str(report.get("failure_reason")).strip() or "Unknown"
    reason, init = split_init_prefix(raw_reason)
    reason = reason or "Unknown"
    message = redact_text(_str(report.get("failure_message")), secrets)
    statuses = [s for s in report.get("container_statuses") or () if isinstance(s, Mapping)]
    events = [e for e in report.get("events") or () if isinstance(e, Mapping)]
    manifest = _load_manifest(_str(report.get("manifest")))

    chosen = _pick_container(statuses, message, reason, raw_reason)
    container = _str(chosen.get("name")) if chosen else None
    image = _str(chosen.get("image")) if chosen else ""
    spec_container = _manifest_container(manifest, container)
    if not image:
        image = _str(spec_container.get("image"))

    exit_code: int | None = None
    found = _EXIT_CODE_IN_MESSAGE.search(message)
    if found:
        exit_code = int(found.group(1))
    elif chosen is not None and isinstance(chosen.get("exit_code"), int):
        exit_code = int(chosen["exit_code"])

    termination_match = _TERMINATION_IN_MESSAGE.search(message)
    container_message = redact_text(_str(chosen.get("message")) if chosen else "", secrets)
    if termination_match is None:
        termination_match = _TERMINATION_IN_MESSAGE.search(container_message)
    termination = termination_match.group(1) if termination_match else None

    restarts = chosen.get("restart_count") if chosen else None
    memory_match = _MEMORY_LIMIT_IN_MESSAGE.search(message)
    memory_limit = memory_match.group(1) if memory_match else None
    if memory_limit is None or memory_limit == "none":
        resources = spec_container.get("resources")
        limits = resources.get("limits") if isinstance(resources, dict) else None
        if isinstance(limits, dict) and limits.get("memory") is not None:
            memory_limit = str(limits["memory"])

    owner_kind, owner_name = _str(report.get("owner_kind")), _str(report.get("owner_name"))
    owner = f"{owner_kind} `{owner_name}`" if owner_kind and owner_name else None

    parts = [raw_reason, message]
    for status in statuses:
        parts.append(_str(status.get("reason")))
        parts.append(redact_text(_str(status.get("message")), secrets))
    warnings: list[str] = []
    for event in events:
        event_reason = _str(event.get("reason"))
        event_message = redact_text(_str(event.get("message")), secrets)
        parts.append(f"{event_reason}: {event_message}")
        if _str(event.get("type")) == "Warning" and event_message:
            warnings.append(f"{event_reason}: {event_message}" if event_reason else event_message)

    return Facts(
        reason=reason,
        raw_reason=raw_reason,
        init=init,
        pod=_str(report.get("pod_name")),
        namespace=_str(report.get("namespace")),
        container=container or None,
        image=redact_text(image, secrets) or None,
        exit_code=exit_code,
        termination=termination,
        restarts=restarts if isinstance(restarts, int) else None,
        memory_limit=memory_limit,
        node=_str(report.get("node_name")) or None,
        owner=owner,
        node_selector=_node_selector(manifest),
        message=message,
        evidence="\n".join(p for p in parts if p),
        warnings=warnings,
        logs=redact_text(_str(report.get("logs"))[-_LOG_WINDOW:], secrets),
    )


def _matches(variant: Variant, facts: Facts) -> dict[str, str] | None:
    """The variant's captures when it applies to the facts, else None."""
    when = variant.when
    captures: dict[str, str] = {}
    if when.exit_codes and facts.exit_code not in when.exit_codes:
        return None
    if when.missing and any(getattr(facts, name) not in (None, "") for name in when.missing):
        return None
    if when.image is not None and not (facts.image and re.search(when.image, facts.image)):
        return None
    if when.evidence is not None:
        found = re.search(when.evidence, facts.evidence, re.IGNORECASE)
        if found is None:
            return None
        captures = {k: _one_line(v, 120) for k, v in found.groupdict().items() if v}
    return captures


class _Values(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def _render(template: str, values: Mapping[str, str]) -> str:
    try:
        return template.format_map(_Values(values))
    except (ValueError, IndexError, AttributeError):
        # A malformed template must not break ingest; show it unformatted.
        return template


def _select(entry: Entry, facts: Facts) -> tuple[list[Variant], dict[str, str]]:
    chosen: list[Variant] = []
    captures: dict[str, str] = {}
    for variant in entry.variants:
        found = _matches(variant, facts)
        if found is None:
            continue
        chosen.append(variant)
        for key, value in found.items():
            captures.setdefault(key, value)
        if entry.combine == "first":
            break
    return chosen, captures


def _log_hints(facts: Facts) -> list[LogHint]:
    if not facts.logs.strip():
        return []
    found = [hint for hint in LOG_HINTS if re.search(hint.pattern, facts.logs, re.IGNORECASE | re.MULTILINE)]
    return found[:_MAX_LOG_HINTS]


def _evidence_lines(facts: Facts) -> list[str]:
    lines = [f"- Reported reason: `{_one_line(facts.raw_reason, 128)}`"]
    detail: list[str] = []
    if facts.container:
        kind = "init container" if facts.init else "container"
        detail.append(f"{kind} `{_one_line(facts.container, 128)}`")
    if facts.image:
        detail.append(f"image `{_one_line(facts.image, 200)}`")
    if facts.exit_code is not None:
        detail.append(f"exit code {facts.exit_code}")
    if facts.termination:
        detail.append(f"last termination `{facts.termination}`")
    if facts.restarts:
        detail.append(f"restarts: {facts.restarts}")
    if detail:
        joined = ", ".join(detail)
        lines.append("- " + joined[0].upper() + joined[1:])
    if facts.message:
        lines.append(f"- Message: `{_one_line(facts.message)}`")
    for warning in facts.warnings[:_MAX_EVENTS_QUOTED]:
        lines.append(f"- Event: `{_one_line(warning)}`")
    return lines


def rule_solution(report: Mapping[str, Any], secrets: Iterable[str] = ()) -> str:
    """Markdown solution (``## Root Cause``, ``## Fix``, ``## Verification``) for a pod-failure report."""
    facts = extract_facts(report, secrets)
    entry = find_entry(facts.reason)
    variants, captures = _select(entry, facts)
    values = {**facts.values(), **captures}

    cause = _render(entry.cause, values)
    if facts.init:
        who = f"init container `{facts.container}`" if facts.container else "an init container"
        cause = (f"**An init container failed** ({who}); the pod's regular containers cannot start until every "
                 f"init container has completed successfully. " + cause)
    root = ["## Root Cause", "", f"**{entry.title}** — {cause}"]
    if len(variants) == 1:
        root += ["", _render(variants[0].cause, values)]
    elif variants:
        root += [""] + [f"- {_render(v.cause, values)}" for v in variants]
    hints = _log_hints(facts)
    if hints:
        root += ["", "The container logs show that " + "; ".join(h.finding for h in hints) + "."]
    root += ["", "Evidence:", *_evidence_lines(facts)]

    fixes: list[str] = []
    if facts.init:
        fixes.append(f"Fix init container `{values['container']}` first: init containers run one after another "
                     "and each must complete successfully before the regular containers start.")
    for variant in variants:
        fixes.extend(_render(step, values) for step in variant.fix)
    fixes.extend(hint.fix for hint in hints)
    fixes.extend(_render(step, values) for step in entry.fix)
    fixes = list(dict.fromkeys(fixes))

    verify: list[str] = []
    for variant in variants:
        verify.extend(_render(step, values) for step in variant.verify)
    verify.extend(_render(step, values) for step in entry.verify)
    if facts.init:
        verify.append(f"`kubectl -n {values['namespace']} get pod {values['pod']}` no longer shows `Init:` in "
                      "the STATUS column.")
    verify = list(dict.fromkeys(verify))

    lines = [*root, "", "## Fix", ""]
    lines += [f"{n}. {step}" for n, step in enumerate(fixes, 1)]
    lines += ["", "## Verification", ""]
    lines += [f"- {step}" for step in verify]
    return "\n".join(lines) + "\n"
