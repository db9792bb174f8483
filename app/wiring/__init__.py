"""The backend's wiring: the composition root (container.py) and the background jobs (jobs.py), put together as one
:class:`Backend`. (The third part of the old all-in-one state, the dependency health checks, is a service of its
own: app/services/health.py.)

The app factory (app/factory.py) builds a :class:`Backend`, hands each blueprint the services it uses and ties the
jobs to the server's start and stop. Nothing below this package imports it: services get their collaborators through
their constructors, routes through their blueprint's factory.
"""

from __future__ import annotations

from dataclasses import dataclass

from quart import Quart

from app.core.clock import Clock
from app.settings import Settings
from app.wiring.container import Services, build_services
from app.wiring.jobs import BackgroundJobs
from storage.mongo import MongoHandle

#: Where the app factory keeps the app's :class:`Backend` (read by tests and the CLI through :func:`backend_of`).
EXTENSION = "kure"


@dataclass(frozen=True)
class Backend:
    services: Services
    jobs: BackgroundJobs

    @classmethod
    def build(cls, settings: Settings, *, clock: Clock | None = None, mongo: MongoHandle | None = None) -> Backend:
        services = build_services(settings, clock=clock, mongo=mongo)
        jobs = BackgroundJobs(services, timers=settings.timers, live=settings.live, kubernetes=settings.kubernetes,
                              graph_database=settings.neo4j.database, graph_sync=settings.graph_sync)
        return cls(services, jobs)

    async def start(self) -> None:
        self.jobs.start()

    async def stop(self) -> None:
        self.services.hub.close_all(1001, "Server shutting down")
        await self.jobs.stop()
        await self.services.aclose()


def backend_of(app: Quart) -> Backend:
    """The :class:`Backend` an app was built with."""
    backend: Backend = app.extensions[EXTENSION]
    return backend


__all__ = ["EXTENSION", "Backend", "BackgroundJobs", "Services", "backend_of", "build_services"]
