"""The fuzz tier: schemathesis generates requests from /openapi.json and checks every answer of a real server.

Two runs, one per credential: an admin's cookie session (with a same-origin ``Origin``, as the dashboard sends)
and the service token. Each runs every phase (examples, coverage, fuzzing, stateful) with a fixed seed and a
bounded number of examples per operation, and every check but one:

- on: ``not_a_server_error`` (any 5xx fails — the dependencies are all up, so even a 503 is a defect here),
  ``status_code_conformance`` (an undocumented status fails), ``content_type_conformance``,
  ``response_headers_conformance``, ``response_schema_conformance`` (an undocumented body fails),
  ``negative_data_rejection``, ``missing_required_header``, ``unsupported_method``, ``allow_header_conformance``,
  ``ensure_resource_availability``, ``ignored_auth``, ``object_level_authorization``;
- not fuzzed: the log follow stream (it never ends while the container runs; see ``STREAM``);
- off: ``use_after_free``. It assumes a ``DELETE`` removes what it names, but the contract's dismiss routes
  (``DELETE /api/pods/failed/{pod_id}``, ``DELETE /api/security/findings/{finding_id}``) move a record to
  "ignored"/"dismissed" and it stays readable, by design;
- off: ``positive_data_acceptance``. It expects every request that fits the JSON Schema to succeed, but the API
  checks more than JSON Schema can say: grammars (trusted registries, webhook URLs, label keys), a setting's range
  that depends on the key in the path, strict integers (JSON Schema counts ``97.0`` as an integer), and business
  rules that are 400s by contract (``Cannot delete yourself``). Those answers are documented and checked by the
  conformance checks; only "it should have succeeded" is not asserted.

Figures of the last run are recorded in docs/security.md ("Fuzzing").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import TOKEN
from tests.fuzz.conftest import FuzzTarget

pytestmark = pytest.mark.fuzz

# Fixed for CI; KURE_FUZZ_SEED / KURE_FUZZ_EXAMPLES explore further by hand (docs/security.md, "Fuzzing").
SEED = int(os.environ.get("KURE_FUZZ_SEED", "20261204"))
MAX_EXAMPLES = int(os.environ.get("KURE_FUZZ_EXAMPLES", "12"))
CHECKS_OFF = "positive_data_acceptance,use_after_free"
# A follow stream of a running container never ends, and schemathesis reads whole bodies: it would wait for the
# request timeout on every hit. The stream's answers are covered by tests/logs (framing, statuses) and
# tests/api/test_openapi_truth.py (documented statuses and media type).
STREAM = "/api/pods/{namespace}/{pod_name}/logs/stream"

# Values that exist in the fake cluster and in the seeded records, offered to the generator half of the time so
# the deeper code paths (mirror previews and deploys, logs, manifests) are reached, not only their 404s.
DICTIONARIES = {
    "namespaces": ["shop", "data", "default", "kube-system", "_"],
    "pods": ["web-7d9f8b6c4-abc12", "db-0", "debug"],
    "names": ["web", "web-7d9f8b6c4", "db", "backup", "admin", "pod-reader", "ops-exec", "log-agent"],
    "kinds": ["Deployment", "StatefulSet", "Pod", "ConfigMap", "ClusterRole", "Role", "Secret", "CronJob"],
    "ids": [1, 2, 3],
    "providers": ["slack", "teams", "discord", "webhook"],
    "keys": ["history_retention_minutes", "ignored_retention_minutes", "mirror_ttl_seconds"],
}
PARAMETERS = {
    "path.namespace": "namespaces", "path.pod_name": "pods", "path.name": "names", "path.kind": "kinds",
    "path.pod_id": "ids", "path.finding_id": "ids", "path.user_id": "ids", "path.provider": "providers",
    "path.key": "keys",
}


def _config(path: Path, scheme: str, credential: str) -> Path:
    lines = [f"[auth.openapi.{scheme}]", f'api_key = "{credential}"', ""]
    for name, values in DICTIONARIES.items():
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}", ""]
    lines.append("[parameters]")
    lines += [f'"{key}" = {{ dictionary = "{name}", probability = 0.5 }}' for key, name in PARAMETERS.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def _seed(target: FuzzTarget) -> None:
    """Records the admin run can reach (only the service token can create them)."""
    headers = {"X-Service-Token": TOKEN}
    for pod, namespace in (("web-7d9f8b6c4-abc12", "shop"), ("db-0", "data"), ("debug", "default")):
        response = httpx.post(f"{target.server.url}/api/pods/failed", headers=headers, timeout=10, json={
            "pod_name": pod, "namespace": namespace, "failure_reason": "CrashLoopBackOff",
            "owner_kind": "ReplicaSet" if pod.startswith("web") else None,
            "owner_name": "web-7d9f8b6c4" if pod.startswith("web") else None,
            "container_statuses": [{"name": "app", "restart_count": 3, "exit_code": 1}],
        })
        assert response.status_code == 200, response.text
    finding = httpx.post(f"{target.server.url}/api/security/findings", headers=headers, timeout=10, json={
        "resource_type": "Pod", "resource_name": "debug", "namespace": "default", "check_name": "privileged",
        "severity": "high", "message": "privileged container", "details": {"container": "debug"}})
    assert finding.status_code == 200, finding.text


def run_schemathesis(target: FuzzTarget, tmp_path: Path, *, scheme: str, credential: str,
                     extra: list[str]) -> dict[str, Any]:
    report = tmp_path / f"{scheme}.json"
    command = [
        str(Path(sys.executable).parent / "st"), "--config-file", str(_config(tmp_path / f"{scheme}.toml", scheme,
                                                                             credential)),
        "run", f"{target.server.url}/openapi.json",
        "--checks", "all", "--exclude-checks", CHECKS_OFF,
        "--seed", str(SEED), "--max-examples", str(MAX_EXAMPLES), "--workers", "1",
        "--request-timeout", "30", "--report", "json", "--report-json-path", str(report),
        "--exclude-path", STREAM, *extra,
    ]
    # In the test's own directory: schemathesis keeps a cache (.schemathesis/) where it runs.
    result = subprocess.run(command, capture_output=True, text=True, timeout=1200, check=False, cwd=tmp_path)
    output = result.stdout + result.stderr
    summary = json.loads(report.read_text()) if report.exists() else {}
    figures = _figures(summary)
    print(f"\n[fuzz:{scheme}] {figures}")
    errors = _server_errors(target.server.log())
    assert result.returncode == 0, f"schemathesis found failures ({figures}):\n{output[-20000:]}\n" \
                                   f"server errors:\n{errors}"
    return figures


def _server_errors(log: str) -> str:
    """The end of every traceback in the server log (the frames nearest the error, and the error itself)."""
    lines = log.splitlines()
    out: list[str] = []
    for index, line in enumerate(lines):
        if line.startswith("Traceback"):
            end = next((j for j in range(index + 1, len(lines)) if lines[j] and not lines[j][0].isspace()), index)
            out += [*lines[max(index, end - 8):end + 1], ""]
    return "\n".join(out[-120:]) or log[-3000:]


def _figures(summary: dict[str, Any]) -> dict[str, Any]:
    """Operations tested, test cases (one request each, plus the extra requests some checks send), unique
    failures and seconds, from the JSON report."""
    cases = summary.get("test_cases") or {}
    return {
        "operations": (summary.get("operations") or {}).get("tested"),
        "test_cases": cases.get("generated"),
        "unique_failures": cases.get("unique_failures"),
        "seconds": round(float(summary.get("running_time") or 0), 1),
    }


def test_fuzz_as_the_service_token(fuzz_target: FuzzTarget, tmp_path: Path) -> None:
    run_schemathesis(fuzz_target, tmp_path, scheme="serviceToken", credential=TOKEN, extra=[])


def test_fuzz_as_an_admin_session(fuzz_target: FuzzTarget, tmp_path: Path) -> None:
    _seed(fuzz_target)
    # Same-origin, as the dashboard sends it (the CSRF rule applies to cookie sessions). Logging out would end
    # the session mid-run; the service-token run covers the logout route.
    run_schemathesis(fuzz_target, tmp_path, scheme="cookieAuth", credential=fuzz_target.admin_cookie,
                     extra=["-H", f"Origin: {fuzz_target.origin}", "--exclude-path", "/api/auth/logout"])
