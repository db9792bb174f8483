"""Security findings, the scanner's scan lifecycle and trusted registries (docs/api.md#security-findings)."""

from __future__ import annotations

from typing import Any

from quart import Blueprint, Response, jsonify

from app.core.errors import ApiError
from app.http.guards import current_principal, guard
from app.http.responses import NoContent, paged
from app.http.validation import document, validate
from app.schemas.security import (
    ClearResponse,
    DeletedCount,
    Finding,
    FindingReport,
    FindingsQuery,
    FixResponse,
    ReportExcluded,
    RescanRequested,
    RescanStatusRequest,
    ResourceDeleteQuery,
    ScanDurationRequest,
    TrustedRegistry,
    TrustedRegistryRequest,
)
from app.services.security import SecurityService

# A path or query namespace of "_" means cluster-scoped (stored as "").
CLUSTER_SCOPED = "_"


def _namespace(value: str) -> str:
    return "" if value == CLUSTER_SCOPED else value


def create_blueprint(security: SecurityService) -> Blueprint:
    blueprint = Blueprint("security", __name__, url_prefix="/api")

    # --- findings ------------------------------------------------------------------------------------------------

    @blueprint.post("/security/findings")
    @guard("service")
    @validate(body=FindingReport, responses={200: Finding, 202: ReportExcluded})
    async def report_finding(data: FindingReport) -> tuple[dict[str, Any], int]:
        outcome = await security.report(data)
        return outcome.body, outcome.status

    @blueprint.get("/security/findings")
    @guard("read")
    @validate(query=FindingsQuery, responses={200: paged(Finding)})
    async def list_findings(query: FindingsQuery) -> Response:
        findings, total = await security.list_findings(
            severities=query.severities,
            namespace=_namespace(query.namespace) if query.namespace else None,
            check_name=query.check_name or None,
            resource_type=query.resource_type or None,
            include_dismissed=query.include_dismissed,
            limit=query.limit,
            offset=query.offset,
        )
        response = jsonify(findings)
        response.headers["X-Total-Count"] = str(total)
        return response

    @blueprint.delete("/security/findings/<finding_id>")
    @guard("write")
    @validate(path={"finding_id": int}, responses={200: Finding}, errors=(404,))
    async def dismiss_finding(finding_id: int) -> dict[str, Any]:
        return await security.set_dismissed(finding_id, True)

    @blueprint.put("/security/findings/<finding_id>/restore")
    @guard("write")
    @validate(path={"finding_id": int}, responses={200: Finding}, errors=(404,))
    async def restore_finding(finding_id: int) -> dict[str, Any]:
        return await security.set_dismissed(finding_id, False)

    @blueprint.post("/security/findings/<finding_id>/fix")
    @guard("write")
    @validate(path={"finding_id": int}, responses={200: FixResponse}, errors=(404,))
    async def fix_finding(finding_id: int) -> dict[str, Any]:
        return await security.fix(finding_id)

    @blueprint.delete("/security/findings/resource/<resource_type>/<namespace>/<name>")
    @guard("service")
    @validate(query=ResourceDeleteQuery, responses={200: DeletedCount})
    async def delete_resource_findings(
        resource_type: str, namespace: str, name: str, query: ResourceDeleteQuery
    ) -> dict[str, Any]:
        deleted = await security.delete_resource(resource_type, _namespace(namespace), name,
                                                            query.check_names)
        return {"deleted": deleted}

    # --- scan lifecycle ------------------------------------------------------------------------------------------

    @blueprint.post("/security/scan/clear")
    @guard("service")
    @document({200: ClearResponse})
    async def scan_clear() -> dict[str, Any]:
        return {"pending": await security.open_clearing_window()}

    @blueprint.post("/security/rescan-status")
    @guard("service")
    @validate(body=RescanStatusRequest, responses={204: NoContent()})
    async def rescan_status(data: RescanStatusRequest) -> Response:
        await security.rescan_status(data.status, data.reason)
        return Response(status=204)

    @blueprint.post("/security/rescan")
    @guard("write")
    @document({202: RescanRequested})
    async def request_rescan() -> tuple[dict[str, Any], int]:
        user = current_principal().user
        assert user is not None  # the write guard admits user sessions only
        await security.request_rescan(str(user["username"]))
        return {"requested": True}, 202

    @blueprint.post("/metrics/security-scan-duration")
    @guard("service")
    @validate(body=ScanDurationRequest, responses={204: NoContent()})
    async def scan_duration(data: ScanDurationRequest) -> Response:
        security.record_scan_duration(data.duration_seconds)
        return Response(status=204)

    # --- trusted registries --------------------------------------------------------------------------------------

    @blueprint.get("/security/trusted-registries")
    @guard("read_or_service")
    @document({200: list[TrustedRegistry]})
    async def list_trusted_registries() -> list[dict[str, Any]]:
        return await security.list_registries()

    @blueprint.post("/security/trusted-registries")
    @guard("write")
    @validate(body=TrustedRegistryRequest, responses={201: TrustedRegistry, 200: TrustedRegistry})
    async def add_trusted_registry(data: TrustedRegistryRequest) -> tuple[dict[str, Any], int]:
        row, created = await security.add_registry(data.registry)
        return row, 201 if created else 200

    @blueprint.delete("/security/trusted-registries/<path:registry>")
    @guard("write")
    @document({204: NoContent()}, errors=(404,))
    async def remove_trusted_registry(registry: str) -> Response:
        if registry.endswith("/"):
            # docs/api.md#routing: a path that only differs by a trailing slash is an unknown route, even under
            # <path:...>.
            raise ApiError(404, "Not Found")
        await security.remove_registry(registry)
        return Response(status=204)

    return blueprint
