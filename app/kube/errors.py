"""The Kubernetes adapter's domain errors: what a caller of :class:`~app.kube.access.KubeAccess` can be told.

They say what happened in Kubernetes' terms, never in HTTP's: app/http/errors.py is the one place that gives them
the API's statuses (docs/api.md#errors) — an unavailable cluster is a 503, a refusing API server a 502.
"""

from __future__ import annotations

from .rest import KubeApiError


class KubeError(Exception):
    """A Kubernetes call did not succeed."""


class KubeUnavailable(KubeError):
    """No cluster is configured (``KURE_KUBERNETES=off``, no kubeconfig), or the API server cannot be reached."""

    def __init__(self, cause: str = "not configured") -> None:
        super().__init__(f"Kubernetes API not available ({cause})")
        self.cause = cause


class KubeRefused(KubeError):
    """The API server answered with an error.

    ``explain`` is set by a caller whose request carried only what its user wrote (a mirror pod's manifest): then
    the server's own message may be shown, because it says what to change in that manifest and nothing else.
    """

    def __init__(self, status: int, reason: str, message: str = "", *, explain: bool = False) -> None:
        super().__init__(f"{status} {reason}: {message}" if message else f"{status} {reason}")
        self.status = status
        self.reason = reason
        self.message = message
        self.explain = explain

    @classmethod
    def from_answer(cls, exc: KubeApiError) -> KubeRefused:
        """The domain error of an error answer: the two a caller acts on (the object is missing, someone else
        changed it first) have their own class; every other status is a plain refusal."""
        refused = {404: KubeNotFound, 409: KubeConflict}.get(exc.status, KubeRefused)
        return refused(exc.status, exc.reason, exc.message)

    def explained(self) -> KubeRefused:
        return type(self)(self.status, self.reason, self.message, explain=True)


class KubeNotFound(KubeRefused):
    """404: the object (or its namespace) does not exist — a caller may create it."""


class KubeConflict(KubeRefused):
    """409: a create found the object already there, or an update carried a ``resourceVersion`` that is no longer
    current (someone else wrote first: optimistic concurrency)."""
