"""Mirror pods (docs/api.md#mirror-pods): a copy of a failed pod with a proposed fix, run for a limited time, then
reaped.

Flow of a deploy: pod-failure record → source pod, read live from Kubernetes (the pod itself, else the pod
template of its owning controller; the manifest stored with the report is evidence only and never deployed) →
manifest to deploy (the user's, else the fix generator's, else the cleaned source) → the gate
(app/services/mirror_gate.py: the source plus allowed changes, nothing else) → forced name, namespace and labels →
create the pod → store the record → broadcast. Records live in MongoDB, so a restarted backend keeps
reaping what an earlier process deployed.

One asyncio lock serialises the paths that create or remove pods and records (deploy's create+insert, delete,
the "pod vanished" handling and the reaper tick), so a mirror is never reported deleted twice and the orphan
sweep never sees a pod whose record is about to be written.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from app.ai.fixes import FixResult, mirror_preview
from app.ai.llm import LlmClient, LlmConfig
from app.ai.manifest import ManifestError, clean_manifest, dump_yaml, load_single_object
from app.core.clock import Clock
from app.core.errors import ApiError
from app.core.timefmt import iso, parse_timestamp
from app.kube.access import KubeAccess
from app.kube.bodies import (
    Event,
    KubeObject,
    ObjectMeta,
    Pod,
    as_event,
    as_object,
    as_pod,
    list_items,
    ts,
)
from app.kube.errors import KubeError, KubeRefused
from app.kube.objects import pod_template
from app.kube.rows import container_status_rows
from app.kube.rows import event_rows as kube_event_rows
from app.services.logs import pod_not_found, pod_path, read_pod
from app.services.mirror_gate import decide
from app.ws.feed import Publisher
from storage.mirrors import MirrorRepository

log = logging.getLogger("kure.mirror")

MAX_ACTIVE_MIRRORS = 20
#: A place reserved this long ago without a stored mirror belongs to a deploy that died (docs/replicas.md).
ORPHANED_PLACE_AGE = timedelta(minutes=5)
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
INVALID_YAML = "Manifest is not valid YAML"
NOT_A_POD = "Manifest must be a single Pod (kind: Pod)"

PRIVILEGE_PREFIX = "Manifest adds privileges over the source pod: "

PodLookup = Callable[[int], Awaitable[dict[str, Any] | None]]
#: (namespace, source pod, the mirror's labels) → how the mirror's blast radius differs from the source's, from the
#: cluster graph (docs/mirror.md#what-a-mirror-changes); None without a graph answer.
BlastRadiusLookup = Callable[[str, str, dict[str, str]], Awaitable[dict[str, Any] | None]]
TtlLookup = Callable[[], Awaitable[int]]
LlmConfigLookup = Callable[[], Awaitable[LlmConfig | None]]
RegistryLookup = Callable[[], Awaitable[list[str]]]

#: Controllers whose live pod template can stand in for a pod that is gone, with the controller that in turn
#: owns them and how its name is derived from theirs (a Deployment names its ReplicaSets ``<name>-<hash>``, a
#: CronJob its Jobs ``<name>-<scheduled minute>``).
TEMPLATE_OWNERS = frozenset({"ReplicaSet", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"})


async def _no_llm() -> LlmConfig | None:
    return None


async def _no_registries() -> list[str]:
    return []


async def _no_graph(namespace: str, pod_name: str, labels: dict[str, str]) -> dict[str, Any] | None:
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


def owner_chain(record: dict[str, Any]) -> list[tuple[str, str]]:
    """The controllers whose live pod template may stand in for the record's pod, nearest first.

    The pod's own controller comes from the report (``owner_kind``/``owner_name``, else the controller reference
    of the stored manifest); if that controller is gone too, the one above it is derived from its name: a
    ReplicaSet ``<deployment>-<pod-template-hash>`` (the hash is the pod's ``pod-template-hash`` label) belongs to
    that Deployment, a Job ``<cronjob>-<digits>`` to that CronJob.

    The stored manifest is read as untrusted JSON, not as a typed Pod: it is a report's text from MongoDB (whoever
    holds the service token wrote it), not an object the API server served, so every field is checked.
    """
    kind, name = record.get("owner_kind"), record.get("owner_name")
    labels = _dict(record.get("labels"))
    stored = record.get("manifest")
    if isinstance(stored, str) and stored.strip():
        try:
            evidence = load_single_object(stored)
        except ManifestError:
            evidence = {}
        metadata = _dict(evidence.get("metadata"))
        if not (isinstance(kind, str) and isinstance(name, str)):
            refs = [r for r in metadata.get("ownerReferences") or () if isinstance(r, dict)]
            ref = next((r for r in refs if r.get("controller") is True), refs[0] if refs else {})
            kind, name = ref.get("kind"), ref.get("name")
        labels = {**_dict(metadata.get("labels")), **labels}
    if not (isinstance(kind, str) and isinstance(name, str) and kind in TEMPLATE_OWNERS and name):
        return []
    chain = [(kind, name)]
    template_hash = labels.get("pod-template-hash")
    if kind == "ReplicaSet" and isinstance(template_hash, str) and template_hash \
            and name.endswith(f"-{template_hash}"):
        chain.append(("Deployment", name.removesuffix(f"-{template_hash}")))
    elif kind == "Job":
        base, _, suffix = name.rpartition("-")
        if base and suffix.isdigit():
            chain.append(("CronJob", base))
    return chain


def pod_from_template(obj: KubeObject, kind: str, pod_name: str, namespace: str) -> Pod | None:
    """A Pod built from a controller's pod template, named like the pod it stands in for."""
    template_meta, template_spec = pod_template(obj, kind)
    if not template_spec:
        return None
    metadata: ObjectMeta = {"name": pod_name, "namespace": namespace}
    labels, annotations = template_meta.get("labels"), template_meta.get("annotations")
    if labels is not None:
        metadata["labels"] = labels
    if annotations is not None:
        metadata["annotations"] = annotations
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": template_spec}


