"""Fix generation for the mirror preview and the security fix (docs/api.md#previewing-a-fix,
docs/api.md#fixing-a-finding): success, parsing, every fallback path, redaction."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from app.ai.fixes import FixFallback, FixProposal, mirror_preview, parse_fix_answer, propose_fix, security_fix
from app.ai.llm import LlmClient, LlmConfig
from app.ai.manifest import clean_manifest, dump_yaml
from app.ai.rules import rule_solution
from tests.fakes.openai_server import FakeOpenAI, Reply

pytestmark = pytest.mark.unit

PLANTED = "s3cr3t-PLANTED-4242"


def source_pod() -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "hog-1", "namespace": "shop", "uid": "u-1", "resourceVersion": "9",
                     "labels": {"app": "hog"}},
        "spec": {
            "nodeName": "worker-1",
            "containers": [{
                "name": "hog", "image": "polinux/stress:1.0.4",
                "resources": {"limits": {"memory": "64Mi"}},
                "env": [{"name": "DB_PASSWORD", "value": PLANTED}, {"name": "MODE", "value": "prod"}],
                "terminationMessagePath": "/dev/termination-log",
            }],
        },
        "status": {"phase": "Running"},
    }


def record() -> dict[str, Any]:
    return {
        "id": 5, "pod_name": "hog-1", "namespace": "shop", "failure_reason": "OOMKilled",
        "failure_message": "Container 'hog' was OOMKilled (exit code 137, memory limit 64Mi); restarts: 3",
        "container_statuses": [{"name": "hog", "image": "polinux/stress:1.0.4", "exit_code": 137}],
        "events": [], "logs": f"allocating... password={PLANTED}", "manifest": "",
        "solution": "## Root Cause\nAI text that must not be used as the fallback",
    }


FIXED_POD = """apiVersion: v1
kind: Pod
metadata:
  name: hog-1
  namespace: shop
  uid: should-be-cleaned
spec:
  nodeName: worker-1
  containers:
  - name: hog
    image: polinux/stress:1.0.4
    resources:
      limits:
        memory: 512Mi
    env:
    - name: DB_PASSWORD
      value: <redacted>
    - name: MODE
      value: prod
