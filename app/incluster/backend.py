"""The backend HTTP client of the agent and the scanner (docs/agent-scanner.md#talking-to-the-backend).

One pooled aiohttp session; every request carries ``X-Service-Token``. :meth:`BackendClient.call` retries
until the request is done (2xx), excluded (202) or permanently refused (400/404/422, or 413 after the slim
retry). Transient failures make the client *degraded*: every request waits out the same backoff.
Before every attempt the caller's leadership check runs, so a replica that lost its lease never sends.
A call given an ``idempotency_key`` sends it as ``Idempotency-Key`` on every attempt, so a request whose answer
was lost is applied once however often it is sent again (docs/api.md#delivery-keys).
"""

from __future__ import annotations

import asyncio
import logging
import random
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import aiohttp

from app.core.backoff import Backoff
from app.core.idempotency import IDEMPOTENCY_KEY_HEADER, idempotency_header_value

from .settings import BackendSettings

log = logging.getLogger("kure.incluster.backend")


class LeadershipLost(Exception):
    """The replica is no longer the leader: nothing may be sent."""


class Outcome(Enum):
    OK = "ok"
    EXCLUDED = "excluded"
    DROPPED = "dropped"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    status: int
    body: Any = None


BodyFactory = Callable[[], Any]


class BackendClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout_seconds: float = 30,
        retry_max_seconds: float = 60,
        ca_file: str | None = None,
        is_leader: Callable[[], bool] = lambda: True,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        on_request: Callable[[str, float], None] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds, connect=5)
        self._retry_max = retry_max_seconds
        self._ca_file = ca_file
        self.is_leader = is_leader
        self._sleep = sleep
        self._monotonic = monotonic
        self._rng = rng or random.Random()
        self._on_request = on_request
        self._session: aiohttp.ClientSession | None = None
        self._failures = 0
        # Full jitter (delays drawn from 0 .. 2, 4, 8 … s, capped): many agents retrying one backend spread out.
        self._backoff = Backoff(2.0, self._retry_max, full_jitter=True, rng=self._rng)
        self._retry_at = 0.0
        self._last_auth_log = -1e9
        self.auth_failing = False
        self.auth_failing_since: float | None = None
        self.requests = 0

    @classmethod
    def from_settings(
        cls, backend: BackendSettings, is_leader: Callable[[], bool], monotonic: Callable[[], float],
        on_request: Callable[[str, float], None] | None = None,
    ) -> BackendClient:
        """The client both components build from their settings (docs/agent-scanner.md#talking-to-the-backend)."""
        return cls(
            backend.url,
            backend.token,
            timeout_seconds=backend.timeout_seconds,
            retry_max_seconds=backend.retry_max_seconds,
            ca_file=backend.ca_file,
            is_leader=is_leader,
            monotonic=monotonic,
            on_request=on_request,
        )

    @property
    def token(self) -> str:
        return self._token

    @property
    def degraded(self) -> bool:
        return self._failures > 0

    async def start(self) -> None:
        if self._session is None:
            connector = None
            if self._ca_file:
                connector = aiohttp.TCPConnector(ssl=ssl.create_default_context(cafile=self._ca_file))
            self._session = aiohttp.ClientSession(
                timeout=self._timeout, connector=connector, headers={"X-Service-Token": self._token}
            )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("BackendClient.start() was not called")
        return self._session

    def _delay(self) -> float:
        return self._backoff.next_delay()

    async def _wait_degraded(self) -> None:
        while True:
            wait = self._retry_at - self._monotonic()
            if wait <= 0:
                return
            await self._sleep(wait)

    def _transient(self, what: str, path: str) -> None:
        self._failures += 1
        delay = self._delay()
        self._retry_at = max(self._retry_at, self._monotonic() + delay)
        log.warning("backend %s on %s; retrying in %.1f s", what, path, delay)

    async def try_once(self, method: str, path: str, body: Any = None) -> bool:
        """One attempt without retries (a best-effort notice such as a ``failed`` scan status)."""
        if not self.is_leader():
            raise LeadershipLost
        try:
            async with self.session.request(method, self.base_url + path, json=body) as response:
                return response.status in (200, 201, 202, 204)
        except (aiohttp.ClientError, TimeoutError, ConnectionError, OSError):
            return False

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        slim: BodyFactory | None = None,
        params: dict[str, str] | None = None,
        idempotency_key: str | None = None,
    ) -> Result:
        """Send until done; raises :class:`LeadershipLost` when leadership ends meanwhile."""
        slimmed = False
        headers = (
            {IDEMPOTENCY_KEY_HEADER: idempotency_header_value(idempotency_key)} if idempotency_key is not None else None
        )
        while True:
            await self._wait_degraded()
            if not self.is_leader():
                raise LeadershipLost
            started = self._monotonic()
            try:
                self.requests += 1
                async with self.session.request(
                    method, self.base_url + path, json=body, params=params, headers=headers
                ) as response:
                    status = response.status
                    payload: Any = None
                    if status not in (204,):
                        try:
                            payload = await response.json(content_type=None)
                        except (ValueError, aiohttp.ContentTypeError):
                            payload = None
                    retry_after = response.headers.get("Retry-After")
            except (aiohttp.ClientError, TimeoutError, ConnectionError, OSError) as exc:
                self._transient(type(exc).__name__, path)
                continue
            finally:
                if self._on_request is not None:
                    self._on_request(path, self._monotonic() - started)
            if status in (200, 201, 204):
                self._failures = 0
                self._backoff.reset()
                self._retry_at = 0.0
                self.auth_failing, self.auth_failing_since = False, None
                return Result(Outcome.OK, status, payload)
            if status == 202:
                self._failures = 0
                self._backoff.reset()
                self.auth_failing, self.auth_failing_since = False, None
                return Result(Outcome.EXCLUDED, status, payload)
            if status in (401, 403):
                self.auth_failing = True
                if self.auth_failing_since is None:
                    self.auth_failing_since = self._monotonic()
                now = self._monotonic()
                if now - self._last_auth_log >= 60:
                    self._last_auth_log = now
                    log.error("backend refused the service token (%s) on %s; check SERVICE_TOKEN", status, path)
                await self._sleep(self._retry_max)
                continue
            if status == 413 and slim is not None and not slimmed:
                slimmed = True
                body = slim()
                log.warning("backend answered 413 on %s; retrying once in slim form", path)
                continue
            if status in (400, 404, 413, 422):
                detail = payload.get("detail") if isinstance(payload, dict) else payload
                log.error("backend refused %s %s with %s: %s (dropped)", method, path, status, detail)
                return Result(Outcome.DROPPED, status, payload)
            if status == 429:
                try:
                    wait = float(retry_after) if retry_after else self._delay()
                except ValueError:
                    wait = self._delay()
                await self._sleep(max(0.0, wait))
                continue
            self._transient(f"status {status}", path)
