"""Mirror pods (docs/api.md#mirror-pods): a copy of a failed pod with a proposed fix, run for a limited time, then
reaped.

Flow of a deploy: pod-failure record → source manifest (stored, else live) → manifest to deploy (the user's, else
the fix generator's, else the cleaned source) → privilege gate against the source → forced name, namespace and
labels → create the pod → store the record → broadcast. Records live in MongoDB, so a restarted backend keeps
reaping what an earlier process deployed.

One asyncio lock serialises the paths that create or remove pods and records (deploy's create+insert, delete,
the "pod vanished" handling and the reaper tick), so a mirror is never reported deleted twice and the orphan
sweep never sees a pod whose record is about to be written.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from kubernetes_asyncio import client

from app.ai.fixes import FixResult, mirror_preview
from app.ai.llm import LlmClient, LlmConfig
from app.ai.manifest import ManifestError, clean_manifest, dump_yaml, load_single_object
from app.core.clock import Clock
from app.core.errors import ApiError
from app.core.timefmt import iso, parse_timestamp
from app.kube import KubeApiError, request_json
from app.kube.access import TRANSPORT_ERRORS, KubeAccess, api_error
from app.services.logs import CALL_TIMEOUT, pod_not_found, pod_path, read_pod
from app.ws.hub import Hub
from storage.mirrors import MirrorRepository

log = logging.getLogger("kure.mirror")

MAX_ACTIVE_MIRRORS = 20
REAP_SECONDS = 15.0
#: A labelled pod younger than this is never treated as an orphan: its record may still be on its way.
ORPHAN_GRACE_SECONDS = 60
MAX_EVENTS = 20
MAX_NAME = 63

LABEL_MIRROR = "kure.io/mirror"
LABEL_MIRROR_ID = "kure.io/mirror-id"
LABEL_SOURCE_POD = "kure.io/source-pod"

USER_EXPLANATION = "User-provided manifest"
POD_FAILURE_NOT_FOUND = "Pod failure not found"
INVALID_SOURCE = "Source manifest is not a valid Pod manifest"
INVALID_YAML = "Manifest is not valid YAML"
NOT_A_POD = "Manifest must be a single Pod (kind: Pod)"

PodLookup = Callable[[int], Awaitable[dict[str, Any] | None]]
TtlLookup = Callable[[], Awaitable[int]]
LlmConfigLookup = Callable[[], Awaitable[LlmConfig | None]]


async def _no_llm() -> LlmConfig | None:
    return None


# --- pure helpers ------------------------------------------------------------------------------------------


def _shorten(name: str, limit: int) -> str:
    """Cut to ``limit`` characters; a cut part never ends in ``-`` or ``.`` (invalid at the end of a name)."""
    if len(name) <= limit:
        return name
    return name[:limit].rstrip("-.")


def mirror_pod_name(source_pod: str, mirror_id: str) -> str:
    """``<source pod>-mirror-<mirror_id>``, at most 63 characters (docs/api.md#deploying-a-mirror step 5)."""
    suffix = f"-mirror-{mirror_id}"
    return _shorten(source_pod, MAX_NAME - len(suffix)) + suffix


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _containers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every container of a pod spec (regular, init, ephemeral) that has a name, in manifest order."""
    found: list[dict[str, Any]] = []
    for list_name in ("containers", "initContainers", "ephemeralContainers"):
        items = spec.get(list_name)
        if isinstance(items, list):
            found.extend(c for c in items if isinstance(c, dict) and isinstance(c.get("name"), str))
    return found


def _security(container: dict[str, Any] | None) -> dict[str, Any]:
    return _dict((container or {}).get("securityContext"))


def _added_caps(container: dict[str, Any] | None) -> set[str]:
    add = _dict(_security(container).get("capabilities")).get("add")
    return {str(cap) for cap in add} if isinstance(add, list) else set()


def _service_account(spec: dict[str, Any]) -> str:
    name = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
    return str(name)


def privilege_reasons(source: dict[str, Any], mirror: dict[str, Any]) -> list[str]:
    """What the mirror may do that the source may not (docs/api.md#deploying-a-mirror step 4), in the contract's order.

    Containers and volumes are matched by name; a container or volume new in the mirror is compared against
    nothing, so any privilege it carries counts.
    """
    src_spec, dst_spec = _dict(source.get("spec")), _dict(mirror.get("spec"))
    src_containers = {c["name"]: c for c in _containers(src_spec)}
    dst_containers = _containers(dst_spec)
    reasons: list[str] = []
    for container in dst_containers:
        if _security(container).get("privileged") is True and \
                _security(src_containers.get(container["name"])).get("privileged") is not True:
            reasons.append(f"privileged container '{container['name']}'")
    for field in ("hostNetwork", "hostPID", "hostIPC"):
        if dst_spec.get(field) is True and src_spec.get(field) is not True:
            reasons.append(field)
    src_volumes = {
        v["name"]: v for v in src_spec.get("volumes") or () if isinstance(v, dict) and isinstance(v.get("name"), str)
    }
    for volume in dst_spec.get("volumes") or ():
        if not isinstance(volume, dict) or "hostPath" not in volume:
            continue
        name = str(volume.get("name"))
        # Same volume name but another host path (or type) is as much a new host mount as a new volume.
        if _dict(src_volumes.get(name)).get("hostPath") != volume.get("hostPath"):
            reasons.append(f"hostPath volume '{name}'")
    for container in dst_containers:
        if _added_caps(container) - _added_caps(src_containers.get(container["name"])):
            reasons.append(f"added capabilities in container '{container['name']}'")
    for container in dst_containers:
        if _security(container).get("allowPrivilegeEscalation") is True and \
                _security(src_containers.get(container["name"])).get("allowPrivilegeEscalation") is not True:
            reasons.append(f"allowPrivilegeEscalation in container '{container['name']}'")
    if _service_account(dst_spec) != _service_account(src_spec):
        reasons.append(f"serviceAccountName '{_service_account(dst_spec)}'")
    return reasons


def force_mirror_fields(manifest: dict[str, Any], source_pod: str, namespace: str, mirror_id: str) -> dict[str, Any]:
    """docs/api.md#deploying-a-mirror step 5: cleaned, renamed, placed in the source's namespace, labels replaced by the
    mirror labels.

    Source labels are dropped so Services and controllers never select the mirror.
    """
    obj = clean_manifest(manifest)
    metadata = _dict(obj.get("metadata"))
    obj["metadata"] = metadata
    metadata["name"] = mirror_pod_name(source_pod, mirror_id)
    metadata["namespace"] = namespace
    metadata["labels"] = {
        LABEL_MIRROR: "true",
        LABEL_MIRROR_ID: mirror_id,
        LABEL_SOURCE_POD: _shorten(source_pod, MAX_NAME),
    }
    return obj


def _timestamp(value: object) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return iso(parse_timestamp(value))
    except ValueError:
        return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def pod_conditions(pod: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for cond in _dict(pod.get("status")).get("conditions") or ():
        if isinstance(cond, dict):
            rows.append({
                "type": _text(cond.get("type")),
                "status": _text(cond.get("status")),
                "reason": _text(cond.get("reason")),
                "message": _text(cond.get("message")),
                "last_transition_time": _timestamp(cond.get("lastTransitionTime")),
            })
    return rows


def pod_container_statuses(pod: dict[str, Any]) -> list[dict[str, Any]]:
    status = _dict(pod.get("status"))
    rows = []
    for list_name in ("containerStatuses", "initContainerStatuses"):
        for cs in status.get(list_name) or ():
            if not isinstance(cs, dict):
                continue
            state = _dict(cs.get("state"))
            state_name = next(iter(state), "")
            detail = _dict(state.get(state_name))
            exit_code = detail.get("exitCode")
            restarts = cs.get("restartCount")
            rows.append({
                "name": str(cs.get("name") or ""),
                "image": str(cs.get("image") or ""),
                "ready": cs.get("ready") is True,
                "restart_count": restarts if isinstance(restarts, int) else 0,
                "state": state_name,
                "reason": _text(detail.get("reason")),
                "message": _text(detail.get("message")),
                "exit_code": exit_code if isinstance(exit_code, int) else None,
            })
    return rows


def event_rows(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Kubernetes events → Event rows (docs/api.md#pod-failure), newest first, at most 20."""
    rows = []
    for ev in events:
        when = (ev.get("lastTimestamp") or ev.get("eventTime") or ev.get("firstTimestamp")
                or _dict(ev.get("metadata")).get("creationTimestamp"))
        count = ev.get("count")
        rows.append({
            "type": _text(ev.get("type")),
            "reason": _text(ev.get("reason")),
            "message": _text(ev.get("message")),
            "timestamp": _timestamp(when),
            "count": count if isinstance(count, int) else None,
        })
    # ISO strings of one format sort chronologically; events without a time go last.
    rows.sort(key=lambda row: row["timestamp"] or "", reverse=True)
    return rows[:MAX_EVENTS]


def summary(doc: dict[str, Any]) -> dict[str, Any]:
    """MirrorSummary (docs/api.md#mirror) of a stored record."""
    return {
        "mirror_id": doc["_id"],
        "mirror_pod_name": doc["mirror_pod_name"],
        "namespace": doc["namespace"],
        "source_pod_name": doc["source_pod_name"],
        "pod_failure_id": doc["pod_failure_id"],
        "status": doc["status"],
        "ttl_seconds": doc["ttl_seconds"],
        "created_at": iso(doc["created_at"]),
        "expires_at": iso(doc["expires_at"]),
        "is_fallback": doc["is_fallback"],
    }


def full(doc: dict[str, Any]) -> dict[str, Any]:
    """Mirror (docs/api.md#mirror): the summary plus the deployed manifest and its explanation."""
    return {**summary(doc), "fixed_manifest": doc["fixed_manifest"], "explanation": doc["explanation"]}


def mirror_not_found(mirror_id: str) -> ApiError:
    return ApiError(404, f"Mirror '{mirror_id}' not found")


def _phase(pod: dict[str, Any]) -> str:
    phase = _dict(pod.get("status")).get("phase")
    return phase if isinstance(phase, str) and phase else "Unknown"


# --- the service -------------------------------------------------------------------------------------------


class MirrorService:
    """The behaviour of docs/api.md#mirror-pods. ``pods`` looks a pod-failure record up by id; ``ttl_default`` reads the
    ``mirror_ttl_seconds`` setting; ``llm_config`` returns the active LLM configuration or ``None`` (the fix
    generator then falls back to the cleaned source and the rule explanation)."""

    def __init__(
        self,
        repository: MirrorRepository,
        kube: KubeAccess,
        hub: Hub,
        clock: Clock,
        *,
        pods: PodLookup,
        ttl_default: TtlLookup,
        llm_config: LlmConfigLookup = _no_llm,
        llm: LlmClient | None = None,
        secrets: Iterable[str] = (),
        max_active: int = MAX_ACTIVE_MIRRORS,
    ) -> None:
        self.repository = repository
        self.kube = kube
        self.hub = hub
        self.clock = clock
        self._pods = pods
        self._ttl_default = ttl_default
        self._llm_config = llm_config
        self._llm = llm
        self._secrets = tuple(secrets)
        self.max_active = max_active
        self._lock = asyncio.Lock()

    # -- sources and generation

    async def _record(self, pod_id: int) -> dict[str, Any]:
        record = await self._pods(pod_id)
        if record is None:
            raise ApiError(404, POD_FAILURE_NOT_FOUND)
        return record

    async def source_manifest(self, record: dict[str, Any]) -> dict[str, Any]:
        """docs/api.md#source-manifest-and-cleaning: the stored manifest when non-empty, else the live pod; cleaned."""
        text = record.get("manifest")
        obj: object
        if isinstance(text, str) and text.strip():
            try:
                obj = load_single_object(text)
            except ManifestError:
                raise ApiError(400, INVALID_SOURCE) from None
        else:
            api = await self.kube.require()
            namespace, pod_name = str(record.get("namespace") or ""), str(record.get("pod_name") or "")
            obj = await read_pod(self.kube, api, namespace, pod_name)
            if obj is None:
                raise pod_not_found(namespace, pod_name)
        if not isinstance(obj, dict) or obj.get("kind") != "Pod":
            raise ApiError(400, INVALID_SOURCE)
        return clean_manifest(obj)

    async def _generate(self, record: dict[str, Any], source: dict[str, Any]) -> FixResult:
        config = await self._llm_config()
        if self._llm is None:
            self._llm = LlmClient()
        return await mirror_preview(self._llm, config, record, source, self._secrets)

    async def preview(self, pod_id: int) -> dict[str, object]:
        """docs/api.md#previewing-a-fix: nothing is stored."""
        record = await self._record(pod_id)
        source = await self.source_manifest(record)
        return (await self._generate(record, source)).as_dict()

    # -- deploy

    @staticmethod
    def _parse_user_manifest(text: str) -> dict[str, Any]:
        try:
            obj = load_single_object(text)
        except ManifestError as exc:
            if str(exc) == INVALID_YAML:
                raise ApiError(400, INVALID_YAML) from None
            raise ApiError(400, NOT_A_POD) from None
        if obj.get("kind") != "Pod":
            raise ApiError(400, NOT_A_POD)
        return obj

    async def deploy(self, pod_id: int, ttl_seconds: int | None, manifest: str | None) -> dict[str, Any]:
        record = await self._record(pod_id)
        api = await self.kube.require()
        if await self.repository.count() >= self.max_active:
            raise self._too_many()
        source = await self.source_manifest(record)
        if manifest is not None:
            wanted = clean_manifest(self._parse_user_manifest(manifest))
            explanation, is_fallback = USER_EXPLANATION, False
        else:
            result = await self._generate(record, source)
            wanted = load_single_object(result.fixed_manifest)
            explanation, is_fallback = result.explanation, result.is_fallback
        reasons = privilege_reasons(source, wanted)
        if reasons:
            raise ApiError(400, "Manifest adds privileges over the source pod: " + "; ".join(reasons))
        ttl = ttl_seconds if ttl_seconds is not None else await self._ttl_default()
        source_meta = _dict(source.get("metadata"))
        source_pod = str(record.get("pod_name") or source_meta.get("name") or "pod")
        namespace = str(record.get("namespace") or source_meta.get("namespace") or "default")

        async with self._lock:
            # Checked again under the lock: the first check answers early, this one holds the limit under races.
            if await self.repository.count() >= self.max_active:
                raise self._too_many()
            mirror_id = secrets.token_hex(6)
            body = force_mirror_fields(wanted, source_pod, namespace, mirror_id)
            created = await self._create_pod(api, namespace, body)
            now = self.clock.now()
            doc = {
                "_id": mirror_id,
                "mirror_pod_name": body["metadata"]["name"],
                "namespace": namespace,
                "source_pod_name": source_pod,
                "pod_failure_id": pod_id,
                "status": str(_dict(created.get("status")).get("phase") or "Pending"),
                "ttl_seconds": ttl,
                "created_at": now,
                "expires_at": now + timedelta(seconds=ttl),
                "is_fallback": is_fallback,
                "fixed_manifest": dump_yaml(body),
                "explanation": explanation,
            }
            try:
                await self.repository.insert(doc)
            except BaseException:
                # Without its record the pod would only be found by the orphan sweep; remove it now.
                await self._delete_pod_quietly(api, namespace, doc["mirror_pod_name"])
                raise
        self.hub.publish("mirror_created", summary(doc))
        return full(doc)

    def _too_many(self) -> ApiError:
        return ApiError(409, f"Too many active mirrors (limit {self.max_active})")

    async def _create_pod(self, api: client.ApiClient, namespace: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            created = await request_json(api, "POST", pod_path(namespace), body=body, read_timeout=CALL_TIMEOUT)
        except KubeApiError as exc:
            self.kube.report(True)
            if exc.status in (403, 422) and exc.message:
                # Admission or validation refused the manifest the user asked for (PodSecurity, a quota, an
                # invalid field): the server's own words say what to change. They describe only that manifest.
                raise ApiError(502, f"Kubernetes API error: {exc.reason or exc.status}: {exc.message}") from None
            raise api_error(exc) from None
        except TRANSPORT_ERRORS as exc:
            raise self.kube.unreachable(exc) from None
        self.kube.report(True)
        return created

    async def _delete_pod(self, api: client.ApiClient, namespace: str, name: str) -> None:
        """Delete with grace period 0; an absent pod is fine. 502/503 otherwise."""
        try:
            await request_json(
                api, "DELETE", pod_path(namespace, name), query=[("gracePeriodSeconds", 0)],
                body={"kind": "DeleteOptions", "apiVersion": "v1", "gracePeriodSeconds": 0},
                read_timeout=CALL_TIMEOUT,
            )
        except KubeApiError as exc:
            self.kube.report(True)
            if exc.status != 404:
                raise api_error(exc) from None
            return
        except TRANSPORT_ERRORS as exc:
            raise self.kube.unreachable(exc) from None
        self.kube.report(True)

    async def _delete_pod_quietly(self, api: client.ApiClient, namespace: str, name: str) -> None:
        try:
            await self._delete_pod(api, namespace, name)
        except ApiError as exc:
            log.warning("Could not remove mirror pod %s/%s: %s", namespace, name, exc.detail)

    # -- status, delete, list

    async def _existing(self, mirror_id: str) -> dict[str, Any]:
        doc = await self.repository.get(mirror_id)
        if doc is None:
            raise mirror_not_found(mirror_id)
        return doc

    def _deleted(self, doc: dict[str, Any], reason: str) -> None:
        self.hub.publish("mirror_deleted", {
            "mirror_id": doc["_id"], "mirror_pod_name": doc["mirror_pod_name"], "namespace": doc["namespace"],
            "reason": reason,
        })

    async def _gone(self, doc: dict[str, Any]) -> None:
        """The pod vanished: drop the record; broadcast only if this call removed it."""
        if await self.repository.delete(doc["_id"]):
            self._deleted(doc, "gone")

    async def _observe(self, doc: dict[str, Any], phase: str) -> dict[str, Any]:
        if phase == doc["status"]:
            return doc
        if await self.repository.set_status(doc["_id"], phase):
            self.hub.publish("mirror_status_change",
                             {"mirror_id": doc["_id"], "status": phase, "previous_status": doc["status"]})
        return {**doc, "status": phase}

    async def _events(self, api: client.ApiClient, namespace: str, name: str) -> list[dict[str, Any]]:
        path = f"/api/v1/namespaces/{quote(namespace, safe='')}/events"
        selector = f"involvedObject.kind=Pod,involvedObject.name={name}"
        try:
            answer = await request_json(api, "GET", path, query=[("fieldSelector", selector)],
                                        read_timeout=CALL_TIMEOUT)
        except KubeApiError as exc:
            # Events are context, not the status itself (and often not readable under tight RBAC).
            log.info("Events of mirror pod %s/%s not readable: %s", namespace, name, exc)
            return []
        except TRANSPORT_ERRORS as exc:
            raise self.kube.unreachable(exc) from None
        items = answer.get("items")
        return event_rows(item for item in items or () if isinstance(item, dict))

    async def status(self, mirror_id: str) -> dict[str, Any]:
        doc = await self._existing(mirror_id)
        api = await self.kube.require()
        pod = await read_pod(self.kube, api, doc["namespace"], doc["mirror_pod_name"])
        if pod is None:
            async with self._lock:
                await self._gone(doc)
            raise mirror_not_found(mirror_id)
        doc = await self._observe(doc, _phase(pod))
        return {
            **summary(doc),
            "conditions": pod_conditions(pod),
            "container_statuses": pod_container_statuses(pod),
            "events": await self._events(api, doc["namespace"], doc["mirror_pod_name"]),
        }

    async def _remove(self, api: client.ApiClient, doc: dict[str, Any], reason: str) -> None:
        await self._delete_pod(api, doc["namespace"], doc["mirror_pod_name"])
        if await self.repository.delete(doc["_id"]):
            self._deleted(doc, reason)

    async def delete(self, mirror_id: str) -> None:
        doc = await self._existing(mirror_id)
        api = await self.kube.require()
        async with self._lock:
            await self._remove(api, doc, "deleted")

    async def active(self) -> list[dict[str, Any]]:
        return [summary(doc) for doc in await self.repository.newest_first()]

    # -- reaper (docs/api.md#watching-and-removing-mirrors)

    async def reap(self) -> None:
        """One reaper tick: expire, refresh phases, delete orphans. Kubernetes errors wait for the next tick."""
        api = await self.kube.api()
        if api is None:
            return
        async with self._lock:
            now = self.clock.now()
            for doc in await self.repository.expired(now):
                try:
                    await self._remove(api, doc, "expired")
                except ApiError as exc:
                    log.warning("Reaper: cannot delete expired mirror %s: %s", doc["_id"], exc.detail)
            for doc in await self.repository.newest_first():
                if doc["expires_at"] <= now:
                    continue  # its deletion failed above; retried next tick
                try:
                    pod = await read_pod(self.kube, api, doc["namespace"], doc["mirror_pod_name"])
                except ApiError as exc:
                    log.warning("Reaper: cannot read mirror pod %s: %s", doc["mirror_pod_name"], exc.detail)
                    continue
                if pod is None:
                    await self._gone(doc)
                else:
                    await self._observe(doc, _phase(pod))
            await self._delete_orphans(api, now)

    async def _delete_orphans(self, api: client.ApiClient, now: Any) -> None:
        try:
            answer = await request_json(api, "GET", "/api/v1/pods", query=[("labelSelector", f"{LABEL_MIRROR}=true")],
                                        read_timeout=CALL_TIMEOUT)
        except KubeApiError as exc:
            self.kube.report(True)
            log.warning("Reaper: cannot list mirror pods: %s", exc)
            return
        except TRANSPORT_ERRORS as exc:
            self.kube.unreachable(exc)
            return
        self.kube.report(True)
        known = await self.repository.ids()
        for pod in answer.get("items") or ():
            metadata = _dict(_dict(pod).get("metadata"))
            if _dict(metadata.get("labels")).get(LABEL_MIRROR_ID) in known:
                continue
            created = metadata.get("creationTimestamp")
            try:
                age = (now - parse_timestamp(created)).total_seconds() if isinstance(created, str) else None
            except ValueError:
                age = None
            if age is not None and age < ORPHAN_GRACE_SECONDS:
                continue
            namespace, name = str(metadata.get("namespace") or ""), str(metadata.get("name") or "")
            log.info("Reaper: deleting orphaned mirror pod %s/%s", namespace, name)
            await self._delete_pod_quietly(api, namespace, name)
