"""Index helpers that behave the same on MongoDB, FerretDB and mongomock."""

from __future__ import annotations

import logging
from typing import Any

from pymongo import ASCENDING
from pymongo.errors import OperationFailure

log = logging.getLogger("kure.storage")


async def ensure_ttl_index(collection: Any, field: str, seconds: int, name: str) -> bool:
    """Create a TTL index where the server supports it (real MongoDB); return False where it does not.

    FerretDB 1.x answers "not implemented" for ``expireAfterSeconds``. Every collection with a TTL index therefore
    also has an explicit purge job and checks expiry on read, so correctness never depends on the TTL monitor.
    """
    try:
        await collection.create_index([(field, ASCENDING)], expireAfterSeconds=seconds, name=name)
        return True
    except OperationFailure as exc:
        if "not implemented" not in str(exc).lower():
            raise
        log.info("TTL index %s.%s not supported by this server; relying on the purge job", collection.name, name)
        await collection.create_index([(field, ASCENDING)], name=name)
        return False
