"""Kubernetes objects as the API server serves them (camelCase JSON), typed at the boundary, and their shared readers.

The project reads raw JSON, never the client library's model classes (app/kube/rest.py). These TypedDicts name the
fields the code reads — every one optional (``total=False``): the server omits empty fields, and a test or a fake
may send less. :func:`as_pod`, :func:`as_event` and :func:`as_lease` are the boundary: a JSON object goes in, a
typed view comes out (the same object, only checked to be a mapping). The readers below are the one definition of
what the agent and the mirror service mean by "an event's time" or "a container's last termination".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TypedDict, cast

from app.core.timefmt import iso, parse_timestamp


class OwnerReference(TypedDict, total=False):
    apiVersion: str
    kind: str
    name: str
    uid: str
    controller: bool


class ObjectMeta(TypedDict, total=False):
    name: str
    namespace: str
    uid: str
    labels: dict[str, str]
    annotations: dict[str, str]
    ownerReferences: list[OwnerReference]
    creationTimestamp: str
    deletionTimestamp: str
    resourceVersion: str


class ContainerStateDetail(TypedDict, total=False):
    """One of ``waiting``, ``running`` or ``terminated`` (only the fields each has are present)."""

    reason: str
    message: str
    exitCode: int
    signal: int
    startedAt: str
    finishedAt: str


class ContainerState(TypedDict, total=False):
    waiting: ContainerStateDetail
    running: ContainerStateDetail
    terminated: ContainerStateDetail


class ContainerStatus(TypedDict, total=False):
    name: str
    image: str
    imageID: str
    ready: bool
    started: bool
    restartCount: int
    state: ContainerState
    lastState: ContainerState


class Container(TypedDict, total=False):
    name: str
    image: str
    restartPolicy: str
    resources: dict[str, Any]
    env: list[dict[str, Any]]


class PodSpec(TypedDict, total=False):
    nodeName: str
    containers: list[Container]
    initContainers: list[Container]
    restartPolicy: str
    serviceAccountName: str


class PodCondition(TypedDict, total=False):
    type: str
    status: str
    reason: str
    message: str
    lastTransitionTime: str


class PodStatus(TypedDict, total=False):
    phase: str
    reason: str
    message: str
    conditions: list[PodCondition]
    containerStatuses: list[ContainerStatus]
    initContainerStatuses: list[ContainerStatus]


class Pod(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: PodSpec
    status: PodStatus


class ObjectReference(TypedDict, total=False):
    kind: str
    namespace: str
    name: str
    uid: str
    fieldPath: str


class EventSeries(TypedDict, total=False):
    count: int
    lastObservedTime: str


class Event(TypedDict, total=False):
    """A core/v1 Event."""

    metadata: ObjectMeta
    involvedObject: ObjectReference
    type: str
    reason: str
    message: str
    count: int
    series: EventSeries
    eventTime: str
    firstTimestamp: str
    lastTimestamp: str


class LeaseSpec(TypedDict, total=False):
    holderIdentity: str
    leaseDurationSeconds: int
    acquireTime: str
    renewTime: str
    leaseTransitions: int


class Lease(TypedDict, total=False):
    """A coordination.k8s.io/v1 Lease (the agent's and the scanner's leader election, app/incluster/lease.py)."""

    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: LeaseSpec


class ConfigMap(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    data: dict[str, str]


# --- the boundary ----------------------------------------------------------------------------------------------


def as_pod(obj: Mapping[str, Any]) -> Pod:
    """A pod as served by the API server, typed. It is the same object: nothing is copied or converted."""
    if not isinstance(obj, Mapping):
        raise TypeError(f"a Pod must be a JSON object, not {type(obj).__name__}")
    return cast(Pod, obj)


def as_event(obj: Mapping[str, Any]) -> Event:
    if not isinstance(obj, Mapping):
        raise TypeError(f"an Event must be a JSON object, not {type(obj).__name__}")
    return cast(Event, obj)


def as_lease(obj: Mapping[str, Any]) -> Lease:
    if not isinstance(obj, Mapping):
        raise TypeError(f"a Lease must be a JSON object, not {type(obj).__name__}")
    return cast(Lease, obj)


# --- readers ---------------------------------------------------------------------------------------------------


def ts(value: object) -> float | None:
    """A Kubernetes timestamp as epoch seconds; ``None`` for missing or unparseable values."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_timestamp(value).timestamp()
    except ValueError:
        return None


def fmt_ts(epoch: float | None) -> str:
    """Epoch seconds as the API's ISO-8601 ``...Z`` text; ``unknown`` for none."""
    if epoch is None:
        return "unknown"
    return iso(datetime.fromtimestamp(epoch, UTC)) or "unknown"


def event_last_time(event: Event | Mapping[str, Any]) -> float | None:
    """When an event was last seen: ``lastTimestamp``, the series' last observation, ``eventTime``,
    ``firstTimestamp``, then the object's creation (events.k8s.io writers fill different fields)."""
    event = cast(Event, event)
    for value in (
        event.get("lastTimestamp"),
        (event.get("series") or {}).get("lastObservedTime"),
        event.get("eventTime"),
        event.get("firstTimestamp"),
        (event.get("metadata") or {}).get("creationTimestamp"),
    ):
        parsed = ts(value)
        if parsed is not None:
            return parsed
    return None


def event_first_time(event: Event | Mapping[str, Any]) -> float | None:
    event = cast(Event, event)
    for value in (
        event.get("firstTimestamp"),
        event.get("eventTime"),
        (event.get("metadata") or {}).get("creationTimestamp"),
        event.get("lastTimestamp"),
    ):
        parsed = ts(value)
        if parsed is not None:
            return parsed
    return None


def event_count(event: Event | Mapping[str, Any]) -> int:
    """How often an event happened: ``count``, else the series' count, else once."""
    event = cast(Event, event)
    count = event.get("count")
    if count is None:
        count = (event.get("series") or {}).get("count")
    return int(count) if count is not None else 1


_FIELD_PATH = re.compile(r"^spec\.(?:initContainers|containers|ephemeralContainers)\{([^}]*)\}")


def event_container(event: Event | Mapping[str, Any]) -> str | None:
    """The container an event is about, from ``involvedObject.fieldPath`` (``spec.containers{app}``)."""
    path = (cast(Event, event).get("involvedObject") or {}).get("fieldPath") or ""
    match = _FIELD_PATH.match(path)
    return match.group(1) if match else None


def last_termination(status: ContainerStatus | Mapping[str, Any] | None) -> ContainerStateDetail | None:
    """``state.terminated`` when terminated now, else ``lastState.terminated`` (the "last termination" of
    docs/catalogue.md#failure-reasons)."""
    if not status:
        return None
    status = cast(ContainerStatus, status)
    current = (status.get("state") or {}).get("terminated")
    if current:
        return current
    return (status.get("lastState") or {}).get("terminated") or None


def container_state(status: ContainerStatus | Mapping[str, Any] | None) -> tuple[str, ContainerStateDetail]:
    """(``waiting`` | ``running`` | ``terminated`` | ``unknown``, its detail) of a container's current state."""
    state = cast(ContainerStatus, status or {}).get("state") or {}
    for name in ("waiting", "running", "terminated"):
        detail = state.get(name)
        if detail is not None:
            return name, cast(ContainerStateDetail, detail or {})
    return "unknown", {}
