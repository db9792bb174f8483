"""The single LLM configuration document; the API key is stored only as a Fernet ciphertext."""

from __future__ import annotations

from typing import Any

CONFIG_ID = "llm"


class LlmConfigRepository:
    def __init__(self, db: Any) -> None:
        self._config = db["llm_config"]

    async def ensure_indexes(self) -> None:
        """One document keyed by ``_id``."""

    async def get(self) -> dict[str, Any] | None:
        doc: dict[str, Any] | None = await self._config.find_one({"_id": CONFIG_ID})
        return doc

    async def put(self, doc: dict[str, Any]) -> None:
        await self._config.replace_one({"_id": CONFIG_ID}, {**doc, "_id": CONFIG_ID}, upsert=True)

    async def delete(self) -> None:
        await self._config.delete_one({"_id": CONFIG_ID})
