"""Edge cases of individual checks that the fixture universes do not cover (docs/catalogue.md#security-checks)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from app.kube.bodies import KubeObject, LimitRange, as_object
from app.scanner.checks import BY_NAME, CATALOGUE, Context
from app.scanner.checks.base import sensitive_host_path
from app.scanner.checks.storage import value_patterns
from app.scanner.engine import EvaluationErrors, evaluate_object, plan

pytestmark = pytest.mark.unit


def _deploy(containers: list[dict[str, Any]], **pod: Any) -> KubeObject:
    return as_object({
        "kind": "Deployment",
        "metadata": {"name": "d", "namespace": "ns"},
        "spec": {
            "replicas": 2,
            "template": {"metadata": {"labels": {"app": "d"}}, "spec": {"containers": containers, **pod}},
        },
    })


def _run(name: str, obj: Mapping[str, Any], ctx: Context | None = None) -> Any:
    return BY_NAME[name].evaluate(as_object(obj), ctx or Context())


def test_catalogue_size_and_unique_names() -> None:
    assert len(CATALOGUE) == 79
    assert len(BY_NAME) == 79


def test_aggregates_containers_into_one_finding() -> None:
    obj = _deploy(
        [
            {"name": "a", "image": "x:1", "securityContext": {"privileged": True}},
            {"name": "b", "image": "x:1", "securityContext": {"privileged": True}},
        ]
    )
    finding = _run("privileged_container", obj)
    assert finding.message == "Containers 'a', 'b' are running in privileged mode"
    assert finding.details["containers"] == ["a", "b"]
    assert finding.details["container"] == "a"


def test_capability_names_are_normalised() -> None:
    obj = _deploy([{"name": "a", "image": "x:1", "securityContext": {"capabilities": {"add": ["cap_sys_admin"]}}}])
    assert _run("capabilities_sys_admin", obj).details["capabilities"] == ["SYS_ADMIN"]
    obj = _deploy([{"name": "a", "image": "x:1", "securityContext": {"capabilities": {"add": ["all"]}}}])
    assert _run("capabilities_sys_admin", obj).details["capabilities"] == ["ALL"]
    obj = _deploy([{"name": "a", "image": "x:1", "securityContext": {"capabilities": {"add": ["CHOWN"]}}}])
    assert _run("capabilities_added", obj) is None
    assert _run("capabilities_added_beyond_restricted", obj).details["capabilities"] == ["CHOWN"]
    obj = _deploy([{"name": "a", "image": "x:1", "securityContext": {"capabilities": {"add": ["NET_BIND_SERVICE"]}}}])
    assert _run("capabilities_added_beyond_restricted", obj) is None


def test_linux_checks_skip_windows_pods() -> None:
    obj = _deploy([{"name": "a", "image": "x:1"}], os={"name": "windows"})
    assert _run("seccomp_profile_missing", obj) is None
    assert (
        _run(
            "run_as_root",
            _deploy([{"name": "a", "image": "x:1"}], os={"name": "windows"}, securityContext={"runAsUser": 0}),
        )
        is not None
    )


def test_host_port_not_reported_with_host_network() -> None:
    ports = [{"containerPort": 80, "hostPort": 80}]
    assert _run("host_port", _deploy([{"name": "a", "image": "x", "ports": ports}])).details["ports"] == [80]
    assert _run("host_port", _deploy([{"name": "a", "image": "x", "ports": ports}], hostNetwork=True)) is None


@pytest.mark.parametrize(
    ("path", "sensitive"),
    [("/", True), ("/etc/", True), ("/etc/ssl", True), ("/var", True), ("/var/lib", True), ("/run", True),
     ("/var/run/docker.sock", True), ("/mnt/data", False), ("/var/log", False), ("/opt", False), ("/etcetera", False)],
)  # fmt: skip
def test_sensitive_host_paths(path: str, sensitive: bool) -> None:
    assert sensitive_host_path(path) is sensitive


def test_effective_security_context_prefers_container() -> None:
    obj = _deploy(
        [{"name": "a", "image": "x", "securityContext": {"runAsUser": 1000}}], securityContext={"runAsUser": 0}
    )
    assert _run("run_as_root", obj) is None
    assert _run("run_as_non_root_missing", obj) is None


def test_limit_range_defaults_count_as_set() -> None:
    obj = _deploy([{"name": "a", "image": "x"}])
    lr: LimitRange = {
        "spec": {"limits": [{"type": "Container", "default": {"memory": "256Mi"}, "defaultRequest": {"cpu": "100m"}}]}
    }
    ctx = Context(limit_ranges=[lr])
    assert _run("memory_limit_missing", obj, ctx) is None
    assert _run("memory_request_missing", obj, ctx) is None
    assert _run("cpu_request_missing", obj, ctx) is None
    assert _run("cpu_limit_missing", obj, ctx) is not None


def test_service_account_automount_from_context() -> None:
    obj = _deploy([{"name": "a", "image": "x"}], serviceAccountName="app")
    assert _run("service_account_token_automount", obj) is not None
    ctx = Context(service_accounts={"app": {"automountServiceAccountToken": False}})
    assert _run("service_account_token_automount", obj, ctx) is None
    pod_override = _deploy([{"name": "a", "image": "x"}], serviceAccountName="app", automountServiceAccountToken=True)
    assert _run("service_account_token_automount", pod_override, ctx) is not None


def test_secret_in_env_names_all_sources() -> None:
    obj = _deploy([{
        "name": "a", "image": "x",
        "env": [{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw"}}}],
        "envFrom": [{"secretRef": {"name": "api"}}],
    }])  # fmt: skip
    finding = _run("secret_in_env", obj)
    assert finding.details["secrets"] == ["db", "api"]
    assert "DB_PASSWORD" in finding.message


def _role(rules: list[dict[str, Any]], kind: str = "ClusterRole") -> KubeObject:
    return as_object(
        {"kind": kind, "metadata": {"name": "r", "namespace": "ns" if kind == "Role" else None}, "rules": rules}
    )


def test_rbac_subresource_wildcards_and_resource_names() -> None:
    assert _run("rbac_pod_exec", _role([{"apiGroups": [""], "resources": ["*/exec"], "verbs": ["get"]}])) is not None
    named = [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"], "resourceNames": ["one"]}]
    assert _run("rbac_secrets_read", _role(named)) is None
    bind = [{"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"], "verbs": ["bind"],
             "resourceNames": ["view"]}]  # fmt: skip
    assert _run("rbac_bind_escalate", _role(bind)).message.endswith("(bind)")


def test_cluster_admin_equivalent_suppresses_the_rest() -> None:
    role = _role([{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}], "Role")
    findings = evaluate_object(role, Context())
    assert [(f.check_name, f.severity) for f in findings] == [("rbac_cluster_admin_equivalent", "high")]


def test_cluster_only_checks_ignore_roles() -> None:
    rules = [{"apiGroups": [""], "resources": ["nodes/proxy", "persistentvolumes"], "verbs": ["get", "create"]}]
    names = {f.check_name for f in evaluate_object(_role(rules, "Role"), Context())}
    assert "rbac_nodes_proxy" not in names
    names = {f.check_name for f in evaluate_object(_role(rules), Context())}
    assert {"rbac_nodes_proxy", "rbac_persistent_volume_create"} <= names


def test_csr_approval_needs_both_grants() -> None:
    approval = {"apiGroups": ["certificates.k8s.io"], "resources": ["certificatesigningrequests/approval"],
                "verbs": ["update"]}  # fmt: skip
    signer = {"apiGroups": ["certificates.k8s.io"], "resources": ["signers"], "verbs": ["approve"]}
    assert _run("rbac_csr_approval", _role([approval])) is None
    assert _run("rbac_csr_approval", _role([approval, signer])).details["rules"] == [0, 1]


def test_binding_subjects_listed() -> None:
    binding = {
        "kind": "RoleBinding",
        "metadata": {"name": "b", "namespace": "team"},
        "roleRef": {"kind": "ClusterRole", "name": "view"},
        "subjects": [{"kind": "ServiceAccount", "name": "default"}, {"kind": "Group", "name": "system:authenticated"}],
    }
    assert _run("default_service_account_binding", binding).details["subjects"] == ["ServiceAccount:team/default"]
    assert _run("authenticated_group_binding", binding) is not None
    assert _run("cluster_admin_binding", binding) is None


@pytest.mark.parametrize(
    ("tls", "hosts", "fires"),
    [
        ([{"hosts": ["*.example.com"]}], ["a.example.com"], False),
        ([{"hosts": ["*.example.com"]}], ["a.b.example.com"], True),
        ([{"hosts": ["a.example.com"]}], ["a.example.com", "b.example.com"], True),
        ([], ["a.example.com"], True),
    ],
)
def test_ingress_tls_coverage(tls: list[dict[str, Any]], hosts: list[str], fires: bool) -> None:
    ingress = {
        "kind": "Ingress",
        "metadata": {"name": "i"},
        "spec": {"tls": tls, "rules": [{"host": h} for h in hosts]},
    }
    assert (_run("ingress_without_tls", ingress) is not None) is fires


def test_load_balancer_severity_follows_source_ranges() -> None:
    svc: dict[str, Any] = {"kind": "Service", "metadata": {"name": "s"}, "spec": {"type": "LoadBalancer"}}
    assert _run("service_load_balancer", svc).severity == "medium"
    svc["spec"]["loadBalancerSourceRanges"] = ["10.0.0.0/8"]
    assert _run("service_load_balancer", svc).severity == "low"
    svc["spec"]["loadBalancerSourceRanges"] = ["10.0.0.0/8", "0.0.0.0/0"]
    assert _run("service_load_balancer", svc).severity == "medium"


def test_network_policy_allow_all() -> None:
    np: dict[str, Any] = {"kind": "NetworkPolicy", "metadata": {"name": "n"},
                          "spec": {"podSelector": {}, "ingress": [{}]}}
    assert _run("network_policy_allow_all", np).details["directions"] == ["ingress"]
    np["spec"]["podSelector"] = {"matchLabels": {"app": "x"}}
    assert _run("network_policy_allow_all", np) is None


def test_configmap_keys_skip_harmless_values() -> None:
    data = {"ENABLE_AUTH": "true", "API_TOKEN": "${TOKEN}", "DB_PASSWORD": "", "SECRET_KEY": "s3cr3t"}
    cm = {"kind": "ConfigMap", "metadata": {"name": "c"}, "data": data}
    assert _run("configmap_secret_like_keys", cm).details["keys"] == ["SECRET_KEY"]


@pytest.mark.parametrize(
    ("value", "patterns"),
    [
        ("postgres://app:hunter2@db:5432/app", ["URL password"]),
        ("Authorization: Basic dXNlcjpwYXNz", ["authorization header"]),
        ("password=hunter2", ["password/token assignment"]),
        ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", ["JWT"]),
        ("AKIAIOSFODNN7EXAMPLE", ["vendor token"]),
        ("log_level=info", []),
    ],
)
def test_value_patterns(value: str, patterns: list[str]) -> None:
    assert value_patterns(value) == patterns


def test_check_that_raises_is_skipped() -> None:
    obj = _deploy([{"name": "a", "image": "x:1", "securityContext": "not-a-mapping"}])
    errors = EvaluationErrors()
    findings = evaluate_object(obj, Context(), errors=errors)
    assert errors.counts.get("privileged_container") == 1
    assert "image_digest_missing" in {f.check_name for f in findings}


def test_plan_posts_only_changes_and_deletes_fixed_checks() -> None:
    obj = _deploy([{"name": "a", "image": "x:1", "securityContext": {"privileged": True}}])
    findings = evaluate_object(obj, Context())
    from app.scanner.engine import digest

    posted = {f.check_name: digest(f) for f in findings}
    assert plan(findings, posted, manifest_changed=False).post == ()
    assert len(plan(findings, posted, manifest_changed=True).post) == len(findings)
    fixed = [f for f in findings if f.check_name != "privileged_container"]
    result = plan(fixed, posted, manifest_changed=False)
    assert result.delete_checks == ("privileged_container",)
    assert result.post == ()
