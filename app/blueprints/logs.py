"""Live pod logs (docs/api.md#logs): a JSON read and an SSE follow stream.

The blueprint is named ``logs`` and the stream view ``stream_logs``: the guard accepts the ``?token=`` service
token only for the endpoint ``logs.stream_logs`` (docs/api.md#principals-and-guards step 2).
"""

from __future__ import annotations

from quart import Blueprint, Response, request

from app.core.guards import current_principal, guard
from app.core.responses import Text
from app.core.validation import validate
from app.schemas.logs import LogsQuery, LogStreamQuery, PodLogs
from app.state import get_state

blueprint = Blueprint("logs", __name__, url_prefix="/api/pods")

SSE_HEADERS = {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache",
    "X-Accel-Buffering": "no",
}


@blueprint.get("/<namespace>/<pod_name>/logs")
@guard("read")
@validate(query=LogsQuery, responses={200: PodLogs}, errors=(404, 502))
async def get_logs(namespace: str, pod_name: str, query: LogsQuery) -> dict[str, object]:
    return await get_state().logs.read(
        namespace, pod_name, query.container or None, query.tail_lines, query.previous
    )


@blueprint.get("/<namespace>/<pod_name>/logs/stream")
@guard("read_or_service")
@validate(query=LogStreamQuery, responses={200: Text(
    "text/event-stream",
    "One `data:` event per log line, `: keep-alive` comments, and a closing `end` or `error` event (docs/mirror.md)",
)}, errors=(404, 429, 502))
async def stream_logs(namespace: str, pod_name: str, query: LogStreamQuery) -> Response:
    service = get_state().logs
    if request.method == "HEAD":
        # Same status and headers as GET, without holding a follow connection for a body nobody reads.
        await service.check(namespace, pod_name, query.container or None)
        return Response(b"", status=200, headers=SSE_HEADERS)
    stream = await service.open_stream(namespace, pod_name, query.container or None, query.tail_lines,
                                       current_principal().key)
    response = Response(stream, status=200, headers=SSE_HEADERS)
    # A follow stream has no natural end; Quart's default response timeout would cut it.
    response.timeout = None
    return response
