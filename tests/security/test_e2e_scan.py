"""A full scan across a backend restart, over real HTTP and WebSocket (``kure-monitor serve`` on the real
MongoDB-wire server): the clearing window opened by one process is swept by the next one."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest

from tests.conftest import MONGO_TEST_URI
from tests.e2e.conftest import TOKEN, _drop_database, _mongo_reachable, start_server
from tests.security.conftest import finding_body

pytestmark = pytest.mark.e2e

HEADERS = {"X-Service-Token": TOKEN}


async def _report(http: httpx.AsyncClient, base: str, **overrides: Any) -> dict[str, Any]:
    response = await http.post(f"{base}/api/security/findings", json=finding_body(**overrides), headers=HEADERS)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _next(ws: aiohttp.ClientWebSocketResponse, message_type: str) -> dict[str, Any]:
    while True:
        message = await asyncio.wait_for(ws.receive_json(), 10)
        if message["type"] == message_type:
            data: dict[str, Any] = message["data"]
            return data


async def test_clearing_window_survives_a_restart(tmp_path: Path) -> None:
    _mongo_reachable()
    database = f"kure_e2e_{uuid.uuid4().hex[:10]}"
    async with httpx.AsyncClient(timeout=10) as http:
        first = await asyncio.to_thread(start_server, tmp_path, MONGO_TEST_URI, MONGODB_DATABASE=database)
        try:
            stale = await _report(http, first.url, resource_name="deleted-while-down")
            kept = await _report(http, first.url, resource_name="still-there")
            response = await http.post(f"{first.url}/api/security/scan/clear", headers=HEADERS)
            assert response.json() == {"pending": 2}
        finally:
            await asyncio.to_thread(first.stop)

        second = await asyncio.to_thread(start_server, tmp_path, MONGO_TEST_URI, MONGODB_DATABASE=database)
        try:
            async with aiohttp.ClientSession() as session, \
                    session.ws_connect(f"{second.ws_url}?token={TOKEN}") as ws:
                again = await _report(http, second.url, resource_name="still-there")
                assert (again["id"], again["first_seen"]) == (kept["id"], kept["first_seen"])
                response = await http.post(f"{second.url}/api/security/rescan-status", json={"status": "completed"},
                                           headers=HEADERS)
                assert response.status_code == 204
                deleted = await _next(ws, "security_finding_deleted")
                assert deleted == {"ids": [stale["id"]], "reason": "scan_clear"}
                assert await _next(ws, "security_rescan_status") == {"status": "completed", "reason": None}
        finally:
            await asyncio.to_thread(second.stop)
            _drop_database(database)
