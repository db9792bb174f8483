"""One active replica through a ``coordination.k8s.io/v1`` Lease (docs/agent-scanner.md#one-active-replica).

Written here rather than wrapping kubernetes-asyncio's ``leaderelection``, which has no release on shutdown,
no monotonic deadline check before each send and no campaigning again after a loss.

- A candidate takes the lease when its ``renewTime`` has not changed for ``leaseDurationSeconds``, measured
  on the candidate's own monotonic clock (clock skew between nodes does not matter).
- Every update carries the object's ``resourceVersion``; a conflict (409) means someone else won.
- Every call goes through :class:`~app.kube.access.KubeAccess` (timeouts, retries of what was not sent, domain
  errors); each write is repeatable there because the create and the ``resourceVersion`` make a repeat harmless.
- :meth:`LeaseElector.is_leader` is true only until the last successful renew plus the renew deadline, so
  a process that was paused does not act on a lease it may have lost.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from app.kube.access import KubeAccess
from app.kube.bodies import LeaseSpec, as_lease
from app.kube.errors import KubeConflict, KubeError, KubeNotFound

from .settings import LeaseSettings, PodSettings

log = logging.getLogger("kure.incluster.lease")

JSON = dict[str, Any]


def micro_time(value: datetime | None = None) -> str:
    return (value or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class LeaseElector:
    @classmethod
    def from_settings(
        cls, kube: KubeAccess, pod: PodSettings, lease: LeaseSettings, *, monotonic: Callable[[], float]
    ) -> LeaseElector:
        """The pod's campaign for the component's lease, held in the pod's namespace under the pod's name."""
        return cls(kube, pod.namespace, lease.name, pod.name, duration=lease.duration_seconds,
                   renew_deadline=lease.renew_deadline_seconds, retry=lease.retry_seconds, monotonic=monotonic)

    def __init__(
        self,
        kube: KubeAccess,
        namespace: str,
        name: str,
        identity: str,
        *,
        duration: float = 15,
        renew_deadline: float = 10,
        retry: float = 2,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.kube = kube
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.duration = duration
        self.renew_deadline = renew_deadline
        self.retry = retry
        self._monotonic = monotonic
        self._sleep = sleep
        self._lease: JSON | None = None
        self._deadline = 0.0
        self._observed: tuple[str, str] | None = None
        self._observed_at = 0.0

    @property
    def _path(self) -> str:
        return f"/apis/coordination.k8s.io/v1/namespaces/{self.namespace}/leases"

    def is_leader(self) -> bool:
        return self._lease is not None and self._monotonic() < self._deadline

    def _spec(self, *, transitions: int, acquire: str | None = None, duration: float | None = None) -> LeaseSpec:
        now = micro_time()
        return {
            "holderIdentity": self.identity,
            "leaseDurationSeconds": int(duration if duration is not None else self.duration),
            "acquireTime": acquire or now,
            "renewTime": now,
            "leaseTransitions": transitions,
        }

    async def _try_acquire(self) -> bool:
        started = self._monotonic()
        try:
            current = await self.kube.call("GET", f"{self._path}/{self.name}", read_timeout=self.retry * 2)
        except KubeNotFound:
            body = {
                "apiVersion": "coordination.k8s.io/v1",
                "kind": "Lease",
                "metadata": {"name": self.name, "namespace": self.namespace},
                "spec": self._spec(transitions=0),
            }
            try:
                self._lease = await self.kube.call("POST", self._path, body=body, repeatable=True)
            except KubeConflict:
                return False
            self._deadline = started + self.renew_deadline
            return True
        spec: LeaseSpec = as_lease(current).get("spec") or {}
        holder = str(spec.get("holderIdentity") or "")
        renew = str(spec.get("renewTime") or "")
        if holder and holder != self.identity:
            seen = (holder, renew)
            if seen != self._observed:
                self._observed, self._observed_at = seen, started
                return False
            if started - self._observed_at < float(spec.get("leaseDurationSeconds") or self.duration):
                return False
        transitions = int(spec.get("leaseTransitions") or 0) + (0 if holder == self.identity else 1)
        update = dict(current)
        update["spec"] = self._spec(transitions=transitions)
        try:
            self._lease = await self.kube.call("PUT", f"{self._path}/{self.name}", body=update, repeatable=True)
        except KubeConflict:
            return False
        self._deadline = started + self.renew_deadline
        log.info("acquired lease %s/%s as %s", self.namespace, self.name, self.identity)
        return True

    async def acquire(self) -> None:
        """Campaign until this replica holds the lease."""
        while True:
            try:
                if await self._try_acquire():
                    return
            except KubeError as exc:
                log.warning("lease campaign failed: %s", exc)
            except Exception:  # a campaign that died would leave the replica neither leading nor campaigning
                log.exception("lease campaign failed")
            await self._sleep(self.retry)

    async def _renew_once(self) -> bool:
        """True on success; False on a conflict (someone else holds it). Other errors raise."""
        assert self._lease is not None
        started = self._monotonic()
        update = dict(self._lease)
        spec = dict(update.get("spec") or {})
        spec["renewTime"] = micro_time()
        spec["leaseDurationSeconds"] = int(self.duration)
        update["spec"] = spec
        try:
            self._lease = await self.kube.call(
                "PUT", f"{self._path}/{self.name}", body=update, read_timeout=self.retry * 2, repeatable=True
            )
        except KubeConflict:
            return False
        self._deadline = started + self.renew_deadline
        return True

    async def hold(self) -> None:
        """Renew every retry period; return when leadership is lost (conflict or renew deadline passed)."""
        while True:
            await self._sleep(self.retry)
            if not self.is_leader():
                break
            try:
                if not await self._renew_once():
                    break
            except KubeError as exc:
                log.warning("lease renew failed: %s", exc)
        log.warning("lost lease %s/%s", self.namespace, self.name)
        self._lease = None
        self._observed = None

    async def release(self) -> None:
        """On shutdown: shorten the lease to 1 s so a standby takes over within one retry period."""
        if self._lease is None:
            return
        update = dict(self._lease)
        spec = dict(update.get("spec") or {})
        spec["leaseDurationSeconds"] = 1
        spec["renewTime"] = micro_time()
        update["spec"] = spec
        try:
            await self.kube.call("PUT", f"{self._path}/{self.name}", body=update, read_timeout=5, repeatable=True)
        except KubeError as exc:
            log.warning("lease release failed: %s", exc)
        self._lease = None
