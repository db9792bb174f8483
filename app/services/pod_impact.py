"""What a failing pod touches (docs/graph.md#what-a-failing-pod-touches): its owners and their ready replicas, the
Services, Ingresses, autoscalers and policies around it, what it mounts and who shares it, and what its
ServiceAccount may do, with danger flags; and the summary an incident record and the AI prompt carry. Pure
functions over the facts of graph/insight.py."""

from __future__ import annotations

from typing import Any

from app.services.pod_access import owner_chain, ref
from graph.authorize import ALL_AUTHENTICATED, ALL_SERVICE_ACCOUNTS, WILDCARD
from graph.relationships import APPLIES_TO, SELECTS
from graph.selectors import labels_to_map, matches

JSON = dict[str, Any]

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
                "binding": ref(binding),
                "role": ref(role),
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
    owners = owner_chain(facts.get("chains") or [])
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


def implicit_groups(namespace: str) -> list[str]:
    """The groups every ServiceAccount token of ``namespace`` carries."""
    return [ALL_SERVICE_ACCOUNTS, f"{ALL_SERVICE_ACCOUNTS}:{namespace}", ALL_AUTHENTICATED]


def _selects(selectors: tuple[Any, ...], labels: dict[str, str]) -> bool:
    return any(matches(selector, labels) for selector in selectors)


def mirror_blast_radius(answer: JSON, facts: JSON, mirror_labels: dict[str, str]) -> JSON:
    """How a mirror pod's blast radius differs from its source's (docs/mirror.md#what-a-mirror-changes): the source's
    impact ``answer`` and ``facts`` (with the namespace's selectors), and the labels the mirror gets instead of the
    source's. The mirror keeps the source's ServiceAccount and volumes (the gate allows no other), so what changes
    is what selects it by labels and what owns it."""
    source_labels = labels_to_map((facts.get("pod") or {}).get("labels"))
    services_source = {s["name"] for s in answer["services"]}
    policies_source = {p["name"] for p in answer["network_policies"]}
    services_mirror: set[str] = set()
    policies_mirror: dict[str, list[str]] = {}
    policy_types: dict[str, list[str]] = {}
    for item in facts.get("selectors") or []:
        if item.get("kind") == "Service":
            if _selects(SELECTS.read_selectors(item.get("selector")), mirror_labels):
                services_mirror.add(item["name"])
        else:
            types = list(item.get("policy_types") or [])
            policy_types[item["name"]] = types
            if _selects(APPLIES_TO.read_selectors(item.get("pod_selector_json")), mirror_labels):
                policies_mirror[item["name"]] = types

    def isolated(names: set[str], direction: str) -> bool:
        return any(direction in policy_types.get(name, []) for name in names)

    account = answer.get("service_account")
    mirror_policies = set(policies_mirror)
    lost = [
        {"direction": direction, "policies": sorted(
            name for name in policies_source - mirror_policies if direction in policy_types.get(name, []))}
        for direction in ("Ingress", "Egress")
        if isolated(policies_source, direction) and not isolated(mirror_policies, direction)
    ]  # fmt: skip
    return {
        "source_labels": source_labels,
        "mirror_labels": dict(mirror_labels),
        "services_left": sorted(services_source - services_mirror),
        "services_joined": sorted(services_mirror - services_source),
        "network_policies_left": sorted(policies_source - mirror_policies),
        "network_policies_kept": sorted(policies_source & mirror_policies),
        "network_policies_joined": sorted(mirror_policies - policies_source),
        "ingress_isolated": {"source": isolated(policies_source, "Ingress"),
                             "mirror": isolated(mirror_policies, "Ingress")},
        "egress_isolated": {"source": isolated(policies_source, "Egress"),
                            "mirror": isolated(mirror_policies, "Egress")},
        "isolation_lost": lost,
        "controllers_left": [{"kind": o["kind"], "name": o["name"]} for o in answer["owners"]],
        "autoscalers_left": [h["name"] for h in answer["autoscalers"]],
        "service_account": None if account is None else {
            "name": account["name"], "token_mounted": account["token_mounted"], "dangers": account["dangers"],
        },
        "shared_mounts": [{"kind": m["kind"], "name": m["name"]} for m in answer["mounts"]],
        "read_write_once_claims": sorted(
            m["name"] for m in facts.get("mounts") or []
            if m.get("kind") == "PersistentVolumeClaim"
            and {"ReadWriteOnce", "ReadWriteOncePod"} & set(m.get("access_modes") or [])
        ),
    }  # fmt: skip
