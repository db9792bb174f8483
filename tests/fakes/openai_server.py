"""A fake OpenAI-compatible chat-completions server (real HTTP on 127.0.0.1, aiohttp.web).

Scriptable: queue :class:`Reply` objects (answers, delays, error statuses, malformed bodies, empty content); when
the queue is empty the ``default`` reply (or ``responder`` callable) answers. Every request is recorded with its
path, headers and JSON body so tests can assert base-URL paths, auth headers and that no secret arrives. Any path
ending in ``/chat/completions`` is served, which covers every provider's base-URL layout.

Usage::

    async with FakeOpenAI() as fake:
        fake.push(Reply.text("## Root Cause\\n..."))
        client = AsyncOpenAI(base_url=fake.base_url, api_key="k")
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.loopback import serve_on_loopback

__all__ = ["FakeOpenAI", "RecordedRequest", "Reply"]


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    content: str | None = "ok"
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    raw_body: str | None = None  # sent verbatim instead of a chat-completion JSON
    choices: bool = True  # False: a completion with an empty ``choices`` list

    @classmethod
    def text(cls, content: str, *, delay: float = 0.0) -> Reply:
        return cls(content=content, delay=delay)

    @classmethod
    def error(cls, status: int, *, retry_after: str | None = None, message: str = "scripted error") -> Reply:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        body = json.dumps({"error": {"message": message, "type": "server_error", "code": None}})
        return cls(status=status, headers=headers, raw_body=body)

    @classmethod
    def malformed(cls) -> Reply:
        return cls(raw_body="this is not json {", headers={"Content-Type": "application/json"})

    @classmethod
    def empty(cls) -> Reply:
        return cls(content="")

    @classmethod
    def null_content(cls) -> Reply:
        return cls(content=None)

    @classmethod
    def no_choices(cls) -> Reply:
        return cls(choices=False)


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    raw: str

    @property
    def prompt_text(self) -> str:
        """Every message content of the request, joined (what left the process)."""
        if not isinstance(self.body, dict):
            return self.raw
        parts = []
        for message in self.body.get("messages") or []:
            content = message.get("content") if isinstance(message, dict) else None
            parts.append(content if isinstance(content, str) else json.dumps(content))
        return "\n".join(parts)


class FakeOpenAI:
    def __init__(self, default: Reply | None = None, responder: Callable[[RecordedRequest], Reply] | None = None):
        self.default = default or Reply.text("## Root Cause\nfake answer\n\n## Fix\n1. x\n\n## Verification\n- y\n")
        self.responder = responder
        self.requests: list[RecordedRequest] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._script: deque[Reply] = deque()
        self._runner: web.AppRunner | None = None
        self._stopping = asyncio.Event()
        self.port = 0

    # --- lifecycle -------------------------------------------------------------------------------------------

    async def start(self) -> FakeOpenAI:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner, self.port = await serve_on_loopback(app, access_log=None)
        return self

    async def stop(self) -> None:
        self._stopping.set()  # releases handlers still sleeping in a scripted delay
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeOpenAI:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- scripting -------------------------------------------------------------------------------------------

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/v1"

    def push(self, *replies: Reply) -> None:
        self._script.extend(replies)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    # --- serving ---------------------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        raw = await request.text()
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = None
        recorded = RecordedRequest(request.method, request.path, dict(request.headers), body, raw)
        self.requests.append(recorded)
        if request.method != "POST" or not request.path.endswith("/chat/completions"):
            return web.json_response({"error": {"message": "not found"}}, status=404)
        if self._script:
            reply = self._script.popleft()
        elif self.responder is not None:
            reply = self.responder(recorded)
        else:
            reply = self.default
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if reply.delay > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), timeout=reply.delay)
            return self._respond(reply, body)
        finally:
            self.in_flight -= 1

    @staticmethod
    def _respond(reply: Reply, body: Any) -> web.Response:
        if reply.raw_body is not None:
            headers = {"Content-Type": "application/json", **reply.headers}
            return web.Response(status=reply.status, text=reply.raw_body, headers=headers)
        model = body.get("model") if isinstance(body, dict) else None
        choices = []
        if reply.choices:
            choices.append({
                "index": 0,
                "message": {"role": "assistant", "content": reply.content},
                "finish_reason": "stop",
            })
        payload = {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model or "fake-model",
            "choices": choices,
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        return web.json_response(payload, status=reply.status, headers=reply.headers)
