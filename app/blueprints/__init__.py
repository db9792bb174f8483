"""HTTP layer: one blueprint per area. Each route parses, authorizes (``@guard``), calls a service, shapes."""

from __future__ import annotations

from quart import Quart


def register_blueprints(app: Quart) -> None:
    from app.blueprints import auth, health, users

    for module in (health, auth, users):
        app.register_blueprint(module.blueprint)
