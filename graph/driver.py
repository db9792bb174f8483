"""The one Neo4j driver factory (docs/graph.md#ground-rules): async driver, telemetry and server notifications off."""

from __future__ import annotations

import asyncio
from typing import Any

from neo4j import AsyncDriver, AsyncGraphDatabase


def create_driver(uri: str, username: str | None = "neo4j", password: str | None = None, **config: Any) -> AsyncDriver:
    """One ``AsyncDriver`` per process. No password → no authentication (local development servers)."""
    auth = (username or "neo4j", password) if password else None
    return AsyncGraphDatabase.driver(
        uri, auth=auth, telemetry_disabled=True, notifications_min_severity="OFF", **config
    )


def driver_from_settings(neo4j: Any) -> AsyncDriver | None:
    """From the backend's ``settings.neo4j`` group: ``None`` when ``NEO4J_URI`` is unset (graph disabled)."""
    if not neo4j.uri:
        return None
    return create_driver(neo4j.uri, neo4j.username, neo4j.password)


async def ping(driver: AsyncDriver | None, timeout_seconds: float = 2.0) -> str:
    """``ok`` / ``down`` / ``disabled`` from a ``RETURN 1`` probe (``/health``; callers cache it for 5 s)."""
    if driver is None:
        return "disabled"
    try:
        async with asyncio.timeout(timeout_seconds), driver.session() as session:
            result = await session.run("RETURN 1 AS ok")
            await result.consume()
    except Exception:  # any failure to answer means the graph is not usable right now
        return "down"
    return "ok"
