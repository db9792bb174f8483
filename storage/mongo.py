"""MongoDB client factory: motor for a real server, mongomock-motor when ``MONGODB_URI`` is unset."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("kure.storage")


@dataclass
class MongoHandle:
    client: Any
    db: Any
    embedded: bool

    async def ping(self) -> None:
        """Raise when the server does not answer (bounded by the client's server-selection timeout)."""
        await self.client.admin.command("ping")

    async def server_version(self) -> str:
        if self.embedded:
            return "embedded (mongomock)"
        info = await self.client.server_info()
        return str(info.get("version", "?"))

    def close(self) -> None:
        self.client.close()


def connect(uri: str | None, database: str, timeout_ms: int = 2000) -> MongoHandle:
    """Create a client without waiting for the server: a down server must not stop startup."""
    if uri is None:
        from mongomock_motor import AsyncMongoMockClient

        log.warning(
            "MONGODB_URI is not set: using an EMBEDDED IN-MEMORY document store. "
            "Nothing is persisted; every restart starts empty. Set MONGODB_URI for real use."
        )
        client: Any = AsyncMongoMockClient(tz_aware=True)
        return MongoHandle(client=client, db=client[database], embedded=True)
    from motor.motor_asyncio import AsyncIOMotorClient

    client = AsyncIOMotorClient(
        uri,
        tz_aware=True,
        serverSelectionTimeoutMS=timeout_ms,
        connectTimeoutMS=timeout_ms,
        socketTimeoutMS=max(timeout_ms * 5, 10000),
        appname="kure-monitor",
    )
    return MongoHandle(client=client, db=client[database], embedded=False)
