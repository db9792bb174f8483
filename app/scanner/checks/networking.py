"""Networking (docs/catalogue.md#networking)."""

from __future__ import annotations

from app.kube.bodies import as_ingress, as_network_policy, as_service

from .base import Context, FindingDraft, KubeObject, check, draft, kind_name

SERVICE = frozenset({"Service"})
INGRESS = frozenset({"Ingress"})
_SNIPPET_SUFFIXES = ("/configuration-snippet", "/server-snippet", "/auth-snippet", "/stream-snippet")


@check("namespace_without_network_policy", frozenset({"Namespace"}), needs=frozenset({"network_policies"}))
def namespace_without_network_policy(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    if ctx.network_policies:
        return None
    name = kind_name(obj)[1]
    return draft(
        "namespace_without_network_policy",
        "medium",
        f"Namespace '{name}' has no NetworkPolicy; all pod traffic is allowed",
        "Add a default-deny NetworkPolicy and allow the flows the workloads need",
    )


@check("network_policy_allow_all", frozenset({"NetworkPolicy"}))
def network_policy_allow_all(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    spec = as_network_policy(obj).get("spec") or {}
    selector = spec.get("podSelector") or {}
    if selector.get("matchLabels") or selector.get("matchExpressions"):
        return None
    rules = (("ingress", spec.get("ingress")), ("egress", spec.get("egress")))
    directions = [d for d, given in rules if {} in (given or [])]
    if not directions:
        return None
    return draft(
        "network_policy_allow_all",
        "low",
        f"NetworkPolicy '{kind_name(obj)[1]}' allows all {' and '.join(directions)} traffic for every pod of the "
        "namespace",
        "Replace the empty rule with explicit peers and ports",
        directions=directions,
    )


def _open_range(ranges: list[str]) -> bool:
    return not ranges or any(r.strip() in ("0.0.0.0/0", "::/0") for r in ranges)


@check("service_load_balancer", SERVICE)
def service_load_balancer(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    spec = as_service(obj).get("spec") or {}
    if spec.get("type") != "LoadBalancer":
        return None
    ranges = list(spec.get("loadBalancerSourceRanges") or [])
    return draft(
        "service_load_balancer",
        "medium" if _open_range(ranges) else "low",
        f"Service '{kind_name(obj)[1]}' is exposed through a LoadBalancer",
        "Restrict loadBalancerSourceRanges, or publish it through an Ingress or an internal load balancer",
        field="spec.type",
        source_ranges=ranges,
    )


@check("service_node_port", SERVICE)
def service_node_port(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    spec = as_service(obj).get("spec") or {}
    if spec.get("type") != "NodePort":
        return None
    ports = [int(p["nodePort"]) for p in spec.get("ports") or [] if p.get("nodePort")]
    return draft(
        "service_node_port",
        "medium",
        f"Service '{kind_name(obj)[1]}' opens node ports {', '.join(str(p) for p in ports) or '(allocated)'} on "
        "every node",
        "Use a ClusterIP Service behind an Ingress or a LoadBalancer",
        ports=ports,
        field="spec.type",
    )


@check("service_external_name", SERVICE)
def service_external_name(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    spec = as_service(obj).get("spec") or {}
    if spec.get("type") != "ExternalName":
        return None
    target = str(spec.get("externalName") or "")
    return draft(
        "service_external_name",
        "low",
        f"Service '{kind_name(obj)[1]}' resolves to external name '{target}'",
        "Make sure the target is trusted and intended; in-cluster clients follow it without notice",
        hosts=[target],
        field="spec.externalName",
    )


@check("service_external_ips", SERVICE)
def service_external_ips(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    ips = [str(ip) for ip in (as_service(obj).get("spec") or {}).get("externalIPs") or []]
    if not ips:
        return None
    return draft(
        "service_external_ips",
        "high",
        f"Service '{kind_name(obj)[1]}' claims external IPs {', '.join(ips)} and can intercept traffic meant for them",
        "Remove externalIPs, or forbid them with an admission policy",
        ips=ips,
        field="spec.externalIPs",
    )


def _covered(host: str, tls_hosts: list[str]) -> bool:
    for pattern in tls_hosts:
        if pattern == host:
            return True
        # A wildcard certificate covers exactly one label.
        if (
            pattern.startswith("*.")
            and "." in host
            and host.split(".", 1)[1] == pattern[2:]
            and not host.startswith("*.")
        ):
            return True
    return False


@check("ingress_without_tls", INGRESS)
def ingress_without_tls(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    spec = as_ingress(obj).get("spec") or {}
    tls = spec.get("tls") or []
    tls_hosts = [str(h) for entry in tls for h in entry.get("hosts") or []]
    rules = spec.get("rules") or []
    hosts = [str(r.get("host")) for r in rules if r.get("host")]
    hostless = not rules or any(not r.get("host") for r in rules)
    if tls and not hostless and all(_covered(h, tls_hosts) for h in hosts):
        return None
    if tls and hostless and not tls_hosts:
        # A TLS section without hosts applies to every host of the Ingress.
        return None
    uncovered = [h for h in hosts if not tls or not _covered(h, tls_hosts)]
    if tls and not uncovered:
        return None
    label = "all hosts" if not tls and hostless else ", ".join(uncovered) or "all hosts"
    return draft(
        "ingress_without_tls",
        "medium",
        f"Ingress '{kind_name(obj)[1]}' serves {label} without TLS",
        "Add a tls section with a certificate Secret for every host",
        hosts=uncovered,
        field="spec.tls",
    )


@check("ingress_wildcard_host", INGRESS)
def ingress_wildcard_host(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    hosts = [
        str(r.get("host"))
        for r in (as_ingress(obj).get("spec") or {}).get("rules") or []
        if str(r.get("host") or "").startswith("*.")
    ]
    if not hosts:
        return None
    return draft(
        "ingress_wildcard_host",
        "medium",
        f"Ingress '{kind_name(obj)[1]}' routes wildcard host {', '.join(repr(h) for h in hosts)}",
        "List the host names explicitly",
        hosts=hosts,
        field="spec.rules[].host",
    )


@check("ingress_snippet_annotation", INGRESS)
def ingress_snippet_annotation(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    annotations = [k for k in ((obj.get("metadata") or {}).get("annotations") or {}) if k.endswith(_SNIPPET_SUFFIXES)]
    if not annotations:
        return None
    return draft(
        "ingress_snippet_annotation",
        "high",
        f"Ingress '{kind_name(obj)[1]}' injects raw controller configuration through {', '.join(annotations)}",
        "Remove snippet annotations: a snippet runs with the controller's privileges and can read its Secrets",
        annotations=annotations,
    )


CHECKS = [
    namespace_without_network_policy, network_policy_allow_all, service_load_balancer, service_node_port,
    service_external_name, service_external_ips, ingress_without_tls, ingress_wildcard_host,
    ingress_snippet_annotation,
]  # fmt: skip
