"""Two replicas behind HAProxy (docs/replicas.md): one live feed across them, resumed after ``kill -9`` of one,
with nothing lost or repeated, and the shared rules (login limit, last admin, settings) the same on either."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pymongo
import pytest

from app.agent.main import run_agent
from app.agent.settings import AgentSettings
from app.incluster.settings import load
from app.simulator.kubeapi.server import FakeKubeApi
from tests.conftest import MONGO_TEST_URI
from tests.e2e.conftest import TOKEN
from tests.e2e.test_incluster_real_backend import NS, _agent_pod

from .conftest import Replicas

pytestmark = pytest.mark.replicas

PASSWORD = "replica-pass-1"
SERVICE = {"X-Service-Token": TOKEN}
CLIENTS = 100
USERS = 5
REPORTS_PER_SECOND = 50
LOAD_SECONDS = 8


def newest_seq(database: str) -> int:
    client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(MONGO_TEST_URI, serverSelectionTimeoutMS=2000)
    try:
        doc = client[database]["live_events"].find_one({}, sort=[("_id", pymongo.DESCENDING)])
        return int(doc["_id"]) if doc else 0
    finally:
        client.close()


class FeedClient:
    """A dashboard's feed: reconnects through the proxy with ``?after=<last seq>``, like web/src/api/live.ts."""

    def __init__(self, url: str, cookie: str) -> None:
        self.url = url
        self.cookie = cookie
        self.messages: list[tuple[int, str, str]] = []  # (seq, type, data as JSON)
        self.last: int | None = None
        self.connections = 0
        self.resyncs: list[dict[str, Any]] = []
        self.refusals: list[int] = []
        self.connected = asyncio.Event()

    async def run(self, session: aiohttp.ClientSession, stop: asyncio.Event) -> None:
        while not stop.is_set():
            url = self.url if self.last is None else f"{self.url}?after={self.last}"
            try:
                async with session.ws_connect(url, headers={"Cookie": f"kure_session={self.cookie}"},
                                              autoping=True) as ws:
                    self.connections += 1
                    self.connected.set()
                    async for frame in ws:
                        if frame.type != aiohttp.WSMsgType.TEXT:
                            break
                        message = json.loads(frame.data)
                        if message["type"] == "ping":
                            continue
                        if message["type"] == "resync":
                            self.resyncs.append(message["data"])
                            self.last = message["data"]["seq"]
                            continue
                        self.messages.append((message["seq"], message["type"], json.dumps(message["data"])))
                        self.last = message["seq"]
                    if ws.close_code not in (None, 1000, 1001, 1006, 1011):
                        self.refusals.append(int(ws.close_code))
            except (aiohttp.ClientError, ConnectionError, TimeoutError):
                pass
            if not stop.is_set():
                await asyncio.sleep(0.2 + random.random() * 0.3)


async def eventually(check: Callable[[], Awaitable[Any]], seconds: float = 30) -> Any:
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        result = await check()
        if result:
            return result
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.3)


async def open_feeds(api: httpx.AsyncClient, url: str) -> int:
    """The WebSocket clients one replica's hub holds (its ``kure_websocket_connections`` gauge)."""
    text = (await api.get(f"{url}/metrics")).text
    line = next(line for line in text.splitlines() if line.startswith("kure_websocket_connections "))
    return int(float(line.split()[1]))


async def login(url: str, username: str) -> str:
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        response = await client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return str(response.cookies["kure_session"])


async def set_up_users(url: str) -> dict[str, str]:
    """An admin and read users, each logged in through the proxy: username → session cookie."""
    async with httpx.AsyncClient(base_url=url, timeout=10) as admin:
        assert (await admin.post("/api/auth/signup", json={"username": "admin", "password": PASSWORD})).status_code \
            == 201
        for i in range(1, USERS):
            response = await admin.post("/api/admin/users",
                                        json={"username": f"viewer{i}", "password": PASSWORD, "role": "read"})
            assert response.status_code == 201, response.text
    return {name: await login(url, name) for name in ["admin", *(f"viewer{i}" for i in range(1, USERS))]}


async def post_report(client: httpx.AsyncClient, pod: str) -> int:
    """Post one report, retrying like an agent would through a replica's death, with one delivery key for all
    its attempts (docs/api.md#delivery-keys); the final status."""
    headers = {**SERVICE, "Idempotency-Key": uuid.uuid4().hex}
    # Like the agent's outbox, retry until a deadline rather than a number of attempts: while the proxy's health
    # checks have not yet noticed the dead replica, or the survivor is busy catching up, many attempts fail fast.
    deadline = asyncio.get_running_loop().time() + 120
    while asyncio.get_running_loop().time() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            response = await client.post("/api/pods/failed", headers=headers, json={
                "pod_name": pod, "namespace": "load", "failure_reason": "CrashLoopBackOff"})
            if response.status_code < 500:
                return response.status_code
        await asyncio.sleep(0.25)
    return 599


