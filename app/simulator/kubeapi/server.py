"""A fake Kubernetes API server: real HTTP on loopback, in-memory objects, list/watch/get/create/...

Tests drive it through the synchronous methods of :class:`FakeKubeApi` (``apply``, ``delete``, ``modify``,
``append_log``, fault hooks); every mutation becomes a watch event with a fresh, increasing
resourceVersion, exactly as the real API server would emit it. See README.md next to this file.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import datetime as dt
import itertools
import json
import secrets
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml
from aiohttp import web

from . import admission
from .resources import BY_PATH, RESOURCES, Resource, resource_for
from .selectors import parse_field_selector, parse_label_selector

DEFAULT_CREATED = "2026-03-26T10:00:00Z"
_UID_NAMESPACE = uuid.UUID("6f1c8a52-3b0e-4c7a-9d4e-2b7f0e5a1c00")
_HISTORY_LIMIT = 200_000
#: Kinds with a ``status`` subresource: as on a real API server, a create or an update of the object itself
#: does not set ``status``; only ``.../status`` does (what kubelets and controllers write).
_STATUS_KINDS = frozenset({
    "Namespace", "Node", "Pod", "Service", "PersistentVolumeClaim", "PersistentVolume", "ResourceQuota",
    "PodDisruptionBudget", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "Ingress",
    "NetworkPolicy", "HorizontalPodAutoscaler",
})

Obj = dict[str, Any]

#: Called after every write made by an API client over HTTP (not by the test API): ``(event_type, object)``.
ChangeListener = Callable[[str, Obj], None]


class LogSource(Protocol):
    """Produces pod logs on demand (the simulated kubelet); the server asks it before serving a log."""

    def before_read(self, namespace: str, pod: str, container: str, previous: bool) -> str | None:
        """Bring the container's log up to date; a returned text is a 400 answer (container not started)."""

    def following(self, namespace: str, pod: str, container: str, active: bool) -> None:
        """A ``follow`` stream of the container opened (``active``) or closed."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _flag(request: web.Request, name: str) -> bool:
    return request.query.get(name, "").lower() in ("true", "1")


def _status(code: int, reason: str, message: str, details: dict[str, Any] | None = None) -> Obj:
    body: Obj = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }
    if details:
        body["details"] = details
    return body


class ApiError(Exception):
    """Raised inside handlers; rendered as a Kubernetes ``Status`` body."""

    def __init__(self, code: int, reason: str, message: str, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.body = _status(code, reason, message, details)
        self.code = code


def _not_found(res: Resource, name: str) -> ApiError:
    return ApiError(
        404,
        "NotFound",
        f'{res.group_resource} "{name}" not found',
        {"name": name, "group": res.group, "kind": res.plural},
    )


def _metadata_only(obj: Obj) -> Obj:
    return {
        "kind": "PartialObjectMetadata",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": copy.deepcopy(obj.get("metadata") or {}),
    }


def _merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch (also used for strategic-merge patches, which is close enough here)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge_patch(result.get(key), value)
    return result


@dataclass(eq=False)
class _Watcher:
    resource: Resource
    namespace: str | None
    predicate: Callable[[Obj], bool]
    metadata_only: bool
    queue: asyncio.Queue[Obj | None] = field(default_factory=asyncio.Queue)


@dataclass
class _LogStream:
    lines: list[str] = field(default_factory=list)
    listeners: set[asyncio.Queue[str | None]] = field(default_factory=set)


@dataclass
class _Snapshot:
    items: list[Obj]
    resource_version: int


class FakeKubeApi:
    """In-memory Kubernetes API server. Construct, ``await start()``, use ``url`` / ``write_kubeconfig``."""

    def __init__(self, *, token: str | None = None, bookmark_interval: float = 1.0) -> None:
        self._rv = itertools.count(1)
        self.resource_version = 0
        self._objects: dict[str, dict[tuple[str, str], Obj]] = {r.key: {} for r in RESOURCES}
        self._history: deque[tuple[int, str, str, Obj]] = deque(maxlen=_HISTORY_LIMIT)
        self._compacted_rv = 0
        self._watchers: set[_Watcher] = set()
        self._snapshots: dict[str, _Snapshot] = {}
        self._logs: dict[tuple[str, str, str, bool], _LogStream] = {}
        self._forbidden: set[str] = set()
        self._missing: set[str] = set()
        self._held: set[str] = set()
        self._fail_next: dict[str, list[int]] = {}
        self.token = token
        self.bookmark_interval = bookmark_interval
        self.request_log: list[tuple[str, str]] = []
        self.log_request_paths = True
        self._listeners: list[ChangeListener] = []
        self.log_source: LogSource | None = None
        #: Lines kept per container log (``None``: all); older lines are dropped, as log rotation would.
        self.log_line_limit: int | None = None
        self._watch_changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.host = "127.0.0.1"
        self.port = 0

    # ------------------------------------------------------------------ lifecycle

    async def start(self, port: int = 0) -> FakeKubeApi:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, port)
        await site.start()
        server: Any = site._server
        self.port = server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        self.drop_watches()
        for stream in self._logs.values():
            for q in stream.listeners:
                q.put_nowait(None)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeKubeApi:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def kubeconfig(self, name: str = "fake") -> Obj:
        user: Obj = {"token": self.token} if self.token else {"username": "fake", "password": "fake"}
        return {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": name, "cluster": {"server": self.url}}],
            "users": [{"name": name, "user": user}],
            "contexts": [{"name": name, "context": {"cluster": name, "user": name}}],
            "current-context": name,
        }

    def write_kubeconfig(self, path: str | Path, name: str = "fake") -> Path:
        """Write a kubeconfig pointing at this server; load it with ``config.load_kube_config``. The file is
        readable by its owner only (it carries the bearer token)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)
        path.write_text(yaml.safe_dump(self.kubeconfig(name)))
        return path

    # ------------------------------------------------------------------ seeding and mutation (test API)

    def load_fixture(self, directory: str | Path) -> int:
        """Load every multi-document YAML file of a fixture directory (sorted by file name)."""
        count = 0
        for path in sorted(Path(directory).glob("*.y*ml")):
            for doc in yaml.safe_load_all(path.read_text()):
                if not doc:
                    continue
                docs = doc.get("items", []) if doc.get("kind", "").endswith("List") else [doc]
                for item in docs:
                    self.apply(item)
                    count += 1
        return count

    def load_objects(self, objects: Iterable[Obj]) -> int:
        count = 0
        for obj in objects:
            self.apply(obj)
            count += 1
        return count

    def apply(self, obj: Obj) -> Obj:
        """Create or replace an object (ADDED or MODIFIED event). Returns the stored object."""
        obj = copy.deepcopy(obj)
        res = resource_for(obj["kind"])
        meta = obj.setdefault("metadata", {})
        ns = meta.get("namespace", "default") if res.namespaced else ""
        if res.namespaced:
            meta["namespace"] = ns
        else:
            meta.pop("namespace", None)
        key = (ns, meta["name"])
        existing = self._objects[res.key].get(key)
        if existing is not None:
            meta["uid"] = existing["metadata"]["uid"]
            meta["creationTimestamp"] = existing["metadata"].get("creationTimestamp", DEFAULT_CREATED)
        return self._store(res, obj, "MODIFIED" if existing is not None else "ADDED")

    def modify(self, kind: str, namespace: str | None, name: str, change: Callable[[Obj], None]) -> Obj:
        """Apply ``change`` to a copy of the stored object and store it (MODIFIED event)."""
        res = resource_for(kind)
        updated = self.get(kind, namespace, name)  # already a copy
        if updated is None:
            raise KeyError(f"{res.kind} {namespace}/{name} does not exist")
        change(updated)
        return self._store(res, updated, "MODIFIED")

    def set_labels(self, kind: str, namespace: str | None, name: str, labels: dict[str, str]) -> Obj:
        def change(obj: Obj) -> None:
            obj["metadata"]["labels"] = dict(labels)

        return self.modify(kind, namespace, name, change)

    def delete(self, kind: str, namespace: str | None, name: str) -> Obj | None:
        """Delete an object (DELETED event); returns it, or None when it did not exist."""
        res = resource_for(kind)
        key = (namespace or "" if res.namespaced else "", name)
        obj = self._objects[res.key].pop(key, None)
        if obj is None:
            return None
        deleted = copy.deepcopy(obj)
        deleted["metadata"]["resourceVersion"] = str(self._next_rv())
        self._publish(res, "DELETED", deleted)
        return deleted

    def get(self, kind: str, namespace: str | None, name: str) -> Obj | None:
        res = resource_for(kind)
        obj = self._objects[res.key].get(((namespace or "") if res.namespaced else "", name))
        return copy.deepcopy(obj) if obj is not None else None

    def list_objects(self, kind: str, namespace: str | None = None) -> list[Obj]:
        res = resource_for(kind)
        return [
            copy.deepcopy(o)
            for (ns, _), o in sorted(self._objects[res.key].items())
            if namespace is None or ns == namespace
        ]

    def count(self, kind: str) -> int:
        return len(self._objects[resource_for(kind).key])

    # ------------------------------------------------------------------ fault hooks (test API)

    def forbid(self, kind: str) -> None:
        """Answer 403 Forbidden to every request for this kind (list, watch, get, ...)."""
        self._forbidden.add(resource_for(kind).key)
        self.drop_watches(kind)

    def allow(self, kind: str) -> None:
        self._forbidden.discard(resource_for(kind).key)
        self._missing.discard(resource_for(kind).key)

    def hide(self, kind: str) -> None:
        """Answer 404 for this kind, as an API server that does not serve its group would."""
        self._missing.add(resource_for(kind).key)
        self.drop_watches(kind)

    def fail_next(self, kind: str, status: int, times: int = 1) -> None:
        """Answer the next ``times`` requests for this kind with ``status`` (e.g. 500, 429)."""
        self._fail_next.setdefault(resource_for(kind).key, []).extend([status] * times)

    def hold_events(self, kind: str) -> None:
        """Stop delivering this kind's events to open watches (they are lost, as in a watch gap)."""
        self._held.add(resource_for(kind).key)

    def release_events(self, kind: str) -> None:
        self._held.discard(resource_for(kind).key)

    def compact(self, up_to: int | None = None) -> int:
        """Forget history up to resourceVersion ``up_to`` (default: all of it), as etcd compaction does: a watch
        from an older resourceVersion now gets 410 Gone, and so does a ``continue`` token of an older list."""
        up_to = self.resource_version if up_to is None else min(up_to, self.resource_version)
        self._compacted_rv = max(self._compacted_rv, up_to)
        while self._history and self._history[0][0] <= self._compacted_rv:
            self._history.popleft()
        for snap_token, snap in list(self._snapshots.items()):
            if snap.resource_version <= self._compacted_rv:
                del self._snapshots[snap_token]
        return self._compacted_rv

    def add_change_listener(self, listener: ChangeListener) -> None:
        """Call ``listener(event_type, object)`` after every create, update, patch or delete made over HTTP."""
        self._listeners.append(listener)

    def _notify(self, event_type: str, obj: Obj) -> None:
        for listener in list(self._listeners):
            listener(event_type, obj)

    def drop_watches(self, kind: str | None = None, *, gone: bool = False) -> int:
        """Close open watch connections (of one kind or all). ``gone=True`` first sends an ERROR 410 event
        and compacts history, so the client must relist."""
        if gone:
            self.compact()
        key = resource_for(kind).key if kind else None
        closed = 0
        for watcher in list(self._watchers):
            if key is None or watcher.resource.key == key:
                if gone:
                    watcher.queue.put_nowait(self._gone_event())
                watcher.queue.put_nowait(None)
                self._watchers.discard(watcher)
                closed += 1
        return closed

    def open_watches(self, kind: str | None = None) -> int:
        key = resource_for(kind).key if kind else None
        return sum(1 for w in self._watchers if key is None or w.resource.key == key)

    async def wait_for_watch(self, kind: str, count: int = 1, timeout_seconds: float = 10.0) -> None:
        """Wait until at least ``count`` watches of ``kind`` are open (so a following mutation is seen live)."""
        async with asyncio.timeout(timeout_seconds):
            while self.open_watches(kind) < count:
                self._watch_changed.clear()
                await self._watch_changed.wait()

    def send_bookmarks(self) -> None:
        """Send a BOOKMARK event to every open watch that asked for bookmarks."""
        for watcher in list(self._watchers):
            watcher.queue.put_nowait(self._bookmark(watcher.resource))

    # ------------------------------------------------------------------ pod logs (test API)

    def set_log(
        self,
        namespace: str,
        pod: str,
        lines: Iterable[str],
        *,
        container: str | None = None,
        previous: bool = False,
    ) -> None:
        stream = self._log_stream(namespace, pod, container, previous)
        stream.lines = list(lines)

    def append_log(
        self, namespace: str, pod: str, *lines: str, container: str | None = None, previous: bool = False
    ) -> None:
        """Append lines to a container's log; ``follow`` streams receive them immediately."""
        stream = self._log_stream(namespace, pod, container, previous)
        for line in lines:
            stream.lines.append(line)
            for q in stream.listeners:
                q.put_nowait(line)
        if self.log_line_limit is not None and len(stream.lines) > self.log_line_limit:
            del stream.lines[: len(stream.lines) - self.log_line_limit]

    def end_log(self, namespace: str, pod: str, *, container: str | None = None) -> None:
        """Close every ``follow`` stream of that container (as when the container exits)."""
        stream = self._log_stream(namespace, pod, container, False)
        for q in stream.listeners:
            q.put_nowait(None)

    def forget_logs(self, namespace: str, pod: str) -> None:
        """Drop every log of a pod (it was deleted); open follow streams end."""
        for key in [k for k in self._logs if k[0] == namespace and k[1] == pod]:
            for q in self._logs[key].listeners:
                q.put_nowait(None)
            del self._logs[key]

    def _log_stream(self, namespace: str, pod: str, container: str | None, previous: bool) -> _LogStream:
        if container is None:
            obj = self.get("Pod", namespace, pod)
            containers = ((obj or {}).get("spec") or {}).get("containers") or []
            container = containers[0]["name"] if containers else ""
        return self._logs.setdefault((namespace, pod, container, previous), _LogStream())

    # ------------------------------------------------------------------ internals

    def _next_rv(self) -> int:
        self.resource_version = next(self._rv)
        return self.resource_version

    def _store(self, res: Resource, obj: Obj, event_type: str) -> Obj:
        obj["kind"] = res.kind
        obj["apiVersion"] = res.api_version
        meta = obj["metadata"]
        ns = meta.get("namespace", "") if res.namespaced else ""
        meta.setdefault("uid", str(uuid.uuid5(_UID_NAMESPACE, f"{res.kind}/{ns}/{meta['name']}")))
        meta.setdefault("creationTimestamp", DEFAULT_CREATED)
        meta["resourceVersion"] = str(self._next_rv())
        if res.kind == "Pod":
            obj.setdefault("status", {}).setdefault("phase", "Pending")
        self._objects[res.key][(ns, meta["name"])] = obj
        self._publish(res, event_type, obj)
        return copy.deepcopy(obj)

    def _publish(self, res: Resource, event_type: str, obj: Obj) -> None:
        rv = int(obj["metadata"]["resourceVersion"])
        if res.key in self._held:
            return
        self._history.append((rv, res.key, event_type, obj))
        for watcher in list(self._watchers):
            if watcher.resource.key == res.key and self._matches(watcher, obj):
                watcher.queue.put_nowait(self._event(watcher, event_type, obj))

    @staticmethod
    def _matches(watcher: _Watcher, obj: Obj) -> bool:
        if watcher.namespace is not None and obj["metadata"].get("namespace") != watcher.namespace:
            return False
        return watcher.predicate(obj)

    @staticmethod
    def _event(watcher: _Watcher, event_type: str, obj: Obj) -> Obj:
        # No copy: a stored object is never changed in place (every write stores a new dict), and the event is
        # serialised when it is sent. Copying here cost more CPU than the watcher under test in the benchmarks.
        body = _metadata_only(obj) if watcher.metadata_only else obj
        return {"type": event_type, "object": body}

    def _bookmark(self, res: Resource) -> Obj:
        return {
            "type": "BOOKMARK",
            "object": {
                "kind": res.kind,
                "apiVersion": res.api_version,
                "metadata": {"resourceVersion": str(self.resource_version)},
            },
        }

    @staticmethod
    def _gone_event() -> Obj:
        return {
            "type": "ERROR",
            "object": _status(410, "Expired", "too old resource version: expired (compacted)"),
        }

    # ------------------------------------------------------------------ HTTP

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        if self.log_request_paths:
            self.request_log.append((request.method, request.path_qs))
        try:
            if self.token is not None:
                auth = request.headers.get("Authorization", "")
                if auth != f"Bearer {self.token}":
                    raise ApiError(401, "Unauthorized", "Unauthorized")
            return await self._route(request)
        except ApiError as err:
            return web.json_response(err.body, status=err.code)

    async def _route(self, request: web.Request) -> web.StreamResponse:
        parts = [p for p in request.path.split("/") if p]
        if parts == ["version"]:
            return web.json_response({"major": "1", "minor": "31", "gitVersion": "v1.31.0-fake"})
        if parts == ["api"]:
            return web.json_response({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []})
        if parts == ["apis"]:
            return web.json_response(self._group_list())
        if parts and parts[0] == "api" and len(parts) >= 2:
            group, version, rest = "", parts[1], parts[2:]
        elif parts and parts[0] == "apis" and len(parts) >= 3:
            group, version, rest = parts[1], parts[2], parts[3:]
        elif parts and parts[0] == "apis" and len(parts) == 2:
            return web.json_response(self._group(parts[1]))
        else:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        if not rest:
            return web.json_response(self._resource_list(group, version))

        namespace: str | None = None
        if rest[0] == "namespaces" and len(rest) >= 3:
            namespace, rest = rest[1], rest[2:]
        plural, name, sub = (
            rest[0],
            (rest[1] if len(rest) > 1 else None),
            (rest[2] if len(rest) > 2 else None),
        )
        res = BY_PATH.get((group, version, plural))
        if res is None or res.key in self._missing:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        if res.key in self._forbidden:
            verb = "watch" if _flag(request, "watch") else request.method.lower()
            raise ApiError(
                403,
                "Forbidden",
                f'{res.group_resource} is forbidden: User "system:serviceaccount:kure:kure-backend" '
                f'cannot {verb} resource "{res.plural}" in API group "{res.group}"'
                + (f' in the namespace "{namespace}"' if namespace else " at the cluster scope"),
            )
        pending = self._fail_next.get(res.key)
        if pending:
            code = pending.pop(0)
            raise ApiError(code, "InternalError" if code >= 500 else "TooManyRequests", f"injected {code}")
        if namespace is not None and not res.namespaced:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")

        method = request.method
        if name is None:
            if method == "GET":
                if _flag(request, "watch"):
                    return await self._watch(request, res, namespace)
                return self._list(request, res, namespace)
            if method == "POST":
                return await self._create(request, res, namespace)
            raise ApiError(405, "MethodNotAllowed", f"{method} is not supported")
        if sub is not None:
            if res.kind == "Pod" and sub == "log" and method == "GET":
                return await self._pod_log(request, namespace or "", name)
            if sub == "status" and res.kind in _STATUS_KINDS and method in ("GET", "PUT", "PATCH"):
                return await self._status(request, res, namespace, name)
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        if method == "GET":
            return web.json_response(self._get_or_404(res, namespace, name))
        if method == "PUT":
            return await self._replace(request, res, namespace, name)
        if method == "PATCH":
            return await self._patch(request, res, namespace, name)
        if method == "DELETE":
            deleted = self.delete(res.kind, namespace, name)
            if deleted is None:
                raise _not_found(res, name)
            self._notify("DELETED", deleted)
            return web.json_response(deleted)
        raise ApiError(405, "MethodNotAllowed", f"{method} is not supported")

    def _get_or_404(self, res: Resource, namespace: str | None, name: str) -> Obj:
        obj = self._objects[res.key].get(((namespace or "") if res.namespaced else "", name))
        if obj is None:
            raise _not_found(res, name)
        return obj

    # -- discovery

    def _group_list(self) -> Obj:
        groups: dict[str, set[str]] = {}
        for r in RESOURCES:
            if r.group:
                groups.setdefault(r.group, set()).add(r.version)
        return {
            "kind": "APIGroupList",
            "apiVersion": "v1",
            "groups": [self._group(g, sorted(vs)) for g, vs in sorted(groups.items())],
        }

    @staticmethod
    def _group(group: str, versions: list[str] | None = None) -> Obj:
        if versions is None:
            versions = sorted({r.version for r in RESOURCES if r.group == group})
        if not versions:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        gvs = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
        return {
            "kind": "APIGroup",
            "apiVersion": "v1",
            "name": group,
            "versions": gvs,
            "preferredVersion": gvs[0],
        }

    @staticmethod
    def _resource_list(group: str, version: str) -> Obj:
        resources = [r for r in RESOURCES if r.group == group and r.version == version]
        if not resources:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        entries: list[Obj] = []
        for r in resources:
            entries.append(
                {
                    "name": r.plural,
                    "singularName": r.kind.lower(),
                    "namespaced": r.namespaced,
                    "kind": r.kind,
                    "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"],
                    "shortNames": list(r.short_names),
                }
            )
            if r.kind in _STATUS_KINDS:
                entries.append(
                    {
                        "name": f"{r.plural}/status",
                        "singularName": "",
                        "namespaced": r.namespaced,
                        "kind": r.kind,
                        "verbs": ["get", "patch", "update"],
                    }
                )
            if r.kind == "Pod":
                entries.append(
                    {
                        "name": "pods/log",
                        "singularName": "",
                        "namespaced": True,
                        "kind": "Pod",
                        "verbs": ["get"],
                    }
                )
        return {
            "kind": "APIResourceList",
            "apiVersion": "v1",
            "groupVersion": f"{group}/{version}" if group else version,
            "resources": entries,
        }

    # -- list / watch

    @staticmethod
    def _wants_metadata(request: web.Request) -> bool:
        return "as=PartialObjectMetadata" in request.headers.get("Accept", "")

    def _list(self, request: web.Request, res: Resource, namespace: str | None) -> web.Response:
        label_pred = parse_label_selector(request.query.get("labelSelector"))
        field_pred = parse_field_selector(request.query.get("fieldSelector"))
        limit = int(request.query.get("limit") or 0)
        token = request.query.get("continue")
        if token:
            snap = self._snapshots.get(token)
            if snap is None:
                raise ApiError(
                    410,
                    "Expired",
                    "The provided continue parameter is too old to display a consistent list result. "
                    "You can start a new list without the continue parameter.",
                )
            del self._snapshots[token]
        else:
            items = [
                o
                for (ns, _), o in sorted(self._objects[res.key].items())
                if (namespace is None or ns == namespace) and label_pred(o) and field_pred(o)
            ]
            snap = _Snapshot(items, self.resource_version)
        page = snap.items[:limit] if limit > 0 else snap.items
        rest = snap.items[len(page) :]
        metadata: Obj = {"resourceVersion": str(snap.resource_version)}
        if rest:
            new_token = base64.urlsafe_b64encode(secrets.token_bytes(12)).decode()
            self._snapshots[new_token] = _Snapshot(rest, snap.resource_version)
            metadata["continue"] = new_token
            metadata["remainingItemCount"] = len(rest)
        if self._wants_metadata(request):
            body_items = [_metadata_only(o) for o in page]
            for item in body_items:
                del item["kind"], item["apiVersion"]
            return self._dump(
                {
                    "kind": "PartialObjectMetadataList",
                    "apiVersion": "meta.k8s.io/v1",
                    "metadata": metadata,
                    "items": body_items,
                }
            )
        # List items carry no kind/apiVersion on the real server either.
        stripped = [{k: v for k, v in o.items() if k not in ("kind", "apiVersion")} for o in page]
        return self._dump(
            {
                "kind": f"{res.kind}List",
                "apiVersion": res.api_version,
                "metadata": metadata,
                "items": stripped,
            }
        )

    @staticmethod
    def _dump(body: Obj) -> web.Response:
        # json.dumps directly: web.json_response would do the same, this keeps big lists a single call.
        return web.Response(body=json.dumps(body, separators=(",", ":")).encode(), content_type="application/json")

    async def _watch(self, request: web.Request, res: Resource, namespace: str | None) -> web.StreamResponse:
        label_pred = parse_label_selector(request.query.get("labelSelector"))
        field_pred = parse_field_selector(request.query.get("fieldSelector"))
        watcher = _Watcher(res, namespace, lambda o: label_pred(o) and field_pred(o), self._wants_metadata(request))
        bookmarks = _flag(request, "allowWatchBookmarks")
        timeout = float(request.query.get("timeoutSeconds") or 1800)
        rv_param = request.query.get("resourceVersion", "")
        initial: list[Obj] = []
        if rv_param in ("", "0"):
            initial = [
                self._event(watcher, "ADDED", o)
                for (_, _), o in sorted(self._objects[res.key].items())
                if self._matches(watcher, o)
            ]
        else:
            since = int(rv_param)
            oldest = self._history[0][0] if self._history else self.resource_version + 1
            if since < self._compacted_rv or (since < oldest - 1 and since < self.resource_version):
                initial = [self._gone_event()]
            else:
                initial = [
                    self._event(watcher, etype, o)
                    for rv, key, etype, o in self._history
                    if key == res.key and rv > since and self._matches(watcher, o)
                ]
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for event in initial:
            await response.write(json.dumps(event).encode() + b"\n")
        if initial and initial[-1]["type"] == "ERROR":
            return response
        self._watchers.add(watcher)
        self._watch_changed.set()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            while True:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                wait = min(remaining, self.bookmark_interval) if bookmarks else remaining
                try:
                    event = await asyncio.wait_for(watcher.queue.get(), wait)  # type: ignore[arg-type]
                except TimeoutError:
                    if bookmarks and loop.time() < deadline:
                        await response.write(json.dumps(self._bookmark(res)).encode() + b"\n")
                    continue
                if event is None:
                    break
                if event["type"] == "BOOKMARK" and not bookmarks:
                    continue
                await response.write(json.dumps(event).encode() + b"\n")
                if event["type"] == "ERROR":
                    break
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            self._watchers.discard(watcher)
        return response

    # -- writes

    async def _read_body(self, request: web.Request) -> Obj:
        try:
            body = await request.json()
        except ValueError as exc:
            raise ApiError(400, "BadRequest", f"invalid JSON body: {exc}") from exc
        if not isinstance(body, dict):
            raise ApiError(400, "BadRequest", "body must be a JSON object")
        return body

    async def _create(self, request: web.Request, res: Resource, namespace: str | None) -> web.Response:
        body = await self._read_body(request)
        meta = body.setdefault("metadata", {})
        if not meta.get("name"):
            prefix = meta.get("generateName")
            if not prefix:
                raise ApiError(422, "Invalid", f"{res.kind} is invalid: metadata.name: Required value")
            meta["name"] = prefix + secrets.token_hex(3)[:5]
        if res.namespaced:
            meta["namespace"] = namespace or meta.get("namespace") or "default"
        ns = meta.get("namespace", "") if res.namespaced else ""
        if (ns, meta["name"]) in self._objects[res.key]:
            raise ApiError(
                409,
                "AlreadyExists",
                f'{res.group_resource} "{meta["name"]}" already exists',
                {"name": meta["name"], "group": res.group, "kind": res.plural},
            )
        for key in ("uid", "resourceVersion", "creationTimestamp"):
            meta.pop(key, None)
        if res.kind in _STATUS_KINDS:
            body.pop("status", None)
        meta["creationTimestamp"] = _now()
        meta["uid"] = str(uuid.uuid4())
        self._admit(res, body)
        body["kind"] = res.kind
        stored = self._store(res, body, "ADDED")
        self._notify("ADDED", stored)
        return web.json_response(stored, status=201)

    def _check_conflict(self, res: Resource, current: Obj, body: Obj) -> None:
        wanted = (body.get("metadata") or {}).get("resourceVersion")
        if wanted and wanted != current["metadata"]["resourceVersion"]:
            raise ApiError(
                409,
                "Conflict",
                f'Operation cannot be fulfilled on {res.group_resource} "{current["metadata"]["name"]}": '
                "the object has been modified; please apply your changes to the latest version and try again",
            )

    async def _replace(self, request: web.Request, res: Resource, namespace: str | None, name: str) -> web.Response:
        body = await self._read_body(request)
        current = self._get_or_404(res, namespace, name)
        self._check_conflict(res, current, body)
        meta = body.setdefault("metadata", {})
        meta["name"] = name
        meta["uid"] = current["metadata"]["uid"]
        meta["creationTimestamp"] = current["metadata"].get("creationTimestamp", DEFAULT_CREATED)
        if res.namespaced:
            meta["namespace"] = namespace
        self._keep_status(res, current, body)
        stored = self._store(res, body, "MODIFIED")
        self._notify("MODIFIED", stored)
        return web.json_response(stored)

    def _admit(self, res: Resource, body: Obj) -> None:
        """Defaulting and mutating admission of a real server for an object created over HTTP (admission.py)."""
        meta = body["metadata"]
        if res.kind == "Namespace":
            admission.namespace_name_label(body)
            body["status"] = {"phase": "Active"}
        elif res.kind == "Pod":
            accounts = self._objects[resource_for("ServiceAccount").key]
            admission.pod_admission(body, lambda name: accounts.get((meta["namespace"], name)))
        elif res.kind == "Service":
            services = self._objects[res.key].values()
            taken = {ip for svc in services for ip in (svc.get("spec") or {}).get("clusterIPs") or []}
            admission.service_defaults(body, taken)
        elif res.kind == "Job":
            admission.job_defaults(body, meta["uid"])

    @staticmethod
    def _keep_status(res: Resource, current: Obj, updated: Obj) -> None:
        """An update of the object itself leaves the status of a kind with a status subresource alone."""
        if res.kind in _STATUS_KINDS:
            updated.pop("status", None)
            if "status" in current:
                updated["status"] = copy.deepcopy(current["status"])
        if res.kind == "Namespace":
            admission.namespace_name_label(updated)

    async def _status(self, request: web.Request, res: Resource, namespace: str | None, name: str) -> web.Response:
        """``.../status``: read it, or replace / merge-patch ``status`` alone (metadata and spec are ignored)."""
        current = self._get_or_404(res, namespace, name)
        if request.method == "GET":
            return web.json_response(current)
        if "json-patch" in request.headers.get("Content-Type", ""):
            raise ApiError(415, "UnsupportedMediaType", "JSON patch is not supported by the fake API server")
        body = await self._read_body(request)
        self._check_conflict(res, current, body)
        updated = copy.deepcopy(current)
        if request.method == "PUT":
            updated["status"] = body.get("status") or {}
        else:
            updated["status"] = _merge_patch(current.get("status") or {}, body.get("status") or {})
        stored = self._store(res, updated, "MODIFIED")
        self._notify("MODIFIED", stored)
        return web.json_response(stored)

    async def _patch(self, request: web.Request, res: Resource, namespace: str | None, name: str) -> web.Response:
        content_type = request.headers.get("Content-Type", "")
        if "json-patch" in content_type:
            raise ApiError(415, "UnsupportedMediaType", "JSON patch is not supported by the fake API server")
        body = await self._read_body(request)
        current = self._get_or_404(res, namespace, name)
        self._check_conflict(res, current, body)
        merged = _merge_patch(current, body)
        merged["metadata"]["name"] = name
        merged["metadata"]["uid"] = current["metadata"]["uid"]
        self._keep_status(res, current, merged)
        stored = self._store(res, merged, "MODIFIED")
        self._notify("MODIFIED", stored)
        return web.json_response(stored)

    # -- pod logs

    async def _pod_log(self, request: web.Request, namespace: str, name: str) -> web.StreamResponse:
        pod = self._get_or_404(resource_for("Pod"), namespace, name)
        containers = [c["name"] for c in (pod.get("spec") or {}).get("containers") or []]
        init = [c["name"] for c in (pod.get("spec") or {}).get("initContainers") or []]
        container = request.query.get("container")
        if not container:
            if len(containers) != 1:
                raise ApiError(
                    400,
                    "BadRequest",
                    f"a container name must be specified for pod {name}, choose one of: [{' '.join(containers)}]",
                )
            container = containers[0]
        elif container not in containers + init:
            raise ApiError(400, "BadRequest", f"container {container} is not valid for pod {name}")
        previous = _flag(request, "previous")
        if self.log_source is not None:
            refusal = self.log_source.before_read(namespace, name, container, previous)
            if refusal is not None:
                raise ApiError(400, "BadRequest", refusal)
        key = (namespace, name, container, previous)
        if previous and key not in self._logs:
            raise ApiError(400, "BadRequest", f'previous terminated container "{container}" in pod "{name}" not found')
        stream = self._logs.setdefault(key, _LogStream())
        lines = list(stream.lines)
        tail = request.query.get("tailLines")
        if tail is not None and int(tail) >= 0:
            lines = lines[len(lines) - int(tail) :] if int(tail) else []
        follow = _flag(request, "follow") and not previous
        if not follow:
            text = "".join(line + "\n" for line in lines)
            limit = request.query.get("limitBytes")
            if limit is not None and limit.isdigit() and int(limit) > 0:
                text = text.encode()[: int(limit)].decode(errors="ignore")
            return web.Response(text=text, content_type="text/plain")
        response = web.StreamResponse(headers={"Content-Type": "text/plain"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        stream.listeners.add(queue)
        if self.log_source is not None:
            self.log_source.following(namespace, name, container, True)
        try:
            for line in lines:
                await response.write(line.encode() + b"\n")
            while True:
                item = await queue.get()
                if item is None:
                    break
                await response.write(item.encode() + b"\n")
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            stream.listeners.discard(queue)
            if self.log_source is not None:
                self.log_source.following(namespace, name, container, False)
        return response
