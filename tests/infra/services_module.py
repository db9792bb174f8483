"""Import ``scripts/services.py`` (a standalone script, not a package) for the tests that use it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "services.py"


def load() -> ModuleType:
    existing = sys.modules.get("kure_services_script")
    if existing is not None:
        return existing
    spec = importlib.util.spec_from_file_location("kure_services_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered before exec so dataclasses can resolve the module of their annotations.
    sys.modules["kure_services_script"] = module
    spec.loader.exec_module(module)
    return module
