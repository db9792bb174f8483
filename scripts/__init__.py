"""The project's scripts. ``services.py`` runs as ``python3 scripts/services.py`` (before any virtualenv exists)
and is imported by the tests as ``scripts.services``."""
