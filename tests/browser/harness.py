"""The world the dashboard's browser tests run in (web/e2e, docs/dashboard.md).

    .venv/bin/python -m tests.browser.harness --state-file PATH

Starts, on free loopback ports:

- the project's fake Kubernetes API, loaded with the ``shop`` fixture cluster and the 1,000-object ``big``
  namespace of the synthetic cluster (bench/graph_sync.py, bench/diagram.py);
- a fake OpenAI-compatible server and a fake webhook receiver (configured from the dashboard's admin screens);
- ``kure-monitor serve`` as a real process on the MongoDB-wire server and the real Neo4j of
  ``scripts/services.py`` (ports from ``KURE_TEST_*``), with the fake cluster as its Kubernetes API, so its graph
  watcher mirrors the cluster into Neo4j;
- a small control API the tests call for what a browser cannot do: restart the backend, start a second backend
  on an empty database (first-admin setup), bulk-load incidents, change a pod's phase, write container logs.

When everything answers, the URLs are written to ``--state-file`` as JSON. SIGTERM stops it all and drops the
test databases. The Neo4j database is wiped at start (the suite's tests leave graphs behind; this is the last
tier of ``make test``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pymongo
from aiohttp import web

from app.simulator.kubeapi import FakeKubeApi
from app.simulator.kubeapi.synthetic import generate
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.fakes.webhook import WebhookReceiver

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "browser-e2e-service-token-0123456789"
ADMIN = {"username": "admin", "password": "admin-password-1"}
MONGO_URI = os.environ.get(
    "KURE_TEST_MONGODB_URI", f"mongodb://127.0.0.1:{os.environ.get('KURE_TEST_MONGODB_PORT', '27017')}"
)
NEO4J_URI = os.environ.get(
    "KURE_TEST_NEO4J_URI", f"bolt://127.0.0.1:{os.environ.get('KURE_TEST_NEO4J_BOLT_PORT', '7687')}"
)
AI_SOLUTION = "## Root Cause (AI)\n\nThe container exits because `DATABASE_URL` is not set.\n\n## Fix\n\nSet it."


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def big_namespace() -> list[dict[str, Any]]:
    """The synthetic cluster's ``big`` namespace: 20 Deployments x 50 Pods with their ReplicaSets and volumes."""
    return [obj for obj in generate() if (obj["metadata"].get("namespace") == "big")
            or (obj["kind"] == "Namespace" and obj["metadata"]["name"] == "big")]


