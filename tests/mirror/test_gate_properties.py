"""Property: a random mutation of a real pod spec is either one of the allowed changes or refused.

One mutation per example — set a node to another value, add a key, or delete a key or list item — anywhere in
the cleaned source pod. The expected outcome comes from the policy as docs/mirror.md states it (written here
independently of the gate's code), and for every outcome two invariants hold:

- the deployed pod equals the source outside the allowed fields (nothing of a refused change leaks through);
- an accepted request's allowed fields are deployed exactly as requested (nothing is silently dropped);
- a refusal names the mutated field path (or the keyed item / list that holds it).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.ai.manifest import clean_manifest
from app.services.mirror_gate import CONTAINER_LIST_KEYS, POD_LIST_KEYS, PROBES, decide
from tests.mirror.attacks import TRUSTED, preview
from tests.mirror.test_gate import ALLOWED_CONTAINER_FIELDS, without_allowed

pytestmark = pytest.mark.unit

Json = dict[str, Any]
Path = tuple[str | int, ...]

SAME_REPOSITORY = "registry.example.com/shop/web:9.9.9"
VALUES: tuple[Any, ...] = (None, True, False, 0, 1, 65535, "x", "ALL", "/", [], ["x"], [0], SAME_REPOSITORY)
NEW_KEYS = ("privileged", "hostPID", "hostPath", "valueFrom", "host", "runAsUser", "secretName", "value",
            "limits", "add", "futureField", "exec", "name")
CONTAINER_LISTS = ("containers", "initContainers")
KEY_FIELDS = frozenset({"name", *POD_LIST_KEYS.values(), *CONTAINER_LIST_KEYS.values()})
BRACKET_MAPS = ("annotations", "nodeSelector", "overhead")


def all_paths(node: Any, prefix: Path = ()) -> list[Path]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(all_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(all_paths(value, (*prefix, index)))
    return found


def _get(node: Any, path: Path) -> Any:
    for step in path:
        node = node[step]
    return node


SOURCE = preview()
PATHS = [path for path in all_paths(SOURCE) if path and path[0] != "kind"]


@dataclass(frozen=True)
class Mutation:
    op: str  # "set", "add" or "delete"
    path: Path
    value: Any = None

    def apply(self, pod: Json) -> Json:
        out = copy.deepcopy(pod)
        parent: Any = out
        for step in self.path[:-1]:
            parent = parent[step]
        last = self.path[-1]
        if self.op == "set":
            parent[last] = copy.deepcopy(self.value)
        elif self.op == "add":
            parent[last][self.value[0]] = copy.deepcopy(self.value[1])
        elif isinstance(parent, list):
            parent.pop(int(last))
        else:
            del parent[last]
        return out

    @property
    def target(self) -> Path:
        return (*self.path, self.value[0]) if self.op == "add" else self.path


DICT_PATHS = [path for path in PATHS if isinstance(_get(SOURCE, path), dict)]
mutations = st.one_of(
    st.builds(Mutation, st.just("set"), st.sampled_from(PATHS), st.sampled_from(VALUES)),
    st.builds(Mutation, st.just("add"), st.sampled_from(DICT_PATHS),
              st.tuples(st.sampled_from(NEW_KEYS), st.sampled_from(VALUES))),
    st.builds(Mutation, st.just("delete"), st.sampled_from(PATHS)),
)


def without_nulls(value: Any) -> Any:
    """A request as Kubernetes reads it: a null field is an unset field."""
    if isinstance(value, dict):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value


def gate_path(pod: Json, path: Path) -> str:
    """``path`` written the way the gate names fields (keyed list items by their key)."""
    text, node, parent_key = "", pod, ""
    for step in path:
        if isinstance(step, int):
            item = node[step] if isinstance(node, list) and step < len(node) else None
            key_field = {"containers": "name", "initContainers": "name", "ephemeralContainers": "name",
                         **POD_LIST_KEYS, **CONTAINER_LIST_KEYS}.get(parent_key)
            key = item.get(key_field) if isinstance(item, dict) and key_field else None
            text += f"[{key}]" if isinstance(key, str | int) and not isinstance(key, bool) and key != "" \
                else f"[{step}]"
        elif parent_key in BRACKET_MAPS:
            text += f"[{step}]"
        else:
            text += f".{step}" if text else str(step)
        node = node.get(step) if isinstance(node, dict) else (
            node[step] if isinstance(node, list) and isinstance(step, int) and step < len(node) else None)
        parent_key = str(step)
    return text


def expected(mutation: Mutation, mutated: Json) -> str:
    """"allowed", "refused" or "either" (outcome depends on details the property does not model)."""
    target = mutation.target
    old = _get_or_missing(SOURCE, target)
    new = _get_or_missing(mutated, target)
    if new == old:
        return "allowed"
    head = target[:2]
    if head in (("metadata", "name"), ("metadata", "labels")) or (target == ("metadata",) and new is None):
        return "allowed"
    if len(target) == 2 and target[0] == "spec" and target[1] in CONTAINER_LISTS:
        # The whole list: missing containers are kept from the source; anything that is not one is refused.
        if new is None or new == []:
            return "allowed"
        return "refused"
    in_container = len(target) >= 3 and target[0] == "spec" and target[1] in CONTAINER_LISTS
    if in_container and len(target) >= 4:
        return _container_field(mutation, target[3:], new, mutated)
    if in_container and len(target) == 3:
        # A whole container: removed (kept from the source) or replaced by something that is not it.
        return "allowed" if mutation.op == "delete" or new is None else "refused"
    if mutation.op == "delete" or new is None:
        return _deletion(target)  # null is "not set": the source's value is kept, as for a deleted key
    if len(target) == 2 and target[0] == "spec" and target[1] in POD_LIST_KEYS and new == []:
        return "allowed"  # a keyed list: missing items are kept from the source
    return "refused"


_MISSING = object()


def _get_or_missing(node: Any, path: Path) -> Any:
    for step in path:
        in_dict = isinstance(node, dict) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and step < len(node)
        if in_dict or in_list:
            node = node[step]
        else:
            return None
    return node


def _deletion(target: Path) -> str:
    """Deleting a key keeps the source's value, and so does deleting an item of a keyed list (volumes, mounts,
    ...); an item of any other list is compared as a whole list, and an item without its key is no item."""
    for index, step in enumerate(target):
        if not isinstance(step, int):
            continue
        parent = target[index - 1]
        in_spec = index == 2 and target[0] == "spec"
        in_container = index == 4 and target[0] == "spec" and target[1] in CONTAINER_LISTS
        key_field = (
            "name" if in_spec and parent in CONTAINER_LISTS
            else POD_LIST_KEYS.get(str(parent)) if in_spec
            else CONTAINER_LIST_KEYS.get(str(parent)) if in_container
            else None
        )
        if key_field is None:
            return "refused"
        if index == len(target) - 2 and target[-1] == key_field:
            return "refused"
    return "allowed"


def _container_field(mutation: Mutation, rest: Path, new: Any, mutated: Json) -> str:
    field = rest[0]
    if field == "name":
        return "refused"  # another container, or one without a name
    if field in ("command", "args"):
        return "allowed"
    if field == "image":
        if len(rest) > 1:
            return "refused"
        if new is None:
            return "allowed"
        return "either" if new == SAME_REPOSITORY else "refused"
    if field == "env":
        entry = _get_or_missing(mutated, (*mutation.target[:4], rest[1])) if len(rest) > 2 else None
        return _env(mutation, rest[1:], new, entry)
    if field == "resources":
        if len(rest) == 1:
            return "allowed" if new is None or (isinstance(new, dict) and not new) else "refused"
        return "allowed" if rest[1] in ("limits", "requests") else ("allowed" if new is None else "refused")
    if field in PROBES:
        if len(rest) == 1:
            return "allowed" if new is None else "refused"
        if rest[-1] == "host" and new is not None:
            return "refused"
        if len(rest) == 2 and mutation.op == "add" and new is not None and rest[1] not in (
                "exec", "httpGet", "tcpSocket", "grpc", "initialDelaySeconds", "periodSeconds", "timeoutSeconds",
                "successThreshold", "failureThreshold", "terminationGracePeriodSeconds"):
            return "refused"
        return "allowed"
    if mutation.op == "delete" or new is None:
        return _deletion(("spec", "containers", 0, *rest))
    if len(rest) == 1 and field in CONTAINER_LIST_KEYS and new == []:
        return "allowed"  # a keyed list: missing items are kept from the source
    return "refused"


def _env(mutation: Mutation, rest: Path, new: Any, mutated_entry: Any) -> str:
    if not rest:
        return "allowed" if new is None else "refused"
    if len(rest) == 1:  # a whole entry
        return "allowed" if new is None or mutation.op == "delete" else "refused"
    key = rest[1]
    if key == "value":
        return "allowed"
    if key == "valueFrom":
        return "allowed" if new is None and len(rest) == 2 else "refused"
    if key == "name":
        if new is None or isinstance(new, bool) or new == "" or not isinstance(new, str | int):
            return "refused"  # an entry without a usable name
        # A literal under a new name is a new literal; a secret reference under a new name is a new reference.
        return "refused" if isinstance(mutated_entry, dict) and mutated_entry.get("valueFrom") else "allowed"
    return "allowed" if new is None else "refused"


@settings(max_examples=1500, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutation=mutations)
def test_a_random_mutation_is_an_allowed_change_or_refused(mutation: Mutation) -> None:
    mutated = mutation.apply(SOURCE)
    decision = decide(SOURCE, clean_manifest(mutated, keep_node_name=True), trusted_registries=TRUSTED)

    # Safety, whatever the outcome: outside the allowed fields the deployed pod is the source.
    assert without_allowed(decision.pod) == without_allowed(SOURCE)
    outcome = expected(mutation, mutated)
    if decision.allowed:
        assert outcome in ("allowed", "either"), (mutation, outcome)
        requested_spec = without_nulls(mutated).get("spec")
        for list_name in CONTAINER_LISTS:
            items = requested_spec.get(list_name) if isinstance(requested_spec, dict) else None
            for wanted in items or ():
                if not isinstance(wanted, dict):
                    continue
                deployed = next(c for c in decision.pod["spec"][list_name] if c["name"] == wanted["name"])
                for field in ALLOWED_CONTAINER_FIELDS:
                    if field == "image" and wanted.get("image") is None:
                        continue
                    want = wanted.get(field)
                    if field == "env" and isinstance(want, list):
                        want = [item for item in want if item is not None]
                    assert deployed.get(field) == want, (mutation, field)
    else:
        assert outcome in ("refused", "either"), (mutation, decision.reasons())
        target_path = mutation.target
        if target_path[-1] in KEY_FIELDS and len(target_path) > 1 and isinstance(target_path[-2], int):
            target_path = target_path[:-1]  # a renamed item is refused as a whole item
        target = gate_path(mutated, target_path)
        for refusal in decision.refusals:
            assert target.startswith(refusal.path) or refusal.path.startswith(target), (
                mutation, target, decision.reasons())