@contextlib.asynccontextmanager
async def agent(kube: FakeKubeApi, url: str, tmp_path: Path) -> AsyncIterator[None]:
    settings = load(AgentSettings, {
        "BACKEND_URL": url, "SERVICE_TOKEN": TOKEN, "KUBECONFIG": str(kube.write_kubeconfig(tmp_path / "kubeconfig")),
        "POD_NAME": "agent-a", "POD_NAMESPACE": NS, "KURE_HEALTH_PORT": "0", "KURE_LEASE_DURATION_SECONDS": "3",
        "KURE_LEASE_RENEW_DEADLINE_SECONDS": "2", "KURE_LEASE_RETRY_SECONDS": "1",
        "KURE_BACKEND_RETRY_MAX_SECONDS": "1",
    })
    stop = asyncio.Event()
    task = asyncio.ensure_future(run_agent(settings, stop, health_host="127.0.0.1"))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


@pytest.fixture
async def kube() -> AsyncIterator[FakeKubeApi]:
    server = FakeKubeApi(bookmark_interval=0.5)
    await server.start()
    server.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}})
    server.apply({"apiVersion": "v1", "kind": "ConfigMap",
                  "metadata": {"name": "kure-monitor-agent-state", "namespace": NS}})
    yield server
    await server.stop()


async def test_a_replica_killed_mid_feed_loses_and_repeats_nothing(
    replicas: Replicas, kube: FakeKubeApi, tmp_path: Path
) -> None:
    proxy = replicas.proxy
    cookies = await set_up_users(proxy.url)
    users = list(cookies)
    clients = [FeedClient(proxy.ws_url, cookies[users[i % USERS]]) for i in range(CLIENTS)]
    stop = asyncio.Event()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session, \
            httpx.AsyncClient(base_url=proxy.url, timeout=10) as api:
        feeds = [asyncio.create_task(c.run(session, stop)) for c in clients]
        try:
            await asyncio.wait_for(asyncio.gather(*(c.connected.wait() for c in clients)), 60)

            async def all_attached() -> bool:
                # The upgrade is accepted before the connection claims its slot and joins the feed: count joins.
                return sum([await open_feeds(api, s.url) for s in (replicas.a, replicas.b)]) == CLIENTS

            await eventually(all_attached, 60)
            await asyncio.sleep(1)  # every replica's tail has caught up: nothing is in flight
            before = await asyncio.to_thread(newest_seq, replicas.database)

            async with agent(kube, proxy.url, tmp_path):
                # Reports at 50/s through the proxy; half-way, replica A dies without a word.
                posts: list[asyncio.Task[int]] = []
                pods = [f"load-{i}" for i in range(REPORTS_PER_SECOND * LOAD_SECONDS)]
                killed = False
                for i, pod in enumerate(pods):
                    posts.append(asyncio.create_task(post_report(api, pod)))
                    if i % 25 == 0:  # the agent's pods fail at the same time
                        kube.apply(_agent_pod(f"agent-{i // 25}", "evicted"))
                    if not killed and i == len(pods) // 2:
                        os.kill(replicas.a.process.pid, signal.SIGKILL)
                        killed = True
                    await asyncio.sleep(1 / REPORTS_PER_SECOND)
                statuses = await asyncio.gather(*posts)
                assert set(statuses) <= {200, 201}, sorted(set(statuses))
                agent_pods = {f"agent-{i // 25}" for i in range(0, len(pods), 25)}

                async def agent_done() -> list[dict[str, Any]] | None:
                    response = await api.get("/api/pods/failed", params={"namespace": "shop"},
                                             cookies={"kure_session": cookies["admin"]})
                    rows: list[dict[str, Any]] = response.json()
                    return rows if {r["pod_name"] for r in rows} >= agent_pods else None

                await eventually(agent_done, 60)

            newest = await asyncio.to_thread(newest_seq, replicas.database)

            async def all_caught_up() -> bool:
                return all(c.last is not None and c.last >= newest for c in clients)

            await eventually(all_caught_up, 60)
        finally:
            stop.set()
            await session.close()
            for task in feeds:
                task.cancel()
            await asyncio.gather(*feeds, return_exceptions=True)

        # Every report stored and counted once: one record per pod, the direct posts' and the agent's (with its
        # outbox), each with one occurrence — one operation was sent per pod. A report whose answer died with
        # replica A is sent again with the same delivery key and is not counted again.
        rows = (await api.get("/api/pods/failed", params={"namespace": "load", "limit": 1000},
                              cookies={"kure_session": cookies["admin"]})).json()
        assert sorted(r["pod_name"] for r in rows) == sorted(pods)
        assert {r["pod_name"]: r["occurrences"] for r in rows} == dict.fromkeys(pods, 1)
        agent_rows = (await api.get("/api/pods/failed", params={"namespace": "shop"},
                                    cookies={"kure_session": cookies["admin"]})).json()
        assert sorted(r["pod_name"] for r in agent_rows) == sorted(agent_pods)
        assert {r["pod_name"]: r["occurrences"] for r in agent_rows} == dict.fromkeys(agent_pods, 1)

        # No session lost: every user's cookie still works, now on the surviving replica.
        for name, cookie in cookies.items():
            me = await api.get("/api/auth/me", cookies={"kure_session": cookie})
            assert me.status_code == 200 and me.json()["user"]["username"] == name

    # Every client: every message once, in order, the same messages as every other client.
    expected = list(range(before + 1, newest + 1))
    reference = {seq: (kind, data) for seq, kind, data in clients[0].messages}
    reconnected = [c for c in clients if c.connections > 1]
    assert reconnected, "the killed replica had clients"
    for client in clients:
        assert client.resyncs == [] and client.refusals == []
        assert [seq for seq, _, _ in client.messages] == expected
        assert {seq: (kind, data) for seq, kind, data in client.messages} == reference
    # Cross-replica delivery: every report, whichever replica stored it, reached every client.
    reported = {json.loads(data)["pod_name"] for kind, data in reference.values() if kind == "pod_failure"}
    assert reported >= set(pods) | agent_pods
    print(f"\n[replicas] {len(expected)} messages to {CLIENTS} clients; {len(reconnected)} reconnected and resumed")


