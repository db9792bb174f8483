"""Graph insight at the incident (docs/graph.md#access-and-impact-at-the-incident, docs/api.md#pod-access-and-impact):
who can act on a pod, what it touches, and the short summaries an incident record and the AI prompt carry.

The facts come from Neo4j (graph/insight.py); the authorization decision is Kubernetes' own, re-enacted by
graph/authorize.py; this module decides which requests matter for a pod and shapes the answers.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from neo4j import AsyncDriver

from app.core.errors import ApiError, DependencyUnavailable
from graph import insight as facts_of
from graph.authorize import (
    ALL_AUTHENTICATED,
    ALL_SERVICE_ACCOUNTS,
    ALL_UNAUTHENTICATED,
    NODE_USER_PREFIX,
    NODES_GROUP,
    SUPERUSER_GROUP,
    WILDCARD,
    ResourceRequest,
    implicit_members,
    permission_allows,
    scope_covers,
)
from graph.queries import GraphUnavailable

log = logging.getLogger("kure.insight")

JSON = dict[str, Any]

GRAPH_UNAVAILABLE = "Graph database not available"
#: After a summary found the graph unavailable or slow, summaries are left out for this long without asking.
SUMMARY_RETRY_SECONDS = 5.0

#: An owner kind → (API group, resource) for requests on it.
CONTROLLER_RESOURCES: dict[str, tuple[str, str]] = {
    "Deployment": ("apps", "deployments"),
    "ReplicaSet": ("apps", "replicasets"),
    "StatefulSet": ("apps", "statefulsets"),
    "DaemonSet": ("apps", "daemonsets"),
    "Job": ("batch", "jobs"),
    "CronJob": ("batch", "cronjobs"),
}

HIGH, MEDIUM, LOW = "high", "medium", "low"
_RANK = {HIGH: 3, MEDIUM: 2, LOW: 1}


@dataclass(frozen=True)
class Action:
    key: str
    meaning: str
    severity: str


#: Every action the access answer covers, in answer order (docs/graph.md#who-can-act-on-a-pod).
ACTIONS: dict[str, Action] = {
    a.key: a
    for a in (
        Action("exec", "run commands in the pod's containers (create pods/exec)", HIGH),
        Action("attach", "attach to a running container's input and output (create pods/attach)", HIGH),
        Action("debug", "add an ephemeral debug container to the pod (patch pods/ephemeralcontainers)", HIGH),
        Action("port-forward", "open connections to the pod's ports (create pods/portforward)", MEDIUM),
        Action("logs", "read the pod's logs (get pods/log)", LOW),
        Action("delete", "delete the pod (delete pods)", LOW),
        Action("patch", "change the pod (patch or update pods)", MEDIUM),
        Action("patch-controller", "change a controller of the pod, hence its next pods (patch or update)", HIGH),
        Action("read-secret", "read a Secret the pod uses (get it, or list/watch the namespace's Secrets)", HIGH),
        Action("read-configmap", "read a ConfigMap the pod uses (get it, or list/watch the namespace's)", LOW),
        Action("impersonate-serviceaccount", "act as the pod's ServiceAccount (impersonate serviceaccounts)", HIGH),
        Action("serviceaccount-token", "obtain a token of the pod's ServiceAccount (create serviceaccounts/token)",
               HIGH),
        Action("create-pods", "create pods in the namespace, which may mount its Secrets and run as its "
               "ServiceAccount (create pods)", HIGH),
    )
}

_ORDER = {key: index for index, key in enumerate(ACTIONS)}

#: Groups whose members nobody lists: a grant to one of them reaches a whole class of identities.
BROAD_GROUPS = (ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, ALL_SERVICE_ACCOUNTS)

#: What the graph query needs to see to decide every request above (wildcards included).
QUERY_GROUPS = ["", "apps", "batch", WILDCARD]
QUERY_RESOURCES = sorted(
    {WILDCARD, "pods", "pods/exec", "pods/attach", "pods/portforward", "pods/log", "pods/ephemeralcontainers",
     "secrets", "configmaps", "serviceaccounts", "serviceaccounts/token"}
    | {resource for _, resource in CONTROLLER_RESOURCES.values()}
)  # fmt: skip

_SUBJECT_KIND = {"ServiceAccount": "ServiceAccount", "Subject:User": "User", "Subject:Group": "Group"}

# ------------------------------------------------------------------------------------------ requests


@dataclass(frozen=True)
class Target:
    kind: str
    namespace: str
    name: str

    def json(self) -> JSON:
        return {"kind": self.kind, "namespace": self.namespace, "name": self.name}


@dataclass
class ActionCase:
    """One action on one object: the requests any of which is enough, and who is allowed (by subject key)."""

    action: Action
    target: Target
    requests: tuple[ResourceRequest, ...]
    subjects: dict[tuple[str, str, str], JSON] = field(default_factory=dict)


def _owner_chain(chains: list[JSON]) -> list[JSON]:
    """The pod's owners, nearest first: the longest chain of controller references (else of any references)."""
    if not chains:
        return []
    controlled = [c for c in chains if c.get("controller")] or chains
    best = max(controlled, key=lambda c: (len(c["nodes"]), [n["id"] for n in c["nodes"]]))
    nodes: list[JSON] = best["nodes"]
    return list(reversed(nodes[:-1]))  # drop the pod itself; nearest owner first


