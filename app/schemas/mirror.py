"""Request and response shapes of the mirror routes (docs/api.md#mirror, docs/api.md#mirror-pods)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.core.validation import RequestModel
from app.schemas.insight import AccountSummary, Strict
from app.schemas.pods import ContainerStatus, Event

MirrorPhase = Literal["Pending", "Running", "Succeeded", "Failed", "Unknown"]


class DeployRequest(RequestModel):
    ttl_seconds: int | None = Field(default=None, ge=30, le=3600)
    manifest: str | None = None


class IsolationChange(Strict):
    source: bool
    mirror: bool


class IsolationLost(Strict):
    direction: Literal["Ingress", "Egress"]
    policies: list[str]


class ObjectName(Strict):
    kind: str
    name: str


class BlastRadiusChange(Strict):
    """docs/mirror.md#what-a-mirror-changes"""

    source_labels: dict[str, str]
    mirror_labels: dict[str, str]
    services_left: list[str]
    services_joined: list[str]
    network_policies_left: list[str]
    network_policies_kept: list[str]
    network_policies_joined: list[str]
    ingress_isolated: IsolationChange
    egress_isolated: IsolationChange
    isolation_lost: list[IsolationLost]
    controllers_left: list[ObjectName]
    autoscalers_left: list[str]
    service_account: AccountSummary | None
    shared_mounts: list[ObjectName]
    read_write_once_claims: list[str]


class MirrorDelta(Strict):
    """What deploying the proposal would change (docs/api.md#previewing-a-fix)."""

    #: What the proposal asks beyond the source that the gate refuses (a deploy of it would answer 400).
    refused: list[str]
    #: The pod spec fields the mirror would change (the gate's allowed changes).
    changes: list[str]
    #: What the mirror could do that its source cannot.
    can_do_more: list[str]
    #: How its blast radius differs, from the cluster graph; null without a graph answer.
    blast_radius: BlastRadiusChange | None


class Preview(BaseModel):
    fixed_manifest: str
    explanation: str
    is_fallback: bool
    delta: MirrorDelta


class MirrorSummary(BaseModel):
    mirror_id: str
    mirror_pod_name: str
    namespace: str
    source_pod_name: str
    pod_failure_id: int
    status: MirrorPhase
    ttl_seconds: int
    created_at: str
    expires_at: str
    is_fallback: bool


class Mirror(MirrorSummary):
    fixed_manifest: str
    explanation: str


class PodCondition(BaseModel):
    type: str | None
    status: str | None
    reason: str | None
    message: str | None
    last_transition_time: str | None


class MirrorStatus(MirrorSummary):
    conditions: list[PodCondition]
    container_statuses: list[ContainerStatus]
    events: list[Event]
