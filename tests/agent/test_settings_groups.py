"""The in-cluster settings groups (app/incluster/settings.py, app/agent/settings.py, app/scanner/settings.py): the
operators' flat variables, read in groups — the shared ones defined once for the agent and the scanner, each
component's own beside its settings — and the value of each variable reaching the part of the component it
configures."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable
from typing import Any, cast

import pytest

import app.scanner.main as scanner_main
from app.agent.classify import Timings
from app.agent.main import AgentMetrics, AgentSession
from app.agent.outbox import Outbox
from app.agent.settings import AgentSettings, OutboxSettings
from app.agent.tracker import Policy
from app.core.clock import Clock
from app.incluster.lease import LeaseElector
from app.incluster.settings import InclusterSettings, load
from app.incluster.ws import Subscriber
from app.kube.access import KubeAccess
from app.kube.reflector import ReflectorOptions
from app.scanner.main import ScannerMetrics, ScannerSession
from app.scanner.settings import ScannerSettings
from tests.settings_groups import assert_every_variable_lands_in_exactly_one_group

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("cls", [AgentSettings, ScannerSettings])
def test_every_variable_lands_in_exactly_one_group(cls: type[InclusterSettings]) -> None:
    # Both components read every variable, shared or their own, through a group: one no group carries would be
    # re-read by hand somewhere, one carried twice could be read two ways.
    offered = assert_every_variable_lands_in_exactly_one_group(cls, list_item="set-by-the-test")
    assert {"backend", "pod", "lease", "cluster", "health", "logging"} <= offered


def test_the_groups_carry_the_variables_they_name() -> None:
    settings = load(ScannerSettings, {
        "SERVICE_TOKEN": "t" * 20, "BACKEND_URL": "https://kure.example/", "KURE_BACKEND_TIMEOUT_SECONDS": "7",
        "POD_NAME": "scanner-0", "POD_NAMESPACE": "kure", "KURE_LEASE_DURATION_SECONDS": "20",
        "KURE_HEALTH_PORT": "9090", "LOG_LEVEL": "debug",
    })  # fmt: skip
    assert (settings.backend.url, settings.backend.timeout_seconds) == ("https://kure.example", 7)
    assert "t" * 20 not in repr(settings.backend)
    assert (settings.pod.name, settings.pod.namespace) == ("scanner-0", "kure")
    assert (settings.lease.name, settings.lease.duration_seconds) == ("kure-monitor-scanner", 20)
    assert settings.health.port == 9090
    assert (settings.logging.level, settings.logging.format) == ("DEBUG", "json")


def test_the_outbox_is_sized_by_its_group() -> None:
    settings = load(AgentSettings, {"SERVICE_TOKEN": "t" * 20, "KURE_AGENT_QUEUE_MAX": "3",
                                    "KURE_AGENT_TOMBSTONE_BYTES": "4096"})  # fmt: skip
    assert settings.outbox == OutboxSettings(max_entries=3, tombstone_budget=4096)
    outbox = Outbox.from_settings(settings.outbox)
    assert (outbox.max_entries, outbox.tombstone_budget) == (3, 4096)


def _leading() -> LeaseElector:
    class Leading:
        def is_leader(self) -> bool:
            return True

    return cast(LeaseElector, Leading())


class RecordingKube:
    """The Kubernetes call path, recording what the session asks of it."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, Any]] = []
        self.reads: list[tuple[str, list[tuple[str, Any]]]] = []

    async def call(self, method: str, path: str, body: Any = None, **_: Any) -> dict[str, Any]:
        self.calls.append((method, path, body))
        return {"metadata": {"resourceVersion": "1"}}

    async def text(self, path: str, *, query: list[tuple[str, Any]], read_timeout: float) -> str:
        self.reads.append((path, query))
        return "a log line"


#: Every agent variable set apart from its default and from each other, so a group field read for another one shows.
AGENT_ENV = {
    "SERVICE_TOKEN": "t" * 20, "BACKEND_URL": "https://kure.example:8443/", "POD_NAMESPACE": "kure-system",
    "KURE_LIST_PAGE_SIZE": "77", "KURE_WATCH_TIMEOUT_SECONDS": "78",
    "KURE_SHORT_GRACE_SECONDS": "31", "KURE_PENDING_GRACE_SECONDS": "121", "KURE_SCALEUP_GRACE_SECONDS": "601",
    "KURE_GATED_GRACE_SECONDS": "901", "KURE_SLOW_PULL_GRACE_SECONDS": "602", "KURE_READINESS_GRACE_SECONDS": "301",
    "KURE_TERMINATING_GRACE_SECONDS": "302", "KURE_RESTART_THRESHOLD": "5", "KURE_RESTART_WINDOW_SECONDS": "1801",
    "KURE_RECOVERY_SECONDS": "122", "KURE_RESTART_RECOVERY_SECONDS": "603", "KURE_REREPORT_INTERVAL_SECONDS": "303",
    "KURE_REASON_CHANGE_DELAY_SECONDS": "32", "KURE_AGENT_MAX_EVENTS": "21", "KURE_AGENT_LOG_LINES": "101",
    "KURE_AGENT_LOG_BYTES": "65537", "KURE_AGENT_SEND_CONCURRENCY": "6", "KURE_AGENT_QUEUE_MAX": "10001",
    "KURE_AGENT_TOMBSTONE_BYTES": "33554433", "KURE_AGENT_STATE_CONFIGMAP": "agent-checkpoint",
    "KURE_SHUTDOWN_FLUSH_SECONDS": "13",
}  # fmt: skip