def pod_cases(facts: JSON) -> list[ActionCase]:
    """Every (action, object) the access answer covers for this pod, with the requests that perform it."""
    pod = facts["pod"]
    ns, name = pod["namespace"], pod["name"]
    here = Target("Pod", ns, name)

    def req(verb: str, resource: str, subresource: str = "", obj: str = "", group: str = "") -> ResourceRequest:
        return ResourceRequest(verb, group, resource, subresource, obj, ns)

    cases = [
        ActionCase(ACTIONS["exec"], here, (req("create", "pods", "exec", name),)),
        ActionCase(ACTIONS["attach"], here, (req("create", "pods", "attach", name),)),
        ActionCase(ACTIONS["debug"], here, (req("patch", "pods", "ephemeralcontainers", name),)),
        ActionCase(ACTIONS["port-forward"], here, (req("create", "pods", "portforward", name),)),
        ActionCase(ACTIONS["logs"], here, (req("get", "pods", "log", name),)),
        ActionCase(ACTIONS["delete"], here, (req("delete", "pods", obj=name),)),
        ActionCase(ACTIONS["patch"], here, (req("patch", "pods", obj=name), req("update", "pods", obj=name))),
    ]
    for owner in _owner_chain(facts.get("chains") or []):
        group, resource = CONTROLLER_RESOURCES.get(owner["kind"], ("", ""))
        if not resource:
            continue
        cases.append(ActionCase(
            ACTIONS["patch-controller"], Target(owner["kind"], ns, owner["name"]),
            (req("patch", resource, obj=owner["name"], group=group),
             req("update", resource, obj=owner["name"], group=group)),
        ))  # fmt: skip
    for kind, action, resource in (("Secret", "read-secret", "secrets"), ("ConfigMap", "read-configmap", "configmaps")):
        for mount in sorted((m for m in facts.get("mounts") or [] if m["kind"] == kind), key=lambda m: m["name"]):
            cases.append(ActionCase(
                ACTIONS[action], Target(kind, ns, mount["name"]),
                (req("get", resource, obj=mount["name"]), req("list", resource), req("watch", resource)),
            ))  # fmt: skip
    account = (facts.get("service_account") or {}).get("name")
    if account:
        sa = Target("ServiceAccount", ns, account)
        cases.append(ActionCase(ACTIONS["impersonate-serviceaccount"], sa,
                                (req("impersonate", "serviceaccounts", obj=account),)))
        cases.append(ActionCase(ACTIONS["serviceaccount-token"], sa,
                                (req("create", "serviceaccounts", "token", account),)))
    cases.append(ActionCase(ACTIONS["create-pods"], Target("Namespace", "", ns), (req("create", "pods"),)))
    return cases


# ------------------------------------------------------------------------------------------ subjects and grants


def _subject(kind: str, name: str, namespace: str | None, *, exists: bool | None = None) -> JSON:
    builtin = kind != "ServiceAccount" and name.startswith("system:")
    return {
        "kind": kind,
        "name": name,
        "namespace": namespace if kind == "ServiceAccount" else None,
        "source": "cluster" if kind == "ServiceAccount" else ("built-in" if builtin else "external"),
        "exists": exists if kind == "ServiceAccount" else None,
        "covers": implicit_members(name) if kind == "Group" else None,
        "broad": kind == "Group" and (name in BROAD_GROUPS or name.startswith(ALL_SERVICE_ACCOUNTS + ":")),
    }


