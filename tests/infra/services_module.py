"""``scripts/services.py`` for the tests that use it: the script is also an importable module (``scripts.services``)."""

from __future__ import annotations

from types import ModuleType

import scripts.services

SCRIPT = scripts.services.__file__


def load() -> ModuleType:
    return scripts.services
