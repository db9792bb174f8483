"""Prompt building. Every piece of evidence is redacted here, before it can reach an LLM provider.

Text evidence (messages, events, logs, container status messages) goes through
:func:`app.incluster.redaction.redact_text`; manifests go through the structured
:func:`app.incluster.redaction.redact_manifest` (env values by name and pattern, command/args, annotations) and are
then cleaned (docs/api.md#source-manifest-and-cleaning). Sizes are capped so one huge log cannot blow the provider's
context window.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from app.ai.manifest import clean_manifest, dump_yaml
from app.incluster.redaction import redact_manifest, redact_text

__all__ = [
    "build_fix_messages", "build_solution_messages", "impact_key", "impact_lines", "prepare_manifest",
    "redacted_evidence",
]  # fmt: skip

MAX_LOG_CHARS = 8_000
MAX_MESSAGE_CHARS = 4_000
MAX_MANIFEST_CHARS = 24_000
MAX_EVENTS = 20

SOLUTION_SYSTEM = (
    "You are a senior Kubernetes site reliability engineer. You diagnose why a pod failed from the evidence "
    "given and explain how to fix it. Answer in Markdown with exactly these sections, in this order: "
    "'## Root Cause' (the specific cause, citing the evidence), '## Fix' (numbered, concrete steps, with YAML or "
    "kubectl commands where useful) and '## Verification' (how to confirm the fix worked). Be specific to this "
    "pod; do not list generic possibilities the evidence rules out. When a 'Cluster impact' section is given, say "
    "in the Root Cause what the failure takes away from users (for example a Service with 0 ready endpoints) and "
    "let it set the urgency. Values shown as <redacted...> were removed on purpose; never ask for them or guess "
    "them."
)

FIX_SYSTEM = (
    "You are a senior Kubernetes engineer. You receive a Kubernetes manifest and a problem description and return "
    "a corrected manifest. Answer with exactly one fenced code block marked yaml that contains the complete "
    "corrected {kind} manifest (a single document, kind: {kind}), followed by a Markdown explanation that starts "
    "with '## Changes Made' and lists each change as a numbered item. Change only what is needed to fix the "
    "problem; keep names, labels, images and every other field as they are. Do not add privileges "
    "(privileged, hostNetwork, hostPID, hostIPC, hostPath volumes, added capabilities, privilege escalation, "
    "another service account). Keep values shown as <redacted...> unchanged."
)


def _tail(text: str, limit: int) -> str:
    return text if len(text) <= limit else "[… earlier output truncated …]\n" + text[-limit:]


def _head(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "\n[… truncated …]"


def _s(value: object) -> str:
    return value if isinstance(value, str) else ""


def prepare_manifest(manifest: object, secrets: Iterable[str] = ()) -> dict[str, Any] | None:
    """Parse (if text), redact and clean a manifest for a prompt; ``None`` when it is not a YAML mapping."""
    obj: object = manifest
    if isinstance(manifest, str):
        if not manifest.strip():
            return None
        try:
            obj = yaml.safe_load(manifest)
        except yaml.YAMLError:
            return None
    if not isinstance(obj, dict):
        return None
    redacted = redact_manifest(obj, secrets)
    return clean_manifest(redacted) if isinstance(redacted, dict) else None


_DANGER_WORDS = {
    "wildcard": "holds wildcard grants", "read-secrets": "may read Secrets", "exec": "may exec into pods",
    "create-pods": "may create pods", "bind-escalate": "may bind or escalate roles", "impersonate": "may impersonate",
    "token-request": "may request ServiceAccount tokens",
}  # fmt: skip


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def impact_lines(impact: Mapping[str, Any]) -> list[str]:
    """The graph's impact summary (docs/graph.md#what-a-failing-pod-touches) as prompt lines. It holds names of
    workloads, Services, Ingresses and the ServiceAccount, counts and states — no Secret names and nothing of any
    Secret's or ConfigMap's content."""
    lines = ["Cluster impact (from Kure's cluster graph, at the time of this report):"]
    controller = impact.get("controller")
    if controller:
        lines.append(
            f"- Controller: {controller['kind']} {controller['name']} — {controller.get('ready')} of "
            f"{controller.get('desired')} replicas ready ({impact.get('state')})"
        )
    else:
        lines.append(f"- The pod has no controller; it is {impact.get('state')}")
    for service in impact.get("services") or []:
        exposed = ", exposed outside the cluster" if service.get("exposed") else ""
        lines.append(
            f"- Service {service['name']}{exposed}: {service['ready_endpoints']} of {service['endpoints']} "
            f"endpoints ready ({service['state']})"
        )
    hidden = int(impact.get("services_total") or 0) - len(impact.get("services") or [])
    if hidden > 0:
        lines.append(f"- {_count(hidden, 'more Service')} select the pod")
    for ingress in impact.get("ingresses") or []:
        hosts = ", ".join(ingress.get("hosts") or []) or "any host"
        lines.append(f"- Ingress {ingress['name']} ({hosts}) routes to these Services")
    extras = []
    if impact.get("autoscalers"):
        extras.append(f"{_count(int(impact['autoscalers']), 'HorizontalPodAutoscaler')} scale its controller")
    if impact.get("network_policies"):
        extras.append(f"{_count(int(impact['network_policies']), 'NetworkPolicy')} select the pod")
    if impact.get("shared_mounts"):
        extras.append(f"{_count(int(impact['shared_mounts']), 'mounted object')} shared with other pods")
    if extras:
        lines.append("- " + "; ".join(extras))
    account = impact.get("service_account")
    if account:
        mounted = "token mounted" if account.get("token_mounted") else "token not mounted"
        risks = ", ".join(_DANGER_WORDS.get(d, d) for d in account.get("dangers") or []) or "no risky grants"
        lines.append(f"- ServiceAccount {account['name']} ({mounted}): {risks}")
    return lines


def impact_key(impact: Mapping[str, Any] | None) -> str:
    """What of the impact an AI answer depends on, for the answer cache: the controller, the Services and their
    states (not the exact counts, so one crash storm does not defeat the cache)."""
    if not impact:
        return ""
    controller = impact.get("controller") or {}
    services = ",".join(f"{s.get('name')}:{s.get('state')}" for s in impact.get("services") or [])
    return f"{controller.get('kind', '')}/{controller.get('name', '')}:{impact.get('state')};{services}"


def redacted_evidence(report: Mapping[str, Any], secrets: Iterable[str] = ()) -> str:
    """The pod-failure evidence as prompt text, every value redacted."""
    secrets = tuple(secrets)
    lines = [
        f"Pod: {_s(report.get('namespace'))}/{_s(report.get('pod_name'))}",
        f"Failure reason: {redact_text(_s(report.get('failure_reason')) or 'Unknown', secrets)}",
        f"Failure message: {_head(redact_text(_s(report.get('failure_message')), secrets), MAX_MESSAGE_CHARS)}",
    ]
    for label, key in (("Phase", "phase"), ("Node", "node_name"), ("Owner kind", "owner_kind"),
                       ("Owner name", "owner_name")):
        if _s(report.get(key)):
            lines.append(f"{label}: {redact_text(_s(report.get(key)), secrets)}")
    statuses = [s for s in report.get("container_statuses") or () if isinstance(s, Mapping)]
    if statuses:
        lines.append("Container statuses:")
        for status in statuses:
            lines.append(
                "- name={name} image={image} state={state} reason={reason} exit_code={exit_code} "
                "restarts={restarts} ready={ready} message={message}".format(
                    name=redact_text(_s(status.get("name")), secrets),
                    image=redact_text(_s(status.get("image")), secrets),
                    state=_s(status.get("state")),
                    reason=redact_text(_s(status.get("reason")), secrets),
                    exit_code=status.get("exit_code"),
                    restarts=status.get("restart_count"),
                    ready=status.get("ready"),
                    message=_head(redact_text(_s(status.get("message")), secrets), 1000),
                )
            )
    events = [e for e in report.get("events") or () if isinstance(e, Mapping)][:MAX_EVENTS]
    if events:
        lines.append("Events (newest first):")
        for event in events:
            lines.append(
                f"- [{_s(event.get('type'))}] {_s(event.get('reason'))} x{event.get('count') or 1}: "
                f"{_head(redact_text(_s(event.get('message')), secrets), 1000)}"
            )
    manifest = prepare_manifest(report.get("manifest"), secrets)
    if manifest is not None:
        lines += ["Pod manifest (cleaned, secrets redacted):", "```yaml",
                  _head(dump_yaml(manifest), MAX_MANIFEST_CHARS).rstrip(), "```"]
    logs = redact_text(_s(report.get("logs")), secrets)
    if logs.strip():
        lines += ["Container logs (tail, secrets redacted):", "```", _tail(logs, MAX_LOG_CHARS).rstrip(), "```"]
    impact = report.get("graph_impact")
    if isinstance(impact, Mapping):
        lines += [redact_text(line, secrets) for line in impact_lines(impact)]
    return "\n".join(lines)


def build_solution_messages(
    report: Mapping[str, Any], secrets: Iterable[str] = (), rule_hint: str | None = None
) -> list[dict[str, str]]:
    """Chat messages asking for a diagnosis of a pod failure."""
    secrets = tuple(secrets)
    user = "Diagnose this Kubernetes pod failure.\n\n" + redacted_evidence(report, secrets)
    if rule_hint:
        user += ("\n\nA rule-based first analysis (may be incomplete; improve on it):\n"
                 + _head(redact_text(rule_hint, secrets), 6000))
    return [{"role": "system", "content": SOLUTION_SYSTEM}, {"role": "user", "content": user}]


def build_fix_messages(
    kind: str, manifest: Mapping[str, Any], problem: str, secrets: Iterable[str] = ()
) -> list[dict[str, str]]:
    """Chat messages asking for a corrected manifest of ``kind``.

    ``manifest`` must already be prepared (:func:`prepare_manifest`); ``problem`` is free text built by the caller
    from redacted evidence and is redacted again here.
    """
    secrets = tuple(secrets)
    body = _head(dump_yaml(dict(manifest)), MAX_MANIFEST_CHARS).rstrip()
    user = (f"Problem:\n{_head(redact_text(problem, secrets), 12_000)}\n\n"
            f"Current {kind} manifest:\n```yaml\n{body}\n```")
    return [{"role": "system", "content": FIX_SYSTEM.format(kind=kind)}, {"role": "user", "content": user}]