def _subject_key(subject: JSON) -> tuple[str, str, str]:
    return subject["kind"], subject["namespace"] or "", subject["name"]


def _ref(obj: JSON) -> JSON:
    return {"kind": obj["kind"], "namespace": obj.get("namespace"), "name": obj["name"]}


def _rule(permission: JSON) -> JSON:
    return {
        "api_group": permission.get("api_group", ""),
        "resource": permission["resource"],
        "resource_names": list(permission.get("resource_names") or []),
        "verbs": list(permission.get("verbs") or []),
    }


def _same_key(a: JSON, b: JSON) -> bool:
    return (a.get("api_group"), a.get("resource"), list(a.get("resource_names") or [])) == (
        b.get("api_group"), b.get("resource"), list(b.get("resource_names") or [])
    )


def _aggregated_from(row: JSON, permission: JSON) -> list[str]:
    """The ClusterRoles whose rule for the same group, resource and names an aggregated role took in."""
    return sorted({s["role"] for s in row.get("sources") or [] if _same_key(s["permission"], permission)})


def _name(obj: JSON) -> str:
    return f"{obj['kind']} {obj['namespace'] + '/' if obj.get('namespace') else ''}{obj['name']}"


def _describe_rule(permission: JSON) -> str:
    group = permission.get("api_group", "")
    named = f" [{', '.join(permission.get('resource_names') or [])}]" if permission.get("resource_names") else ""
    return f"{group + '/' if group else ''}{permission['resource']}{named}: {', '.join(permission.get('verbs') or [])}"


class Paths:
    """The granting paths of one answer, each stored once: grants refer to them by index (a binding's path is
    shared by all its subjects and every request it allows)."""

    SUPERUSER = f"members of {SUPERUSER_GROUP} are authorized for every request before RBAC is asked"
    KUBELET_READS = "the Node authorizer lets a kubelet get a {kind} used by a pod bound to its node"
    KUBELET_TOKENS = "the Node authorizer lets a kubelet request tokens for the ServiceAccounts of its pods"
    KUBELET_PODS = (
        "the Node authorizer lets every kubelet create and delete pods (mirror pods); the NodeRestriction admission "
        "plugin limits each to mirror pods and pods bound to its own node"
    )

    def __init__(self) -> None:
        self.entries: list[JSON] = []
        self._index: dict[Any, int] = {}

    def rbac(self, row: JSON, permission: JSON) -> int:
        key = ("RBAC", row["binding"]["id"], permission["id"])
        found = self._index.get(key)
        if found is None:
            binding, role = row["binding"], row["role"]
            found = self._add(key, {
                "authorizer": "RBAC",
                "binding": _ref(binding),
                "role": {**_ref(role),
                         "aggregated_from": _aggregated_from(row, permission) if role.get("aggregated") else []},
                "rule": _rule(permission),
                "explanation": f"{_name(binding)} → {_name(role)} → {_describe_rule(permission)}",
            })  # fmt: skip
        return found

    def builtin(self, authorizer: str, explanation: str) -> int:
        key = (authorizer, explanation)
        found = self._index.get(key)
        if found is None:
            found = self._add(key, {"authorizer": authorizer, "binding": None, "role": None, "rule": None,
                                    "explanation": explanation})  # fmt: skip
        return found

    def _add(self, key: Any, entry: JSON) -> int:
        self._index[key] = len(self.entries)
        self.entries.append(entry)
        return self._index[key]


def _add(case: ActionCase, subject: JSON, verb: str, path: int, wildcard: bool = False) -> None:
    entry = case.subjects.get(_subject_key(subject))
    if entry is None:
        entry = case.subjects[_subject_key(subject)] = {**subject, "grants": []}
    entry["grants"].append({"verb": verb, "path": path, "wildcard": wildcard})