"""

ANSWER = f"Here is the fix.\n\n```yaml\n{FIXED_POD}```\n\n## Changes Made\n1. Raised the memory limit to 512Mi.\n"


def config(fake: FakeOpenAI) -> LlmConfig:
    return LlmConfig("openai_compatible", "sk-key-0123456789", "m", fake.base_url)


def client() -> LlmClient:
    async def no_sleep(delay: float) -> None:
        return None

    return LlmClient(sleep=no_sleep)


# --- parsing ------------------------------------------------------------------------------------------------------

def test_parse_answer_with_fenced_yaml() -> None:
    parsed = parse_fix_answer(ANSWER, "Pod")
    assert parsed is not None
    manifest, explanation = parsed
    assert manifest["spec"]["containers"][0]["resources"]["limits"]["memory"] == "512Mi"
    assert explanation.startswith("Here is the fix.")
    assert "## Changes Made" in explanation and "```" not in explanation


def test_parse_answer_skips_unusable_blocks() -> None:
    answer = "```bash\nkubectl apply -f x\n```\n```yaml\nkind: Service\nspec: {}\n```\n```yml\n" + FIXED_POD + \
             "```\n## Changes Made\n1. x"
    parsed = parse_fix_answer(answer, "Pod")
    assert parsed is not None and parsed[0]["kind"] == "Pod"


def test_parse_bare_yaml_answer() -> None:
    parsed = parse_fix_answer(FIXED_POD, "Pod")
    assert parsed is not None
    assert parsed[1].startswith("## Changes Made")


@pytest.mark.parametrize("answer", [
    "I cannot help with that.",
    "```yaml\nkind: Pod\nspec: [unclosed\n```",
    "```yaml\nkind: Deployment\nspec: {template: {}}\n```",
    "```yaml\nkind: Pod\nspec: {containers: []}\n```",
    "```yaml\nkind: Pod\nspec: {containers: [{name: a}]}\n```",
    "```yaml\n" + FIXED_POD + "---\n" + FIXED_POD + "```",
    "- just\n- a list\n",
])
def test_unusable_answers(answer: str) -> None:
    assert parse_fix_answer(answer, "Pod") is None


# --- propose_fix fallbacks --------------------------------------------------------------------------------------

async def test_no_llm_configured_is_a_fallback() -> None:
    assert await propose_fix(client(), None, manifest=source_pod(), problem="p") == FixFallback("not_configured")


async def test_missing_manifest_is_a_fallback(fake_llm: FakeOpenAI) -> None:
    assert await propose_fix(client(), config(fake_llm), manifest=None, problem="p") == FixFallback("no_manifest")
    assert await propose_fix(client(), config(fake_llm), manifest={"spec": {}}, problem="p") == \
        FixFallback("no_manifest")
    assert fake_llm.chat_requests == []


async def test_llm_failure_is_a_fallback(fake_llm: FakeOpenAI) -> None:
    fake_llm.push(Reply.error(500), Reply.error(500), Reply.error(500))
    outcome = await propose_fix(client(), config(fake_llm), manifest=source_pod(), problem="p")
    assert outcome == FixFallback("llm_failed")


@pytest.mark.parametrize("reply", [Reply.malformed(), Reply.empty(), Reply.text("no manifest here")])
async def test_unusable_llm_output_is_a_fallback(fake_llm: FakeOpenAI, reply: Reply) -> None:
    fake_llm.push(reply)
    outcome = await propose_fix(client(), config(fake_llm), manifest=source_pod(), problem="p")
    assert isinstance(outcome, FixFallback)
    assert outcome.reason in ("llm_failed", "no_usable_manifest")


async def test_successful_fix_is_cleaned_and_restores_redacted_values(fake_llm: FakeOpenAI) -> None:
    fake_llm.push(Reply.text(ANSWER))
    outcome = await propose_fix(client(), config(fake_llm), manifest=source_pod(), problem="OOM")
    assert isinstance(outcome, FixProposal)
    assert "uid" not in outcome.manifest["metadata"] and "nodeName" not in outcome.manifest["spec"]
    env = outcome.manifest["spec"]["containers"][0]["env"]
    assert env[0] == {"name": "DB_PASSWORD", "value": PLANTED}  # put back locally, never sent
    assert yaml.safe_load(outcome.manifest_yaml) == outcome.manifest
    sent = fake_llm.chat_requests[0]
    assert PLANTED not in sent.raw
    assert "kind: Pod" in sent.prompt_text and "64Mi" in sent.prompt_text


# --- mirror preview (docs/api.md#previewing-a-fix) --------------------------------------------------------------------

async def test_mirror_preview_with_llm(fake_llm: FakeOpenAI) -> None:
    fake_llm.push(Reply.text(ANSWER))
    result = await mirror_preview(client(), config(fake_llm), record(), source_pod())
    assert result.is_fallback is False
    assert "512Mi" in result.fixed_manifest
    assert "## Changes Made" in result.explanation
    assert result.as_dict().keys() == {"fixed_manifest", "explanation", "is_fallback"}
    sent = fake_llm.chat_requests[0].raw
    assert PLANTED not in sent and "OOMKilled" in sent


@pytest.mark.parametrize("script", [[], [Reply.error(503)] * 3, [Reply.text("sorry, no idea")]],
                         ids=["no-llm", "llm-fails", "no-usable-manifest"])
async def test_mirror_preview_fallback(fake_llm: FakeOpenAI, script: list[Reply]) -> None:
    fake_llm.push(*script)
    llm_config = config(fake_llm) if script else None
    result = await mirror_preview(client(), llm_config, record(), source_pod())
    assert result.is_fallback is True
    assert result.fixed_manifest == dump_yaml(clean_manifest(source_pod()))
    assert result.explanation == rule_solution(record())
    assert result.explanation.startswith("## Root Cause")


# --- security fix (docs/api.md#fixing-a-finding) ----------------------------------------------------------------------

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: insecure-nginx
  namespace: test-security
spec:
  template:
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        securityContext:
          privileged: true
        env:
        - name: API_TOKEN
          value: {planted}
"""

FINDING = {
    "id": 1, "resource_type": "Deployment", "resource_name": "insecure-nginx", "namespace": "test-security",
    "check_name": "privileged_container", "severity": "critical",
    "message": "Container 'nginx' is running in privileged mode",
    "remediation": "Remove 'privileged: true' from securityContext",
    "details": {"container": "nginx", "field": "securityContext.privileged"},
}


async def test_security_fix_with_llm(fake_llm: FakeOpenAI) -> None:
    fixed = DEPLOYMENT.format(planted="<redacted>").replace("privileged: true", "privileged: false")
    fake_llm.push(Reply.text(f"```yaml\n{fixed}```\n\nRemoved privileged: true from container nginx."))
    result = await security_fix(client(), config(fake_llm), FINDING, DEPLOYMENT.format(planted=PLANTED))
    assert result.is_fallback is False
    assert "privileged: false" in result.fixed_manifest
    assert result.explanation == "Removed privileged: true from container nginx."
    sent = fake_llm.chat_requests[0]
    assert PLANTED not in sent.raw
    assert "privileged_container" in sent.prompt_text


@pytest.mark.parametrize(("manifest", "script", "configured"), [
    (DEPLOYMENT, [], False),
    ("", [], True),
    ("{not yaml", [], True),
    (DEPLOYMENT, [Reply.error(401)], True),
    (DEPLOYMENT, [Reply.text("```yaml\nkind: Pod\nspec: {containers: [{name: a, image: b}]}\n```")], True),
], ids=["no-llm", "no-manifest", "bad-manifest", "llm-fails", "wrong-kind"])
async def test_security_fix_fallbacks(
    fake_llm: FakeOpenAI, manifest: str, script: list[Reply], configured: bool
) -> None:
    fake_llm.push(*script)
    result = await security_fix(client(), config(fake_llm) if configured else None, FINDING,
                                manifest.replace("{planted}", "x"))
    assert (result.fixed_manifest, result.explanation, result.is_fallback) == \
        ("", FINDING["remediation"], True)
