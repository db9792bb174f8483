"""Fix generation shared by the mirror preview (docs/api.md#previewing-a-fix) and the security fix
(docs/api.md#fixing-a-finding).

:func:`propose_fix` asks the LLM for a corrected manifest and returns either a :class:`FixProposal` or a
:class:`FixFallback` naming why there is none; it never raises for LLM or parsing problems. The two route-level
helpers turn that into the exact preview and security-fix results (docs/api.md#previewing-a-fix,
docs/api.md#fixing-a-finding), fallbacks included.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from app.ai.llm import LlmClient, LlmConfig, LlmError
from app.ai.manifest import ManifestError, clean_manifest, dump_yaml, load_single_object
from app.ai.prompts import build_fix_messages, prepare_manifest, redacted_evidence
from app.ai.rules import rule_solution
from app.incluster.redaction import REDACTED

__all__ = [
    "FixFallback",
    "FixProposal",
    "FixResult",
    "mirror_preview",
    "parse_fix_answer",
    "propose_fix",
    "security_fix",
]

log = logging.getLogger(__name__)

FallbackReason = Literal["not_configured", "no_manifest", "llm_failed", "no_usable_manifest"]

_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\r?\n(.*?)```", re.DOTALL)
_DEFAULT_EXPLANATION = "## Changes Made\n1. The model returned a corrected manifest without an explanation."


@dataclass(frozen=True)
class FixProposal:
    manifest: dict[str, Any]  # cleaned (docs/api.md#source-manifest-and-cleaning)
    manifest_yaml: str  # dump_yaml(manifest)
    explanation: str


@dataclass(frozen=True)
class FixFallback:
    reason: FallbackReason


FixOutcome = FixProposal | FixFallback


@dataclass(frozen=True)
class FixResult:
    """The body of a preview (docs/api.md#previewing-a-fix) or security fix (docs/api.md#fixing-a-finding, plus
    ``finding_id`` added by the route)."""

    fixed_manifest: str
    explanation: str
    is_fallback: bool
    fallback_reason: FallbackReason | None = None

    def as_dict(self) -> dict[str, object]:
        return {"fixed_manifest": self.fixed_manifest, "explanation": self.explanation,
                "is_fallback": self.is_fallback}


def _usable(obj: object, kind: str) -> bool:
    if not isinstance(obj, dict) or obj.get("kind") != kind or not isinstance(obj.get("spec"), dict):
        return False
    if kind == "Pod":
        containers = obj["spec"].get("containers")
        return (isinstance(containers, list) and bool(containers)
                and all(isinstance(c, dict) and c.get("name") and c.get("image") for c in containers))
    return True


def parse_fix_answer(answer: str, expected_kind: str) -> tuple[dict[str, Any], str] | None:
    """Split an LLM answer into (manifest of ``expected_kind``, Markdown explanation); ``None`` when unusable.

    The first fenced block holding exactly one usable object of the kind wins; an answer that is bare YAML is
    accepted too. The explanation is the rest of the answer.
    """
    for match in _FENCE.finditer(answer):
        try:
            obj = load_single_object(match.group(2))
        except ManifestError:
            continue
        if _usable(obj, expected_kind):
            explanation = (answer[: match.start()] + answer[match.end():]).strip()
            return obj, explanation or _DEFAULT_EXPLANATION
    if "```" not in answer:
        try:
            obj = load_single_object(answer)
        except ManifestError:
            return None
        if _usable(obj, expected_kind):
            return obj, _DEFAULT_EXPLANATION
    return None


def _restore_redacted(fixed: dict[str, Any], source: Mapping[str, Any]) -> None:
    """Put back env values that were redacted for the prompt, from the same container and variable of the source.

    The model only ever saw ``<redacted>``; the real values never left the process and the deployed manifest
    needs them.
    """
    def env_values(obj: Mapping[str, Any]) -> dict[tuple[str, str, str], Any]:
        values: dict[tuple[str, str, str], Any] = {}
        spec = obj.get("spec")
        if not isinstance(spec, dict):
            return values
        for list_name in ("initContainers", "containers"):
            for container in spec.get(list_name) or ():
                if not isinstance(container, dict):
                    continue
                for env in container.get("env") or ():
                    if isinstance(env, dict) and "value" in env and isinstance(env.get("name"), str):
                        values[(list_name, str(container.get("name")), env["name"])] = env["value"]
        return values

    original = env_values(source)
    spec = fixed.get("spec")
    if not isinstance(spec, dict):
        return
    for list_name in ("initContainers", "containers"):
        for container in spec.get(list_name) or ():
            if not isinstance(container, dict):
                continue
            for env in container.get("env") or ():
                if isinstance(env, dict) and env.get("value") == REDACTED:
                    key = (list_name, str(container.get("name")), str(env.get("name")))
                    if key in original and original[key] != REDACTED:
                        env["value"] = original[key]


async def propose_fix(
    llm: LlmClient,
    config: LlmConfig | None,
    *,
    manifest: Mapping[str, Any] | None,
    problem: str,
    secrets: Iterable[str] = (),
) -> FixOutcome:
    """Ask for a corrected version of ``manifest`` (its own ``kind``); every failure is a :class:`FixFallback`."""
    if config is None:
        return FixFallback("not_configured")
    if not manifest or not isinstance(manifest.get("kind"), str):
        return FixFallback("no_manifest")
    secrets = tuple(secrets)
    kind = str(manifest["kind"])
    prepared = prepare_manifest(dict(manifest), secrets)
    if prepared is None:
        return FixFallback("no_manifest")
    try:
        answer = await llm.complete(config, build_fix_messages(kind, prepared, problem, secrets))
    except LlmError as exc:
        log.info("Fix generation via %s failed (%s); using the fallback", config.provider, exc.kind)
        return FixFallback("llm_failed")
    parsed = parse_fix_answer(answer, kind)
    if parsed is None:
        log.info("Fix generation via %s returned no usable %s manifest; using the fallback", config.provider, kind)
        return FixFallback("no_usable_manifest")
    fixed, explanation = parsed
    _restore_redacted(fixed, manifest)
    cleaned = clean_manifest(fixed)
    return FixProposal(manifest=cleaned, manifest_yaml=dump_yaml(cleaned), explanation=explanation)


async def mirror_preview(
    llm: LlmClient,
    config: LlmConfig | None,
    record: Mapping[str, Any],
    source_manifest: Mapping[str, Any],
    secrets: Iterable[str] = (),
) -> FixResult:
    """An AI-fixed Pod for a pod failure, or the cleaned source with the record's rule solution
    (docs/api.md#previewing-a-fix).

    ``source_manifest`` is the parsed, validated source Pod (the caller reads it live and answers its 404/503:
    docs/mirror.md#source-and-generation). The result's ``fixed_manifest`` is cleaned YAML with sorted keys.
    """
    secrets = tuple(secrets)
    problem = ("The pod below failed. Propose the smallest change to its Pod manifest that fixes the failure.\n\n"
               + redacted_evidence({**record, "manifest": ""}, secrets))
    outcome = await propose_fix(llm, config, manifest=source_manifest, problem=problem, secrets=secrets)
    if isinstance(outcome, FixProposal):
        return FixResult(outcome.manifest_yaml, outcome.explanation, is_fallback=False)
    fallback_yaml = dump_yaml(clean_manifest(dict(source_manifest)))
    return FixResult(fallback_yaml, rule_solution(record, secrets), is_fallback=True,
                     fallback_reason=outcome.reason)


async def security_fix(
    llm: LlmClient,
    config: LlmConfig | None,
    finding: Mapping[str, Any],
    manifest_text: str | None,
    secrets: Iterable[str] = (),
) -> FixResult:
    """An AI-fixed manifest for a security finding, or ``""`` with the finding's remediation
    (docs/api.md#fixing-a-finding).

    ``manifest_text`` is the finding's stored manifest (the live object is never read).
    """
    secrets = tuple(secrets)
    remediation = finding.get("remediation")
    fallback_text = remediation if isinstance(remediation, str) else ""
    manifest: dict[str, Any] | None = None
    if manifest_text and manifest_text.strip():
        try:
            manifest = load_single_object(manifest_text)
        except ManifestError:
            manifest = None
    details = finding.get("details")
    problem = "\n".join([
        "A security scanner reported this finding on the manifest below. Fix it.",
        f"Check: {finding.get('check_name')}",
        f"Severity: {finding.get('severity')}",
        f"Resource: {finding.get('resource_type')} {finding.get('namespace') or ''}/{finding.get('resource_name')}",
        f"Message: {finding.get('message')}",
        f"Suggested remediation: {fallback_text}",
        f"Details: {json.dumps(details, sort_keys=True, default=str) if isinstance(details, dict) else '{}'}",
    ])
    outcome = await propose_fix(llm, config, manifest=manifest, problem=problem, secrets=secrets)
    if isinstance(outcome, FixProposal):
        return FixResult(outcome.manifest_yaml, outcome.explanation, is_fallback=False)
    return FixResult("", fallback_text, is_fallback=True, fallback_reason=outcome.reason)
