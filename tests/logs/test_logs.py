"""Pod logs (docs/api.md#logs): the JSON read and the SSE stream, against the fake Kubernetes API server."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web
from quart import Quart
from quart.typing import TestClientProtocol

from app.settings import Settings
from app.simulator.kubeapi import FakeKubeApi
from app.wiring import Services
from tests.conftest import SERVICE_HEADERS
from tests.fakes.loopback import serve_on_loopback
from tests.logs.kube import StartedApp, eventually, pod

pytestmark = pytest.mark.unit

TOKEN = SERVICE_HEADERS["X-Service-Token"]
END = b'event: end\ndata: {"reason":"container_stopped"}\n\n'
ERROR = b'event: error\ndata: {"detail":"Kubernetes API error"}\n\n'


@pytest.fixture
def web_pod(fake_kube: FakeKubeApi) -> dict[str, Any]:
    obj = pod("web", containers=("app", "sidecar"), init=("init-db",))
    fake_kube.apply(obj)
    fake_kube.set_log("default", "web", [f"line {i}" for i in range(1, 151)], container="app")
    fake_kube.set_log("default", "web", ["sidecar says hi"], container="sidecar")
    fake_kube.set_log("default", "web", ["migrated"], container="init-db")
    return obj


# --- JSON route ------------------------------------------------------------------------------------------


async def test_logs_default_container_last_100_lines(
    user_client: Callable[[str], Awaitable[TestClientProtocol]], web_pod: dict[str, Any]
) -> None:
    client = await user_client("read")
    response = await client.get("/api/pods/default/web/logs")
    assert response.status_code == 200
    body = await response.get_json()
    assert body["pod_name"] == "web" and body["namespace"] == "default"
    assert body["container"] == "app"
    assert body["containers"] == ["app", "sidecar", "init-db"]
    lines = body["logs"].splitlines()
    assert len(lines) == 100 and lines[0] == "line 51" and lines[-1] == "line 150"
    assert body["logs"].endswith("line 150\n")


async def test_logs_tail_lines_and_named_containers(
    user_client: Callable[[str], Awaitable[TestClientProtocol]], web_pod: dict[str, Any]
) -> None:
    client = await user_client("read")
    body = await (await client.get("/api/pods/default/web/logs?tail_lines=2")).get_json()
    assert body["logs"] == "line 149\nline 150\n"
    body = await (await client.get("/api/pods/default/web/logs?container=sidecar")).get_json()
    assert (body["container"], body["logs"]) == ("sidecar", "sidecar says hi\n")
    body = await (await client.get("/api/pods/default/web/logs?container=init-db")).get_json()
    assert (body["container"], body["logs"]) == ("init-db", "migrated\n")


async def test_logs_previous_instance(
    user_client: Callable[[str], Awaitable[TestClientProtocol]], fake_kube: FakeKubeApi, web_pod: dict[str, Any]
) -> None:
    client = await user_client("read")
    # No previous instance: the API answers 400, the route answers 200 with no logs.
    response = await client.get("/api/pods/default/web/logs?previous=true")
    assert response.status_code == 200
    assert (await response.get_json())["logs"] == ""
    fake_kube.set_log("default", "web", ["crashed: out of memory"], container="app", previous=True)
    body = await (await client.get("/api/pods/default/web/logs?previous=1")).get_json()
    assert body["logs"] == "crashed: out of memory\n"


async def test_unknown_container_lists_the_available_ones(
    user_client: Callable[[str], Awaitable[TestClientProtocol]], web_pod: dict[str, Any]
) -> None:
    client = await user_client("read")
    for path in ("/api/pods/default/web/logs?container=nope", "/api/pods/default/web/logs/stream?container=nope"):
        response = await client.get(path)
        assert response.status_code == 404
        assert await response.get_json() == {
            "detail": "Container 'nope' not found in pod 'web'. Available: app, sidecar, init-db"
        }


async def test_unknown_pod_and_impossible_names(
    user_client: Callable[[str], Awaitable[TestClientProtocol]], fake_kube: FakeKubeApi
) -> None:
    client = await user_client("read")
    for ns, name in (("default", "ghost"), ("other", "web"), ("default", "Bad_Name"), ("default", "..")):
        for suffix in ("logs", "logs/stream"):
            response = await client.get(f"/api/pods/{ns}/{name.replace('.', '%2E')}/{suffix}")
            assert response.status_code == 404, (ns, name, suffix)
            assert await response.get_json() == {"detail": f"Pod '{name}' not found in namespace '{ns}'"}
    # The impossible names never reached the API server.
    assert not any("Bad_Name" in path or "/pods/.." in path for _, path in fake_kube.request_log)


async def test_query_validation(user_client: Callable[[str], Awaitable[TestClientProtocol]]) -> None:
    client = await user_client("read")
    for query, field in (("tail_lines=0", "tail_lines"), ("tail_lines=10001", "tail_lines"),
                         ("tail_lines=abc", "tail_lines"), ("previous=maybe", "previous")):
        response = await client.get(f"/api/pods/default/web/logs?{query}")
        assert response.status_code == 422, query
        assert (await response.get_json())["detail"][0]["loc"] == ["query", field]
    response = await client.get("/api/pods/default/web/logs/stream?tail_lines=0")
    assert response.status_code == 422


async def test_api_errors_become_502_with_the_reason_phrase(
    user_client: Callable[[str], Awaitable[TestClientProtocol]], fake_kube: FakeKubeApi, web_pod: dict[str, Any]
) -> None:
    client = await user_client("read")
    fake_kube.fail_next("pods", 500)
    response = await client.get("/api/pods/default/web/logs")
    assert response.status_code == 502
    assert await response.get_json() == {"detail": "Kubernetes API error: Internal Server Error"}
    fake_kube.forbid("pods")
    for suffix in ("logs", "logs/stream"):
        response = await client.get(f"/api/pods/default/web/{suffix}")
        assert response.status_code == 502
        assert await response.get_json() == {"detail": "Kubernetes API error: Forbidden"}


async def test_without_kubernetes_both_routes_answer_503(
    settings_factory: Callable[..., Settings], start_app: Callable[..., Awaitable[StartedApp]], mongo: Any,
    clock: Any,
) -> None:
    started = await start_app(settings_factory(kure_kubernetes="off"), clock=clock, mongo=mongo)
    await started.services.auth.create_user("reader", "correct-horse-battery", "read")
    reader = started.app.test_client()
    await reader.post("/api/auth/login", json={"username": "reader", "password": "correct-horse-battery"})
    for suffix in ("logs", "logs/stream"):
        response = await reader.get(f"/api/pods/default/web/{suffix}")
        assert response.status_code == 503
        assert await response.get_json() == {"detail": "Kubernetes client not available"}


async def test_unreachable_api_server_answers_503(
    settings_factory: Callable[..., Settings], start_app: Callable[..., Awaitable[StartedApp]], mongo: Any,
    clock: Any, tmp_path: Path,
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends: nothing listens there
    config = {
        "apiVersion": "v1", "kind": "Config", "current-context": "x",
        "clusters": [{"name": "x", "cluster": {"server": f"http://127.0.0.1:{port}"}}],
        "users": [{"name": "x", "user": {"token": "t"}}],
        "contexts": [{"name": "x", "context": {"cluster": "x", "user": "x"}}],
    }
    path = tmp_path / "dead-kubeconfig"
    path.write_text(yaml.safe_dump(config))
    started = await start_app(settings_factory(kure_kubernetes="auto", kubeconfig=str(path)), clock=clock,
                              mongo=mongo)
    client = started.app.test_client()
    response = await client.get("/api/pods/default/web/logs/stream", headers=SERVICE_HEADERS)
    assert response.status_code == 503
    assert await response.get_json() == {"detail": "Kubernetes client not available"}
    assert started.services.dependencies.kubernetes.state == "down"


# --- SSE stream ------------------------------------------------------------------------------------------


class Stream:
    """An open SSE response read chunk by chunk through the ASGI test connection."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.data = b""

    async def read_until(self, marker: bytes) -> bytes:
        while marker not in self.data:
            self.data += await asyncio.wait_for(self.connection.receive(), 10)
        return self.data


