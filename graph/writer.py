"""The single graph writer (graph.md §3.2–§3.5, §3.8): drains the work queue into batched write transactions.

get → transform → **load → cleanup**: reflectors queue transformed objects; this module loads them with
``UNWIND`` statements (parameters only; labels and relationship types come from the allow-lists of
:mod:`graph.schema`), removes what an object no longer implies, sweeps what a relist did not return and
garbage-collects placeholders nobody references.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from neo4j import AsyncDriver, AsyncManagedTransaction
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired, TransientError

from app.core.clock import utcnow
from app.core.timefmt import iso

from .metrics import GRAPH_EVENT_LAG, GRAPH_EVENTS, GRAPH_LAST_EVENT, GRAPH_QUEUE_DEPTH, GRAPH_WRITE_BATCH
from .schema import BOTH_ENDS, DETERMINED, HAS_KEEPER, KIND_INFO, LEASE_NAME, node_id
from .selectors import labels_to_map, matches, service_selects
from .status import SyncStatus
from .transforms import Transformed

log = logging.getLogger("kure.graph.writer")

T = TypeVar("T")

JSON = dict[str, Any]

SWEEP_SLICE = 1000
GC_ROUNDS = 5


class LeaseLost(Exception):
    """The write fence found no valid lease for this replica: stop writing."""


@dataclass
class WorkItem:
    op: str  # relist_begin | upsert | delete | sweep
    kind: str
    obj: Transformed | None = None
    id: str | None = None
    event_type: str | None = None  # ADDED/MODIFIED/DELETED/LISTED
    resource_version: str | None = None
    count: int = 0
    size: int = 64
    received: float = field(default_factory=time.monotonic)

    @classmethod
    def upsert(cls, kind: str, obj: Transformed, event_type: str = "LISTED") -> WorkItem:
        size = len(json.dumps(obj.props, default=str)) + 200 * len(obj.refs) + 300 * len(obj.permissions)
        return cls("upsert", kind, obj=obj, id=obj.id, event_type=event_type, size=size)

    @classmethod
    def delete(cls, kind: str, object_id: str) -> WorkItem:
        return cls("delete", kind, id=object_id, event_type="DELETED")


def _now_iso() -> str:
    return iso(utcnow()) or ""


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, (TransientError, ServiceUnavailable, SessionExpired, OSError, asyncio.TimeoutError)):
        return True
    if isinstance(exc, Neo4jError):
        return bool(exc.is_retryable()) if hasattr(exc, "is_retryable") else False
    return isinstance(exc, DriverError) and not isinstance(exc, Neo4jError)


async def _run(tx: AsyncManagedTransaction, query: str, **params: Any) -> list[JSON]:
    # Every statement seeks by the unique id / indexed keys, so its plan never improves with statistics; skipping
    # replanning avoids re-planning dozens of statements each time the graph's size changes a lot (initial sync).
    result = await tx.run("CYPHER replan=skip " + query, params)
    return [dict(record) async for record in result]  # plain values: no recursive result.data() walk


# ------------------------------------------------------------------------------------------ statements


def _stale_query(rel: str, direction: str) -> str:
    pattern = f"(x)-[r:{rel}]->(t)" if direction == "out" else f"(x)<-[r:{rel}]-(t)"
    return (
        "UNWIND $rows AS row MATCH (x:K8s {id: row.id}) "
        f"MATCH {pattern} WHERE NOT t.id IN row.keep "
        "DELETE r RETURN DISTINCT t.id AS candidate"
    )


def _merge_ref_query(rel: str, direction: str, target_kind: str, *, fresh: bool = False) -> str:
    """``fresh``: the sources were not synced before, so they have no relationship of this type yet and a
    plain CREATE is exact (and cheaper than MERGE next to dense nodes)."""
    info = KIND_INFO[target_kind]
    arrow = f"(x)-[r:{rel}]->(t)" if direction == "out" else f"(t)-[r:{rel}]->(x)"
    origin = "synthesized" if target_kind in ("Subject:User", "Subject:Group") else "derived"
    return (
        "UNWIND $refs AS ref MATCH (x:K8s {id: ref.src}) "
        "MERGE (t:K8s {id: ref.dst}) "
        f"ON CREATE SET t{info.label_clause}, t.kind = ref.kind, t.name = ref.name, "
        f"t.namespace = ref.ns, t.origin = '{origin}' "
        f"{'CREATE' if fresh else 'MERGE'} {arrow} SET r = ref.props"
    )


_CONTAINS_QUERY = (
    "UNWIND $rows AS row MATCH (n:K8s {id: row.id}) "
    "MERGE (ns:K8s {id: row.ns_id}) "
    "ON CREATE SET ns:Namespace, ns.kind = 'Namespace', ns.name = row.ns, ns.origin = 'derived' "
    "MERGE (ns)-[:CONTAINS]->(n)"
)

_SA_MEMBER_QUERY = (
    "UNWIND $ids AS sid MATCH (sa:K8s {id: sid}) "
    "MATCH (g:K8s) WHERE g.id IN ['Subject:Group/_/system:serviceaccounts', "
    "'Subject:Group/_/system:serviceaccounts:' + sa.namespace] "
    "MERGE (sa)-[:MEMBER_OF]->(g)"
)

_GROUP_MEMBER_QUERY = (
    "UNWIND $groups AS grp MATCH (g:K8s {id: grp.id}) "
    "MATCH (sa:ServiceAccount) WHERE grp.ns IS NULL OR sa.namespace = grp.ns "
    "MERGE (sa)-[:MEMBER_OF]->(g)"
)

_GC_QUERY = (
    "UNWIND $ids AS cid MATCH (y:K8s {id: cid}) "
    f"WHERE (y.origin = 'derived' OR y:User OR y:Group) AND NOT {HAS_KEEPER} "
    "OPTIONAL MATCH (y)-[]-(t) "
    "WITH y, collect(DISTINCT t.id) AS far "
    "DETACH DELETE y RETURN far"
)

_FENCE_QUERY = "MATCH (l:KureLease {name: $name, holder: $me}) WHERE l.expires_at > timestamp() RETURN count(l) AS c"


def _ns_id(namespace: str) -> str:
    return node_id("Namespace", None, namespace)


def _sa_group(name: str) -> str | None:
    """The namespace scope of an implicit ServiceAccount group ("" = all), or None for other groups."""
    if name == "system:serviceaccounts":
        return ""
    if name.startswith("system:serviceaccounts:"):
        return name.split(":", 2)[2]
    return None


# ------------------------------------------------------------------------------------------ the writer


@dataclass
class _Planned:
    """One group of a batch, with the kind's generation fixed at planning time (so retries are exact)."""

    op: str
    kind: str
    items: list[WorkItem]
    gen: int


