"""A fake kubelet for the real API server's log proxy: an HTTPS server on loopback with the kubelet serving
certificate of the test PKI, answering ``/containerLogs/{namespace}/{pod}/{container}`` the way a kubelet does
(``tailLines``, ``previous``, ``follow``), and requiring the API server's client certificate.

A Node object whose InternalIP is 127.0.0.1 and whose kubelet endpoint port is this server's makes the API server
send ``pods/log`` requests of the pods bound to it here.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .cluster import pki_file

LogKey = tuple[str, str, str, bool]  # namespace, pod, container, previous


@dataclass
class FakeKubelet:
    logs: dict[LogKey, list[str]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str], str]] = field(default_factory=list)  # path, query, client CN
    _followers: dict[tuple[str, str, str], list[asyncio.Queue[str | None]]] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    port: int = 0

    async def start(self) -> FakeKubelet:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=str(pki_file("ca.crt")))
        context.load_cert_chain(str(pki_file("kubelet.crt")), str(pki_file("kubelet.key")))
        context.verify_mode = ssl.CERT_REQUIRED  # only the API server (its kubelet client certificate) gets in
        app = web.Application()
        app.router.add_get("/containerLogs/{namespace}/{pod}/{container}", self._logs)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.2)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=context)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        self.end_all()
        if self._runner is not None:
            await self._runner.cleanup()

    def node(self, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The Node object (spec) and the status that points the API server at this kubelet."""
        return ({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}},
                {"addresses": [{"type": "InternalIP", "address": "127.0.0.1"}],
                 "daemonEndpoints": {"kubeletEndpoint": {"Port": self.port}},
                 "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                 "message": "kubelet is posting ready status"}]})  # fmt: skip

    def append(self, namespace: str, pod: str, container: str, *lines: str) -> None:
        self.logs.setdefault((namespace, pod, container, False), []).extend(lines)
        for queue in self._followers.get((namespace, pod, container), []):
            for line in lines:
                queue.put_nowait(line)

    def end(self, namespace: str, pod: str, container: str) -> None:
        """The container exits: every follow stream of it ends."""
        for queue in self._followers.pop((namespace, pod, container), []):
            queue.put_nowait(None)

    def end_all(self) -> None:
        for key in list(self._followers):
            self.end(*key)

    def following(self, namespace: str, pod: str, container: str) -> int:
        return len(self._followers.get((namespace, pod, container), []))

    async def _logs(self, request: web.Request) -> web.StreamResponse:
        namespace, pod, container = (request.match_info[k] for k in ("namespace", "pod", "container"))
        peer = request.transport.get_extra_info("peercert") if request.transport else None
        subject = dict(item[0] for item in (peer or {}).get("subject", ()))
        self.requests.append((request.path, dict(request.query), str(subject.get("commonName", ""))))
        previous = request.query.get("previous") == "true"
        lines = self.logs.get((namespace, pod, container, previous))
        if lines is None:
            # The kubelet's own words for a container it never ran (or that never restarted).
            what = "previous terminated container" if previous else "container"
            return web.Response(status=400, text=f'{what} "{container}" in pod "{pod}" not found')
        if "tailLines" in request.query:
            tail = int(request.query["tailLines"])
            lines = lines[-tail:] if tail else []
        text = "".join(f"{line}\n" for line in lines)
        if request.query.get("follow") != "true":
            return web.Response(text=text, content_type="text/plain")
        response = web.StreamResponse(headers={"Content-Type": "text/plain"})
        await response.prepare(request)
        await response.write(text.encode())
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._followers.setdefault((namespace, pod, container), []).append(queue)
        try:
            while (line := await queue.get()) is not None:
                await response.write(f"{line}\n".encode())
        finally:
            followers = self._followers.get((namespace, pod, container), [])
            if queue in followers:
                followers.remove(queue)
        await response.write_eof()
        return response
