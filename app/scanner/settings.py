"""The scanner's configuration (docs/agent-scanner.md#scanner-configuration-and-metrics): the shared in-cluster
settings (app/incluster/settings.py) and the scanner's own, read as one group, ``settings.scanning``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from app.core.settings_values import split_csv
from app.incluster.settings import InclusterSettings, PositiveInt
from app.kube.images import valid_trusted_registry
from app.scanner.checks import BY_NAME


@dataclass(frozen=True)
class ScanningSettings:
    """How the scanner evaluates and posts (docs/agent-scanner.md#scanner)."""

    #: Findings posted at once; a scan evaluates with twice as many workers.
    post_concurrency: int
    #: Trusted besides the backend's list (lower case).
    trusted_registries: tuple[str, ...]
    #: Checks never run.
    disabled_checks: frozenset[str]
    #: A finding's manifest is cut to this many bytes.
    manifest_max_bytes: int
    #: A full scan is aborted when the backend has refused the token this long.
    scan_abort_seconds: int
    #: A changed resource is evaluated once it has been quiet this long, and at the latest this long after its
    #: first change.
    debounce_seconds: int
    debounce_max_seconds: int


class ScannerSettings(InclusterSettings):
    kure_lease_name: str = "kure-monitor-scanner"
    kure_scanner_debounce_seconds: PositiveInt = 2
    kure_scanner_debounce_max_seconds: PositiveInt = 10
    kure_scanner_post_concurrency: PositiveInt = 8
    kure_scanner_trusted_registries: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["registry.k8s.io"])
    kure_scanner_disabled_checks: Annotated[list[str], NoDecode] = Field(default_factory=list)
    kure_scanner_manifest_max_bytes: PositiveInt = 524288
    kure_scanner_scan_abort_seconds: PositiveInt = 600

    @field_validator("kure_scanner_trusted_registries", mode="before")
    @classmethod
    def _registries(cls, value: object) -> object:
        value = split_csv(value)
        if isinstance(value, list):
            for item in value:
                if not valid_trusted_registry(str(item)):
                    raise ValueError(f"invalid registry {item!r}")
            return [str(item).strip().lower() for item in value]
        return value

    @field_validator("kure_scanner_disabled_checks", mode="before")
    @classmethod
    def _disabled(cls, value: object) -> object:
        value = split_csv(value)
        if isinstance(value, list):
            unknown = [v for v in value if v not in BY_NAME]
            if unknown:
                raise ValueError(f"unknown check {', '.join(unknown)}")
        return value

    # --- the group ------------------------------------------------------------------------------------------

    @property
    def scanning(self) -> ScanningSettings:
        return ScanningSettings(
            post_concurrency=self.kure_scanner_post_concurrency,
            trusted_registries=tuple(self.kure_scanner_trusted_registries),
            disabled_checks=frozenset(self.kure_scanner_disabled_checks),
            manifest_max_bytes=self.kure_scanner_manifest_max_bytes,
            scan_abort_seconds=self.kure_scanner_scan_abort_seconds,
            debounce_seconds=self.kure_scanner_debounce_seconds,
            debounce_max_seconds=self.kure_scanner_debounce_max_seconds,
        )
