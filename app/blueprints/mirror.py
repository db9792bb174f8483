"""Mirror pod testing (docs/api.md#mirror-pods)."""

from __future__ import annotations

from quart import Blueprint, Response
from quart.blueprints import BlueprintSetupState
from werkzeug.routing import BaseConverter

from app.core.guards import guard
from app.core.responses import NoContent
from app.core.validation import MirrorId, document, validate
from app.schemas.mirror import DeployRequest, Mirror, MirrorStatus, MirrorSummary, Preview
from app.state import get_state

blueprint = Blueprint("mirror", __name__, url_prefix="/api/mirror")


class MirrorRef(BaseConverter):
    """A path segment that can name a mirror: anything but ``active``, so ``DELETE /api/mirror/active`` is the
    405 of the list route rather than a malformed id (a malformed id stays the 422 of docs/api.md#identifiers)."""

    regex = r"(?!active$)[^/]+"


@blueprint.record_once
def _register_converter(setup: BlueprintSetupState) -> None:
    setup.app.url_map.converters["mirror_ref"] = MirrorRef


@blueprint.post("/preview/<pod_id>")
@guard("write")
@validate(path={"pod_id": int}, responses={200: Preview}, errors=(404, 502))
async def preview_mirror(pod_id: int) -> dict[str, object]:
    return await get_state().mirror_service.preview(pod_id)


@blueprint.post("/deploy/<pod_id>")
@guard("write")
@validate(path={"pod_id": int}, body=DeployRequest, body_optional=True, responses={201: Mirror},
          errors=(400, 404, 409, 502))
async def deploy_mirror(pod_id: int, data: DeployRequest) -> tuple[dict[str, object], int]:
    mirror = await get_state().mirror_service.deploy(pod_id, data.ttl_seconds, data.manifest)
    return mirror, 201


@blueprint.get("/status/<mirror_id>")
@guard("read")
@validate(path={"mirror_id": MirrorId}, responses={200: MirrorStatus}, errors=(404, 502))
async def mirror_status(mirror_id: str) -> dict[str, object]:
    return await get_state().mirror_service.status(mirror_id)


@blueprint.delete("/<mirror_ref:mirror_id>")
@guard("write")
@validate(path={"mirror_id": MirrorId}, responses={204: NoContent()}, errors=(404, 502))
async def delete_mirror(mirror_id: str) -> Response:
    await get_state().mirror_service.delete(mirror_id)
    return Response(status=204)


@blueprint.get("/active")
@guard("read")
@document({200: list[MirrorSummary]})
async def active_mirrors() -> list[dict[str, object]]:
    return await get_state().mirror_service.active()
