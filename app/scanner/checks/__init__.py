"""The check catalogue of docs/catalogue.md#security-checks: one module per family, each check a pure function."""

from __future__ import annotations

from . import (
    images,
    namespaces,
    networking,
    pss_baseline,
    pss_restricted,
    rbac_bindings,
    rbac_rules,
    resources,
    service_accounts,
    storage,
    workloads,
)
from .base import Check, Context, FindingDraft

CATALOGUE: tuple[Check, ...] = tuple(
    pss_baseline.CHECKS
    + pss_restricted.CHECKS
    + images.CHECKS
    + resources.CHECKS
    + service_accounts.CHECKS
    + rbac_rules.CHECKS
    + rbac_bindings.CHECKS
    + networking.CHECKS
    + namespaces.CHECKS
    + workloads.CHECKS
    + storage.CHECKS
)
BY_NAME: dict[str, Check] = {c.check_name: c for c in CATALOGUE}

__all__ = ["BY_NAME", "CATALOGUE", "Check", "Context", "FindingDraft"]
