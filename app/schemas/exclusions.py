"""Exclusion shapes (docs/api.md#small-rows, docs/api.md#exclusions)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from app.schemas.base import QueryModel, RequestModel

Dns1123Label = Annotated[str, Field(min_length=1, max_length=63, pattern=r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
PodPattern = Annotated[str, Field(min_length=1, max_length=253, pattern=r"^[^/\s]+$")]


class ExcludeNamespace(RequestModel):
    namespace: Dns1123Label


class ExcludePods(RequestModel):
    pod_name: PodPattern
    namespace: Dns1123Label | None = None


class PodPatternScope(QueryModel):
    namespace: str | None = None


class ExcludedNamespace(BaseModel):
    id: int
    namespace: str
    created_at: str


class ExcludedPod(BaseModel):
    id: int
    pod_name: str
    namespace: str | None
    created_at: str
