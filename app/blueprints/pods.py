"""Pod-failure routes (docs/api.md#pod-failures)."""

from __future__ import annotations

from typing import Any

from quart import Blueprint, Response, jsonify

from app.http.guards import guard
from app.http.idempotency import delivery_key
from app.http.responses import paged
from app.http.validation import documented_headers, validate
from app.schemas.pods import (
    DeliveryHeaders,
    DismissDeleted,
    DismissDeletedResult,
    ExcludedReport,
    PodFailure,
    PodFailureSummary,
    PodListQuery,
    PodReport,
    ReasonCount,
    ReasonCountQuery,
    StatusChange,
)
from app.services.pods import PodService

LISTS = {"failed": ("new", "investigating"), "history": ("resolved",), "ignored": ("ignored",)}


def create_blueprint(pods: PodService) -> Blueprint:
    blueprint = Blueprint("pods", __name__, url_prefix="/api/pods")

    async def _list(kind: str, query: PodListQuery) -> Response:
        items, total = await pods.list_records(LISTS[kind], query.namespace, query.reason, query.limit,
                                               query.offset)
        response = jsonify(items)
        response.headers["X-Total-Count"] = str(total)
        return response

    @blueprint.post("/failed")
    @guard("service")
    @validate(body=PodReport, responses={200: PodFailureSummary, 202: ExcludedReport}, errors=(400,))
    @documented_headers(DeliveryHeaders)
    async def report_failure(data: PodReport) -> tuple[dict[str, Any], int]:
        return (await pods.ingest(data, delivery_key()))[::-1]

    @blueprint.get("/failed")
    @guard("read")
    @validate(query=PodListQuery, responses={200: paged(PodFailureSummary)})
    async def list_failed(query: PodListQuery) -> Response:
        return await _list("failed", query)

    @blueprint.get("/history")
    @guard("read")
    @validate(query=PodListQuery, responses={200: paged(PodFailureSummary)})
    async def list_history(query: PodListQuery) -> Response:
        return await _list("history", query)

    @blueprint.get("/ignored")
    @guard("read")
    @validate(query=PodListQuery, responses={200: paged(PodFailureSummary)})
    async def list_ignored(query: PodListQuery) -> Response:
        return await _list("ignored", query)

    @blueprint.get("/reasons")
    @guard("read")
    @validate(query=ReasonCountQuery, responses={200: list[ReasonCount]})
    async def reason_counts(query: ReasonCountQuery) -> list[dict[str, Any]]:
        """Records per failure reason in one of the three lists, for the dashboard's filter (docs/api-decisions.md)."""
        return await pods.reason_counts(LISTS[query.list], query.namespace or None)

    @blueprint.get("/failed/<pod_id>")
    @guard("read")
    @validate(path={"pod_id": int}, responses={200: PodFailure}, errors=(404,))
    async def get_failure(pod_id: int) -> dict[str, Any]:
        return await pods.get(pod_id)

    @blueprint.delete("/failed/<pod_id>")
    @guard("write")
    @validate(path={"pod_id": int}, responses={200: PodFailureSummary}, errors=(404, 409))
    async def dismiss_failure(pod_id: int) -> dict[str, Any]:
        return await pods.change_status(pod_id, "ignored")

    @blueprint.post("/failed/<pod_id>/retry-solution")
    @guard("write")
    @validate(path={"pod_id": int}, responses={200: PodFailureSummary}, errors=(404,))
    async def retry_solution(pod_id: int) -> dict[str, Any]:
        return await pods.retry_solution(pod_id)

    @blueprint.put("/ignored/<pod_id>/restore")
    @guard("write")
    @validate(path={"pod_id": int}, responses={200: PodFailureSummary}, errors=(404, 409))
    async def restore_failure(pod_id: int) -> dict[str, Any]:
        return await pods.change_status(pod_id, "new", restore=True)

    @blueprint.put("/<pod_id>/status")
    @guard("write")
    @validate(path={"pod_id": int}, body=StatusChange, responses={200: PodFailureSummary}, errors=(404, 409))
    async def change_status(pod_id: int, data: StatusChange) -> dict[str, Any]:
        note = data.note if data.status in ("resolved", "ignored") else None
        return await pods.change_status(pod_id, data.status, note)

    @blueprint.post("/dismiss-deleted")
    @guard("service")
    @validate(body=DismissDeleted, responses={200: DismissDeletedResult}, errors=(400,))
    @documented_headers(DeliveryHeaders)
    async def dismiss_deleted(data: DismissDeleted) -> dict[str, Any]:
        return {"resolved": await pods.dismiss_deleted(data.namespace, data.pod_name, delivery_key())}

    return blueprint