async def open_stream(client: TestClientProtocol, path: str, headers: dict[str, str] | None = None) -> Any:
    connection = client.request(path, headers=headers)
    await connection.__aenter__()
    await connection.send_complete()
    return connection


@pytest.fixture
async def streams(client: TestClientProtocol) -> AsyncIterator[Callable[..., Awaitable[Stream]]]:
    opened: list[Any] = []

    async def make(path: str, headers: dict[str, str] | None = None, via: TestClientProtocol | None = None) -> Stream:
        connection = await open_stream(via or client, path, headers)
        opened.append(connection)
        return Stream(connection)

    yield make
    for connection in opened:
        if not connection._task.done():
            await connection.disconnect()
        await asyncio.wait_for(asyncio.gather(connection._task, return_exceptions=True), 10)


async def test_stream_frames_history_then_live_lines_then_end(
    streams: Callable[..., Awaitable[Stream]], fake_kube: FakeKubeApi, services: Services
) -> None:
    fake_kube.apply(pod("api"))
    fake_kube.set_log("default", "api", ["old 1", "old 2", "old 3"])
    stream = await streams(f"/api/pods/default/api/logs/stream?tail_lines=2&token={TOKEN}")
    await stream.read_until(b"data: old 3\n\n")
    assert stream.data == b"data: old 2\n\ndata: old 3\n\n"
    headers = stream.connection.headers
    assert stream.connection.status_code == 200
    assert headers is not None
    assert headers["Content-Type"] == "text/event-stream; charset=utf-8"
    assert headers["Cache-Control"] == "no-cache"
    assert headers["X-Accel-Buffering"] == "no"
    assert len(headers["X-Request-ID"]) == 32

    fake_kube.append_log("default", "api", "windows line\r", "", "last")
    await stream.read_until(b"data: last\n\n")
    assert stream.data.endswith(b"data: windows line\n\ndata: \n\ndata: last\n\n")
    assert services.logs.active_streams == 1

    fake_kube.end_log("default", "api")
    await stream.read_until(END)
    assert stream.data.endswith(b"data: last\n\n" + END)
    await asyncio.wait_for(stream.connection._task, 10)  # the response ends after the end event
    assert services.logs.active_streams == 0


