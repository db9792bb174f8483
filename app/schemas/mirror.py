"""Request and response shapes of the mirror routes (docs/api.md#mirror, docs/api.md#mirror-pods)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.schemas.base import RequestModel
from app.schemas.pods import ContainerStatus, Event

MirrorPhase = Literal["Pending", "Running", "Succeeded", "Failed", "Unknown"]


class DeployRequest(RequestModel):
    ttl_seconds: int | None = Field(default=None, ge=30, le=3600)
    manifest: str | None = None


class Preview(BaseModel):
    fixed_manifest: str
    explanation: str
    is_fallback: bool


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
