"""LLM metrics (api.md §5.4); the families themselves live with every other one in :mod:`app.core.metrics`."""

from app.core.metrics import LLM_DURATION, LLM_REQUESTS

__all__ = ["LLM_DURATION", "LLM_REQUESTS"]
