"""Scanner benchmark (docs/agent-scanner.md#scale-targets): full scan of a generated cluster and steady-state CPU.

Two figures:

1. evaluation only: every object of ``--workloads`` (5,000) Deployments plus ``--rbac`` (2,000) RBAC objects
   evaluated by the pure engine on one core (target: 10,000 pod-template resources + 2,000 RBAC objects in < 10 s);
2. end to end: the real scanner (``run_scanner``) against the fake Kubernetes API server and a fake backend:
   wall time of the startup full scan, objects/s, and the HTTP requests made (target: one per finding, none for a
   check that passed), then ``--churn`` status-only updates (target: zero requests) and ``--idle`` seconds with no
   change (process CPU; the fake servers share the process, so it is an upper bound).

Usage: ``.venv/bin/python -m bench.scanner [--workloads 5000] [--rbac 2000] [--idle 20]``.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import tempfile
import time
from pathlib import Path
from typing import Any

from app.incluster.settings import load
from app.kube.bodies import as_object
from app.scanner.checks import CATALOGUE
from app.scanner.engine import evaluate_object
from app.scanner.main import run_scanner
from app.scanner.scope import build_context, in_scope, key_of
from app.scanner.settings import ScannerSettings
from app.simulator.kubeapi.server import FakeKubeApi
from tests.agent.fake_backend import FakeBackend

ROOT = Path(__file__).resolve().parents[1]

NS = "kure"


def _set_status(obj: dict[str, Any], **fields: Any) -> None:
    obj.setdefault("status", {}).update(fields)


def _deployment(i: int) -> dict[str, Any]:
    hardened = i % 4 == 0
    container: dict[str, Any] = {
        "name": "app",
        "image": f"ghcr.io/acme/app-{i % 40}:1.{i % 7}" if i % 3 else "nginx:latest",
        "imagePullPolicy": "IfNotPresent",
    }
    if hardened:
        container["securityContext"] = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]},
                                        "readOnlyRootFilesystem": True}  # fmt: skip
        container["resources"] = {
            "requests": {"cpu": "10m", "memory": "32Mi"},
            "limits": {"cpu": "1", "memory": "64Mi"},
        }
        container["livenessProbe"] = container["readinessProbe"] = {"tcpSocket": {"port": 8080}}
    elif i % 10 == 1:
        container["securityContext"] = {"privileged": True}
    spec: dict[str, Any] = {"containers": [container], "serviceAccountName": "default" if i % 2 else "app"}
    if hardened:
        spec["securityContext"] = {
            "runAsNonRoot": True,
            "runAsUser": 1000,
            "seccompProfile": {"type": "RuntimeDefault"},
        }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": f"app-{i}", "namespace": f"ns-{i % 200}", "generation": 1},
        "spec": {"replicas": 1 + i % 3, "selector": {"matchLabels": {"app": f"app-{i}"}},
                 "template": {"metadata": {"labels": {"app": f"app-{i}"}}, "spec": spec}},
        "status": {"replicas": 1, "observedGeneration": 1},
    }  # fmt: skip


def _rbac(i: int) -> dict[str, Any]:
    if i % 2:
        return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                "metadata": {"name": f"role-{i}", "namespace": f"ns-{i % 200}"},
                "rules": [{"apiGroups": [""], "resources": ["pods", "secrets" if i % 5 == 1 else "configmaps"],
                           "verbs": ["get", "list", "create" if i % 7 == 1 else "watch"]}]}  # fmt: skip
    role = "edit" if i % 4 else "view"
    subject = {"kind": "ServiceAccount", "name": "default" if i % 3 else "ci", "namespace": f"ns-{i % 200}"}
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": {"name": f"rb-{i}", "namespace": f"ns-{i % 200}"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
            "subjects": [subject]}  # fmt: skip


def evaluation_only(objects: list[dict[str, Any]], disabled: frozenset[str] = frozenset()) -> tuple[float, int]:
    typed = [as_object(o) for o in objects]  # the scanner converts each cached object once, as it is evaluated
    caches: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
    for raw, obj in zip(objects, typed, strict=True):
        caches.setdefault(raw["kind"], {})[key_of(obj)] = raw
    trusted = frozenset({"registry.k8s.io"})
    started = time.process_time()
    findings = 0
    for obj in typed:
        if in_scope(obj):
            findings += len(evaluate_object(obj, build_context(obj, caches, trusted), disabled=disabled))
    return time.process_time() - started, findings


async def end_to_end(objects: list[dict[str, Any]], expected: int, churn: int, idle: float) -> None:
    kube = FakeKubeApi(bookmark_interval=60)
    await kube.start()
    backend = FakeBackend()
    await backend.start()
    for obj in objects:
        kube.apply(obj)
    with tempfile.TemporaryDirectory() as tmp:
        config = kube.write_kubeconfig(Path(tmp) / "kubeconfig")
        settings = load(ScannerSettings, {
            "BACKEND_URL": backend.url, "SERVICE_TOKEN": backend.token, "KUBECONFIG": str(config),
            "POD_NAME": "bench", "POD_NAMESPACE": NS, "KURE_HEALTH_PORT": "0", "LOG_LEVEL": "WARNING",
        })  # fmt: skip
        stop = asyncio.Event()
        state: dict[str, Any] = {}
        started = time.perf_counter()
        task = asyncio.ensure_future(run_scanner(settings, stop, health_host="127.0.0.1", state=state))
        await backend.wait_for(lambda: backend.completed_scans > 0, limit=1800)
        scan = time.perf_counter() - started
        posts = len(backend.posts("/api/security/findings"))
        total = len(backend.requests)
        await asyncio.sleep(3)
        before = len(backend.requests)
        for i in range(churn):
            name = f"app-{i % 5000}"
            kube.modify("Deployment", f"ns-{i % 200}", name,
                        functools.partial(_set_status, readyReplicas=i))
        await asyncio.sleep(float(settings.scanning.debounce_max_seconds) + 2)
        churn_requests = len(backend.requests) - before
        cpu0, wall0 = time.process_time(), time.perf_counter()
        await asyncio.sleep(idle)
        cpu = (time.process_time() - cpu0) / (time.perf_counter() - wall0)
        stop.set()
        await asyncio.wait_for(task, 60)
    await backend.stop()
    await kube.stop()
    print(f"end to end: full scan {scan:.2f} s ({len(objects) / scan:,.0f} objects/s), {total} requests "
          f"({posts} finding POSTs; findings expected {expected}: {posts == expected})")  # fmt: skip
    print(f"status churn: {churn} status-only updates -> {churn_requests} backend requests")
    print(f"steady state over {idle:.0f} s: {cpu * 100:.2f} % of a core (scanner + fake servers)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workloads", type=int, default=5000)
    parser.add_argument("--rbac", type=int, default=2000)
    parser.add_argument("--churn", type=int, default=1000)
    parser.add_argument("--idle", type=float, default=20.0)
    parser.add_argument("--skip-e2e", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    objects = [_deployment(i) for i in range(args.workloads)] + [_rbac(i) for i in range(args.rbac)]
    seconds, findings = evaluation_only(objects)
    print(f"evaluation only: {len(objects)} objects in {seconds:.2f} s CPU ({len(objects) / seconds:,.0f} objects/s), "
          f"{findings} findings")  # fmt: skip
    if not args.skip_e2e:
        # The fake API server serves no LimitRange, PodDisruptionBudget or ResourceQuota: the scanner skips the
        # checks that need them (docs/agent-scanner.md#full-scan), so the expected number of POSTs leaves them out too.
        missing = {"limit_ranges", "pod_disruption_budgets", "resource_quotas"}
        skipped = frozenset(c.check_name for c in CATALOGUE if c.needs & missing)
        _, expected = evaluation_only(objects, skipped)
        asyncio.run(end_to_end(objects, expected, args.churn, args.idle))


if __name__ == "__main__":
    main()
