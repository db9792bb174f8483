"""Static checks of docker/: every YAML parses and the image, ports, probes, env names and RBAC agree."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import AliasChoices, AliasPath

from app.settings import Settings

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
K8S = DOCKER / "k8s"
NAMESPACE = "kure-system"
PORT = 8000

# The rules of docs/graph.md#the-backends-cluster-role; a test below checks this copy against the document.
EXPECTED_CLUSTER_ROLE_RULES: list[dict[str, list[str]]] = [
    {"apiGroups": [""],
     "resources": ["namespaces", "nodes", "pods", "services", "configmaps", "persistentvolumeclaims",
                   "serviceaccounts"],
     "verbs": ["get", "list", "watch"]},
    {"apiGroups": ["apps"], "resources": ["deployments", "replicasets", "statefulsets", "daemonsets"],
     "verbs": ["get", "list", "watch"]},
    {"apiGroups": ["batch"], "resources": ["jobs", "cronjobs"], "verbs": ["get", "list", "watch"]},
    {"apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"], "verbs": ["get", "list", "watch"]},
    {"apiGroups": ["networking.k8s.io"], "resources": ["ingresses", "networkpolicies"],
     "verbs": ["get", "list", "watch"]},
    {"apiGroups": ["autoscaling"], "resources": ["horizontalpodautoscalers"], "verbs": ["get", "list", "watch"]},
    {"apiGroups": ["rbac.authorization.k8s.io"],
     "resources": ["roles", "clusterroles", "rolebindings", "clusterrolebindings"],
     "verbs": ["get", "list", "watch"]},
    {"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]},
    {"apiGroups": [""], "resources": ["pods"], "verbs": ["create", "delete"]},
    {"apiGroups": [""], "resources": ["events"], "verbs": ["list"]},
]
GRAPH_DOC = ROOT / "docs" / "graph.md"


# ----------------------------------------------------------------------------------------------------------
# loading
# ----------------------------------------------------------------------------------------------------------


def _yaml_files() -> list[Path]:
    """Every YAML file under docker/ except Helm templates (Go templates; tests/kubeapi/test_helm.py renders them
    with helm and checks the YAML that comes out)."""
    return sorted(p for p in DOCKER.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file()
                  and "templates" not in p.relative_to(DOCKER).parts)


def _k8s_documents() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for path in sorted(K8S.glob("*.y*ml")):
        docs.extend(d for d in yaml.safe_load_all(path.read_text()) if d)
    return docs


def _find(kind: str, name: str) -> dict[str, Any]:
    matches = [d for d in _k8s_documents() if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected exactly one {kind}/{name}, found {len(matches)}"
    return matches[0]


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    return loaded


def _settings_env_names() -> set[str]:
    """Environment names the Settings class reads (pydantic-settings: field name or alias, case-insensitive)."""
    prefix = str(Settings.model_config.get("env_prefix") or "")
    names: set[str] = set()
    for field_name, info in Settings.model_fields.items():
        alias = info.validation_alias or info.alias
        if isinstance(alias, AliasChoices):
            names.update(str(choice).upper() for choice in alias.choices if isinstance(choice, str))
        elif isinstance(alias, str):
            names.add(alias.upper())
        elif isinstance(alias, AliasPath) or alias is None:
            names.add(f"{prefix}{field_name}".upper())
    return names


def _backend_container() -> dict[str, Any]:
    deployment = _find("Deployment", "kure-backend")
    containers = deployment["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    container: dict[str, Any] = containers[0]
    return container


def _resolve_port(container: dict[str, Any], port: int | str) -> int:
    if isinstance(port, int):
        return port
    named = {p["name"]: p["containerPort"] for p in container.get("ports", []) if "name" in p}
    assert port in named, f"named port {port!r} not declared by the container"
    return int(named[port])


def _project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


# ----------------------------------------------------------------------------------------------------------
# every YAML file
# ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", _yaml_files(), ids=lambda p: str(p.relative_to(DOCKER)))
def test_every_yaml_file_parses(path: Path) -> None:
    documents = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
    assert documents, f"{path} is empty"
    assert all(isinstance(d, dict) for d in documents)


def test_the_expected_manifests_exist() -> None:
    kinds = {(d["kind"], d["metadata"]["name"]) for d in _k8s_documents()}
    for expected in [("Namespace", NAMESPACE), ("ServiceAccount", "kure-backend"), ("ClusterRole", "kure-backend"),
                     ("ClusterRoleBinding", "kure-backend"), ("Deployment", "kure-backend"),
                     ("Service", "kure-backend"), ("Secret", "kure-monitor-secrets"),
                     ("StatefulSet", "kure-mongo"), ("StatefulSet", "kure-neo4j")]:
        assert expected in kinds


def test_every_namespaced_object_lives_in_kure_system() -> None:
    cluster_scoped = {"Namespace", "ClusterRole", "ClusterRoleBinding"}
    for doc in _k8s_documents():
        assert {"apiVersion", "kind", "metadata"} <= doc.keys()
        if doc["kind"] not in cluster_scoped:
            assert doc["metadata"].get("namespace") == NAMESPACE, f"{doc['kind']}/{doc['metadata']['name']}"


# ----------------------------------------------------------------------------------------------------------
# RBAC
# ----------------------------------------------------------------------------------------------------------


def test_cluster_role_is_exactly_the_documented_one() -> None:
    role = _find("ClusterRole", "kure-backend")
    assert role["rules"] == EXPECTED_CLUSTER_ROLE_RULES


def test_the_rules_here_are_the_documented_ones() -> None:
    text = GRAPH_DOC.read_text()
    section = text[text.index("### The backend's cluster role"):]
    block = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert block is not None
    assert yaml.safe_load(block.group(1))["rules"] == EXPECTED_CLUSTER_ROLE_RULES


def test_no_role_anywhere_grants_secrets_or_wildcards() -> None:
    for doc in _k8s_documents():
        if doc["kind"] not in {"Role", "ClusterRole"}:
            continue
        for rule in doc.get("rules", []):
            resources = {r.split("/")[0] for r in rule.get("resources", [])}
            assert "secrets" not in resources, f"{doc['kind']}/{doc['metadata']['name']} grants secrets"
            assert "*" not in resources and "*" not in rule.get("verbs", [])
            assert "*" not in rule.get("apiGroups", [])


def test_binding_ties_the_role_to_the_deployments_service_account() -> None:
    binding = _find("ClusterRoleBinding", "kure-backend")
    assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                                  "name": "kure-backend"}
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "kure-backend", "namespace": NAMESPACE}]
    pod = _find("Deployment", "kure-backend")["spec"]["template"]["spec"]
    assert pod["serviceAccountName"] == "kure-backend"
    _find("ServiceAccount", "kure-backend")


def test_api_token_is_mounted_explicitly_and_short_lived() -> None:
    pod = _find("Deployment", "kure-backend")["spec"]["template"]["spec"]
    assert pod["automountServiceAccountToken"] is False
    projected = [v["projected"] for v in pod["volumes"] if "projected" in v]
    assert len(projected) == 1
    token = [s["serviceAccountToken"] for s in projected[0]["sources"] if "serviceAccountToken" in s]
    assert token and token[0]["expirationSeconds"] <= 3600
    mounts = {m["mountPath"] for m in _backend_container()["volumeMounts"]}
    assert "/var/run/secrets/kubernetes.io/serviceaccount" in mounts


# ----------------------------------------------------------------------------------------------------------
# Deployment / Service / Secret
# ----------------------------------------------------------------------------------------------------------


def test_deployment_serves_port_8000_with_health_and_ready_probes() -> None:
    container = _backend_container()
    assert _resolve_port(container, container["ports"][0]["containerPort"]) == PORT
    liveness = container["livenessProbe"]["httpGet"]
    readiness = container["readinessProbe"]["httpGet"]
    assert liveness["path"] == "/health" and _resolve_port(container, liveness["port"]) == PORT
    assert readiness["path"] == "/ready" and _resolve_port(container, readiness["port"]) == PORT
    args = container.get("args") or container.get("command") or []
    if args:
        assert args[:2] == ["kure-monitor", "serve"]
        assert args[args.index("--port") + 1] == str(PORT)


def test_service_routes_to_the_backend_pods_on_8000() -> None:
    service = _find("Service", "kure-backend")
    deployment = _find("Deployment", "kure-backend")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    (port,) = service["spec"]["ports"]
    assert _resolve_port(_backend_container(), port["targetPort"]) == PORT


def test_backend_container_is_locked_down() -> None:
    pod = _find("Deployment", "kure-backend")["spec"]["template"]["spec"]
    container = _backend_container()
    context = container["securityContext"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"].get("runAsUser", 1) != 0
    assert context["readOnlyRootFilesystem"] is True
    assert context["allowPrivilegeEscalation"] is False
    assert context["capabilities"]["drop"] == ["ALL"]
    assert "add" not in context["capabilities"]
    resources = container["resources"]
    assert {"cpu", "memory"} <= resources["requests"].keys()
    assert "memory" in resources["limits"]
    # A read-only root needs somewhere to write temp files and the state directory.
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert "/tmp" in mounts


def test_deployment_env_names_are_settings_fields() -> None:
    known = _settings_env_names()
    names = [e["name"] for e in _backend_container()["env"]]
    assert len(names) == len(set(names)), "duplicate env entries"
    unknown = sorted(n for n in names if n.upper() not in known)
    assert not unknown, f"not read by app.settings.Settings: {unknown}"


def test_deployment_secrets_come_from_the_template_secret() -> None:
    secret = _find("Secret", "kure-monitor-secrets")
    keys = set(secret["stringData"])
    refs = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in _backend_container()["env"] if "valueFrom" in e}
    for name in ("SESSION_SECRET", "SERVICE_TOKEN", "ENCRYPTION_KEY", "MONGODB_URI", "NEO4J_URI",
                 "NEO4J_PASSWORD"):
        assert name in refs, f"{name} must come from the Secret, not a literal"
    for ref in refs.values():
        assert ref["name"] == "kure-monitor-secrets"
        assert ref["key"] in keys


def test_secret_template_holds_placeholders_not_secrets() -> None:
    data = _find("Secret", "kure-monitor-secrets")["stringData"]
    for key in ("SESSION_SECRET", "SERVICE_TOKEN", "ENCRYPTION_KEY", "NEO4J_PASSWORD", "MONGO_INITDB_ROOT_PASSWORD"):
        assert "CHANGE-ME" in data[key]
    # The Neo4j image's NEO4J_AUTH and the backend's password must be the same value.
    assert data["NEO4J_AUTH"] == f"{data['NEO4J_USERNAME']}/{data['NEO4J_PASSWORD']}"


def test_database_statefulsets_use_the_secret_and_non_root_users() -> None:
    secret_keys = set(_find("Secret", "kure-monitor-secrets")["stringData"])
    for name in ("kure-mongo", "kure-neo4j"):
        pod = _find("StatefulSet", name)["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        for container in pod["containers"]:
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            for env in container.get("env", []):
                ref = env.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert ref["name"] == "kure-monitor-secrets" and ref["key"] in secret_keys


# ----------------------------------------------------------------------------------------------------------
# compose
# ----------------------------------------------------------------------------------------------------------


def test_compose_services_images_and_health() -> None:
    services = _compose()["services"]
    assert set(services) == {"mongo", "neo4j", "backend"}
    assert services["mongo"]["image"].split(":")[1].startswith("8")
    assert services["neo4j"]["image"] == "neo4j:5.26-community"
    assert "NEO4J_AUTH" in services["neo4j"]["environment"]
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no healthcheck"
    assert services["backend"]["depends_on"] == {"mongo": {"condition": "service_healthy"},
                                                 "neo4j": {"condition": "service_healthy"}}
    assert services["backend"]["build"]["dockerfile"] == "docker/Dockerfile"


def test_compose_backend_env_is_wired_to_the_other_services() -> None:
    backend = _compose()["services"]["backend"]
    env = backend["environment"]
    known = _settings_env_names()
    unknown = sorted(n for n in env if n.upper() not in known)
    assert not unknown, f"not read by app.settings.Settings: {unknown}"
    for name in ("MONGODB_URI", "MONGODB_DATABASE", "NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD",
                 "SESSION_SECRET", "SERVICE_TOKEN", "ENCRYPTION_KEY", "KURE_KUBERNETES", "KURE_COOKIE_SECURE"):
        assert name in env
    assert env["MONGODB_URI"].startswith("mongodb://mongo:27017")
    assert env["NEO4J_URI"] == "bolt://neo4j:7687"
    assert env["KURE_KUBERNETES"] == "off"
    assert env["KURE_COOKIE_SECURE"] == "false"
    neo4j_auth = _compose()["services"]["neo4j"]["environment"]["NEO4J_AUTH"]
    assert neo4j_auth == f"{env['NEO4J_USERNAME']}/{env['NEO4J_PASSWORD']}"
    health = " ".join(backend["healthcheck"]["test"])
    assert f"127.0.0.1:{PORT}/health" in health


def test_compose_publishes_only_on_loopback_and_uses_named_volumes() -> None:
    compose = _compose()
    declared = set(compose["volumes"])
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} on every interface"
        for volume in service.get("volumes", []):
            source = str(volume).split(":")[0]
            assert source in declared, f"{name} mounts {source}, which is not a named volume"
    assert f"127.0.0.1:{PORT}:{PORT}" in compose["services"]["backend"]["ports"]


def test_compose_and_deployment_run_the_same_image_of_this_version() -> None:
    compose_image = _compose()["services"]["backend"]["image"]
    assert _backend_container()["image"] == compose_image
    assert compose_image.rsplit(":", 1)[1] == _project_version()


# ----------------------------------------------------------------------------------------------------------
# Dockerfile
# ----------------------------------------------------------------------------------------------------------


def _dockerfile_instructions() -> list[tuple[str, str]]:
    text = (DOCKER / "Dockerfile").read_text().replace("\\\n", " ")
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, rest = stripped.partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


def _final_stage() -> list[tuple[str, str]]:
    instructions = _dockerfile_instructions()
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def test_dockerfile_runs_as_non_root_on_slim_python_311() -> None:
    stage = _final_stage()
    assert stage[0][1].startswith("python:3.11-slim")
    users = [rest for keyword, rest in stage if keyword == "USER"]
    assert users, "no USER in the final stage"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_dockerfile_healthcheck_exposes_and_serves_8000() -> None:
    stage = _final_stage()
    healthchecks = [rest for keyword, rest in stage if keyword == "HEALTHCHECK"]
    assert len(healthchecks) == 1
    assert f"http://127.0.0.1:{PORT}/health" in healthchecks[0]
    assert ("EXPOSE", str(PORT)) in stage
    (cmd,) = [rest for keyword, rest in stage if keyword == "CMD"]
    assert yaml.safe_load(cmd) == ["kure-monitor", "serve", "--host", "0.0.0.0", "--port", str(PORT)]


def test_dockerfile_installs_the_package_itself() -> None:
    runs = " ".join(rest for keyword, rest in _dockerfile_instructions() if keyword == "RUN")
    assert re.search(r"pip (wheel|install)\b[^&]*\s\.(\s|$)", runs), "the image must install this package (pip ... .)"


def test_dockerfile_env_names_are_settings_fields_or_runtime_knobs() -> None:
    known = _settings_env_names()
    for keyword, rest in _final_stage():
        if keyword != "ENV":
            continue
        for assignment in shlex.split(rest):
            name = assignment.split("=", 1)[0]
            if not name.startswith(("PYTHON", "PIP_")):
                assert name.upper() in known, f"Dockerfile sets {name}, which Settings does not read"


def _stage(name: str) -> list[tuple[str, str]]:
    instructions = _dockerfile_instructions()
    start = next(i for i, (keyword, rest) in enumerate(instructions)
                 if keyword == "FROM" and rest.lower().endswith(f" as {name}"))
    end = next((i for i in range(start + 1, len(instructions)) if instructions[i][0] == "FROM"), len(instructions))
    return instructions[start:end]


def test_dockerfile_builds_the_dashboard_in_a_node_stage_and_serves_it() -> None:
    web = _stage("web")
    assert web[0][1].startswith("node:20")
    runs = " ".join(rest for keyword, rest in web if keyword == "RUN")
    assert "npm ci" in runs and "npm run build" in runs
    final = _final_stage()
    assert ("COPY", "--from=web /web/dist /opt/kure/web") in final
    env = " ".join(rest for keyword, rest in final if keyword == "ENV")
    assert "KURE_WEB_DIR=/opt/kure/web" in env
    ignore = (DOCKER / "Dockerfile.dockerignore").read_text().splitlines()
    for needed in ("!web/package-lock.json", "!web/src/**", "!web/public/**", "!web/vite.config.ts"):
        assert needed in ignore
    assert "web/node_modules" in ignore and "web/dist" in ignore