def evaluate(cases: list[ActionCase], facts: JSON, paths: Paths) -> list[JSON]:
    """Fill each case with the subjects allowed, and return the bindings that name roles not in the cluster."""
    dangling: list[JSON] = []
    # Which requests a rule's resource entry can match (graph/authorize.py resource_matches): "*" all of them, an
    # exact resource or "*/<subresource>" those it names; only these are tried.
    every: list[tuple[ActionCase, ResourceRequest]] = []
    by_resource: dict[str, list[tuple[ActionCase, ResourceRequest]]] = {}
    for case in cases:
        for request in case.requests:
            every.append((case, request))
            by_resource.setdefault(request.combined_resource, []).append((case, request))
            if request.subresource:
                by_resource.setdefault(f"*/{request.subresource}", []).append((case, request))
    # In a fixed order, so path numbers do not depend on the order Neo4j returned the rows in.
    for row in sorted(facts.get("bindings") or [], key=lambda r: str(r["binding"]["id"])):
        binding, role = row["binding"], row["role"]

        def subjects_of(row: JSON = row) -> list[JSON]:
            return [
                _subject(_SUBJECT_KIND[s["kind"]], s["name"], s.get("namespace"), exists=s.get("origin") == "synced")
                for s in row.get("subjects") or []
                if s.get("kind") in _SUBJECT_KIND
            ]

        if role.get("origin") != "synced":
            dangling.append({"binding": _ref(binding), "role": _ref(role),
                             "subjects": [_subject_ref(s) for s in subjects_of()]})  # fmt: skip
            continue
        subjects: list[JSON] | None = None  # built at the first grant: most bindings grant nothing asked about
        for permission in sorted(row.get("permissions") or [], key=lambda p: str(p["id"])):
            resource = str(permission.get("resource"))
            for case, request in every if resource == WILDCARD else by_resource.get(resource, ()):
                if not scope_covers(binding["scope"], request):
                    continue
                match = permission_allows(permission, request)
                if match is None:
                    continue
                path = paths.rbac(row, permission)
                if subjects is None:
                    subjects = subjects_of()
                for subject in subjects:
                    _add(case, subject, request.verb, path, match.wildcard)
    _builtin_grants(cases, facts, paths)
    dangling.sort(key=lambda d: (d["binding"]["kind"], d["binding"]["namespace"] or "", d["binding"]["name"]))
    return dangling


def _subject_ref(subject: JSON) -> JSON:
    return {k: subject[k] for k in ("kind", "namespace", "name", "source")}


def _builtin_grants(cases: list[ActionCase], facts: JSON, paths: Paths) -> None:
    """Identities allowed outside RBAC: the super-users of system:masters everything; kubelets (Node authorizer)
    what the pods bound to their node need, and creating and deleting pods."""
    nodes_of = {(m["kind"], m["name"]): list(m.get("nodes") or []) for m in facts.get("mounts") or []}
    token_nodes = list(facts.get("service_account_nodes") or [])
    masters = _subject("Group", SUPERUSER_GROUP, None)
    for case in cases:
        for request in case.requests:
            _add(case, masters, request.verb, paths.builtin("privileged group", Paths.SUPERUSER))
            kubelets: list[str] = []
            if request.verb == "get" and case.action.key in ("read-secret", "read-configmap"):
                kubelets = nodes_of.get((case.target.kind, case.target.name), [])
                why = paths.builtin("Node", Paths.KUBELET_READS.format(kind=case.target.kind))
            elif case.action.key == "serviceaccount-token":
                kubelets = token_nodes
                why = paths.builtin("Node", Paths.KUBELET_TOKENS)
            for node in kubelets:
                _add(case, _subject("User", NODE_USER_PREFIX + node, None), request.verb, why)
            if request.resource == "pods" and not request.subresource and request.verb in ("create", "delete"):
                _add(case, _subject("Group", NODES_GROUP, None), request.verb,
                     paths.builtin("Node", Paths.KUBELET_PODS))  # fmt: skip


_SOURCE_ORDER = {"cluster": 0, "external": 1, "built-in": 2}


def _case_json(case: ActionCase) -> JSON:
    subjects = sorted(
        case.subjects.values(), key=lambda s: (_SOURCE_ORDER[s["source"]], s["kind"], s["namespace"] or "", s["name"])
    )
    for subject in subjects:
        subject["grants"].sort(key=lambda g: (g["verb"], g["path"]))
    return {
        "action": case.action.key,
        "meaning": case.action.meaning,
        "severity": case.action.severity,
        "target": case.target.json(),
        "requests": [
            {"verb": r.verb, "api_group": r.group, "resource": r.combined_resource, "name": r.name,
             "namespace": r.namespace}
            for r in case.requests
        ],
        "subjects": subjects,
    }