def _agent_session(kube: RecordingKube) -> AgentSession:
    settings = load(AgentSettings, AGENT_ENV)
    return AgentSession(settings, cast(KubeAccess, kube), _leading(), AgentMetrics(), Clock(), {})


def test_the_agent_session_reads_each_variable_from_its_group() -> None:
    session = _agent_session(RecordingKube())
    assert session.core.timings == Timings(
        short_grace=31, pending_grace=121, scaleup_grace=601, gated_grace=901, slow_pull_grace=602,
        readiness_grace=301, terminating_grace=302, restart_threshold=5, restart_window=1801,
    )  # fmt: skip
    assert session.core.policy == Policy(recovery=122, restart_recovery=603, rereport_interval=303,
                                         reason_change_delay=32, max_events=21)  # fmt: skip
    assert (session.outbox.max_entries, session.outbox.tombstone_budget) == (10001, 33554433)
    # Every field of the grace group is one of the classifier's timings: a knob added to one only fails here.
    assert {f.name for f in dataclasses.fields(load(AgentSettings, AGENT_ENV).grace)} == {
        f.name for f in dataclasses.fields(Timings)
    }


async def test_the_agent_reads_logs_and_writes_its_checkpoint_as_configured() -> None:
    kube = RecordingKube()
    session = _agent_session(kube)
    await session._read_log("shop", "web-0", "app", False)
    assert kube.reads == [("/api/v1/namespaces/shop/pods/web-0/log",
                           [("container", "app"), ("tailLines", 101), ("limitBytes", 65537)])]  # fmt: skip
    await session._write_checkpoint()
    method, path, body = kube.calls[-1]
    assert (method, path) == ("PUT", "/api/v1/namespaces/kure-system/configmaps/agent-checkpoint")
    assert (body["metadata"]["name"], body["metadata"]["namespace"]) == ("agent-checkpoint", "kure-system")


async def test_the_agent_shutdown_flushes_for_the_configured_time(monkeypatch: pytest.MonkeyPatch) -> None:
    session = _agent_session(RecordingKube())
    waited: list[float] = []

    async def give_up(awaitable: Awaitable[Any], seconds: float) -> None:  # asyncio.wait_for(aw, timeout)
        waited.append(seconds)
        cast(Any, awaitable).close()
        raise TimeoutError

    monkeypatch.setattr(asyncio, "wait_for", give_up)
    await session.shutdown()
    assert waited == [13]


def test_the_reflectors_and_the_live_feed_follow_the_cluster_and_backend_groups() -> None:
    settings = load(AgentSettings, AGENT_ENV)
    options = ReflectorOptions.from_settings(settings.cluster, field_selector="involvedObject.kind=Pod")
    assert (options.page_size, options.watch_timeout, options.field_selector) == (77, 78, "involvedObject.kind=Pod")

    async def ignore(*_: Any) -> None:
        return None

    feed = Subscriber.from_settings(settings.backend, ignore, ignore)
    assert feed.url == "wss://kure.example:8443/api/ws"
    assert feed._token == "t" * 20


SCANNER_ENV = {
    "SERVICE_TOKEN": "s" * 20, "KURE_SCANNER_POST_CONCURRENCY": "3",
    "KURE_SCANNER_TRUSTED_REGISTRIES": "GHCR.io/Acme,quay.io", "KURE_SCANNER_DISABLED_CHECKS": "privileged_container",
    "KURE_SCANNER_MANIFEST_MAX_BYTES": "4097", "KURE_SCANNER_SCAN_ABORT_SECONDS": "601",
    "KURE_SCANNER_DEBOUNCE_SECONDS": "4", "KURE_SCANNER_DEBOUNCE_MAX_SECONDS": "11",
}  # fmt: skip


def _scanner_session() -> ScannerSession:
    settings = load(ScannerSettings, SCANNER_ENV)
    return ScannerSession(settings, cast(KubeAccess, RecordingKube()), _leading(), ScannerMetrics(), Clock(), {})


def test_the_scanning_group_carries_the_scanner_variables() -> None:
    scanning = load(ScannerSettings, SCANNER_ENV).scanning
    assert (scanning.post_concurrency, scanning.manifest_max_bytes, scanning.scan_abort_seconds) == (3, 4097, 601)
    assert (scanning.debounce_seconds, scanning.debounce_max_seconds) == (4, 11)
    assert scanning.trusted_registries == ("ghcr.io/acme", "quay.io")
    assert scanning.disabled_checks == frozenset({"privileged_container"})


async def test_the_scanner_session_evaluates_as_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    session = _scanner_session()
    assert session.trusted == frozenset({"ghcr.io/acme", "quay.io"})
    assert session._disabled() == {"privileged_container"}

    # A scan evaluates with twice the post concurrency.
    running, most = 0, 0

    async def process(_: Any) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01)
        running -= 1

    monkeypatch.setattr(session, "process", process)
    await session._process_many([("Pod", ("shop", f"web-{i}")) for i in range(20)])
    assert most == 6


async def test_the_scanner_bounds_manifests_as_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    session = _scanner_session()
    seen: list[tuple[int, tuple[str, ...]]] = []

    class Seen(Exception):
        pass

    def manifest_text(obj: Any, max_bytes: int, secrets: tuple[str, ...]) -> str:
        seen.append((max_bytes, tuple(secrets)))
        raise Seen

    monkeypatch.setattr(scanner_main, "manifest_text", manifest_text)
    session.store.synced.set()
    session.store.caches["ConfigMap"][("shop", "settings")] = {
        "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": "shop"},
    }  # fmt: skip
    with pytest.raises(Seen):
        await session.process(("ConfigMap", ("shop", "settings")))
    assert seen == [(4097, ("s" * 20,))]
