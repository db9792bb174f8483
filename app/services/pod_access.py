"""Who can act on a pod (docs/graph.md#who-can-act-on-a-pod): the requests that matter for a pod, Kubernetes'
decision for each over the graph's RBAC facts (graph/authorize.py), and the answer with its granting paths, built-in
identities, dangling bindings and summary. Pure functions over the facts of graph/insight.py."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any

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

JSON = dict[str, Any]

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


def owner_chain(chains: list[JSON]) -> list[JSON]:
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
    for owner in owner_chain(facts.get("chains") or []):
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


def ref(obj: JSON) -> JSON:
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
                "binding": ref(binding),
                "role": {**ref(role),
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
            dangling.append({"binding": ref(binding), "role": ref(role),
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