class GraphWriter:
    """Exactly one per leader process. ``put`` from reflectors; ``run`` drains forever."""

    def __init__(
        self,
        driver: AsyncDriver,
        *,
        database: str | None = None,
        status: SyncStatus | None = None,
        batch_rows: int = 1000,
        batch_bytes: int = 4 * 1024 * 1024,
        queue_size: int = 10000,
        holder: str | None = None,
        retry_initial: float = 1.0,
        retry_max: float = 30.0,
        on_kind_swept: Callable[[str], None] | None = None,
    ) -> None:
        self.driver = driver
        self.database = database
        self.status = status or SyncStatus()
        self.batch_rows = batch_rows
        self.batch_bytes = batch_bytes
        self.queue: asyncio.Queue[WorkItem] = asyncio.Queue(maxsize=queue_size)
        self.holder = holder
        self.retry_initial = retry_initial
        self.retry_max = retry_max
        self.on_kind_swept = on_kind_swept
        self.gens: dict[str, int] = {}
        self._idle = asyncio.Event()
        self._idle.set()
        self.applied_batches = 0

    # -------------------------------------------------------------- queue side

    async def put(self, item: WorkItem) -> None:
        self._idle.clear()
        await self.queue.put(item)
        self.status.queue_depth = self.queue.qsize()
        GRAPH_QUEUE_DEPTH.set(self.queue.qsize())

    async def wait_idle(self) -> None:
        """Wait until the queue is empty and nothing is being written (tests, benchmarks)."""
        while True:
            await self._idle.wait()
            if self.queue.empty():
                return
            await asyncio.sleep(0)

    async def load_generations(self) -> None:
        async with self.driver.session(database=self.database) as session:
            result = await session.run("MATCH (s:KureSyncState) RETURN s.kind AS kind, s.gen AS gen")
            for record in await result.data():
                self.gens[str(record["kind"])] = int(record["gen"] or 0)

    # -------------------------------------------------------------- main loop

    async def run(self) -> None:
        while True:
            first = await self.queue.get()
            self._idle.clear()
            batch = [first]
            size = first.size
            while not self.queue.empty() and len(batch) < self.batch_rows:
                nxt = self.queue.get_nowait()
                batch.append(nxt)
                size += nxt.size
                if size >= self.batch_bytes:
                    break
            self.status.queue_depth = self.queue.qsize()
            GRAPH_QUEUE_DEPTH.set(self.queue.qsize())
            await self.apply(batch)
            if self.queue.empty():
                self._idle.set()

    async def apply(self, batch: Sequence[WorkItem]) -> None:
        """Apply a batch with retries (transient errors) and poison-item isolation (other errors)."""
        plan = self._plan(batch)
        await self._apply_plan(plan)

    def _plan(self, batch: Sequence[WorkItem]) -> list[_Planned]:
        plan: list[_Planned] = []
        for item in batch:
            if item.op == "relist_begin":
                self.gens[item.kind] = self.gens.get(item.kind, 0) + 1
            gen = self.gens.get(item.kind, 0)
            if plan and plan[-1].op == item.op and plan[-1].kind == item.kind and item.op in ("upsert", "delete"):
                plan[-1].items.append(item)
            else:
                plan.append(_Planned(item.op, item.kind, [item], gen))
        return plan

    async def _apply_plan(self, plan: list[_Planned]) -> None:
        # Sweeps run in their own transactions (slices); everything between sweeps is one transaction.
        chunk: list[_Planned] = []
        for group in plan:
            if group.op == "sweep":
                if chunk:
                    await self._write_with_retry(chunk)
                    chunk = []
                await self._sweep_with_retry(group)
            else:
                chunk.append(group)
        if chunk:
            await self._write_with_retry(chunk)

    async def _until_neo4j_answers(self, attempt: Callable[[], Awaitable[T]], what: str) -> T:
        """Run ``attempt`` until it does not fail with a transient error (Neo4j down or restarting), backing
        off between tries; other errors propagate. Keeps ``status.neo4j`` current either way."""
        delay = self.retry_initial
        while True:
            try:
                result = await attempt()
            except LeaseLost:
                raise
            except Exception as exc:
                if not _transient(exc):
                    raise
                if self.status.neo4j != "down":
                    self.status.neo4j = "down"
                    self.status.refresh()
                log.warning("graph %s failed (%s); retrying in %.1f s", what, type(exc).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.retry_max)
                continue
            if self.status.neo4j != "ok":
                self.status.neo4j = "ok"
                self.status.refresh()
            return result

    async def _write_with_retry(self, groups: list[_Planned]) -> None:
        started = time.perf_counter()

        async def attempt() -> None:
            nonlocal started
            started = time.perf_counter()
            async with self.driver.session(database=self.database) as session:
                await session.execute_write(self._tx_groups, groups, _now_iso())

        try:
            await self._until_neo4j_answers(attempt, "write")
        except LeaseLost:
            raise
        except Exception as exc:
            await self._isolate(groups, exc)
            return
        elapsed = time.perf_counter() - started
        GRAPH_WRITE_BATCH.observe(elapsed)
        log.debug("graph write: %d groups, %d items in %.3f s", len(groups), sum(len(g.items) for g in groups), elapsed)
        self.applied_batches += 1
        self._after_commit(groups)

    async def _isolate(self, groups: list[_Planned], exc: BaseException) -> None:
        items = [(g, item) for g in groups for item in g.items]
        if len(items) == 1:
            group, item = items[0]
            log.error(
                "graph write: dropping %s %s (%s): %s", group.op, item.id or group.kind, group.kind, type(exc).__name__
            )
            self.status.record_error(group.kind, f"write failed: {type(exc).__name__}", "write")
            return
        half = len(items) // 2
        for part in (items[:half], items[half:]):
            regrouped: list[_Planned] = []
            for group, item in part:
                if (
                    regrouped
                    and regrouped[-1] is not None
                    and regrouped[-1].op == group.op
                    and regrouped[-1].kind == group.kind
                    and regrouped[-1].gen == group.gen
                ):
                    regrouped[-1].items.append(item)
                else:
                    regrouped.append(_Planned(group.op, group.kind, [item], group.gen))
            await self._write_with_retry(regrouped)

    def _after_commit(self, groups: list[_Planned]) -> None:
        now = time.monotonic()
        wall = time.time()
        for group in groups:
            for item in group.items:
                if item.event_type in ("ADDED", "MODIFIED", "DELETED"):
                    GRAPH_EVENT_LAG.observe(now - item.received)
                    GRAPH_LAST_EVENT.labels(kind=group.kind).set(wall)
                    self.status.kind(group.kind).last_event_at = datetime.now(UTC)
                    GRAPH_EVENTS.labels(kind=group.kind, type=item.event_type).inc()

    # -------------------------------------------------------------- transaction bodies

    async def _fence(self, tx: AsyncManagedTransaction) -> None:
        if self.holder is None:
            return
        rows = await _run(tx, _FENCE_QUERY, name=LEASE_NAME, me=self.holder)
        if not rows or rows[0]["c"] == 0:
            raise LeaseLost

    async def _tx_groups(self, tx: AsyncManagedTransaction, groups: list[_Planned], now: str) -> None:
        await self._fence(tx)
        for group in groups:
            if group.op == "relist_begin":
                await _run(tx, "MERGE (s:KureSyncState {kind: $kind}) SET s.gen = $gen", kind=group.kind, gen=group.gen)
            elif group.op == "upsert":
                await self._upsert(tx, group.kind, [i.obj for i in group.items if i.obj is not None], group.gen, now)
            elif group.op == "delete":
                await self._delete(tx, group.kind, [i.id for i in group.items if i.id])

    async def _upsert(
        self, tx: AsyncManagedTransaction, kind: str, objs: list[Transformed], gen: int, now: str
    ) -> None:
        latest: dict[str, Transformed] = {}
        for obj in objs:
            latest.pop(obj.id, None)
            latest[obj.id] = obj
        existing = {
            r["id"]: r
            for r in await _run(
                tx,
                "UNWIND $ids AS id MATCH (n:K8s {id: id}) "
                "RETURN n.id AS id, n.origin AS origin, n.resource_version AS rv, n.sync_gen AS gen",
                ids=list(latest),
            )
        }
        full: list[Transformed] = []
        stamp: list[str] = []
        for oid, obj in latest.items():
            old = existing.get(oid)
            same = (
                old is not None
                and old["origin"] == "synced"
                and obj.props.get("resource_version") is not None
                and old["rv"] == obj.props.get("resource_version")
            )
            if same and old is not None and old["gen"] == gen:
                continue
            if same:
                stamp.append(oid)
            else:
                full.append(obj)
        if stamp:
            await _run(
                tx,
                "UNWIND $ids AS id MATCH (n:K8s {id: id}) SET n.sync_gen = $gen, n.synced_at = $now",
                ids=stamp,
                gen=gen,
                now=now,
            )
        if not full:
            return
        info = KIND_INFO[kind]
        rows = [{"id": o.id, "props": {**o.props, "sync_gen": gen, "synced_at": now}} for o in full]
        await _run(
            tx,
            f"UNWIND $rows AS row MERGE (n:K8s {{id: row.id}}) SET n = row.props SET n{info.label_clause}",
            rows=rows,
        )
        if info.namespaced:
            await _run(
                tx,
                _CONTAINS_QUERY,
                rows=[{"id": o.id, "ns": o.namespace, "ns_id": _ns_id(o.namespace or "")} for o in full],
            )
        # Only a node that was already synced can carry relationships it no longer implies: placeholders
        # determine nothing, so stale-edge cleanup is skipped for new objects (most of an initial sync).
        was_synced = {oid for oid, old in existing.items() if old["origin"] == "synced"}
        candidates: set[str] = set()
        candidates |= await self._write_refs(tx, kind, full, was_synced)
        if kind in ("Role", "ClusterRole"):
            await self._write_permissions(tx, full, was_synced)
        if kind == "ServiceAccount":
            await _run(tx, _SA_MEMBER_QUERY, ids=[o.id for o in full])
        if kind == "Pod":
            await self._pod_both_ends(tx, full, was_synced)
        elif kind == "Service":
            await self._owner_both_ends(tx, full, "SELECTS", was_synced)
        elif kind == "NetworkPolicy":
            await self._owner_both_ends(tx, full, "APPLIES_TO", was_synced)
        await self._gc(tx, candidates)

    async def _write_refs(
        self, tx: AsyncManagedTransaction, kind: str, objs: list[Transformed], was_synced: set[str]
    ) -> set[str]:
        candidates: set[str] = set()
        for rel, direction in DETERMINED[kind]:
            rows = [
                {"id": o.id, "keep": [r.target_id for r in o.refs if r.rel == rel and r.direction == direction]}
                for o in objs
                if o.id in was_synced
            ]
            if rows:
                for record in await _run(tx, _stale_query(rel, direction), rows=rows):
                    candidates.add(record["candidate"])
            by_target: dict[tuple[str, bool], list[JSON]] = {}
            for o in objs:
                seen: set[str] = set()
                for ref in o.refs:
                    if ref.rel != rel or ref.direction != direction or ref.target_id in seen:
                        continue
                    seen.add(ref.target_id)
                    target_ns = ref.target_namespace if KIND_INFO[ref.target_kind].namespaced else None
                    by_target.setdefault((ref.target_kind, o.id not in was_synced), []).append(
                        {
                            "src": o.id,
                            "dst": ref.target_id,
                            "kind": ref.target_kind,
                            "name": ref.target_name,
                            "ns": target_ns,
                            "props": dict(ref.props),
                        }
                    )
            for (target_kind, fresh), refs in by_target.items():
                await _run(tx, _merge_ref_query(rel, direction, target_kind, fresh=fresh), refs=refs)
                if KIND_INFO[target_kind].namespaced:
                    # One row per distinct target: many objects share a Secret or a ServiceAccount.
                    targets = {r["dst"]: r["ns"] for r in refs if r["ns"]}
                    await _run(
                        tx,
                        _CONTAINS_QUERY,
                        rows=[{"id": dst, "ns": ns, "ns_id": _ns_id(ns)} for dst, ns in targets.items()],
                    )
                if target_kind == "ServiceAccount":
                    await _run(tx, _SA_MEMBER_QUERY, ids=sorted({r["dst"] for r in refs}))
                if target_kind == "Subject:Group":
                    groups = []
                    for r in refs:
                        scope = _sa_group(r["name"])
                        if scope is not None:
                            groups.append({"id": r["dst"], "ns": scope or None})
                    if groups:
                        await _run(tx, _GROUP_MEMBER_QUERY, groups=groups)
        return candidates

    async def _write_permissions(
        self, tx: AsyncManagedTransaction, objs: list[Transformed], was_synced: set[str]
    ) -> None:
        stale_rows = [{"id": o.id, "keep": [p["id"] for p in o.permissions]} for o in objs if o.id in was_synced]
        if stale_rows:
            await _run(
                tx,
                "UNWIND $rows AS row MATCH (r:K8s {id: row.id})-[:GRANTS]->(p:Permission) "
                "WHERE NOT p.id IN row.keep DETACH DELETE p",
                rows=stale_rows,
            )
        perms = [p for o in objs for p in o.permissions]
        if perms:
            await _run(
                tx,
                "UNWIND $perms AS perm MATCH (r:K8s {id: perm.role_id}) "
                "MERGE (p:K8s {id: perm.id}) SET p = perm SET p:Permission "
                "MERGE (r)-[:GRANTS]->(p)",
                perms=perms,
            )

    async def _pod_both_ends(self, tx: AsyncManagedTransaction, pods: list[Transformed], was_synced: set[str]) -> None:
        namespaces = sorted({p.namespace for p in pods if p.namespace})
        services = await _run(
            tx,
            "UNWIND $nss AS ns MATCH (s:K8s {namespace: ns, kind: 'Service'}) WHERE s.origin = 'synced' "
            "RETURN ns, s.id AS id, s.selector AS selector",
            nss=namespaces,
        )
        policies = await _run(
            tx,
            "UNWIND $nss AS ns MATCH (p:K8s {namespace: ns, kind: 'NetworkPolicy'}) WHERE p.origin = 'synced' "
            "RETURN ns, p.id AS id, p.pod_selector_json AS selector",
            nss=namespaces,
        )
        svc_by_ns: dict[str, list[JSON]] = {}
        for s in services:
            svc_by_ns.setdefault(s["ns"], []).append(s)
        np_by_ns: dict[str, list[tuple[str, JSON]]] = {}
        for p in policies:
            try:
                selector = json.loads(p["selector"] or "{}")
            except ValueError:
                continue
            np_by_ns.setdefault(p["ns"], []).append((p["id"], selector))
        select_rows, select_pairs, policy_rows, policy_pairs = [], [], [], []
        for pod in pods:
            labels = labels_to_map(pod.props.get("labels"))
            ns = pod.namespace or ""
            svc_ids = [s["id"] for s in svc_by_ns.get(ns, []) if service_selects(s["selector"], labels)]
            np_ids = [nid for nid, sel in np_by_ns.get(ns, []) if matches(sel, labels)]
            select_rows.append({"id": pod.id, "keep": svc_ids})
            policy_rows.append({"id": pod.id, "keep": np_ids})
            select_pairs += [{"src": sid, "dst": pod.id} for sid in svc_ids]
            policy_pairs += [{"src": nid, "dst": pod.id} for nid in np_ids]
        select_rows = [r for r in select_rows if r["id"] in was_synced]
        policy_rows = [r for r in policy_rows if r["id"] in was_synced]
        if select_rows:
            await _run(tx, _stale_query("SELECTS", "in"), rows=select_rows)
            await _run(tx, _stale_query("APPLIES_TO", "in"), rows=policy_rows)
        await self._merge_pairs(tx, "SELECTS", select_pairs)
        await self._merge_pairs(tx, "APPLIES_TO", policy_pairs)

    async def _owner_both_ends(
        self, tx: AsyncManagedTransaction, owners: list[Transformed], rel: str, was_synced: set[str]
    ) -> None:
        namespaces = sorted({o.namespace for o in owners if o.namespace})
        pods = await _run(
            tx,
            "UNWIND $nss AS ns MATCH (p:K8s {namespace: ns, kind: 'Pod'}) WHERE p.origin = 'synced' "
            "RETURN ns, p.id AS id, p.labels AS labels",
            nss=namespaces,
        )
        pods_by_ns: dict[str, list[tuple[str, dict[str, str]]]] = {}
        for p in pods:
            pods_by_ns.setdefault(p["ns"], []).append((p["id"], labels_to_map(p["labels"])))
        rows, pairs = [], []
        for owner in owners:
            candidates = pods_by_ns.get(owner.namespace or "", [])
            if rel == "SELECTS":
                hit = [pid for pid, labels in candidates if service_selects(owner.props.get("selector"), labels)]
            else:
                selector = json.loads(owner.props.get("pod_selector_json") or "{}")
                hit = [pid for pid, labels in candidates if matches(selector, labels)]
            rows.append({"id": owner.id, "keep": hit})
            pairs += [{"src": owner.id, "dst": pid} for pid in hit]
        rows = [r for r in rows if r["id"] in was_synced]
        if rows:
            await _run(tx, _stale_query(rel, "out"), rows=rows)
        await self._merge_pairs(tx, rel, pairs)

    @staticmethod
    async def _merge_pairs(tx: AsyncManagedTransaction, rel: str, pairs: list[JSON]) -> None:
        if pairs:
            await _run(
                tx,
                "UNWIND $pairs AS pr MATCH (s:K8s {id: pr.src}) MATCH (t:K8s {id: pr.dst}) "
                f"MERGE (s)-[:{rel}]->(t)",
                pairs=pairs,
            )

    async def _delete(self, tx: AsyncManagedTransaction, kind: str, ids: Iterable[str]) -> None:
        found = [
            r["id"]
            for r in await _run(
                tx,
                "UNWIND $ids AS id MATCH (n:K8s {id: id}) WHERE n.origin = 'synced' RETURN n.id AS id",
                ids=sorted(set(ids)),
            )
        ]
        if not found:
            return
        candidates: set[str] = set()
        rows = [{"id": i, "keep": []} for i in found]
        for rel, direction in DETERMINED[kind]:
            for record in await _run(tx, _stale_query(rel, direction), rows=rows):
                candidates.add(record["candidate"])
        both = "|".join(BOTH_ENDS)
        await _run(tx, f"UNWIND $ids AS id MATCH (x:K8s {{id: id}})-[r:{both}]-() DELETE r", ids=found)
        if kind in ("Role", "ClusterRole"):
            await _run(
                tx, "UNWIND $ids AS id MATCH (:K8s {id: id})-[:GRANTS]->(p:Permission) DETACH DELETE p", ids=found
            )
        await _run(
            tx,
            f"UNWIND $ids AS id MATCH (y:K8s {{id: id}}) WHERE {HAS_KEEPER} "
            "SET y = {id: y.id, kind: y.kind, name: y.name, namespace: y.namespace, origin: 'derived'}",
            ids=found,
        )
        for record in await _run(
            tx,
            "UNWIND $ids AS id MATCH (y:K8s {id: id}) WHERE y.origin = 'synced' "
            "OPTIONAL MATCH (ns)-[:CONTAINS]->(y) WITH y, ns.id AS nsid DETACH DELETE y RETURN nsid",
            ids=found,
        ):
            if record["nsid"]:
                candidates.add(record["nsid"])
        await self._gc(tx, candidates)

    async def _gc(self, tx: AsyncManagedTransaction, candidates: set[str]) -> None:
        pending = sorted(c for c in candidates if c)
        for _ in range(GC_ROUNDS):
            if not pending:
                return
            far: set[str] = set()
            for record in await _run(tx, _GC_QUERY, ids=pending):
                far.update(x for x in record["far"] if x)
            pending = sorted(far)

    # -------------------------------------------------------------- sweep

    async def _sweep_with_retry(self, group: _Planned) -> None:
        item = group.items[0]
        label = KIND_INFO[group.kind].label

        async def sweep_slice() -> int:
            async with self.driver.session(database=self.database) as session:
                stale: int = await session.execute_write(self._tx_sweep_slice, label, group.kind, group.gen)
                return stale

        async def record_sync_state() -> None:
            async with self.driver.session(database=self.database) as session:
                await session.execute_write(
                    self._tx_sync_state, group.kind, group.gen, item.resource_version or "", item.count, _now_iso()
                )

        while True:
            try:
                stale = await self._until_neo4j_answers(sweep_slice, f"sweep of {group.kind}")
            except LeaseLost:
                raise
            except Exception as exc:
                log.error("graph sweep of %s failed: %s", group.kind, type(exc).__name__)
                self.status.record_error(group.kind, f"sweep failed: {type(exc).__name__}", "write")
                break
            if stale < SWEEP_SLICE:
                break
        await self._until_neo4j_answers(record_sync_state, f"sync state of {group.kind}")
        self.status.mark_swept(group.kind)
        if self.on_kind_swept is not None:
            self.on_kind_swept(group.kind)

    async def _tx_sweep_slice(self, tx: AsyncManagedTransaction, label: str, kind: str, gen: int) -> int:
        await self._fence(tx)
        ids = [
            r["id"]
            for r in await _run(
                tx,
                f"MATCH (n:{label}) WHERE n.origin = 'synced' AND n.sync_gen <> $gen RETURN n.id AS id LIMIT $limit",
                gen=gen,
                limit=SWEEP_SLICE,
            )
        ]
        if ids:
            await self._delete(tx, kind, ids)
        return len(ids)

    async def _tx_sync_state(
        self, tx: AsyncManagedTransaction, kind: str, gen: int, rv: str, count: int, now: str
    ) -> None:
        await self._fence(tx)
        await _run(
            tx,
            "MERGE (s:KureSyncState {kind: $kind}) "
            "SET s.gen = $gen, s.resource_version = $rv, s.listed_at = $now, s.objects = $count",
            kind=kind,
            gen=gen,
            rv=rv,
            now=now,
            count=count,
        )
