"""Request and response shapes of the security routes (docs/api.md#finding, docs/api.md#small-rows,
docs/api.md#security-findings)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, field_validator

from app.core.validation import INT64_MAX, INT64_MIN, Pagination, QueryBool, QueryModel, RequestModel
from app.services.registries import normalise_registry

Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low", "info")
SEVERITY_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}
MAX_DETAILS_DEPTH = 32
# docs/api.md#bodies: "non-empty" means at least one non-whitespace character.
_NON_BLANK = r"\S"


def _text(max_length: int | None = None) -> Any:
    return Field(min_length=1, max_length=max_length, pattern=_NON_BLANK)


def split_list(value: str | None) -> list[str]:
    """A comma-separated query value → its non-empty items (an empty value means "no filter")."""
    if value is None:
        return []
    return [item.strip() for item in value.split(",") if item.strip()]


class Finding(BaseModel):
    id: int
    resource_type: str
    resource_name: str
    namespace: str
    check_name: str
    severity: Severity
    message: str
    remediation: str
    details: dict[str, Any]
    has_manifest: bool
    dismissed: bool
    dismissed_at: str | None
    first_seen: str
    last_seen: str


class FindingReport(RequestModel):
    resource_type: Annotated[str, _text(64)]
    resource_name: Annotated[str, _text(253)]
    namespace: Annotated[str, Field(max_length=63)]
    check_name: Annotated[str, _text(128)]
    severity: Severity
    message: Annotated[str, _text()]
    remediation: str = ""
    details: dict[str, Any] = Field(default_factory=dict)
    manifest: str = ""

    @field_validator("details")
    @classmethod
    def _details_storable(cls, value: dict[str, Any]) -> dict[str, Any]:
        _storable(value)
        return value


def _storable(value: Any, depth: int = 1) -> None:
    """Reject what a BSON document cannot hold (so it is a 422, not a 500): integers beyond 64 bits and nesting
    deeper than MAX_DETAILS_DEPTH."""
    if depth > MAX_DETAILS_DEPTH:
        raise ValueError(f"details must not be nested deeper than {MAX_DETAILS_DEPTH} levels")
    if isinstance(value, bool):
        return
    if isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
        raise ValueError("integers in details must fit in 64 bits")
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        _storable(child, depth + 1)


class ReportExcluded(BaseModel):
    excluded: bool
    detail: str


class FindingsQuery(Pagination):
    severity: str | None = None
    namespace: str | None = None
    check_name: str | None = None
    resource_type: str | None = None
    include_dismissed: QueryBool = False

    @field_validator("severity")
    @classmethod
    def _known_severities(cls, value: str | None) -> str | None:
        unknown = [item for item in split_list(value) if item not in SEVERITIES]
        if unknown:
            raise ValueError(f"unknown severity {unknown[0]!r}; use one or more of {', '.join(SEVERITIES)}")
        return value

    @property
    def severities(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(split_list(self.severity)))


class ResourceDeleteQuery(QueryModel):
    check_name: str | None = None

    @property
    def check_names(self) -> list[str] | None:
        names = split_list(self.check_name)
        return names or None


class FixResponse(BaseModel):
    finding_id: int
    fixed_manifest: str
    explanation: str
    is_fallback: bool


class DeletedCount(BaseModel):
    deleted: int


class ClearResponse(BaseModel):
    pending: int


class RescanStatusRequest(RequestModel):
    status: Literal["started", "completed", "failed"]
    reason: Annotated[str, Field(max_length=200)] | None = None


class RescanRequested(BaseModel):
    requested: bool


class TrustedRegistry(BaseModel):
    id: int
    registry: str
    created_at: str


class TrustedRegistryRequest(RequestModel):
    registry: Annotated[str, AfterValidator(normalise_registry)]


class ScanDurationRequest(RequestModel):
    duration_seconds: Annotated[float, Field(ge=0, le=86400, allow_inf_nan=False)]
