"""ASGI entry point for multi-worker hypercorn (``hypercorn app.asgi:app``); settings from the environment."""

from app.cli import _settings_or_exit, freeze_startup_heap
from app.core.logformat import configure_logging
from app.factory import create_app

_settings = _settings_or_exit()
configure_logging(_settings.logging)
app = create_app(_settings)
freeze_startup_heap()
