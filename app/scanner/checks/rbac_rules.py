"""RBAC rules of Roles and ClusterRoles (docs/catalogue.md#rbac-rules)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from app.kube.bodies import PolicyRule, as_role

from .base import ROLE_KINDS, Check, Context, Evaluate, FindingDraft, KubeObject, check, draft, kind_name

CLUSTER_ROLE = frozenset({"ClusterRole"})


def _resource_matches(granted: Sequence[str], resource: str) -> bool:
    if "*" in granted or resource in granted:
        return True
    if "/" in resource:
        return "*/" + resource.split("/", 1)[1] in granted
    return False


def rule_grants(rule: PolicyRule, group: str, resource: str, verb: str) -> bool:
    """The (group, resource, verb) matcher of docs/catalogue.md#rbac-rules; also used by the RBAC conformance test
    (docs/agent-scanner.md#verifying-rbac)."""
    groups = list(rule.get("apiGroups") or [])
    verbs = list(rule.get("verbs") or [])
    if not ("*" in groups or group in groups):
        return False
    if not ("*" in verbs or verb in verbs):
        return False
    return _resource_matches(list(rule.get("resources") or []), resource)


def _rules(obj: KubeObject, *, with_names: bool = False) -> list[tuple[int, PolicyRule]]:
    out = []
    for i, rule in enumerate(as_role(obj).get("rules") or []):
        if rule.get("resourceNames") and not with_names:
            continue
        out.append((i, rule))
    return out


def _granted(
    obj: KubeObject, triples: Iterable[tuple[str, str, str]], *, with_names: bool = False
) -> tuple[list[int], list[tuple[str, str, str]]]:
    """Indexes of the rules granting any of ``triples``, and which triples are granted."""
    indexes: list[int] = []
    hits: list[tuple[str, str, str]] = []
    wanted = list(triples)
    for i, rule in _rules(obj, with_names=with_names):
        matched = [t for t in wanted if rule_grants(rule, *t)]
        if matched:
            indexes.append(i)
            hits.extend(t for t in matched if t not in hits)
    return indexes, hits


def _is_admin_rule(rule: PolicyRule) -> bool:
    return all("*" in (given or []) for given in (rule.get("apiGroups"), rule.get("resources"), rule.get("verbs")))


def cluster_admin_equivalent(obj: KubeObject) -> list[int]:
    return [i for i, rule in _rules(obj) if _is_admin_rule(rule)]


def _severity(obj: KubeObject, cluster: str, role: str) -> str:
    return cluster if obj.get("kind") == "ClusterRole" else role


@check("rbac_cluster_admin_equivalent", ROLE_KINDS)
def rbac_cluster_admin_equivalent(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    indexes = cluster_admin_equivalent(obj)
    if not indexes:
        return None
    kind, name = kind_name(obj)
    return draft(
        "rbac_cluster_admin_equivalent",
        _severity(obj, "critical", "high"),
        f"{kind} '{name}' grants every verb on every resource (cluster-admin equivalent)",
        "Replace the wildcard rule with the specific resources and verbs the subjects need",
        rules=indexes,
    )


def _implied(fn: Evaluate) -> Evaluate:
    """Every other rule check is implied by (and suppressed under) rbac_cluster_admin_equivalent."""

    def evaluate(obj: KubeObject, ctx: Context) -> FindingDraft | None:
        if cluster_admin_equivalent(obj):
            return None
        return fn(obj, ctx)

    return evaluate


@check("rbac_wildcard_verbs", ROLE_KINDS)
@_implied
def rbac_wildcard_verbs(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    hits = [(i, r) for i, r in _rules(obj) if "*" in (r.get("verbs") or [])]
    if not hits:
        return None
    kind, name = kind_name(obj)
    resources = list(dict.fromkeys(res for _, r in hits for res in r.get("resources") or []))
    return draft(
        "rbac_wildcard_verbs",
        _severity(obj, "high", "medium"),
        f"{kind} '{name}' grants all verbs on {', '.join(resources) or 'no resources'}",
        "List the verbs explicitly",
        rules=[i for i, _ in hits],
        resources=resources,
    )


@check("rbac_wildcard_resources", ROLE_KINDS)
@_implied
def rbac_wildcard_resources(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    hits = [(i, r) for i, r in _rules(obj) if "*" in (r.get("resources") or [])]
    if not hits:
        return None
    kind, name = kind_name(obj)
    verbs = list(dict.fromkeys(v for _, r in hits for v in r.get("verbs") or []))
    groups = list(dict.fromkeys(g for _, r in hits for g in r.get("apiGroups") or []))
    shown = ", ".join(f"'{g}'" for g in groups)
    return draft(
        "rbac_wildcard_resources",
        _severity(obj, "high", "medium"),
        f"{kind} '{name}' grants {', '.join(verbs)} on all resources of API groups {shown}",
        "List the resources explicitly",
        rules=[i for i, _ in hits],
        verbs=verbs,
        groups=groups,
    )


def _triple_check(
    name: str,
    kinds: frozenset[str],
    triples: list[tuple[str, str, str]],
    severity: Callable[[KubeObject], str],
    message: Callable[[str, str, list[tuple[str, str, str]]], str],
    remediation: str,
    *,
    with_names: bool = False,
    extra: Callable[[list[tuple[str, str, str]]], dict[str, Any]] | None = None,
) -> Check:
    @check(name, kinds)
    @_implied
    def evaluate(obj: KubeObject, ctx: Context) -> FindingDraft | None:
        indexes, hits = _granted(obj, triples, with_names=with_names)
        if not indexes:
            return None
        kind, rname = kind_name(obj)
        details: dict[str, Any] = {"rules": indexes}
        if extra:
            details.update(extra(hits))
        return FindingDraft(name, severity(obj), message(kind, rname, hits), remediation, details)

    return evaluate


def _verbs(hits: list[tuple[str, str, str]]) -> list[str]:
    return list(dict.fromkeys(v for _, _, v in hits))


def _resources(hits: list[tuple[str, str, str]]) -> list[str]:
    return list(dict.fromkeys(r for _, r, _ in hits))


rbac_secrets_read = _triple_check(
    "rbac_secrets_read",
    ROLE_KINDS,
    [("", "secrets", v) for v in ("get", "list", "watch")],
    lambda o: _severity(o, "high", "medium"),
    lambda k, n, h: f"{k} '{n}' can read Secrets ({', '.join(_verbs(h))})",
    "Remove secrets from the rule, or limit it to named Secrets with resourceNames",
    extra=lambda h: {"verbs": _verbs(h)},
)
rbac_pod_exec = _triple_check(
    "rbac_pod_exec",
    ROLE_KINDS,
    [("", "pods/exec", v) for v in ("create", "get")],
    lambda o: "high",
    lambda k, n, h: f"{k} '{n}' can execute commands in pods (pods/exec)",
    "Remove pods/exec; keep it for break-glass roles",
)
rbac_pod_attach = _triple_check(
    "rbac_pod_attach",
    ROLE_KINDS,
    [("", "pods/attach", v) for v in ("create", "get")],
    lambda o: "high",
    lambda k, n, h: f"{k} '{n}' can attach to running containers (pods/attach)",
    "Remove pods/attach",
)
rbac_pod_portforward = _triple_check(
    "rbac_pod_portforward",
    ROLE_KINDS,
    [("", "pods/portforward", v) for v in ("create", "get")],
    lambda o: "medium",
    lambda k, n, h: f"{k} '{n}' can port-forward into pods",
    "Remove pods/portforward unless it is a debugging role",
)
rbac_bind_escalate = _triple_check(
    "rbac_bind_escalate",
    ROLE_KINDS,
    [("rbac.authorization.k8s.io", r, v) for r in ("roles", "clusterroles") for v in ("bind", "escalate")],
    lambda o: "critical",
    lambda k, n, h: f"{k} '{n}' can grant permissions it does not hold ({'/'.join(_verbs(h))})",
    "Remove bind/escalate; only cluster administrators need them",
    with_names=True,
    extra=lambda h: {"verbs": _verbs(h)},
)
rbac_impersonate = _triple_check(
    "rbac_impersonate",
    ROLE_KINDS,
    [
        (g, r, "impersonate")
        for g in ("", "authentication.k8s.io")
        for r in ("users", "groups", "serviceaccounts", "uids", "userextras/*")
    ],
    lambda o: "critical",
    lambda k, n, h: f"{k} '{n}' can impersonate {', '.join(_resources(h))}",
    "Remove impersonate",
    with_names=True,
    extra=lambda h: {"resources": _resources(h)},
)
rbac_create_pods = _triple_check(
    "rbac_create_pods",
    ROLE_KINDS,
    [("", "pods", "create"), ("", "replicationcontrollers", "create")]
    + [("apps", r, "create") for r in ("deployments", "replicasets", "statefulsets", "daemonsets")]
    + [("batch", r, "create") for r in ("jobs", "cronjobs")],
    lambda o: _severity(o, "high", "medium"),
    lambda k, n, h: (
        f"{k} '{n}' can create pods ({', '.join(_resources(h))}), and so run them under any "
        "ServiceAccount and mount any Secret of the namespace"
    ),
    "Grant create on pods and workloads only to deployment tooling",
    extra=lambda h: {"resources": _resources(h)},
)
rbac_nodes_proxy = _triple_check(
    "rbac_nodes_proxy",
    CLUSTER_ROLE,
    [("", "nodes/proxy", v) for v in ("get", "create")],
    lambda o: "critical",
    lambda k, n, h: (
        f"ClusterRole '{n}' can reach the kubelet API through nodes/proxy (command execution in any pod of a node)"
    ),
    "Remove nodes/proxy",
)
rbac_token_create = _triple_check(
    "rbac_token_create",
    ROLE_KINDS,
    [("", "serviceaccounts/token", "create")],
    lambda o: "high",
    lambda k, n, h: f"{k} '{n}' can mint tokens for ServiceAccounts",
    "Remove serviceaccounts/token create",
)


@check("rbac_csr_approval", CLUSTER_ROLE)
@_implied
def rbac_csr_approval(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    group = "certificates.k8s.io"
    approve_idx, _ = _granted(obj, [(group, "certificatesigningrequests/approval", v) for v in ("update", "patch")])
    signer_idx, _ = _granted(obj, [(group, "signers", "approve")])
    if not approve_idx or not signer_idx:
        return None
    return draft(
        "rbac_csr_approval",
        "high",
        f"ClusterRole '{kind_name(obj)[1]}' can approve certificate signing requests",
        "Remove CSR approval; leave it to the controller manager",
        rules=sorted(set(approve_idx + signer_idx)),
    )


rbac_webhook_config = _triple_check(
    "rbac_webhook_config",
    CLUSTER_ROLE,
    [
        ("admissionregistration.k8s.io", r, v)
        for r in ("mutatingwebhookconfigurations", "validatingwebhookconfigurations")
        for v in ("create", "update", "patch", "delete")
    ],
    lambda o: "high",
    lambda k, n, h: f"ClusterRole '{n}' can change admission webhooks",
    "Restrict webhook configuration to cluster administrators",
)
rbac_persistent_volume_create = _triple_check(
    "rbac_persistent_volume_create",
    CLUSTER_ROLE,
    [("", "persistentvolumes", "create")],
    lambda o: "medium",
    lambda k, n, h: f"ClusterRole '{n}' can create PersistentVolumes, including hostPath volumes",
    "Let a provisioner create volumes; remove the grant",
)

CHECKS = [
    rbac_cluster_admin_equivalent, rbac_wildcard_verbs, rbac_wildcard_resources, rbac_secrets_read, rbac_pod_exec,
    rbac_pod_attach, rbac_pod_portforward, rbac_bind_escalate, rbac_impersonate, rbac_create_pods, rbac_nodes_proxy,
    rbac_token_create, rbac_csr_approval, rbac_webhook_config, rbac_persistent_volume_create,
]  # fmt: skip