async def test_shared_rules_hold_whichever_replica_answers(replicas: Replicas) -> None:
    """Each request alternates between the two replicas directly: the answer is the one a single replica gives."""
    a, b = replicas.a.url, replicas.b.url
    async with httpx.AsyncClient(base_url=a, timeout=10) as on_a, httpx.AsyncClient(base_url=b, timeout=10) as on_b:
        assert (await on_a.post("/api/auth/signup", json={"username": "admin", "password": PASSWORD})).status_code \
            == 201
        admin_cookie = {"kure_session": str(on_a.cookies["kure_session"])}
        on_a.cookies.clear()

        # Login limit: 5 failures per 30 s for one (IP, username), counted over both replicas.
        for i in range(5):
            wrong = await (on_a, on_b)[i % 2].post("/api/auth/login", json={"username": "admin", "password": "nope"})
            assert wrong.status_code == 401
        for replica in (on_a, on_b):
            limited = await replica.post("/api/auth/login", json={"username": "admin", "password": PASSWORD})
            assert limited.status_code == 429 and limited.json()["detail"] == "Too many login attempts"

        # A second admin; then each demotes the other at the same instant, on different replicas: one wins.
        created = await on_a.post("/api/admin/users", cookies=admin_cookie,
                                  json={"username": "second", "password": PASSWORD, "role": "admin"})
        assert created.status_code == 201
        second_id = created.json()["id"]
        second_cookie = {"kure_session": await login(b, "second")}
        me = (await on_b.get("/api/auth/me", cookies=admin_cookie)).json()["user"]
        results = await asyncio.gather(
            on_a.patch(f"/api/admin/users/{second_id}", cookies=admin_cookie, json={"role": "read"}),
            on_b.patch(f"/api/admin/users/{me['id']}", cookies=second_cookie, json={"role": "read"}),
        )
        codes = sorted(r.status_code for r in results)
        assert codes in ([200, 400], [200, 403]), [r.text for r in results]
        users = (await on_b.get("/api/admin/users",
                                cookies=admin_cookie if results[0].status_code == 200 else second_cookie)).json()
        assert [u["role"] for u in users].count("admin") == 1

        # A setting changed on one replica is what the other one uses at once.
        survivor = admin_cookie if results[0].status_code == 200 else second_cookie
        changed = await on_a.post("/api/admin/settings/history_retention_minutes", cookies=survivor,
                                  json={"value": 42})
        assert changed.status_code == 200
        for replica in (on_b, on_a):
            value = (await replica.get("/api/admin/settings/history_retention_minutes", cookies=survivor)).json()
            assert value["value"] == 42, value


async def test_a_dashboard_on_replica_b_sees_what_replica_a_ingested(replicas: Replicas) -> None:
    async with httpx.AsyncClient(base_url=replicas.a.url, timeout=10) as on_a:
        assert (await on_a.post("/api/auth/signup", json={"username": "admin", "password": PASSWORD})).status_code \
            == 201
        cookie = await login(replicas.b.url, "admin")
        async with aiohttp.ClientSession() as session, session.ws_connect(
                f"ws://127.0.0.1:{replicas.b.port}/api/ws", headers={"Cookie": f"kure_session={cookie}"}) as ws:
            await asyncio.sleep(0.5)
            posted = await on_a.post("/api/pods/failed", headers=SERVICE,
                                     json={"pod_name": "cross-1", "namespace": "default"})
            assert posted.status_code == 200
            while True:
                frame = await asyncio.wait_for(ws.receive(), 10)
                message = json.loads(frame.data)
                if message["type"] != "ping":
                    break
            assert message["type"] == "pod_failure" and message["data"] == posted.json()
            assert isinstance(message["seq"], int)
