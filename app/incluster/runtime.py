"""Process plumbing shared by ``kure-monitor agent`` and ``kure-monitor scanner``
(docs/agent-scanner.md#process-and-layout, docs/agent-scanner.md#one-active-replica).

- :func:`run_main`: logging, settings (exit 2 with one line on invalid configuration), signals (SIGTERM/SIGINT
  → clean shutdown, exit 0), exit 1 on an unexpected fatal error.
- :func:`lead_forever`: campaign for the lease; while leading run the component's session; on a loss cancel
  it at once and campaign again; on shutdown let it flush, then release the lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from prometheus_client import CollectorRegistry

from app.core.clock import Clock
from app.core.logformat import configure_logging
from app.kube.access import KubeAccess

from .backend import BackendClient
from .exclusions import ExclusionState
from .health import HealthServer, watching
from .lease import LeaseElector
from .settings import ConfigError, InclusterSettings, load

log = logging.getLogger("kure.incluster")

S = TypeVar("S", bound=InclusterSettings)


async def start_component(
    settings: InclusterSettings, clock: Clock, registry: CollectorRegistry, state: dict[str, Any],
    health_host: str,
) -> tuple[KubeAccess, LeaseElector, HealthServer]:
    """What the agent and the scanner both do first: load the Kubernetes configuration (exit 2 without one) into
    the one call path, prepare the lease election and start the health server on ``state``."""
    kube = KubeAccess(settings.cluster.kubeconfig, "auto")
    if await kube.api() is None:
        raise ConfigError("KUBECONFIG: no Kubernetes configuration found (not in a cluster)")
    elector = LeaseElector.from_settings(kube, settings.pod, settings.lease, monotonic=clock.monotonic)

    def ready() -> bool:
        backend = state.get("backend")
        return not (backend is not None and backend.auth_failing)

    health = HealthServer(registry, healthy=lambda: watching(state, clock), ready=ready, host=health_host,
                          port=settings.health.port)  # fmt: skip
    await health.start()
    state["health_port"] = health.port
    return kube, elector, health


async def run_component(
    elector: LeaseElector, make_session: Callable[[], Session], stop: asyncio.Event, leader_gauge: Any,
    state: dict[str, Any], health: HealthServer, kube: KubeAccess,
) -> None:
    """Lead (or stand by) until ``stop``; then stop the health server and close the ApiClient."""

    def on_leader(leading: bool) -> None:
        leader_gauge.set(1 if leading else 0)
        state["leading"] = leading

    try:
        await lead_forever(elector, make_session, stop, on_leader=on_leader)
    finally:
        await health.stop()
        await kube.close()


class Session:
    """What a component runs while it leads. ``run`` works until cancelled; ``shutdown`` flushes.

    Both components' sessions talk to the backend through a client that stops the moment leadership is lost,
    publish it in ``state`` (for the health server), and keep the backend's exclusion lists.
    """

    def __init__(
        self,
        settings: InclusterSettings,
        kube: KubeAccess,
        elector: LeaseElector,
        clock: Clock,
        state: dict[str, Any],
        *,
        on_request: Callable[[str, float], None] | None = None,
    ) -> None:
        self.kube = kube
        self.clock = clock
        self.state = state
        self.backend = BackendClient.from_settings(settings.backend, elector.is_leader, clock.monotonic,
                                                   on_request=on_request)
        state["backend"] = self.backend
        self.exclusions = ExclusionState()

    async def run(self) -> None:
        raise RuntimeError("Session.run must be overridden")

    async def shutdown(self) -> None:
        """Called instead of a plain cancel on SIGTERM: stop watching, flush, persist state."""


async def supervise(*groups: list[asyncio.Task[Any]]) -> None:
    """Wait on a session's tasks until cancelled. A task that fails ends the session with its error; a task that
    is cancelled (the informers on shutdown) does not, so the senders can still flush."""
    pending: set[asyncio.Task[Any]] = {task for group in groups for task in group}
    while True:
        if not pending:
            await asyncio.Event().wait()
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            if not task.cancelled() and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]


async def lead_forever(
    elector: LeaseElector,
    make_session: Callable[[], Session],
    stop: asyncio.Event,
    *,
    on_leader: Callable[[bool], None] | None = None,
) -> None:
    """Campaign, lead, and campaign again after a loss, until ``stop`` is set."""
    while not stop.is_set():
        acquiring = asyncio.ensure_future(elector.acquire())
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({acquiring, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if stop.is_set():
            acquiring.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await acquiring
            return
        stopping.cancel()
        if on_leader is not None:
            on_leader(True)
        session = make_session()
        work = asyncio.ensure_future(session.run())
        holding = asyncio.ensure_future(elector.hold())
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({work, holding, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if stop.is_set():
            try:
                await session.shutdown()
            finally:
                work.cancel()
                holding.cancel()
                await asyncio.gather(work, holding, return_exceptions=True)
                await elector.release()
                if on_leader is not None:
                    on_leader(False)
            return
        # Lost the lease (or the session died): drop everything at once and campaign again.
        work.cancel()
        holding.cancel()
        stopping.cancel()
        results = await asyncio.gather(work, holding, return_exceptions=True)
        if on_leader is not None:
            on_leader(False)
        if work.done() and isinstance(results[0], BaseException) and not isinstance(results[0], asyncio.CancelledError):
            log.error("leader session failed", exc_info=results[0])
            raise results[0]


def run_main(
    settings_cls: type[S],
    run: Callable[[S, asyncio.Event], Awaitable[None]],
    environ: dict[str, str] | None = None,
) -> int:
    try:
        settings = load(settings_cls, environ)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    configure_logging(settings.logging)

    async def runner() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        await run(settings, stop)

    try:
        asyncio.run(runner())
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    except Exception:
        log.exception("fatal error")
        return 1
    return 0
