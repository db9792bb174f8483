"""The single graph writer (docs/graph.md#how-the-graph-is-kept-in-step): drains the work queue into batched,
fenced write transactions, retried while Neo4j is away.

get → transform → **load → cleanup**: reflectors queue transformed objects; this module loads them with the
``UNWIND`` statements of :mod:`graph.statements` (parameters only), removes what an object no longer implies,
sweeps what a relist did not return and garbage-collects placeholders nobody references. What to write for an
object follows from the relationship declarations of :mod:`graph.relationships`, one code path per sort of
relationship (containment, reference, selection, membership, synthesized parts); no kind is special here.
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

from . import statements
from .metrics import GRAPH_EVENT_LAG, GRAPH_EVENTS, GRAPH_LAST_EVENT, GRAPH_QUEUE_DEPTH, GRAPH_WRITE_BATCH
from .relationships import (
    CONTAINMENTS,
    MEMBERSHIPS,
    SELECTIONS,
    SYNTHESES,
    End,
    Reference,
    Selection,
    Synthesis,
    Target,
    references_declared_by,
)
from .schema import KIND_INFO, LEASE_NAME, node_id
from .selectors import labels_to_map, matches
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
        parts = sum(len(nodes) for nodes in obj.synthesized.values())
        size = len(json.dumps(obj.props, default=str)) + 200 * len(obj.refs) + 300 * parts
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


_FENCE_QUERY = "MATCH (l:KureLease {name: $name, holder: $me}) WHERE l.expires_at > timestamp() RETURN count(l) AS c"

#: A node written in this transaction: (id, namespace, name).
_Node = tuple[str, "str | None", str]


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
        existing = {r["id"]: r for r in await _run(tx, statements.EXISTING_NODES, ids=list(latest))}
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
            await _run(tx, statements.RESTAMP_NODES, ids=stamp, gen=gen, now=now)
        if not full:
            return
        rows = [{"id": o.id, "props": {**o.props, "sync_gen": gen, "synced_at": now}} for o in full]
        await _run(tx, statements.upsert_nodes(kind), rows=rows)
        await self._nodes_written(tx, kind, [(o.id, o.namespace, o.name) for o in full])
        # Only a node that was already synced can carry relationships it no longer implies: placeholders
        # determine nothing, so stale-relationship cleanup is skipped for new objects (most of an initial sync).
        was_synced = {oid for oid, old in existing.items() if old["origin"] == "synced"}
        candidates: set[str] = set()
        for ref in references_declared_by(kind):
            candidates |= await self._write_references(tx, ref, full, was_synced)
        for synthesis in SYNTHESES:
            if kind in synthesis.source:
                await self._write_parts(tx, synthesis, full, was_synced)
        for selection in SELECTIONS:
            for end in (End.SOURCE, End.TARGET):
                if kind in selection.kinds_at(end):
                    await self._select(tx, selection, end, full, was_synced)
        await self._gc(tx, candidates)

    async def _nodes_written(self, tx: AsyncManagedTransaction, kind: str, nodes: list[_Node]) -> None:
        """What every node gets as soon as it is written, synced object or placeholder: its container, and the
        memberships that follow from its identity."""
        for containment in CONTAINMENTS:
            if kind in containment.target and KIND_INFO[kind].namespaced:
                (container_kind,) = containment.source
                contained = [
                    {"id": i, "ns": ns, "ns_id": node_id(container_kind, None, ns)} for i, ns, _ in nodes if ns
                ]
                if contained:
                    await _run(tx, statements.contain(containment), rows=contained)
        for membership in MEMBERSHIPS:
            if kind in membership.source:
                (group_kind,) = membership.target
                rows = [
                    {"id": i, "groups": [Target(group_kind, None, g).id for g in membership.groups_of(ns)]}
                    for i, ns, _ in nodes
                    if ns
                ]
                if rows:
                    await _run(tx, statements.join_groups(membership), rows=rows)
            if kind in membership.target:
                groups = []
                for i, _, name in nodes:
                    scope = membership.group_scope(name)
                    if scope is not None:
                        groups.append({"id": i, "ns": scope or None})
                if groups:
                    await _run(tx, statements.gather_members(membership), groups=groups)

    async def _write_references(
        self, tx: AsyncManagedTransaction, rel: Reference, objs: list[Transformed], was_synced: set[str]
    ) -> set[str]:
        """Make the objects' ``rel`` relationships exactly those they name now; return the ends they no longer
        name (GC candidates)."""
        assert rel.determined_at is not None
        at = rel.determined_at
        candidates: set[str] = set()
        rows = [
            {"id": o.id, "keep": [r.target_id for r in o.refs if r.rel == rel.type]} for o in objs if o.id in was_synced
        ]
        if rows:
            for record in await _run(tx, statements.remove_stale(rel, at), rows=rows):
                candidates.add(record["candidate"])
        by_target: dict[tuple[str, bool], list[JSON]] = {}
        for o in objs:
            seen: set[str] = set()
            for ref in o.refs:
                if ref.rel != rel.type or ref.target_id in seen:
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
            await _run(tx, statements.merge_references(rel, at, target_kind, fresh=fresh), refs=refs)
            # One entry per distinct target: many objects share a Secret or a ServiceAccount.
            targets = {r["dst"]: (r["dst"], r["ns"], r["name"]) for r in refs}
            await self._nodes_written(tx, target_kind, list(targets.values()))
        return candidates

    async def _write_parts(
        self, tx: AsyncManagedTransaction, rel: Synthesis, objs: list[Transformed], was_synced: set[str]
    ) -> None:
        stale_rows = [
            {"id": o.id, "keep": [p["id"] for p in o.synthesized.get(rel.type, [])]} for o in objs if o.id in was_synced
        ]
        if stale_rows:
            await _run(tx, statements.remove_stale_parts(rel), rows=stale_rows)
        rows = [{"src": o.id, "props": p} for o in objs for p in o.synthesized.get(rel.type, [])]
        if rows:
            await _run(tx, statements.merge_parts(rel), rows=rows)

    async def _select(
        self, tx: AsyncManagedTransaction, rel: Selection, end: End, objs: list[Transformed], was_synced: set[str]
    ) -> None:
        """Recompute every ``rel`` pair involving the objects (at ``end``) against the synced nodes of the other
        end in their namespaces, read in this transaction: the one selector evaluation, from either end."""

        def read(at: End, value: Any) -> Any:
            """What the selection reads of a node at ``at``: its selectors (none: selects nothing) or its labels."""
            return rel.read_selectors(value) if at is End.SOURCE else labels_to_map(value)

        def selects(mine: Any, theirs: Any) -> bool:
            selectors, labels = (mine, theirs) if end is End.SOURCE else (theirs, mine)
            return any(matches(selector, labels) for selector in selectors)

        other = end.other
        namespaces = sorted({o.namespace for o in objs if o.namespace})
        by_ns: dict[str, list[tuple[str, Any]]] = {}
        for c in await _run(tx, statements.selection_candidates(rel, other), nss=namespaces):
            by_ns.setdefault(c["ns"], []).append((c["id"], read(other, c["value"])))
        own_property = rel.selector_property if end is End.SOURCE else "labels"
        rows: list[JSON] = []
        pairs: list[JSON] = []
        for o in objs:
            mine = read(end, o.props.get(own_property))
            hits = [cid for cid, theirs in by_ns.get(o.namespace or "", []) if cid != o.id and selects(mine, theirs)]
            if o.id in was_synced:
                rows.append({"id": o.id, "keep": hits})
            pairs += [{"src": o.id, "dst": h} if end is End.SOURCE else {"src": h, "dst": o.id} for h in hits]
        if rows:
            await _run(tx, statements.remove_stale(rel, end), rows=rows)
        if pairs:
            await _run(tx, statements.merge_pairs(rel), pairs=pairs)

    async def _delete(self, tx: AsyncManagedTransaction, kind: str, ids: Iterable[str]) -> None:
        """Remove synced objects: what they determine, then demote those something still names to placeholders
        and delete the rest."""
        found = [r["id"] for r in await _run(tx, statements.SYNCED_AMONG, ids=sorted(set(ids)))]
        if not found:
            return
        candidates: set[str] = set()
        rows = [{"id": i, "keep": []} for i in found]
        for ref in references_declared_by(kind):
            assert ref.determined_at is not None
            for record in await _run(tx, statements.remove_stale(ref, ref.determined_at), rows=rows):
                candidates.add(record["candidate"])
        both_ends = tuple(r.type for r in (*SELECTIONS, *MEMBERSHIPS) if r.touches(kind))
        if both_ends:
            await _run(tx, statements.detach_both_ends(both_ends), ids=found)
        for synthesis in SYNTHESES:
            if kind in synthesis.source:
                await _run(tx, statements.remove_parts(synthesis), rows=[{"id": i} for i in found])
        await _run(tx, statements.DEMOTE_KEPT, ids=found)
        for record in await _run(tx, statements.delete_unkept(), ids=found):
            candidates.update(c for c in record["containers"] if c)
        await self._gc(tx, candidates)

    async def _gc(self, tx: AsyncManagedTransaction, candidates: set[str]) -> None:
        pending = sorted(c for c in candidates if c)
        for _ in range(GC_ROUNDS):
            if not pending:
                return
            far: set[str] = set()
            for record in await _run(tx, statements.collect_garbage(), ids=pending):
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
