"""Evidence and the ``POST /api/pods/failed`` body (docs/agent-scanner.md#evidence, docs/agent-scanner.md#redaction).

Everything that leaves the agent as text is redacted here, when the body is built, so unredacted data never
reaches the outbox or the backend. Only :func:`collect_logs` does I/O, through an injected reader.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.kube.bodies import Event, Pod, all_container_statuses
from app.kube.manifests import AGENT_DROPPED_METADATA, manifest_yaml, strip_object
from app.kube.redaction import redact_text
from app.kube.rows import container_status_rows, cut_bytes, event_rows

from .classify import RAN_REASONS, RESTART_BASED_REASONS, Failing, fmt_ts, last_termination, ts

MANIFEST_MAX_BYTES = 256 * 1024
LOGS_MAX_BYTES = 256 * 1024
FAILURE_MESSAGE_BYTES = 4096
BODY_MAX_BYTES = int(1.5 * 1024 * 1024)
SECTION_CUT_BYTES = 64 * 1024
SLIM_SECTION_BYTES = 16 * 1024
MAX_REASON = 128


def _tail_bytes(text: str, limit: int) -> str:
    """The last ``limit`` bytes, starting at a line boundary when there is one."""
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    tail = encoded[-limit:].decode("utf-8", "ignore")
    newline = tail.find("\n")
    return tail[newline + 1 :] if 0 <= newline < len(tail) - 1 else tail


def events_evidence(pod: Pod, events: Sequence[Event], limit: int, secrets: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The pod's own events (matched by uid, never by name), newest first, at most ``limit``."""
    uid = (pod.get("metadata") or {}).get("uid")
    return event_rows([e for e in events if (e.get("involvedObject") or {}).get("uid") == uid], limit, secrets)