def access_summary(actions: list[JSON], dangling: list[JSON], paths: list[JSON], *, worst: int = 5) -> JSON:
    """Counts and the worst grants: who (through RBAC) can do the riskiest things, broad groups first."""
    everyone: set[tuple[str, str, str]] = set()
    by_action: dict[str, set[tuple[str, str, str]]] = {key: set() for key in ACTIONS}
    broad: dict[str, set[str]] = {}
    ranked: list[tuple[tuple[Any, ...], JSON, JSON, JSON]] = []
    for action in actions:
        for subject in action["subjects"]:
            grant = next((g for g in subject["grants"] if paths[g["path"]]["authorizer"] == "RBAC"), None)
            if grant is None or subject["name"] == SUPERUSER_GROUP:
                continue
            key = _subject_key(subject)
            everyone.add(key)
            by_action[action["action"]].add(key)
            if subject["broad"]:
                broad.setdefault(subject["name"], set()).add(action["action"])
            # Riskiest first: the action's severity, then broad subjects, then wildcards; then a stable order.
            rank = (
                -_RANK[action["severity"]], -int(subject["broad"]), -int(grant["wildcard"]), _ORDER[action["action"]],
                subject["kind"], subject["namespace"] or "", subject["name"], action["target"]["name"],
            )  # fmt: skip
            ranked.append((rank, action, subject, grant))
    top: list[JSON] = []
    seen: set[tuple[str, tuple[str, str, str]]] = set()
    for _, action, subject, grant in heapq.nsmallest(worst * 4, ranked, key=lambda item: item[0]):
        mark = (action["action"], _subject_key(subject))
        if mark in seen:
            continue
        seen.add(mark)
        top.append({
            "action": action["action"], "target": action["target"], "subject": _subject_ref(subject),
            "via": paths[grant["path"]]["explanation"], "wildcard": grant["wildcard"],
        })  # fmt: skip
        if len(top) == worst:
            break
    return {
        "subjects": len(everyone),
        "by_action": {key: len(keys) for key, keys in by_action.items()},
        "broad": [{"group": group, "actions": sorted(keys)} for group, keys in sorted(broad.items())],
        "dangling_bindings": len(dangling),
        "worst": top,
    }


def access_answer(facts: JSON) -> JSON:
    cases = pod_cases(facts)
    paths = Paths()
    dangling = evaluate(cases, facts, paths)
    actions = [_case_json(case) for case in cases]
    pod = facts["pod"]
    return {
        "pod": {"namespace": pod["namespace"], "name": pod["name"],
                "service_account": (facts.get("service_account") or {}).get("name"), "node": pod.get("node_name")},
        "actions": actions,
        "paths": paths.entries,
        "dangling_bindings": dangling,
        "summary": access_summary(actions, dangling, paths.entries),
    }  # fmt: skip


# ------------------------------------------------------------------------------------------ impact


def _state(ready: int, desired: int) -> str:
    if desired <= 0:
        return "scaled-to-zero"
    if ready <= 0:
        return "down"
    return "degraded" if ready < desired else "healthy"


def availability(pod: JSON, owners: list[JSON]) -> JSON:
    """How many ready replicas the pod's controller has left: the topmost synced owner that keeps replicas."""
    for owner in reversed(owners):
        if owner.get("origin") != "synced":
            continue
        kind = owner["kind"]
        if kind in ("Deployment", "StatefulSet", "ReplicaSet"):
            desired, ready = int(owner.get("replicas") or 0), int(owner.get("ready_replicas") or 0)
        elif kind == "DaemonSet":
            desired, ready = int(owner.get("desired_scheduled") or 0), int(owner.get("number_ready") or 0)
        elif kind in ("Job", "CronJob"):
            return {"kind": kind, "name": owner["name"], "desired": None, "ready": None, "state": "batch"}
        else:
            continue
        state = _state(ready, desired)
        return {"kind": kind, "name": owner["name"], "desired": desired, "ready": ready, "state": state}
    ready = 1 if pod.get("ready") else 0
    return {"kind": "Pod", "name": pod["name"], "desired": 1, "ready": ready, "state": _state(ready, 1)}


