"""Raw JSON access to the Kubernetes REST API through a kubernetes-asyncio ``ApiClient``.

The ApiClient supplies the host, TLS and credentials (bearer token, client certificates, exec plugins);
this module sends the request with ``_preload_content=False`` and returns plain JSON dicts, never client
model objects — the graph transforms, the scanner and the log/mirror features all work on raw JSON.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from typing import Any

import aiohttp
from kubernetes_asyncio import client

from .config import request_timeout

JSON = dict[str, Any]
QueryParams = Sequence[tuple[str, str | int | bool]]

#: A single watch event line may carry a large object; refuse only absurd sizes.
MAX_LINE_BYTES = 64 * 1024 * 1024

JSON_ACCEPT = "application/json"
METADATA_LIST_ACCEPT = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"
METADATA_ACCEPT = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json"


class KubeApiError(Exception):
    """A non-2xx answer from the API server (or 0 for a transport failure before any answer)."""

    def __init__(self, status: int, reason: str, message: str = "", body: JSON | None = None) -> None:
        super().__init__(f"{status} {reason}: {message}" if message else f"{status} {reason}")
        self.status = status
        self.reason = reason
        self.message = message
        self.body = body or {}


def _query(params: QueryParams | None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for key, value in params or ():
        out.append((key, ("true" if value else "false") if isinstance(value, bool) else str(value)))
    return out


async def _error_from(response: aiohttp.ClientResponse) -> KubeApiError:
    text = await response.text()
    body: JSON = {}
    try:
        parsed = json.loads(text)
        if isinstance(parsed, dict):
            body = parsed
    except ValueError:
        pass
    message = str(body.get("message") or text[:500])
    return KubeApiError(response.status, response.reason or "", message, body)


async def open_request(
    api: client.ApiClient,
    method: str,
    path: str,
    *,
    query: QueryParams | None = None,
    accept: str = JSON_ACCEPT,
    body: JSON | None = None,
    content_type: str = "application/json",
    read_timeout: float | None = 60.0,
) -> aiohttp.ClientResponse:
    """Send a request and return the open response (status already checked: non-2xx raises
    :class:`KubeApiError`). The caller must ``release()`` it (or use :func:`request_json`)."""
    headers = {"Accept": accept, "Content-Type": content_type}
    response = await api.call_api(
        path,
        method,
        query_params=_query(query),
        header_params=headers,
        body=body,
        auth_settings=["BearerToken"],
        _preload_content=False,
        _request_timeout=request_timeout(read_timeout),
    )
    if not 200 <= response.status < 300:
        try:
            raise await _error_from(response)
        finally:
            response.release()
    return response


async def request_json(
    api: client.ApiClient,
    method: str,
    path: str,
    *,
    query: QueryParams | None = None,
    accept: str = JSON_ACCEPT,
    body: JSON | None = None,
    content_type: str = "application/json",
    read_timeout: float | None = 60.0,
) -> JSON:
    """One request → parsed JSON object."""
    response = await open_request(
        api,
        method,
        path,
        query=query,
        accept=accept,
        body=body,
        content_type=content_type,
        read_timeout=read_timeout,
    )
    try:
        data = await response.read()
    finally:
        response.release()
    try:
        parsed = json.loads(data) if data else {}
    except ValueError:
        raise KubeApiError(0, "Bad response", "not JSON") from None
    if not isinstance(parsed, dict):
        raise KubeApiError(0, "Bad response", "expected a JSON object")
    return parsed


async def request_text(
    api: client.ApiClient, path: str, *, query: QueryParams | None = None, read_timeout: float | None = 60.0
) -> str:
    """GET a text resource (e.g. ``pods/{name}/log``)."""
    response = await open_request(api, "GET", path, query=query, accept="*/*", read_timeout=read_timeout)
    try:
        return await response.text()
    finally:
        response.release()


async def stream_lines(response: aiohttp.ClientResponse) -> AsyncIterator[bytes]:
    """Yield the lines of a streaming response (watch events, follow logs) until the server ends it."""
    try:
        while True:
            line = await response.content.readline(max_line_length=MAX_LINE_BYTES)
            if not line:
                return
            yield line
    finally:
        response.release()