async def test_stream_keep_alive_when_idle(
    streams: Callable[..., Awaitable[Stream]], fake_kube: FakeKubeApi, services: Services
) -> None:
    services.logs.keepalive_seconds = 0.05
    fake_kube.apply(pod("quiet"))
    stream = await streams("/api/pods/default/quiet/logs/stream", SERVICE_HEADERS)
    await stream.read_until(b": keep-alive\n\n")
    assert stream.data.startswith(b": keep-alive\n\n")
    fake_kube.append_log("default", "quiet", "finally something")
    await stream.read_until(b"data: finally something\n\n")
    # Only comments before the line: nothing else was invented while idle.
    assert set(stream.data.split(b"data: finally something\n\n")[0].split(b"\n\n")) <= {b": keep-alive", b""}


async def test_departed_client_closes_the_kubernetes_connection(
    streams: Callable[..., Awaitable[Stream]], fake_kube: FakeKubeApi, services: Services
) -> None:
    fake_kube.apply(pod("chatty"))
    stream = await streams("/api/pods/default/chatty/logs/stream", SERVICE_HEADERS)
    fake_kube.append_log("default", "chatty", "hello")
    await stream.read_until(b"data: hello\n\n")
    followers = fake_kube._logs[("default", "chatty", "app", False)].listeners  # the fake's open follow streams
    assert len(followers) == 1

    await stream.connection.disconnect()
    await asyncio.wait_for(stream.connection._task, 10)
    assert services.logs.active_streams == 0

    # The fake notices the closed socket at its next write, as a real API server would.
    def follower_gone() -> bool:
        fake_kube.append_log("default", "chatty", "anyone there?")
        return not followers

    await eventually(follower_gone)


