"""LLM metrics (docs/api.md#config-health-and-metrics); the families themselves live with every other one in
:mod:`app.core.metrics`."""

from app.core.metrics import LLM_DURATION, LLM_REQUESTS

__all__ = ["LLM_DURATION", "LLM_REQUESTS"]
