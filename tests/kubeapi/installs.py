"""The two ways Kure is installed — docker/k8s's manifests and the Helm chart in docker/helm — described by what
a permission check needs to know: the namespace, the three ServiceAccounts, the Lease and checkpoint names.
And what each component's code does with the API, so the server's authorizer can be asked about exactly that."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import service_missing

from .cluster import services

CHART = Path(__file__).resolve().parents[2] / "docker" / "helm" / "kure-monitor"

# (verb, group, resource[/subresource], name or None, namespace or None)
Need = tuple[str, str, str, str | None, str | None]

GRAPH_KINDS = [("", r) for r in ("namespaces", "nodes", "pods", "services", "configmaps", "persistentvolumeclaims",
                                  "serviceaccounts")] + \
              [("apps", r) for r in ("deployments", "replicasets", "statefulsets", "daemonsets")] + \
              [("batch", "jobs"), ("batch", "cronjobs"), ("discovery.k8s.io", "endpointslices"),
               ("networking.k8s.io", "ingresses"), ("networking.k8s.io", "networkpolicies"),
               ("autoscaling", "horizontalpodautoscalers")] + \
              [("rbac.authorization.k8s.io", r) for r in ("roles", "clusterroles", "rolebindings",
                                                           "clusterrolebindings")]  # fmt: skip
SCANNED_KINDS = [("", "namespaces"), ("", "pods"), ("", "services"), ("", "serviceaccounts"), ("", "configmaps"),
                 ("", "resourcequotas"), ("", "limitranges"), ("", "persistentvolumes"), ("apps", "deployments"),
                 ("apps", "replicasets"), ("apps", "statefulsets"), ("apps", "daemonsets"), ("batch", "jobs"),
                 ("batch", "cronjobs"), ("networking.k8s.io", "ingresses"), ("networking.k8s.io", "networkpolicies"),
                 ("policy", "poddisruptionbudgets"), ("rbac.authorization.k8s.io", "roles"),
                 ("rbac.authorization.k8s.io", "rolebindings"), ("rbac.authorization.k8s.io", "clusterroles"),
                 ("rbac.authorization.k8s.io", "clusterrolebindings")]  # fmt: skip
LEASES = "coordination.k8s.io"


def _list_watch(kinds: list[tuple[str, str]]) -> list[Need]:
    return [(verb, group, resource, None, None) for group, resource in kinds for verb in ("list", "watch")]


@dataclass(frozen=True)
class Install:
    label: str
    namespace: str
    backend: str  # ServiceAccount names; the agent's and the scanner's are also their Lease names
    agent: str
    scanner: str
    checkpoint: str

    def needs(self, account: str) -> list[Need]:
        """What the component's code asks the API server for (app/, graph/): all must be allowed."""
        ns = self.namespace
        if account == self.backend:
            return [*_list_watch(GRAPH_KINDS),
                    ("get", "apps", "deployments", None, "shop"), ("get", "", "pods", None, "shop"),
                    ("get", "", "pods/log", None, "shop"), ("create", "", "pods", None, "shop"),
                    ("delete", "", "pods", None, "shop"), ("list", "", "events", None, "shop")]  # fmt: skip
        if account == self.agent:
            return [("list", "", "pods", None, None), ("watch", "", "pods", None, None),
                    ("get", "", "pods/log", None, "shop"), ("list", "", "events", None, None),
                    ("watch", "", "events", None, None), ("create", LEASES, "leases", None, ns),
                    ("get", LEASES, "leases", self.agent, ns), ("update", LEASES, "leases", self.agent, ns),
                    ("create", "", "configmaps", None, ns), ("get", "", "configmaps", self.checkpoint, ns),
                    ("update", "", "configmaps", self.checkpoint, ns)]  # fmt: skip
        return [*_list_watch(SCANNED_KINDS), ("create", LEASES, "leases", None, ns),
                ("get", LEASES, "leases", self.scanner, ns), ("update", LEASES, "leases", self.scanner, ns)]

    def refused(self, account: str) -> list[Need]:
        """What it must not be able to do: read any Secret (its own namespace's included), or go beyond its job."""
        ns = self.namespace
        secrets: list[Need] = [(verb, "", "secrets", None, where) for verb in ("get", "list", "watch")
                               for where in (None, ns, "shop")]  # fmt: skip
        beyond: dict[str, list[Need]] = {
            self.backend: [("update", "", "pods", None, "shop"), ("create", "apps", "deployments", None, "shop"),
                           ("create", "", "pods/exec", None, "shop"), ("update", LEASES, "leases", None, ns)],
            self.agent: [("delete", "", "pods", None, "shop"), ("update", "", "configmaps", "another", ns),
                         ("update", LEASES, "leases", self.scanner, ns), ("create", "", "configmaps", None, "shop")],
            self.scanner: [("get", "", "pods/log", None, "shop"), ("create", "", "pods", None, "shop"),
                           ("update", LEASES, "leases", self.agent, ns)],
        }
        return secrets + beyond[account]

    @property
    def accounts(self) -> tuple[str, str, str]:
        return (self.backend, self.agent, self.scanner)


MANIFESTS = Install("docker/k8s", "kure-system", "kure-backend", "kure-monitor-agent", "kure-monitor-scanner",
                    "kure-monitor-agent-state")


def chart_install(release: str, namespace: str) -> Install:
    full = f"{release}-kure-monitor"
    return Install("helm chart", namespace, f"{full}-backend", f"{full}-agent", f"{full}-scanner",
                   f"{full}-agent-state")


def helm_binary() -> Path:
    """``.services/bin/helm`` (built by `services.py up` from the Go module proxy)."""
    path: Path = services.Config.from_env().bin_dir / "helm"
    if not path.is_file():
        service_missing("helm", f"{path} not built")
    return path


def helm(*args: str) -> str:
    result = subprocess.run([str(helm_binary()), *args], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, f"helm {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def render_chart(release: str, namespace: str, *values: str) -> list[dict[str, Any]]:
    sets = [arg for value in values for arg in ("--set", value)]
    text = helm("template", release, str(CHART), "--namespace", namespace, *sets)
    return [doc for doc in yaml.safe_load_all(text) if doc]
