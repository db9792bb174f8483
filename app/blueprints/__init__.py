"""HTTP layer: one blueprint per area. Each route parses, authorizes (``@guard``), calls a service, shapes.

Every module of this package that defines a module-level ``blueprint`` is registered, in name order.
"""

from __future__ import annotations

import importlib
import pkgutil

from quart import Blueprint, Quart


def register_blueprints(app: Quart) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda module: module.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        blueprint = getattr(module, "blueprint", None)
        if isinstance(blueprint, Blueprint):
            app.register_blueprint(blueprint)