def _service(service: JSON) -> JSON:
    slices = service.get("slices") or []
    if slices:
        endpoints = sum(int(s.get("endpoints") or 0) for s in slices)
        ready = sum(int(s.get("ready_endpoints") or 0) for s in slices)
        counted = "endpointslices"
    else:
        endpoints, ready, counted = int(service.get("pods") or 0), int(service.get("ready_pods") or 0), "pods"
    return {
        "name": service["name"],
        "type": service.get("type") or "ClusterIP",
        "ports": list(service.get("ports") or []),
        "exposed": bool(service.get("exposed")),
        "endpoints": endpoints,
        "ready_endpoints": ready,
        "counted_from": counted,
        "pods": int(service.get("pods") or 0),
        "ready_pods": int(service.get("ready_pods") or 0),
        "state": _state(ready, endpoints) if endpoints else "down",
        "ingresses": sorted(
            ({"name": i["name"], "hosts": list(i.get("hosts") or []), "paths": list(i.get("paths") or []),
              "ingress_class": i.get("ingress_class")} for i in service.get("ingresses") or []),
            key=lambda i: i["name"],
        ),
    }


#: Danger flags of a ServiceAccount's grants (docs/graph.md#what-a-failing-pod-touches).
def dangers(permission: JSON) -> list[str]:
    if permission.get("non_resource_url") is not None:
        return []
    verbs = set(permission.get("verbs") or [])
    group, resource = permission.get("api_group", ""), permission.get("resource", "")
    anything = WILDCARD in verbs
    core = group in ("", WILDCARD)
    found: list[str] = []
    if WILDCARD in verbs or resource == WILDCARD or group == WILDCARD:
        found.append("wildcard")
    if core and resource in ("secrets", WILDCARD) and (anything or verbs & {"get", "list", "watch"}):
        found.append("read-secrets")
    exec_like = ("pods/exec", "pods/attach", "*/exec", "*/attach", WILDCARD)
    if core and resource in exec_like and (anything or verbs & {"create", "get"}):
        found.append("exec")
    workloads = ("deployments", "replicasets", "statefulsets", "daemonsets", "jobs", "cronjobs", WILDCARD)
    makes_pods = (core and resource in ("pods", WILDCARD)) or (
        group in ("apps", "batch", WILDCARD) and resource in workloads
    )
    if makes_pods and (anything or "create" in verbs):
        found.append("create-pods")
    if group in ("rbac.authorization.k8s.io", WILDCARD) and resource in ("roles", "clusterroles", WILDCARD) and (
        anything or verbs & {"bind", "escalate"}
    ):
        found.append("bind-escalate")
    identities = ("users", "groups", "serviceaccounts", "userextras/*", "uids", WILDCARD)
    if group in ("", "authentication.k8s.io", WILDCARD) and resource in identities and (
        anything or "impersonate" in verbs
    ):
        found.append("impersonate")
    if core and resource in ("serviceaccounts/token", "*/token", WILDCARD) and (anything or "create" in verbs):
        found.append("token-request")
    return found


def _service_account(facts: JSON) -> JSON | None:
    account = facts.get("service_account")
    if not account:
        return None
    pod = facts["pod"]
    mounted = pod.get("automount_token")
    if mounted is None:
        mounted = account.get("automount_token")
    permissions: list[JSON] = []
    for row in facts.get("service_account_grants") or []:
        binding, role, subject = row["binding"], row["role"], row["subject"]
        via = "direct" if subject["kind"] == "ServiceAccount" else f"group {subject['name']}"
        for permission in row.get("permissions") or []:
            url = permission.get("non_resource_url")
            if url is not None and binding["scope"] != WILDCARD:
                continue  # a RoleBinding grants no non-resource URL
            entry: JSON = {
                "scope": binding["scope"],
                "api_group": None if url is not None else permission.get("api_group", ""),
                "resource": None if url is not None else permission.get("resource"),
                "non_resource_url": url,
                "resource_names": list(permission.get("resource_names") or []),
                "verbs": list(permission.get("verbs") or []),
                "binding": _ref(binding),
                "role": _ref(role),
                "via": via,
                "dangers": dangers(permission),
            }
            permissions.append(entry)
    permissions.sort(key=lambda p: (
        -len(p["dangers"]), p["scope"], p["api_group"] or "", p["resource"] or p["non_resource_url"] or "",
        p["binding"]["name"],
    ))  # fmt: skip
    return {
        "name": account["name"],
        "namespace": account.get("namespace"),
        "exists": account.get("origin") == "synced",
        "token_mounted": True if mounted is None else bool(mounted),
        "permissions": permissions,
        "dangers": sorted({d for p in permissions for d in p["dangers"]}),
    }


