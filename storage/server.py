"""What the connected MongoDB-wire server does differently, found once at start (docs/storage.md).

Only FerretDB's known gaps are named here; code elsewhere asks a trait, never a server name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ServerTraits:
    #: Concurrent ``$inc`` on one document are all applied (MongoDB). FerretDB 1.x applies an update as an
    #: unisolated read-modify-write, so two processes can both read n and both write n + 1.
    isolated_updates: bool = True


async def detect(client: Any, embedded: bool) -> ServerTraits:
    if embedded:
        return ServerTraits()  # mongomock: one process, one thread of writes
    info = await client.admin.command("buildInfo")
    return ServerTraits(isolated_updates="ferretdbVersion" not in info)
