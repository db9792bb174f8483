from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class HealthChecks(BaseModel):
    mongodb: Literal["ok", "down"]
    neo4j: Literal["ok", "down", "disabled"]
    kubernetes: Literal["ok", "down", "disabled"]


class HealthResponse(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: HealthChecks