@dataclass
class Backend:
    port: int
    database: str
    state_dir: Path
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    log_handles: list[Any] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        handle = self.log_path.open("ab")
        self.log_handles.append(handle)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=handle, stderr=subprocess.STDOUT, env=self.env, cwd=ROOT,
        )

    async def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                assert self.process is not None
                if self.process.poll() is not None:
                    raise RuntimeError(f"backend exited with {self.process.returncode}; log: {self.log_path}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(f"{self.url}/ready", timeout=2)).status_code == 200:
                        return
                await asyncio.sleep(0.2)
        raise RuntimeError(f"backend did not become ready; log: {self.log_path}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


class Harness:
    def __init__(self, work_dir: Path) -> None:
        self.work_dir = work_dir
        self.kube = FakeKubeApi(bookmark_interval=5)
        self.openai = FakeOpenAI(default=Reply.text(AI_SOLUTION, delay=3.0))
        self.webhook = WebhookReceiver()
        self.backends: list[Backend] = []
        self.kubeconfig = work_dir / "kubeconfig"

    async def start(self) -> None:
        self.kube.load_fixture(ROOT / "tests" / "fixtures" / "clusters" / "shop")
        self.kube.load_objects(big_namespace())
        await self.kube.start()
        self.kube.write_kubeconfig(self.kubeconfig)
        await self.openai.start()
        await self.webhook.start()
        await self._wipe_graph()
        main = self.new_backend(graph=True)
        main.start()
        await main.wait_ready()
        async with httpx.AsyncClient(base_url=main.url) as client:
            response = await client.post("/api/auth/signup", json=ADMIN)
            response.raise_for_status()

    def new_backend(self, *, graph: bool) -> Backend:
        port = free_port()
        database = f"kure_browser_{uuid.uuid4().hex[:10]}"
        state_dir = self.work_dir / f"state-{port}"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", str(self.work_dir)),
            "KURE_STATE_DIR": str(state_dir),
            "KURE_COOKIE_SECURE": "false",
            "SERVICE_TOKEN": TOKEN,
            "MONGODB_URI": MONGO_URI,
            "MONGODB_DATABASE": database,
            # FerretDB scans a whole collection per query: with the 10,000 incidents of the performance test one
            # list request takes seconds, more than the default 2 s bound (docs/benchmarks.md).
            "MONGODB_TIMEOUT_MS": "10000",
            "KUBECONFIG": str(self.kubeconfig),
            # The live feed's ping, and so its session re-check, every 5 s instead of 20.
            "KURE_WS_PING_SECONDS": "5",
            "KURE_GRAPH_LEASE_TTL": "5",
        }
        if "KURE_WEB_DIR" in os.environ:
            env["KURE_WEB_DIR"] = os.environ["KURE_WEB_DIR"]
        if graph:
            env["NEO4J_URI"] = NEO4J_URI
        backend = Backend(port, database, state_dir, env, self.work_dir / f"backend-{port}.log")
        self.backends.append(backend)
        return backend

    async def _wipe_graph(self) -> None:
        from graph.driver import create_driver

        driver = create_driver(NEO4J_URI, password=None)
        try:
            async with driver.session() as session:
                await (await session.run("MATCH (n) DETACH DELETE n")).consume()
        finally:
            await driver.close()

    async def graph_ready(self, namespace: str, minimum: int, seconds: float = 120) -> int:
        from graph.driver import create_driver

        driver = create_driver(NEO4J_URI, password=None)
        deadline = time.monotonic() + seconds
        try:
            while True:
                async with driver.session() as session:
                    record = await (await session.run(
                        "MATCH (n {namespace: $ns}) RETURN count(n) AS n", {"ns": namespace})).single()
                count = int(record["n"]) if record else 0
                if count >= minimum or time.monotonic() > deadline:
                    return count
                await asyncio.sleep(0.5)
        finally:
            await driver.close()

    async def restart(self) -> None:
        main = self.backends[0]
        main.stop()
        main.start()
        await main.wait_ready()

    def seed_incidents(self, count: int, namespace: str) -> int:
        """Bulk-load ``count`` open incidents: one is reported through the API, the rest are copies of the stored
        record with their own ids, pods and times (the API ingests 30 reports/s on the test server)."""
        main = self.backends[0]
        report = {"pod_name": f"{namespace}-seed-0", "namespace": namespace, "failure_reason": "CrashLoopBackOff",
                  "failure_message": "Back-off restarting failed container 'app' (restarts: 7)",
                  "container_statuses": [{"name": "app", "image": "registry.example.com/app:1.0", "ready": False,
                                          "restart_count": 7, "state": "waiting", "reason": "CrashLoopBackOff"}],
                  "manifest": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: seed\n", "logs": "error\n" * 20}
        response = httpx.post(f"{main.url}/api/pods/failed", json=report, headers={"X-Service-Token": TOKEN})
        response.raise_for_status()
        first_id = int(response.json()["id"])
        client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(MONGO_URI)
        try:
            db = client[main.database]
            template = db["pod_failures"].find_one({"_id": first_id})
            assert template is not None
            reasons = ["CrashLoopBackOff", "ImagePullBackOff", "OOMKilled", "Pending", "CreateContainerConfigError"]
            base = template["last_seen"]
            docs = []
            for offset in range(1, count):
                doc = dict(template)
                record_id = first_id + offset
                pod = f"{namespace}-seed-{offset}"
                doc.update(_id=record_id, pod_name=pod, open_slot=f"{namespace}/{pod}",
                           failure_reason=reasons[offset % len(reasons)],
                           last_seen=base.__class__.fromtimestamp(base.timestamp() - offset, base.tzinfo),
                           first_seen=base.__class__.fromtimestamp(base.timestamp() - offset, base.tzinfo))
                docs.append(doc)
            for start in range(0, len(docs), 1000):
                db["pod_failures"].insert_many(docs[start:start + 1000])
            db["counters"].update_one({"_id": "pod_failures"}, {"$max": {"seq": first_id + count - 1}}, upsert=True)
        finally:
            client.close()
        return count

    async def stop(self) -> None:
        for backend in self.backends:
            backend.stop()
        client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(MONGO_URI, serverSelectionTimeoutMS=2000)
        try:
            for backend in self.backends:
                with contextlib.suppress(Exception):
                    client.drop_database(backend.database)
        finally:
            client.close()
        await self.webhook.stop()
        await self.openai.stop()
        await self.kube.stop()

    # --- control API -------------------------------------------------------------------------------------------

    def control_app(self) -> web.Application:
        app = web.Application()
        routes = web.RouteTableDef()

        @routes.post("/restart")
        async def restart(_: web.Request) -> web.Response:
            await self.restart()
            return web.json_response({"url": self.backends[0].url})

        @routes.post("/backends")
        async def fresh_backend(_: web.Request) -> web.Response:
            backend = self.new_backend(graph=False)
            backend.start()
            await backend.wait_ready()
            return web.json_response({"url": backend.url})

        @routes.post("/seed-incidents")
        async def seed(request: web.Request) -> web.Response:
            body = await request.json()
            count = await asyncio.to_thread(self.seed_incidents, int(body["count"]), str(body["namespace"]))
            return web.json_response({"seeded": count})

        @routes.post("/graph-ready")
        async def graph(request: web.Request) -> web.Response:
            body = await request.json()
            count = await self.graph_ready(str(body["namespace"]), int(body["minimum"]))
            return web.json_response({"nodes": count})

        @routes.post("/kube/pod")
        async def pod(request: web.Request) -> web.Response:
            body = await request.json()
            self.kube.apply(body["object"])
            return web.json_response({"ok": True})

        @routes.post("/kube/pod-phase")
        async def phase(request: web.Request) -> web.Response:
            body = await request.json()

            def change(obj: dict[str, Any]) -> None:
                obj.setdefault("status", {})["phase"] = body["phase"]

            self.kube.modify("Pod", body["namespace"], body["name"], change)
            return web.json_response({"ok": True})

        @routes.post("/kube/log")
        async def log(request: web.Request) -> web.Response:
            body = await request.json()
            self.kube.append_log(body["namespace"], body["pod"], *body["lines"], container=body.get("container"))
            return web.json_response({"ok": True})

        @routes.get("/kube/pods")
        async def pods(request: web.Request) -> web.Response:
            namespace = request.query.get("namespace")
            return web.json_response([p["metadata"]["name"] for p in self.kube.list_objects("Pod", namespace)])

        @routes.get("/webhook")
        async def webhook(_: web.Request) -> web.Response:
            return web.json_response([r.json() for r in self.webhook.requests])

        app.add_routes(routes)
        return app


def _write_state(path: str, state: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(state))


async def main(args: argparse.Namespace, work_dir: Path) -> None:
    harness = Harness(work_dir)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    runner: web.AppRunner | None = None
    try:
        await harness.start()
        runner = web.AppRunner(harness.control_app())
        await runner.setup()
        control_port = free_port()
        await web.TCPSite(runner, "127.0.0.1", control_port).start()
        state = {
            "url": harness.backends[0].url,
            "control": f"http://127.0.0.1:{control_port}",
            "token": TOKEN,
            "admin": ADMIN,
            "openai": harness.openai.base_url,
            "webhook": harness.webhook.url(),
            "kube": harness.kube.url,
            "work_dir": str(work_dir),
        }
        _write_state(args.state_file, state)
        print(f"harness ready: {json.dumps(state)}", flush=True)
        await stop.wait()
    finally:
        if runner is not None:
            await runner.cleanup()
        await harness.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--state-file", required=True)
    parser.add_argument("--work-dir", default=None)
    arguments = parser.parse_args()
    directory = Path(arguments.work_dir or (ROOT / "web" / "test-results" / "harness")).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    asyncio.run(main(arguments, directory))
