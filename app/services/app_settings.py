"""App settings (docs/api.md#settings): a fixed table of integer keys with defaults and ranges."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.errors import ApiError
from storage.app_settings import SettingsRepository


@dataclass(frozen=True)
class SettingSpec:
    default: int
    minimum: int
    maximum: int


SETTINGS: dict[str, SettingSpec] = {
    "history_retention_minutes": SettingSpec(0, 0, 525600),
    "ignored_retention_minutes": SettingSpec(0, 0, 525600),
    "mirror_ttl_seconds": SettingSpec(180, 30, 3600),
}


def unknown(key: str) -> ApiError:
    return ApiError(404, f"Unknown setting '{key}'")


def spec_of(key: str) -> SettingSpec:
    spec = SETTINGS.get(key)
    if spec is None:
        raise unknown(key)
    return spec


def range_error(key: str, spec: SettingSpec) -> ApiError:
    return ApiError(422, [{
        "loc": ["body", "value"],
        "msg": f"'{key}' must be an integer between {spec.minimum} and {spec.maximum}",
        "type": "value_error",
    }])


class AppSettingsService:
    def __init__(self, repository: SettingsRepository) -> None:
        self.repository = repository

    async def get(self, key: str) -> int:
        spec = spec_of(key)
        stored = await self.repository.get(key)
        return spec.default if stored is None else stored

    async def values(self) -> dict[str, int]:
        stored = await self.repository.all()
        return {key: stored.get(key, spec.default) for key, spec in sorted(SETTINGS.items())}

    async def set(self, key: str, value: int) -> int:
        spec = spec_of(key)
        if not spec.minimum <= value <= spec.maximum:
            raise range_error(key, spec)
        await self.repository.set(key, value)
        return value
