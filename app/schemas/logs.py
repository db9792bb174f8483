"""Query and response shapes of the log routes (docs/api.md#logs)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.schemas.base import QueryBool, QueryModel, TextInt


class LogsQuery(QueryModel):
    container: str | None = None
    tail_lines: TextInt = Field(default=100, ge=1, le=10000)
    previous: QueryBool = False


class LogStreamQuery(QueryModel):
    container: str | None = None
    tail_lines: TextInt = Field(default=100, ge=1, le=10000)
    # The service token itself is checked by the guard (docs/api.md#principals-and-guards); declared here so the OpenAPI
    # document shows it.
    token: str | None = None


class PodLogs(BaseModel):
    pod_name: str
    namespace: str
    container: str
    containers: list[str]
    logs: str
