"""The full-scan clearing window (docs/api.md#the-full-scan-clearing-window, docs/api.md#scan-progress-and-requests):
mark at scan/clear, sweep at completed or at the timeout.

Runs on mongomock and on the real MongoDB-wire server.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from quart.typing import TestClientProtocol

from app.core.clock import ManualClock
from app.core.timefmt import iso
from app.factory import create_app
from app.services.security import SecurityService
from app.wiring import Services, backend_of
from storage.findings import FindingFilter, FindingRepository
from storage.trusted_registries import TrustedRegistryRepository
from tests.conftest import SERVICE_HEADERS
from tests.security.conftest import HubListener, Poster, RecordingNotifier, finding_body


async def _clear(client: TestClientProtocol) -> int:
    response = await client.post("/api/security/scan/clear", headers=SERVICE_HEADERS)
    assert response.status_code == 200
    body = await response.get_json()
    assert list(body) == ["pending"]
    return int(body["pending"])


async def _status(client: TestClientProtocol, status: str, reason: str | None = "startup") -> None:
    response = await client.post("/api/security/rescan-status", json={"status": status, "reason": reason},
                                 headers=SERVICE_HEADERS)
    assert response.status_code == 204


async def _stored(services: Services) -> dict[str, dict[str, Any]]:
    """resource_name → stored finding (active and dismissed)."""
    docs, _ = await services.repositories.findings.page(FindingFilter(include_dismissed=True), 1000, 0)
    return {doc["resource_name"]: doc for doc in docs}


async def _seed(post_finding: Poster, names: list[str]) -> dict[str, int]:
    ids = {}
    for name in names:
        status, body = await post_finding(resource_name=name)
        assert status == 200
        ids[name] = body["id"]
    return ids


async def test_completed_scan_sweeps_what_was_not_reported_again(
    client: TestClientProtocol, post_finding: Poster, services: Services, clock: ManualClock,
    hub: HubListener, notifier: RecordingNotifier,
) -> None:
    ids = await _seed(post_finding, ["kept", "fixed", "dismissed", "also-fixed"])
    await services.security.set_dismissed(ids["dismissed"], True)
    before = await _stored(services)
    hub.drain()
    notifier.calls.clear()

    clock.advance(60)
    assert await _clear(client) == 3  # active findings last seen before T; the dismissed one is not pending
    clock.advance(5)
    status, again = await post_finding(resource_name="kept", message="re-reported")
    assert status == 200
    assert again["id"] == ids["kept"] and again["first_seen"] == iso(before["kept"]["first_seen"])
    status, new = await post_finding(resource_name="brand-new")
    assert status == 200
    assert [(kind, data["id"]) for kind, data in hub.drain()] == [("security_finding", new["id"])]
    assert [call[1]["id"] for call in notifier.calls] == [new["id"]]  # the re-report raised no notification

    await _status(client, "completed")
    messages = hub.drain()
    assert messages == [
        ("security_finding_deleted", {"ids": sorted([ids["fixed"], ids["also-fixed"]]), "reason": "scan_clear"}),
        ("security_rescan_status", {"status": "completed", "reason": "startup"}),
    ]
    stored = await _stored(services)
    assert sorted(stored) == ["brand-new", "dismissed", "kept"]
    assert stored["dismissed"]["dismissed"] is True  # dismissals survive every scan
    assert stored["kept"]["id"] == ids["kept"] and stored["kept"]["message"] == "re-reported"

    # The window is closed: a second completion sweeps nothing.
    clock.advance(60)
    await _status(client, "completed")
    assert [kind for kind, _ in hub.drain()] == ["security_rescan_status"]
    assert sorted(await _stored(services)) == ["brand-new", "dismissed", "kept"]


async def test_failed_scan_closes_the_window_without_sweeping(
    client: TestClientProtocol, post_finding: Poster, services: Services, clock: ManualClock, hub: HubListener
) -> None:
    await _seed(post_finding, ["a", "b"])
    clock.advance(10)
    assert await _clear(client) == 2
    await _status(client, "failed", "config error")
    assert hub.drain()[-1] == ("security_rescan_status", {"status": "failed", "reason": "config error"})
    await _status(client, "completed")
    assert [kind for kind, _ in hub.drain()] == ["security_rescan_status"]
    assert sorted(await _stored(services)) == ["a", "b"]
    assert await services.security.sweep_expired(clock.now() + timedelta(days=1)) == []


async def test_second_clear_restarts_the_window(
    client: TestClientProtocol, post_finding: Poster, services: Services, clock: ManualClock, hub: HubListener
) -> None:
    await _seed(post_finding, ["old"])
    clock.advance(10)
    await _clear(client)
    clock.advance(10)
    await post_finding(resource_name="seen-in-first-scan-only")
    clock.advance(10)
    assert await _clear(client) == 2  # "old" and the one reported before the new T
    clock.advance(10)
    await post_finding(resource_name="old")
    hub.drain()
    await _status(client, "completed")
    assert sorted(await _stored(services)) == ["old"]


async def test_started_status_leaves_the_window_alone(
    client: TestClientProtocol, post_finding: Poster, services: Services, clock: ManualClock
) -> None:
    await _seed(post_finding, ["a"])
    clock.advance(10)
    await _clear(client)
    await _status(client, "started", "trusted_registry_change")
    assert await services.repositories.findings.current_window() is not None
    await _status(client, "completed")
    assert await _stored(services) == {}


async def test_timeout_sweeps_when_no_completion_arrives(
    client: TestClientProtocol, post_finding: Poster, services: Services, clock: ManualClock, hub: HubListener
) -> None:
    ids = await _seed(post_finding, ["stale", "fresh"])
    clock.advance(10)
    await _clear(client)
    clock.advance(10)
    await post_finding(resource_name="fresh")
    hub.drain()

    clock.advance(services.settings.timers.scan_sweep_seconds - 30)
    assert await services.security.sweep_expired() == []  # before the deadline: nothing happens
    assert sorted(await _stored(services)) == ["fresh", "stale"]

    clock.advance(30)
    assert await services.security.sweep_expired() == [ids["stale"]]
    assert hub.drain() == [("security_finding_deleted", {"ids": [ids["stale"]], "reason": "scan_clear"})]
    assert await services.repositories.findings.current_window() is None
    # A late completion finds no window.
    await _status(client, "completed")
    assert sorted(await _stored(services)) == ["fresh"]


async def test_window_survives_a_backend_restart(
    client: TestClientProtocol, post_finding: Poster, services: Services, clock: ManualClock, hub: HubListener
) -> None:
    ids = await _seed(post_finding, ["stale", "fresh"])
    clock.advance(10)
    await _clear(client)
    clock.advance(10)
    await post_finding(resource_name="fresh")
    hub.drain()

    # A new process on the same database: fresh repositories and service, nothing shared in memory.
    db, counters = services.mongo.db, services.repositories.counters
    restarted = SecurityService(
        FindingRepository(db, counters), TrustedRegistryRepository(db, counters), services.feed, clock,
        sweep_seconds=services.settings.timers.scan_sweep_seconds,
    )
    await restarted.rescan_status("completed", "startup")
    assert hub.drain()[0] == ("security_finding_deleted", {"ids": [ids["stale"]], "reason": "scan_clear"})
    assert sorted(await _stored(services)) == ["fresh"]


async def test_sweep_without_findings_to_delete_broadcasts_nothing(
    client: TestClientProtocol, services: Services, hub: HubListener
) -> None:
    assert await _clear(client) == 0
    await _status(client, "completed", None)
    assert hub.drain() == [("security_rescan_status", {"status": "completed", "reason": None})]


async def test_the_running_app_sweeps_an_expired_window_by_itself(
    settings_factory: Any, clock: ManualClock, mongo: Any
) -> None:
    """The periodic job is wired at start-up (here every second, as KURE_SCAN_SWEEP_SECONDS=1 asks)."""
    application = create_app(settings_factory(kure_scan_sweep_seconds=1), clock=clock, mongo=mongo)
    async with application.test_app():
        services: Services = backend_of(application).services
        await asyncio.wait_for(backend_of(application).jobs.indexes_ready.wait(), 15)
        client = application.test_client()
        status = (await client.post("/api/security/findings", json=finding_body(), headers=SERVICE_HEADERS))
        assert status.status_code == 200
        clock.advance(10)
        await _clear(client)
        clock.advance(5)  # past the deadline; no completion is ever sent
        # The job runs every second; the deadline is generous because the sweep shares two cores with the rest of
        # the suite and the test server, and what is asserted is that it happens, not how fast.
        deadline = asyncio.get_running_loop().time() + 20
        while await services.repositories.findings.current_window() is not None:
            assert asyncio.get_running_loop().time() < deadline, "the expired window was never swept"
            await asyncio.sleep(0.05)
        assert await _stored(services) == {}
