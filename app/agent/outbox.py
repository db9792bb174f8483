"""The agent's bounded outbox (docs/agent-scanner.md#delivery-and-checkpoint).

Per pod key an ordered list of at most 4 operations (``report``, ``dismiss``). Live reports carry no payload:
evidence is built from the cache when the operation is sent. Only a pod deleted while its report waited gets
a frozen *tombstone* body. Reports of live pods may be evicted when the outbox is full (the key stays dirty
and is queued again when there is room); dismissals never are.

Every operation gets a *delivery key* when it is queued, sent as ``Idempotency-Key`` on every attempt of that
operation, so the backend applies it once even when an answer is lost and the operation is sent again
(docs/agent-scanner.md#delivery-and-checkpoint). A newer operation replacing a queued one that was never sent
gets its own key: it is a new report.
"""

from __future__ import annotations

import json
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from app.agent.settings import OutboxSettings

Key = tuple[str, str]
MAX_OPS = 4


def new_delivery_key() -> str:
    return uuid.uuid4().hex


@dataclass
class Op:
    kind: str  # "report" | "dismiss"
    fingerprint: str | None = None
    tombstone: dict[str, Any] | None = None
    tombstone_bytes: int = 0
    #: Kept across the retries of this operation, new for every operation.
    delivery_key: str = field(default_factory=new_delivery_key)


@dataclass
class Outbox:
    max_entries: int = 10000
    tombstone_budget: int = 32 * 1024 * 1024
    entries: OrderedDict[Key, list[Op]] = field(default_factory=OrderedDict)
    overflow: OrderedDict[Key, None] = field(default_factory=OrderedDict)
    in_flight: set[Key] = field(default_factory=set)
    dropped: dict[str, int] = field(default_factory=dict)
    tombstone_bytes: int = 0

    @classmethod
    def from_settings(cls, limits: OutboxSettings) -> Outbox:
        return cls(limits.max_entries, limits.tombstone_budget)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def full(self) -> bool:
        return len(self.entries) >= self.max_entries

    def _count(self, what: str) -> None:
        self.dropped[what] = self.dropped.get(what, 0) + 1

    def _append(self, key: Key, op: Op) -> None:
        ops = self.entries.setdefault(key, [])
        # The head may be in flight; never replace an operation that is being sent.
        start = 1 if key in self.in_flight else 0
        if len(ops) > start and ops[-1].kind == op.kind and ops[-1].tombstone is None:
            ops[-1] = op
        else:
            ops.append(op)
        while len(ops) > MAX_OPS and len(ops) - start >= 2:
            removed = ops[start : start + 2]
            del ops[start : start + 2]
            for r in removed:
                self._release(r)

    def _release(self, op: Op) -> None:
        self.tombstone_bytes -= op.tombstone_bytes
        op.tombstone_bytes = 0

    def _evictable(self) -> Key | None:
        for key, ops in self.entries.items():
            if key in self.in_flight:
                continue
            if all(op.kind == "report" and op.tombstone is None for op in ops):
                return key
        return None

    def push_report(self, key: Key, fingerprint: str) -> bool:
        """Queue a report; False when it had to wait in the overflow set (outbox full)."""
        if key not in self.entries and self.full:
            victim = self._evictable()
            if victim is None:
                self.overflow[key] = None
                return False
            del self.entries[victim]
            self.overflow[victim] = None
        self.overflow.pop(key, None)
        self._append(key, Op("report", fingerprint))
        return True

    def push_dismiss(self, key: Key) -> None:
        """Dismissals are never evicted and are queued even above the bound."""
        self.overflow.pop(key, None)
        self._append(key, Op("dismiss"))

    def push_tombstone(self, key: Key, fingerprint: str, body: dict[str, Any]) -> None:
        """A deleted pod's report that never got a place: queued above the bound, like a dismissal."""
        self.overflow.pop(key, None)
        self._append(key, Op("report", fingerprint))
        self.freeze(key, body)

    def queued_report(self, key: Key) -> Op | None:
        for op in reversed(self.entries.get(key, [])):
            if op.kind == "report":
                return op
        return None

    def has_report(self, key: Key) -> bool:
        return self.queued_report(key) is not None or key in self.overflow

    def freeze(self, key: Key, body: dict[str, Any]) -> None:
        """Turn the queued report of a deleted pod into a tombstone, within the byte budget."""
        self.overflow.pop(key, None)
        op = self.queued_report(key)
        if op is None:
            return
        size = len(json.dumps(body).encode())
        op.tombstone, op.tombstone_bytes = body, size
        self.tombstone_bytes += size
        self._enforce_budget()

    def _enforce_budget(self) -> None:
        for stage in ("logs", "report"):
            for key, ops in list(self.entries.items()):
                if self.tombstone_bytes <= self.tombstone_budget:
                    return
                for op in ops:
                    if op.tombstone is None or (key in self.in_flight and op is ops[0]):
                        continue
                    if stage == "logs" and (op.tombstone.get("logs") or op.tombstone.get("manifest")):
                        op.tombstone = {**op.tombstone, "logs": "", "manifest": ""}
                        new = len(json.dumps(op.tombstone).encode())
                        self.tombstone_bytes += new - op.tombstone_bytes
                        op.tombstone_bytes = new
                        self._count("tombstone_logs")
                    elif stage == "report":
                        ops.remove(op)
                        self._release(op)
                        self._count("tombstone_report")
                        break
                if not ops:
                    del self.entries[key]

    def drop(self, key: Key) -> None:
        """Forget a key entirely (exclusion): no dismissal is sent."""
        self.overflow.pop(key, None)
        ops = self.entries.get(key)
        if ops is None:
            return
        keep = ops[:1] if key in self.in_flight else []
        for op in ops[len(keep) :]:
            self._release(op)
        if keep:
            self.entries[key] = keep
        else:
            del self.entries[key]

    def next_key(self) -> Key | None:
        for key, ops in self.entries.items():
            if ops and key not in self.in_flight:
                return key
        return None

    def head(self, key: Key) -> Op | None:
        ops = self.entries.get(key)
        return ops[0] if ops else None

    def done(self, key: Key, op: Op) -> None:
        ops = self.entries.get(key)
        if ops and ops[0] is op:
            ops.pop(0)
            self._release(op)
        if ops is not None and not ops:
            del self.entries[key]

    def pop_overflow(self) -> Key | None:
        if self.full or not self.overflow:
            return None
        key, _ = self.overflow.popitem(last=False)
        return key