#: The mirror id a preview's mirror labels carry (a preview deploys nothing, so no id is allocated).
PREVIEW_MIRROR_ID = "000000000000"


def changed_paths(source: Any, mirror: Any, path: str = "") -> list[str]:
    """The fields whose value differs between two pods (``spec.containers[app].image``): dicts by key, lists of
    objects with a ``name`` by name, anything else as a whole."""
    if isinstance(source, dict) and isinstance(mirror, dict):
        found: list[str] = []
        for key in sorted(set(source) | set(mirror)):
            found += changed_paths(source.get(key), mirror.get(key), f"{path}.{key}" if path else str(key))
        return found
    named = (
        isinstance(source, list) and isinstance(mirror, list)
        and all(isinstance(i, dict) and isinstance(i.get("name"), str) for i in [*source, *mirror])
    )  # fmt: skip
    if named:
        before = {i["name"]: i for i in source}
        after = {i["name"]: i for i in mirror}
        found = []
        for name in sorted(set(before) | set(after)):
            found += changed_paths(before.get(name), after.get(name), f"{path}[{name}]")
        return found
    return [] if source == mirror else [path]


def force_mirror_fields(manifest: Mapping[str, Any], source_pod: str, namespace: str, mirror_id: str) -> Pod:
    """docs/api.md#deploying-a-mirror step 5: cleaned, renamed, placed in the source's namespace, labels replaced by the
    mirror labels. The manifest is plain JSON (the gate's pod); what comes out is the Pod this service sends.

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
    return as_pod(obj)


def _timestamp(value: object) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return iso(parse_timestamp(value))
    except ValueError:
        return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def pod_conditions(pod: Pod) -> list[dict[str, Any]]:
    return [
        {
            "type": _text(cond.get("type")),
            "status": _text(cond.get("status")),
            "reason": _text(cond.get("reason")),
            "message": _text(cond.get("message")),
            "last_transition_time": _timestamp(cond.get("lastTransitionTime")),
        }
        for cond in (pod.get("status") or {}).get("conditions") or ()
    ]


def pod_container_statuses(pod: Pod) -> list[dict[str, Any]]:
    """The mirror pod's ContainerStatus rows: the same conversion as the agent's reports (app/kube/rows.py)."""
    return container_status_rows(pod)


def event_rows(events: Iterable[Event]) -> list[dict[str, Any]]:
    """Kubernetes events → Event rows (docs/api.md#pod-failure), newest first, at most 20 (app/kube/rows.py)."""
    return kube_event_rows(events, MAX_EVENTS)


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


def _phase(pod: Pod) -> str:
    return (pod.get("status") or {}).get("phase") or "Unknown"


# --- the service -------------------------------------------------------------------------------------------


class MirrorService:
    """The behaviour of docs/api.md#mirror-pods. ``pods`` looks a pod-failure record up by id; ``ttl_default`` reads the
    ``mirror_ttl_seconds`` setting; ``llm_config`` returns the active LLM configuration or ``None`` (the fix
    generator then falls back to the cleaned source and the rule explanation); ``trusted_registries`` lists the
    registries a mirror's image may come from besides the source image's own repository."""

    def __init__(
        self,
        repository: MirrorRepository,
        kube: KubeAccess,
        feed: Publisher,
        clock: Clock,
        *,
        pods: PodLookup,
        ttl_default: TtlLookup,
        llm: LlmClient,
        llm_config: LlmConfigLookup = _no_llm,
        secrets: Iterable[str] = (),
        max_active: int = MAX_ACTIVE_MIRRORS,
        trusted_registries: RegistryLookup = _no_registries,
        blast_radius: BlastRadiusLookup = _no_graph,
    ) -> None:
        self.repository = repository
        self.kube = kube
        self.feed = feed
        self.clock = clock
        self._pods = pods
        self._ttl_default = ttl_default
        self._llm_config = llm_config
        self._llm = llm
        self._secrets = tuple(secrets)
        self.max_active = max_active
        self._trusted_registries = trusted_registries
        self._blast_radius = blast_radius
        self._lock = asyncio.Lock()

    # -- sources and generation

    async def _record(self, pod_id: int) -> dict[str, Any]:
        record = await self._pods(pod_id)
        if record is None:
            raise ApiError(404, POD_FAILURE_NOT_FOUND)
        return record

    async def source_manifest(self, record: dict[str, Any]) -> dict[str, Any]:
        """The cleaned source pod (what preview and the fix generator start from)."""
        return clean_manifest(await self.live_source(record))

    async def live_source(self, record: dict[str, Any]) -> Pod:
        """The source pod, read live now (docs/mirror.md#source-and-generation): the pod itself; if it is gone, the
        live pod template of its owning controller; otherwise 404. The stored manifest only names the owner."""
        namespace, pod_name = str(record.get("namespace") or ""), str(record.get("pod_name") or "")
        await self.kube.require()
        obj = await read_pod(self.kube, namespace, pod_name)
        if obj is None:
            for kind, name in owner_chain(record):
                owner = await self.kube.read(kind, namespace, name)
                if owner is not None:
                    obj = pod_from_template(as_object(owner), kind, pod_name, namespace)
                    if obj is not None:
                        break
        if obj is None:
            raise pod_not_found(namespace, pod_name)
        return obj

    async def _generate(self, record: dict[str, Any], source: Mapping[str, Any]) -> FixResult:
        config = await self._llm_config()
        return await mirror_preview(self._llm, config, record, source, self._secrets)

    async def preview(self, pod_id: int) -> dict[str, object]:
        """docs/api.md#previewing-a-fix: nothing is stored. Besides the proposal, what deploying it would change
        (docs/mirror.md#what-a-mirror-changes): the gate's verdict on it and the mirror's blast radius."""
        record = await self._record(pod_id)
        live = await self.live_source(record)
        source = clean_manifest(live)
        result = await self._generate(record, source)
        return {**result.as_dict(), "delta": await self._delta(record, live, result.fixed_manifest)}

    async def _delta(self, record: dict[str, Any], live: Pod, proposal_text: str) -> dict[str, object]:
        """The gate run on the proposal exactly as a deploy would run it, and how the mirror it would deploy differs
        from the source: changed fields, what it could do that the source cannot, its blast radius."""
        try:
            proposal = load_single_object(proposal_text)
        except ManifestError:
            proposal = clean_manifest(live)  # the fix generator always answers a Pod; never trust that blindly
        source = clean_manifest(live, keep_node_name=True)
        decision = decide(source, clean_manifest(proposal, keep_node_name=True),
                          trusted_registries=await self._trusted_registries())  # fmt: skip
        source_pod, namespace = str(record["pod_name"]), str(record["namespace"])
        mirror = force_mirror_fields(decision.pod, source_pod, namespace, PREVIEW_MIRROR_ID)
        blast = await self._blast_radius(namespace, source_pod, dict(mirror["metadata"]["labels"]))
        # The gate builds the mirror from the source, so it holds no privilege the source lacks; what its new labels
        # lose is the isolation of NetworkPolicies that select the source by label.
        more = [
            f"{lost['direction'].lower()} traffic: the source is isolated by NetworkPolicies that select it by label "
            f"({', '.join(lost['policies'])}); the mirror's labels are not selected by any {lost['direction'].lower()} "
            "policy"
            for lost in (blast or {}).get("isolation_lost") or []
        ]
        return {
            "refused": decision.reasons(),
            "changes": changed_paths(_dict(source.get("spec")), _dict(decision.pod.get("spec")), "spec"),
            "can_do_more": more,
            "blast_radius": blast,
        }

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
        await self.kube.require()
        if await self.repository.count() >= self.max_active:
            raise self._too_many()
        live = await self.live_source(record)
        source = clean_manifest(live)
        if manifest is not None:
            wanted = self._parse_user_manifest(manifest)
            explanation, is_fallback = USER_EXPLANATION, False
        else:
            result = await self._generate(record, source)
            wanted = load_single_object(result.fixed_manifest)
            explanation, is_fallback = result.explanation, result.is_fallback
        # The node stays in both for the comparison (a request may name the source's node, never another one);
        # the forced fields below clean it away, so the scheduler places the mirror.
        decision = decide(clean_manifest(live, keep_node_name=True), clean_manifest(wanted, keep_node_name=True),
                          trusted_registries=await self._trusted_registries())
        if not decision.allowed:
            raise ApiError(400, PRIVILEGE_PREFIX + "; ".join(decision.reasons()))
        ttl = ttl_seconds if ttl_seconds is not None else await self._ttl_default()
        source_pod, namespace = str(record["pod_name"]), str(record["namespace"])

        async with self._lock:
            # Checked again under the lock: the first check answers early, this one holds the limit under races in
            # this process; the numbered place holds it across replicas (storage/mirrors.py).
            if await self.repository.count() >= self.max_active:
                raise self._too_many()
            mirror_id = secrets.token_hex(6)
            if await self.repository.reserve_place(mirror_id, self.max_active, self.clock.now()) is None:
                raise self._too_many()
            body = force_mirror_fields(decision.pod, source_pod, namespace, mirror_id)
            try:
                created = await self._create_pod(namespace, body)
            except BaseException:
                await self.repository.release_place(mirror_id)
                raise
            now = self.clock.now()
            doc: dict[str, Any] = {
                "_id": mirror_id,
                "mirror_pod_name": body["metadata"]["name"],
                "namespace": namespace,
                "source_pod_name": source_pod,
                "pod_failure_id": pod_id,
                "status": (created.get("status") or {}).get("phase") or "Pending",
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
                await self._delete_pod_quietly(namespace, doc["mirror_pod_name"])
                await self.repository.release_place(mirror_id)
                raise
        await self.feed.publish("mirror_created", summary(doc))
        return full(doc)

    def _too_many(self) -> ApiError:
        return ApiError(409, f"Too many active mirrors (limit {self.max_active})")

    async def _create_pod(self, namespace: str, body: Pod) -> Pod:
        try:
            return as_pod(await self.kube.call("POST", pod_path(namespace), body=body))
        except KubeRefused as exc:
            if exc.status in (403, 422) and exc.message:
                # Admission or validation refused the manifest the user asked for (PodSecurity, a quota, an
                # invalid field): the server's own words say what to change. They describe only that manifest.
                raise exc.explained() from None
            raise

    async def _delete_pod(self, namespace: str, name: str) -> None:
        """Delete with grace period 0; an absent pod is fine."""
        try:
            await self.kube.call(
                "DELETE", pod_path(namespace, name), query=[("gracePeriodSeconds", 0)],
                body={"kind": "DeleteOptions", "apiVersion": "v1", "gracePeriodSeconds": 0},
            )
        except KubeRefused as exc:
            if exc.status != 404:
                raise

    async def _delete_pod_quietly(self, namespace: str, name: str) -> None:
        try:
            await self._delete_pod(namespace, name)
        except KubeError as exc:
            log.warning("Could not remove mirror pod %s/%s: %s", namespace, name, exc)

    # -- status, delete, list

    async def _existing(self, mirror_id: str) -> dict[str, Any]:
        doc = await self.repository.get(mirror_id)
        if doc is None:
            raise mirror_not_found(mirror_id)
        return doc

    async def _deleted(self, doc: dict[str, Any], reason: str) -> None:
        await self.feed.publish("mirror_deleted", {
            "mirror_id": doc["_id"], "mirror_pod_name": doc["mirror_pod_name"], "namespace": doc["namespace"],
            "reason": reason,
        })

    async def _gone(self, doc: dict[str, Any]) -> None:
        """The pod vanished: drop the record; broadcast only if this call removed it."""
        if await self.repository.delete(doc["_id"]):
            await self._deleted(doc, "gone")

    async def _observe(self, doc: dict[str, Any], phase: str) -> dict[str, Any]:
        if phase == doc["status"]:
            return doc
        if await self.repository.set_status(doc["_id"], phase):
            await self.feed.publish("mirror_status_change",
                                    {"mirror_id": doc["_id"], "status": phase, "previous_status": doc["status"]})
        return {**doc, "status": phase}

    async def _events(self, namespace: str, name: str) -> list[dict[str, Any]]:
        path = f"/api/v1/namespaces/{quote(namespace, safe='')}/events"
        selector = f"involvedObject.kind=Pod,involvedObject.name={name}"
        try:
            answer = await self.kube.call("GET", path, query=[("fieldSelector", selector)])
        except KubeRefused as exc:
            # Events are context, not the status itself (and often not readable under tight RBAC).
            log.info("Events of mirror pod %s/%s not readable: %s", namespace, name, exc)
            return []
        return event_rows(list_items(answer, as_event))

    async def status(self, mirror_id: str) -> dict[str, Any]:
        doc = await self._existing(mirror_id)
        pod = await read_pod(self.kube, doc["namespace"], doc["mirror_pod_name"])
        if pod is None:
            async with self._lock:
                await self._gone(doc)
            raise mirror_not_found(mirror_id)
        doc = await self._observe(doc, _phase(pod))
        return {
            **summary(doc),
            "conditions": pod_conditions(pod),
            "container_statuses": pod_container_statuses(pod),
            "events": await self._events(doc["namespace"], doc["mirror_pod_name"]),
        }

    async def _remove(self, doc: dict[str, Any], reason: str) -> None:
        await self._delete_pod(doc["namespace"], doc["mirror_pod_name"])
        if await self.repository.delete(doc["_id"]):
            await self._deleted(doc, reason)

    async def delete(self, mirror_id: str) -> None:
        doc = await self._existing(mirror_id)
        await self.kube.require()
        async with self._lock:
            await self._remove(doc, "deleted")

    async def active(self) -> list[dict[str, Any]]:
        return [summary(doc) for doc in await self.repository.newest_first()]

    # -- reaper (docs/api.md#watching-and-removing-mirrors)

    async def reap(self) -> None:
        """One reaper tick: expire, refresh phases, delete orphans. Kubernetes errors wait for the next tick."""
        if await self.kube.api() is None:
            return
        async with self._lock:
            now = self.clock.now()
            for doc in await self.repository.expired(now):
                try:
                    await self._remove(doc, "expired")
                except KubeError as exc:
                    log.warning("Reaper: cannot delete expired mirror %s: %s", doc["_id"], exc)
            for doc in await self.repository.newest_first():
                if doc["expires_at"] <= now:
                    continue  # its deletion failed above; retried next tick
                try:
                    pod = await read_pod(self.kube, doc["namespace"], doc["mirror_pod_name"])
                except KubeError as exc:
                    log.warning("Reaper: cannot read mirror pod %s: %s", doc["mirror_pod_name"], exc)
                    continue
                if pod is None:
                    await self._gone(doc)
                else:
                    await self._observe(doc, _phase(pod))
            await self._delete_orphans(now)
            await self.repository.release_orphaned_places(now - ORPHANED_PLACE_AGE)

    async def _delete_orphans(self, now: datetime) -> None:
        try:
            answer = await self.kube.call("GET", "/api/v1/pods", query=[("labelSelector", f"{LABEL_MIRROR}=true")])
        except KubeError as exc:
            log.warning("Reaper: cannot list mirror pods: %s", exc)
            return
        known = await self.repository.ids()
        for pod in list_items(answer, as_pod):
            metadata = pod.get("metadata") or {}
            if (metadata.get("labels") or {}).get(LABEL_MIRROR_ID) in known:
                continue
            created = ts(metadata.get("creationTimestamp"))
            age = now.timestamp() - created if created is not None else None
            if age is not None and age < ORPHAN_GRACE_SECONDS:
                continue
            namespace, name = str(metadata.get("namespace") or ""), str(metadata.get("name") or "")
            log.info("Reaper: deleting orphaned mirror pod %s/%s", namespace, name)
            await self._delete_pod_quietly(namespace, name)
