"""Pod-failure shapes (docs/api.md#pod-failure, docs/api.md#pod-failures) and the one presenter from stored documents to
them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, WithJsonSchema, field_validator

from app.core.idempotency import INVALID_KEY, KEY_PATTERN, MAX_KEY_LENGTH
from app.core.timefmt import iso
from app.kube.names import label_key_error, label_value_error
from app.schemas.base import INT64_MAX, InputTimestamp, Int64, Pagination, QueryModel, RequestModel
from app.schemas.insight import AccessSummary, ImpactSummary

Status = Literal["new", "investigating", "resolved", "ignored"]


class EventIn(RequestModel):
    type: str | None = None
    reason: str | None = None
    message: str | None = None
    timestamp: InputTimestamp | None = None
    count: Int64 | None = None


class ContainerStatusIn(RequestModel):
    name: Annotated[str, Field(min_length=1, pattern=r"\S")]
    image: str = ""
    ready: bool = False
    restart_count: Annotated[int, Field(ge=0, le=INT64_MAX)] = 0
    state: str = ""
    reason: str | None = None
    message: str | None = None
    exit_code: Int64 | None = None


class PodReport(RequestModel):
    """``POST /api/pods/failed``. pod_name/namespace are optional here so that their absence is the route's
    400 (docs/api.md#reporting-a-failure step 2) rather than a 422."""

    pod_name: Annotated[str, Field(max_length=253)] | None = None
    namespace: Annotated[str, Field(max_length=63)] | None = None
    node_name: str | None = None
    failure_reason: Annotated[str, Field(max_length=128)] = "Unknown"
    failure_message: str = ""
    creation_timestamp: InputTimestamp | None = None
    events: Annotated[list[EventIn], Field(max_length=500)] = Field(default_factory=list)
    container_statuses: Annotated[list[ContainerStatusIn], Field(max_length=100)] = Field(default_factory=list)
    manifest: str = ""
    logs: str = ""
    phase: Annotated[str, Field(max_length=32)] | None = None
    owner_kind: Annotated[str, Field(max_length=64)] | None = None
    owner_name: Annotated[str, Field(max_length=253)] | None = None
    labels: dict[str, str] = Field(default_factory=dict)

    @field_validator("labels")
    @classmethod
    def _kubernetes_labels(cls, value: dict[str, str]) -> dict[str, str]:
        # The pod's labels as Kubernetes holds them: a key or value Kubernetes refuses is no pod's label (and a
        # key with a NUL byte or a leading `$` could not even be stored).
        for key, item in value.items():
            problem = label_key_error(key) or label_value_error(item)
            if problem is not None:
                raise ValueError(f"{problem}: {key!r}")
        return value


class StatusChange(RequestModel):
    status: Status
    note: Annotated[str, Field(max_length=2000)] | None = None


class DismissDeleted(RequestModel):
    namespace: str | None = None
    pod_name: str | None = None


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)  # an absent header has no value, not a null one


class DeliveryHeaders(BaseModel):
    """The optional request header of the agent's keyed routes (docs/api.md#delivery-keys); documentation only,
    the route reads it (app/http/idempotency.py)."""

    idempotency_key: Annotated[
        str | None,
        WithJsonSchema({"type": "string", "pattern": KEY_PATTERN, "maxLength": MAX_KEY_LENGTH + 2}),
        Field(description=f"A delivery key: the same key on a retry is applied at most once. {INVALID_KEY}.",
              json_schema_extra=_no_default),
    ] = None


class PodListQuery(Pagination):
    namespace: str | None = None
    reason: str | None = None


class ReasonCountQuery(QueryModel):
    list: Literal["failed", "history", "ignored"] = "failed"
    namespace: str | None = None


class ReasonCount(BaseModel):
    reason: str
    count: int


class Event(BaseModel):
    type: str | None
    reason: str | None
    message: str | None
    timestamp: str | None
    count: int | None


class ContainerStatus(BaseModel):
    name: str
    image: str
    ready: bool
    restart_count: int
    state: str
    reason: str | None
    message: str | None
    exit_code: int | None


class PodFailureSummary(BaseModel):
    id: int
    pod_name: str
    namespace: str
    node_name: str | None
    phase: str | None
    owner_kind: str | None
    owner_name: str | None
    labels: dict[str, str]
    failure_reason: str
    failure_message: str
    creation_timestamp: str | None
    timestamp: str
    events: list[Event]
    container_statuses: list[ContainerStatus]
    solution: str
    solution_source: Literal["rules", "ai"]
    status: Status
    occurrences: int
    first_seen: str
    last_seen: str
    resolved_at: str | None
    ignored_at: str | None
    resolution_note: str | None


class PodFailure(PodFailureSummary):
    manifest: str
    logs: str
    #: Who can act on the pod and what it touches, from the cluster graph (docs/api.md#pod-access-and-impact);
    #: null when the graph is not configured, not reachable in time, or does not hold the pod.
    access: AccessSummary | None
    impact: ImpactSummary | None


class ExcludedReport(BaseModel):
    excluded: Literal[True]
    detail: str


class DismissDeletedResult(BaseModel):
    resolved: int


def _event(stored: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": stored.get("type"),
        "reason": stored.get("reason"),
        "message": stored.get("message"),
        "timestamp": iso(stored.get("timestamp")),
        "count": stored.get("count"),
    }


def present_summary(doc: dict[str, Any]) -> dict[str, Any]:
    """Stored document → PodFailureSummary dict (the ingest, list, mutation and `pod_failure` shape)."""
    created = doc.get("creation_timestamp")
    return {
        "id": doc["_id"],
        "pod_name": doc["pod_name"],
        "namespace": doc["namespace"],
        "node_name": doc.get("node_name"),
        "phase": doc.get("phase"),
        "owner_kind": doc.get("owner_kind"),
        "owner_name": doc.get("owner_name"),
        "labels": doc.get("labels") or {},
        "failure_reason": doc.get("failure_reason") or "Unknown",
        "failure_message": doc.get("failure_message") or "",
        "creation_timestamp": iso(created),
        "timestamp": iso(created or doc["first_seen"]),
        "events": [_event(e) for e in doc.get("events") or []],
        "container_statuses": list(doc.get("container_statuses") or []),
        "solution": doc["solution"],
        "solution_source": doc.get("solution_source", "rules"),
        "status": doc["status"],
        "occurrences": doc["occurrences"],
        "first_seen": iso(doc["first_seen"]),
        "last_seen": iso(doc["last_seen"]),
        "resolved_at": iso(doc.get("resolved_at")),
        "ignored_at": iso(doc.get("ignored_at")),
        "resolution_note": doc.get("resolution_note"),
    }


def present_full(doc: dict[str, Any]) -> dict[str, Any]:
    return {**present_summary(doc), "manifest": doc.get("manifest") or "", "logs": doc.get("logs") or ""}