def impact_answer(facts: JSON, *, shared_limit: int = 20) -> JSON:
    pod = facts["pod"]
    owners = _owner_chain(facts.get("chains") or [])
    services = sorted((_service(s) for s in facts.get("services") or []), key=lambda s: s["name"])
    own = {f"{o['kind']}/{o['name']}" for o in owners}
    mounts = [
        {
            "kind": m["kind"],
            "name": m["name"],
            "via": list(m.get("via") or []),
            # A Secret node only ever stands for a reference: the backend cannot read Secrets to know.
            "exists": None if m["kind"] == "Secret" else m.get("origin") == "synced",
            "shared_with": {
                "pods": int(m.get("pods") or 0),
                "pod_names": list(m.get("pod_names") or [])[:shared_limit],
                "workloads": [w for w in m.get("workloads") or [] if w not in own],
            },
        }
        for m in sorted(facts.get("mounts") or [], key=lambda m: (m["kind"], m["name"]))
    ]
    answer = {
        "pod": {
            "namespace": pod["namespace"], "name": pod["name"], "phase": pod.get("phase"),
            "status": pod.get("status"), "ready": bool(pod.get("ready")), "node": pod.get("node_name"),
            "restarts": int(pod.get("restarts") or 0),
        },
        "owners": [
            {"kind": o["kind"], "name": o["name"], "exists": o.get("origin") == "synced", "status": o.get("status")}
            for o in owners
        ],
        "availability": availability(pod, owners),
        "services": services,
        "autoscalers": sorted(
            ({"name": h["name"], "target": {"kind": h["target_kind"], "name": h["target_name"]},
              "min_replicas": h.get("min_replicas"), "max_replicas": h.get("max_replicas"),
              "current_replicas": h.get("current_replicas"), "desired_replicas": h.get("desired_replicas")}
             for h in facts.get("autoscalers") or []),
            key=lambda h: h["name"],
        ),
        "network_policies": sorted(
            ({"name": n["name"], "pod_selector": n.get("pod_selector") or "",
              "policy_types": list(n.get("policy_types") or []), "ingress_rules": int(n.get("ingress_rules") or 0),
              "egress_rules": int(n.get("egress_rules") or 0)} for n in facts.get("network_policies") or []),
            key=lambda n: n["name"],
        ),
        "mounts": mounts,
        "service_account": _service_account(facts),
    }  # fmt: skip
    answer["summary"] = impact_summary(answer)
    return answer


_STATE_ORDER = {"down": 0, "degraded": 1, "scaled-to-zero": 2, "healthy": 3}


def impact_summary(answer: JSON, *, top: int = 5) -> JSON:
    availability_ = answer["availability"]
    services = sorted(answer["services"], key=lambda s: (_STATE_ORDER.get(s["state"], 9), s["name"]))
    ingresses: dict[str, JSON] = {}
    for service in answer["services"]:
        for ingress in service["ingresses"]:
            ingresses.setdefault(ingress["name"], {"name": ingress["name"], "hosts": ingress["hosts"]})
    account = answer["service_account"]
    controller = None
    if availability_["kind"] != "Pod":
        controller = {k: availability_[k] for k in ("kind", "name", "desired", "ready")}
    return {
        "state": availability_["state"],
        "controller": controller,
        "services": [{k: s[k] for k in ("name", "state", "ready_endpoints", "endpoints", "exposed")}
                     for s in services[:top]],
        "services_total": len(services),
        "ingresses": [ingresses[name] for name in sorted(ingresses)][:top],
        "ingresses_total": len(ingresses),
        "autoscalers": len(answer["autoscalers"]),
        "network_policies": len(answer["network_policies"]),
        "shared_mounts": sum(1 for m in answer["mounts"] if m["shared_with"]["pods"] > 0),
        "service_account": None if account is None else {
            "name": account["name"], "token_mounted": account["token_mounted"], "dangers": account["dangers"],
        },
    }  # fmt: skip