async def test_stream_limit_answers_429_and_frees_slots(
    streams: Callable[..., Awaitable[Stream]], client: TestClientProtocol, fake_kube: FakeKubeApi, services: Services
) -> None:
    services.logs.max_streams = 2
    fake_kube.apply(pod("busy"))
    path = "/api/pods/default/busy/logs/stream"
    first = await streams(path, SERVICE_HEADERS)
    await streams(path, SERVICE_HEADERS)
    await eventually(lambda: services.logs.active_streams == 2)
    response = await client.get(path, headers=SERVICE_HEADERS)
    assert response.status_code == 429
    assert await response.get_json() == {"detail": "Too many concurrent log streams"}
    assert response.headers["Retry-After"]

    await first.connection.disconnect()
    await asyncio.wait_for(first.connection._task, 10)
    assert services.logs.active_streams == 1
    third = await streams(path, SERVICE_HEADERS)
    fake_kube.append_log("default", "busy", "served again")
    await third.read_until(b"data: served again\n\n")


async def test_one_user_cannot_hold_every_stream_slot(
    streams: Callable[..., Awaitable[Stream]], user_client: Callable[[str], Awaitable[TestClientProtocol]],
    fake_kube: FakeKubeApi, services: Services,
) -> None:
    services.logs.max_streams_per_principal = 2
    fake_kube.apply(pod("busy"))
    path = "/api/pods/default/busy/logs/stream"
    hog, other = await user_client("read"), await user_client("read")
    first = await streams(path, via=hog)
    await streams(path, via=hog)
    await eventually(lambda: services.logs.active_streams == 2)
    response = await hog.get(path)
    assert response.status_code == 429
    assert await response.get_json() == {
        "detail": "Too many concurrent log streams for this user (limit 2); close one first"}
    assert response.headers["Retry-After"] == "15"
    # Everybody else still gets a stream: another user, and the service token.
    await streams(path, via=other)
    await streams(path, SERVICE_HEADERS)
    await eventually(lambda: services.logs.active_streams == 4)
    # A closed stream gives the slot back to its user.
    await first.connection.disconnect()
    await asyncio.wait_for(first.connection._task, 10)
    third = await streams(path, via=hog)
    fake_kube.append_log("default", "busy", "served again")
    await third.read_until(b"data: served again\n\n")


async def test_failed_prechecks_do_not_hold_a_slot(
    client: TestClientProtocol, fake_kube: FakeKubeApi, services: Services
) -> None:
    services.logs.max_streams = 1
    for _ in range(3):
        response = await client.get("/api/pods/default/ghost/logs/stream", headers=SERVICE_HEADERS)
        assert response.status_code == 404
    assert services.logs.active_streams == 0


