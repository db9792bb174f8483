"""The one conversion of Kubernetes events and container statuses into the API's ``Event`` and ``ContainerStatus``
rows (docs/api.md#pod-failure): used by the agent for its reports (app/agent/evidence.py) and by the mirror service
for a mirror's live status (app/services/mirror.py), so both say the same thing about the same pod.

- an Event: ``type``, ``reason``, the message redacted and cut to 1 KiB, the time it was last seen, and how often
  it happened (once when the server gives no count);
- a ContainerStatus per container of the spec, init containers first, in spec order — a container without a status
  yet is ``unknown``; ``reason`` of the current state (none while running), the state's message (or the last
  termination's summary), redacted; ``exit_code`` of the last termination.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .bodies import (
    Container,
    ContainerStatus,
    Event,
    Pod,
    container_state,
    event_count,
    event_last_time,
    fmt_ts,
    last_termination,
    ts,
)
from .redaction import redact_text

EVENT_MESSAGE_BYTES = 1024


def cut_bytes(text: str, limit: int) -> str:
    """At most ``limit`` bytes of UTF-8, never half a character."""
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", "ignore")


def event_row(event: Event, secrets: Iterable[str] = ()) -> dict[str, Any]:
    stamp = event_last_time(event)
    return {
        "type": event.get("type"),
        "reason": event.get("reason"),
        "message": cut_bytes(redact_text(str(event.get("message") or ""), secrets), EVENT_MESSAGE_BYTES),
        "timestamp": fmt_ts(stamp) if stamp is not None else None,
        "count": event_count(event),
    }


def event_rows(events: Iterable[Event], limit: int, secrets: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Newest first (events without a time last), at most ``limit``."""
    ordered = sorted(events, key=lambda e: event_last_time(e) or 0.0, reverse=True)
    secrets = tuple(secrets)
    return [event_row(e, secrets) for e in ordered[:limit]]


def container_status_row(
    spec: Container, status: ContainerStatus | None, secrets: Iterable[str] = ()
) -> dict[str, Any]:
    state, current = container_state(status)
    row: dict[str, Any] = {
        "name": spec.get("name", ""),
        "image": str(spec.get("image") or ""),
        "ready": bool((status or {}).get("ready")),
        "restart_count": int((status or {}).get("restartCount") or 0),
        "state": state,
        "reason": None,
        "message": None,
        "exit_code": None,
    }
    if status is None:
        return row
    if state != "running":
        row["reason"] = current.get("reason")
    message = str(current.get("message") or "")
    previous = (status.get("lastState") or {}).get("terminated")
    if not message and previous:
        message = (
            f"last termination: {previous.get('reason') or 'Unknown'} (exit code {previous.get('exitCode')}) at "
            f"{fmt_ts(ts(previous.get('finishedAt')))}"
        )
    row["message"] = redact_text(message, secrets) if message else None
    term = last_termination(status)
    row["exit_code"] = int(term["exitCode"]) if term and term.get("exitCode") is not None else None
    return row


def container_status_rows(pod: Pod, secrets: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Init containers, then regular containers, in spec order; containers without a status too."""
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    secrets = tuple(secrets)
    rows = []
    for containers, statuses in (
        (spec.get("initContainers") or [], status.get("initContainerStatuses") or []),
        (spec.get("containers") or [], status.get("containerStatuses") or []),
    ):
        by_name = {s.get("name"): s for s in statuses}
        for container in containers:
            rows.append(container_status_row(container, by_name.get(container.get("name")), secrets))
    return rows
