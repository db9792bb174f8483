"""Exclusion and trusted-registry state as the backend publishes it, read at leadership start and kept current from
WebSocket messages (docs/agent-scanner.md#exclusions-and-trusted-registries)."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PodPattern:
    pod_name: str
    namespace: str | None

    def matches(self, namespace: str, pod_name: str) -> bool:
        """A case-sensitive glob on the name, within the namespace when the row names one
        (docs/api.md#excluded-pods)."""
        return (self.namespace is None or self.namespace == namespace) and fnmatch.fnmatchcase(pod_name, self.pod_name)


@dataclass(frozen=True)
class Change:
    """One difference between two list versions, in the shape of the WebSocket message it stands for."""

    type: str  # namespace_exclusion | pod_exclusion | trusted_registry_change
    data: dict[str, Any]


@dataclass
class ExclusionState:
    namespaces: set[str] = field(default_factory=set)
    pods: set[PodPattern] = field(default_factory=set)

    def namespace_excluded(self, namespace: str) -> bool:
        return namespace in self.namespaces

    def pod_excluded(self, namespace: str, pod_name: str) -> bool:
        if namespace in self.namespaces:
            return True
        return any(p.matches(namespace, pod_name) for p in self.pods)

    @staticmethod
    def parse_namespaces(rows: Iterable[Mapping[str, Any]]) -> set[str]:
        return {str(r.get("namespace")) for r in rows if r.get("namespace")}

    @staticmethod
    def parse_pods(rows: Iterable[Mapping[str, Any]]) -> set[PodPattern]:
        return {PodPattern(str(r.get("pod_name")), r.get("namespace") or None) for r in rows if r.get("pod_name")}

    def replace(self, namespaces: set[str] | None = None, pods: set[PodPattern] | None = None) -> list[Change]:
        """Install freshly fetched lists and return the changes, as if the missed messages had arrived."""
        changes: list[Change] = []
        if namespaces is not None:
            for ns in sorted(namespaces - self.namespaces):
                changes.append(Change("namespace_exclusion", {"namespace": ns, "action": "excluded"}))
            for ns in sorted(self.namespaces - namespaces):
                changes.append(Change("namespace_exclusion", {"namespace": ns, "action": "included"}))
            self.namespaces = set(namespaces)
        if pods is not None:
            for p in sorted(pods - self.pods, key=lambda x: (x.pod_name, x.namespace or "")):
                changes.append(
                    Change("pod_exclusion", {"pod_name": p.pod_name, "namespace": p.namespace, "action": "excluded"})
                )
            for p in sorted(self.pods - pods, key=lambda x: (x.pod_name, x.namespace or "")):
                changes.append(
                    Change("pod_exclusion", {"pod_name": p.pod_name, "namespace": p.namespace, "action": "included"})
                )
            self.pods = set(pods)
        return changes

    def apply(self, message_type: str, data: Mapping[str, Any]) -> bool:
        """Apply one WebSocket message; True when it changed the state."""
        action = data.get("action")
        if message_type == "namespace_exclusion" and data.get("namespace"):
            ns = str(data["namespace"])
            before = ns in self.namespaces
            if action == "excluded":
                self.namespaces.add(ns)
            elif action == "included":
                self.namespaces.discard(ns)
            return before != (ns in self.namespaces)
        if message_type == "pod_exclusion" and data.get("pod_name"):
            pattern = PodPattern(str(data["pod_name"]), data.get("namespace") or None)
            before = pattern in self.pods
            if action == "excluded":
                self.pods.add(pattern)
            elif action == "included":
                self.pods.discard(pattern)
            return before != (pattern in self.pods)
        return False


def parse_registries(rows: Iterable[Mapping[str, Any]]) -> set[str]:
    return {str(r.get("registry")).lower() for r in rows if r.get("registry")}


def registry_changes(old: set[str], new: set[str]) -> list[Change]:
    return [Change("trusted_registry_change", {"registry": r, "action": "added"}) for r in sorted(new - old)] + [
        Change("trusted_registry_change", {"registry": r, "action": "removed"}) for r in sorted(old - new)
    ]