async def test_head_answers_the_stream_headers_without_following(
    client: TestClientProtocol, fake_kube: FakeKubeApi, services: Services
) -> None:
    fake_kube.apply(pod("headed"))
    response = await asyncio.wait_for(
        client.head("/api/pods/default/headed/logs/stream", headers=SERVICE_HEADERS), 10
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/event-stream; charset=utf-8"
    assert services.logs.active_streams == 0


async def test_stream_authentication(
    client: TestClientProtocol, user_client: Callable[[str], Awaitable[TestClientProtocol]],
    streams: Callable[..., Awaitable[Stream]], fake_kube: FakeKubeApi,
) -> None:
    fake_kube.apply(pod("authz"))
    fake_kube.set_log("default", "authz", ["secret sauce"])
    path = "/api/pods/default/authz/logs/stream"
    assert (await client.get(path)).status_code == 401
    wrong = await client.get(f"{path}?token=not-the-token")
    assert wrong.status_code == 401
    assert await wrong.get_json() == {"detail": "Not authenticated"}
    # ?token= is honoured on the stream only, never on the JSON route.
    assert (await client.get(f"/api/pods/default/authz/logs?token={TOKEN}")).status_code == 401

    by_token = await streams(f"{path}?token={TOKEN}")
    await by_token.read_until(b"data: secret sauce\n\n")
    reader = await user_client("read")
    by_cookie = await streams(path, via=reader)
    await by_cookie.read_until(b"data: secret sauce\n\n")


# --- upstream behaviours the fake cannot produce: a minimal API server per test -----------------------------

LogHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.fixture
async def mini_kube(tmp_path: Path) -> AsyncIterator[Callable[[LogHandler], Awaitable[Path]]]:
    """``await mini_kube(log_handler)`` → a kubeconfig for a server that serves any pod and ``log_handler``."""
    runners: list[web.AppRunner] = []

    async def get_pod(request: web.Request) -> web.Response:
        return web.json_response(pod(request.match_info["name"]))

    async def make(log_handler: LogHandler) -> Path:
        app = web.Application()
        app.router.add_get("/api/v1/namespaces/{ns}/pods/{name}", get_pod)
        app.router.add_get("/api/v1/namespaces/{ns}/pods/{name}/log", log_handler)
        runner, port = await serve_on_loopback(app, handle_signals=False)
        runners.append(runner)
        config = {
            "apiVersion": "v1", "kind": "Config", "current-context": "m",
            "clusters": [{"name": "m", "cluster": {"server": f"http://127.0.0.1:{port}"}}],
            "users": [{"name": "m", "user": {"token": "t"}}],
            "contexts": [{"name": "m", "context": {"cluster": "m", "user": "m"}}],
        }
        path = tmp_path / f"mini-kubeconfig-{len(runners)}"
        path.write_text(yaml.safe_dump(config))
        return path

    yield make
    for runner in runners:
        await runner.cleanup()


async def breaking_log(request: web.Request) -> web.StreamResponse:
    """One line, then the connection drops mid-body (no terminating chunk)."""
    response = web.StreamResponse(headers={"Content-Type": "text/plain"})
    response.enable_chunked_encoding()
    await response.prepare(request)
    await response.write(b"about to break\n")
    await asyncio.sleep(0.05)
    assert request.transport is not None
    request.transport.close()
    return response


async def refusing_log(request: web.Request) -> web.Response:
    """What the API server answers for a container that has not started yet."""
    return web.json_response(
        {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "BadRequest", "code": 400,
         "message": 'container "app" in pod "p" is waiting to start: ContainerCreating'},
        status=400,
    )


async def test_kubernetes_error_mid_stream_sends_an_error_event(
    settings_factory: Callable[..., Settings], start_app: Callable[..., Awaitable[StartedApp]], mongo: Any,
    clock: Any, mini_kube: Callable[[LogHandler], Awaitable[Path]],
) -> None:
    path = await mini_kube(breaking_log)
    started = await start_app(settings_factory(kure_kubernetes="auto", kubeconfig=str(path)),
                              clock=clock, mongo=mongo)
    app: Quart = started.app
    connection = await open_stream(app.test_client(), "/api/pods/default/fragile/logs/stream", SERVICE_HEADERS)
    stream = Stream(connection)
    await stream.read_until(ERROR)
    assert stream.data == b"data: about to break\n\n" + ERROR
    await asyncio.wait_for(connection._task, 10)
    assert started.services.logs.active_streams == 0


async def test_container_not_started_yet(
    settings_factory: Callable[..., Settings], start_app: Callable[..., Awaitable[StartedApp]], mongo: Any,
    clock: Any, mini_kube: Callable[[LogHandler], Awaitable[Path]],
) -> None:
    path = await mini_kube(refusing_log)
    started = await start_app(settings_factory(kure_kubernetes="auto", kubeconfig=str(path)),
                              clock=clock, mongo=mongo)
    client = started.app.test_client()
    response = await client.get("/api/pods/default/p/logs/stream", headers=SERVICE_HEADERS)
    # Nothing to follow: the stream opens and ends at once, as the follow would when the container stops.
    assert response.status_code == 200
    assert await response.get_data() == END
    assert started.services.logs.active_streams == 0
    reader = started.app.test_client()
    await started.services.auth.create_user("reader", "correct-horse-battery", "read")
    await reader.post("/api/auth/login", json={"username": "reader", "password": "correct-horse-battery"})
    response = await reader.get("/api/pods/default/p/logs")
    assert response.status_code == 200
    assert (await response.get_json())["logs"] == ""


async def test_health_reports_the_cluster(client: TestClientProtocol, services: Services) -> None:
    # The startup probe (GET /version) runs in the background; /health reflects it.
    async def reported_ok() -> bool:
        body = await (await client.get("/health")).get_json()
        return bool(body["checks"]["kubernetes"] == "ok")

    await eventually(reported_ok)
    assert await services.kube.probe() is True