def container_statuses(pod: Pod, secrets: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Init containers, then regular containers, in spec order; containers without a status too
    (app/kube/rows.py)."""
    return container_status_rows(pod, secrets)


def manifest_evidence(pod: Pod, secrets: Iterable[str] = ()) -> str:
    stripped = strip_object(pod, drop_metadata=AGENT_DROPPED_METADATA)
    stripped.setdefault("apiVersion", "v1")
    stripped.setdefault("kind", "Pod")
    ordered = {"apiVersion": stripped.pop("apiVersion"), "kind": stripped.pop("kind"), **stripped}
    return manifest_yaml(ordered, max_bytes=MANIFEST_MAX_BYTES, secrets=secrets)


# --- logs -------------------------------------------------------------------------------------------------------


class LogReadError(Exception):
    """A log read failed; ``cause`` is what the section says: ``400 …``, ``timeout`` or ``forbidden``."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


LogReader = Callable[[str, str, str, bool], Awaitable[str]]  # (namespace, pod, container, previous) -> text


@dataclass(frozen=True)
class LogSection:
    header: str
    text: str


def log_plan(pod: Pod, verdict: Failing) -> list[tuple[str, bool, str]]:
    """(container, previous, header) for every log read the evidence rules ask for (docs/agent-scanner.md#evidence);
    empty when no container ran."""
    bare = verdict.reason.removeprefix("Init:")
    if bare not in RAN_REASONS:
        return []
    statuses = {s.get("name"): s for s in all_container_statuses(pod.get("status") or {})}
    names: list[str | None]
    if verdict.container:
        names = [verdict.container]
    else:
        names = [
            n for n, s in statuses.items() if (term := last_termination(s)) and int(term.get("exitCode") or 0) != 0
        ][:3]
    reads: list[tuple[str, bool, str]] = []
    for name in names:
        cs = statuses.get(name) or {}
        has_previous = int(cs.get("restartCount") or 0) >= 1 or bool((cs.get("lastState") or {}).get("terminated"))
        if bare in RESTART_BASED_REASONS and has_previous:
            previous = (cs.get("lastState") or {}).get("terminated") or {}
            reads.append(
                (
                    str(name),
                    True,
                    f"==> container {name} (previous instance; {previous.get('reason') or 'Unknown'}, exit code "
                    f"{previous.get('exitCode')}) <==",
                )
            )
        reads.append((str(name), False, f"==> container {name} (current instance) <=="))
    return reads


async def collect_logs(
    pod: Pod,
    verdict: Failing,
    reader: LogReader,
    *,
    semaphore: asyncio.Semaphore | None = None,
    read_seconds: float = 10.0,
    byte_limit: int = 65536,
) -> list[LogSection]:
    meta = pod.get("metadata") or {}
    namespace, name = str(meta.get("namespace") or ""), str(meta.get("name") or "")
    sections = []
    for container, previous, header in log_plan(pod, verdict):
        try:
            if semaphore is not None:
                async with semaphore:
                    text = await asyncio.wait_for(reader(namespace, name, container, previous), read_seconds)
            else:
                text = await asyncio.wait_for(reader(namespace, name, container, previous), read_seconds)
            text = _tail_bytes(text, byte_limit)
        except TimeoutError:
            text = "(no log: timeout)"
        except LogReadError as exc:
            text = f"(no log: {exc.cause})"
        sections.append(LogSection(header, text))
    return sections


def render_logs(sections: Sequence[LogSection], secrets: Iterable[str] = (), section_bytes: int | None = None) -> str:
    secrets = tuple(secrets)
    parts = []
    for section in sections:
        body = section.text if section_bytes is None else _tail_bytes(section.text, section_bytes)
        body = body if body.endswith("\n") or not body else body + "\n"
        parts.append(f"{section.header}\n{body}")
    return _tail_bytes(redact_text("".join(parts), secrets), LOGS_MAX_BYTES)


# --- the request body --------------------------------------------------------------------------------------------


def _owner(pod: Pod) -> tuple[str | None, str | None]:
    refs = (pod.get("metadata") or {}).get("ownerReferences") or []
    chosen = next((r for r in refs if r.get("controller") is True), refs[0] if refs else None)
    if not chosen:
        return None, None
    return chosen.get("kind"), chosen.get("name")


def report_body(
    pod: Pod,
    verdict: Failing,
    events: Sequence[Event],
    logs: Sequence[LogSection] = (),
    *,
    max_events: int = 20,
    secrets: Iterable[str] = (),
    slim: bool = False,
) -> dict[str, Any]:
    """The report body (docs/agent-scanner.md#the-report-body). Every field is always sent. ``slim`` is the single
    retry after a 413 (docs/agent-scanner.md#talking-to-the-backend)."""
    secrets = tuple(secrets)
    meta = pod.get("metadata") or {}
    owner_kind, owner_name = _owner(pod)
    created = ts(meta.get("creationTimestamp"))
    body: dict[str, Any] = {
        "pod_name": meta.get("name"),
        "namespace": meta.get("namespace"),
        "node_name": (pod.get("spec") or {}).get("nodeName") or None,
        "phase": (pod.get("status") or {}).get("phase"),
        "owner_kind": owner_kind,
        "owner_name": owner_name,
        "labels": dict(meta.get("labels") or {}),
        "failure_reason": verdict.reason[:MAX_REASON],
        "failure_message": cut_bytes(redact_text(verdict.message, secrets), FAILURE_MESSAGE_BYTES),
        "creation_timestamp": fmt_ts(created) if created is not None else None,
        "events": events_evidence(pod, events, max_events, secrets),
        "container_statuses": container_statuses(pod, secrets),
        "manifest": "" if slim else manifest_evidence(pod, secrets),
        "logs": render_logs(logs, secrets, SLIM_SECTION_BYTES if slim else None),
    }
    if _size(body) > BODY_MAX_BYTES:
        body["logs"] = render_logs(logs, secrets, SECTION_CUT_BYTES)
    if _size(body) > BODY_MAX_BYTES:
        body["manifest"] = ""
    return body


def _size(body: Mapping[str, Any]) -> int:
    return len(json.dumps(body).encode())


def dismiss_body(namespace: str, pod_name: str) -> dict[str, str]:
    return {"namespace": namespace, "pod_name": pod_name}