# ------------------------------------------------------------------------------------------ the service


def implicit_groups(namespace: str) -> list[str]:
    """The groups every ServiceAccount token of ``namespace`` carries."""
    return [ALL_SERVICE_ACCOUNTS, f"{ALL_SERVICE_ACCOUNTS}:{namespace}", ALL_AUTHENTICATED]


class InsightService:
    def __init__(
        self,
        driver: Callable[[], AsyncDriver | None],
        *,
        database: str | None = None,
        query_timeout: float = 10.0,
        summary_timeout: float = 2.0,
    ) -> None:
        self._driver = driver
        self._database = database
        self._timeout = query_timeout
        self._summary_timeout = summary_timeout
        # After the graph failed a summary, summaries are skipped for a moment: during an outage every incident
        # view would otherwise wait out the budget again.
        self._skip_until = 0.0

    async def _access_facts(self, namespace: str, pod_name: str, seconds: float) -> JSON | None:
        return await facts_of.access_facts(
            self._driver(), namespace, pod_name, groups=QUERY_GROUPS, resources=QUERY_RESOURCES,
            database=self._database, timeout_seconds=seconds,
        )  # fmt: skip

    async def _impact_facts(self, namespace: str, pod_name: str, seconds: float) -> JSON | None:
        return await facts_of.impact_facts(
            self._driver(), namespace, pod_name, implicit_groups=implicit_groups(namespace),
            database=self._database, timeout_seconds=seconds,
        )  # fmt: skip

    @staticmethod
    def _not_found(namespace: str, pod_name: str) -> ApiError:
        return ApiError(404, f"Pod '{pod_name}' not found in namespace '{namespace}'")

    async def access(self, namespace: str, pod_name: str) -> JSON:
        try:
            found = await self._access_facts(namespace, pod_name, self._timeout)
        except GraphUnavailable:
            raise DependencyUnavailable(GRAPH_UNAVAILABLE) from None
        if found is None:
            raise self._not_found(namespace, pod_name)
        return access_answer(found)

    async def impact(self, namespace: str, pod_name: str) -> JSON:
        try:
            found = await self._impact_facts(namespace, pod_name, self._timeout)
        except GraphUnavailable:
            raise DependencyUnavailable(GRAPH_UNAVAILABLE) from None
        if found is None:
            raise self._not_found(namespace, pod_name)
        return impact_answer(found)

    async def _within_budget(self, *calls: Awaitable[JSON | None]) -> list[JSON | None] | None:
        """Run fact reads under the summary budget; None when the graph is absent, failing or too slow."""
        if self._driver() is None or time.monotonic() < self._skip_until:
            for call in calls:
                if isinstance(call, Coroutine):
                    call.close()
            return None
        try:
            async with asyncio.timeout(self._summary_timeout + 0.5):
                return list(await asyncio.gather(*calls))
        except (GraphUnavailable, TimeoutError):
            self._skip_until = time.monotonic() + SUMMARY_RETRY_SECONDS
            return None
        except Exception:
            log.exception("Graph summaries failed")
            return None

    async def summaries(self, namespace: str, pod_name: str) -> tuple[JSON | None, JSON | None]:
        """(access summary, impact summary) for an incident record; (None, None) when the graph cannot answer
        within the summary budget or does not hold the pod. Never raises for an unavailable graph."""
        found = await self._within_budget(
            self._access_facts(namespace, pod_name, self._summary_timeout),
            self._impact_facts(namespace, pod_name, self._summary_timeout),
        )
        if found is None:
            return None, None
        access, impact = found
        return (
            None if access is None else access_answer(access)["summary"],
            None if impact is None else impact_answer(impact)["summary"],
        )

    async def impact_summary(self, namespace: str, pod_name: str) -> JSON | None:
        """The impact summary for the AI prompt, or None (no graph, pod not in it, slow or failing)."""
        found = await self._within_budget(self._impact_facts(namespace, pod_name, self._summary_timeout))
        if not found or found[0] is None:
            return None
        return impact_answer(found[0])["summary"]


