"""scripts/services.py without servers: configuration, wire encoding, and `down` touching only its own pids."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.infra import services_module

pytestmark = pytest.mark.unit

services = services_module.load()


def _clear_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KURE_SERVICES_DIR", "KURE_TEST_MONGODB_PORT", "KURE_TEST_NEO4J_BOLT_PORT",
                 "KURE_TEST_NEO4J_HTTP_PORT", "KURE_NEO4J_HEAP", "KURE_TEST_ETCD_PORT", "KURE_TEST_ETCD_PEER_PORT",
                 "KURE_TEST_KUBEAPI_PORT"):
        monkeypatch.delenv(name, raising=False)


def test_defaults_are_the_documented_ports_under_the_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    _clear_env(monkeypatch)
    config = services.Config.from_env()
    assert (config.mongodb_port, config.neo4j_bolt_port, config.neo4j_http_port) == (27017, 7687, 7474)
    assert (config.etcd_port, config.etcd_peer_port, config.kubeapi_port) == (2379, 2380, 6443)
    assert config.services_dir == services.REPO_ROOT / ".services"
    assert config.log_file("neo4j") == services.REPO_ROOT / ".services" / "logs" / "neo4j.log"


def test_environment_overrides_ports_and_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _clear_env(monkeypatch)
    monkeypatch.setenv("KURE_SERVICES_DIR", str(tmp_path))
    monkeypatch.setenv("KURE_TEST_MONGODB_PORT", "27999")
    monkeypatch.setenv("KURE_TEST_NEO4J_BOLT_PORT", "17687")
    monkeypatch.setenv("KURE_TEST_NEO4J_HTTP_PORT", "17474")
    monkeypatch.setenv("KURE_TEST_ETCD_PORT", "23999")
    monkeypatch.setenv("KURE_TEST_ETCD_PEER_PORT", "23998")
    monkeypatch.setenv("KURE_TEST_KUBEAPI_PORT", "16999")
    config = services.Config.from_env()
    assert (config.mongodb_port, config.neo4j_bolt_port, config.neo4j_http_port) == (27999, 17687, 17474)
    assert (config.etcd_port, config.etcd_peer_port, config.kubeapi_port) == (23999, 23998, 16999)
    assert config.ferretdb_dir == tmp_path / "ferretdb"
    assert services.kubeapi_kubeconfig(config) == tmp_path / "kubeapi" / "admin.kubeconfig"


@pytest.mark.parametrize("value", ["abc", "0", "70000"])
def test_bad_port_is_reported_by_name(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    _clear_env(monkeypatch)
    monkeypatch.setenv("KURE_TEST_MONGODB_PORT", value)
    with pytest.raises(services.ServiceError, match="KURE_TEST_MONGODB_PORT"):
        services.Config.from_env()


def test_bson_round_trip_of_command_documents() -> None:
    document = {"ping": 1, "$db": "admin", "big": 2**40, "ratio": 0.5, "flag": True, "nested": {"name": "x"}}
    encoded = services._bson_encode(document)
    decoded, end = services._bson_decode(encoded)
    assert decoded == document
    assert end == len(encoded)


def test_ferretdb_command_binds_loopback_without_telemetry(tmp_path: Path) -> None:
    command = services.ferretdb_command(Path("/x/ferretdb"), 27123, tmp_path)
    assert "--listen-addr=127.0.0.1:27123" in command
    assert "--handler=sqlite" in command
    assert "--telemetry=disable" in command
    assert "--debug-addr=-" in command
    assert f"--sqlite-url=file:{tmp_path.resolve()}/" in command


def _kube_config(tmp_path: Path) -> object:
    return services.Config(services_dir=tmp_path, mongodb_port=1, neo4j_bolt_port=2, neo4j_http_port=3,
                           neo4j_heap="1m", etcd_port=23999, etcd_peer_port=23998, kubeapi_port=16999)


def test_etcd_binds_loopback_only_with_a_fresh_single_member(tmp_path: Path) -> None:
    command = services.etcd_command(Path("/x/etcd"), _kube_config(tmp_path))
    flags = dict(zip(command[1::2], command[2::2], strict=False))
    assert flags["--listen-client-urls"] == "http://127.0.0.1:23999"
    assert flags["--listen-peer-urls"] == "http://127.0.0.1:23998"
    assert flags["--initial-cluster-state"] == "new"
    assert flags["--data-dir"] == str(tmp_path / "kubeapi" / "etcd")


def test_kube_apiserver_flags_bind_loopback_with_rbac_service_accounts_and_pod_security(tmp_path: Path) -> None:
    config = _kube_config(tmp_path)
    (tmp_path / "kubeapi").mkdir()
    command = services.kube_apiserver_command(Path("/x/kube-apiserver"), config, tmp_path / "pki")
    flags = dict(arg.removeprefix("--").split("=", 1) for arg in command[1:])
    assert flags["bind-address"] == "127.0.0.1"
    assert flags["secure-port"] == "16999"
    assert flags["etcd-servers"] == "http://127.0.0.1:23999"
    assert flags["authorization-mode"] == "Node,RBAC"
    assert flags["service-account-issuer"] == services.SERVICE_ACCOUNT_ISSUER
    assert flags["service-account-signing-key-file"] == str(tmp_path / "pki" / "sa.key")
    assert flags["service-cluster-ip-range"] == services.SERVICE_CIDR
    assert "PodSecurity" in flags["enable-admission-plugins"].split(",")
    assert flags["watch-cache-sizes"] == "persistentvolumeclaims#0"
    assert "system:serviceaccounts" in (tmp_path / "kubeapi" / "audit-policy.yaml").read_text()


def test_kube_apiserver_wrapper_module_replaces_staging_modules_with_releases() -> None:
    wrapper = services.GoWrapper(
        name="kube-apiserver", requires=(("k8s.io/kubernetes", "v1.34.4"),), main_go="package main\n",
        replaces=(("k8s.io/api", "k8s.io/api", "v0.34.4"), ("k8s.io/apiserver", "k8s.io/apiserver", "v0.34.4")))
    go_mod = wrapper.go_mod()
    assert "module kure.local/kube-apiserver" in go_mod
    assert "\tk8s.io/kubernetes v1.34.4\n" in go_mod
    assert "\tk8s.io/api => k8s.io/api v0.34.4\n" in go_mod
    assert "\tk8s.io/apiserver => k8s.io/apiserver v0.34.4\n" in go_mod
    same = services.GoWrapper(**{**wrapper.__dict__})
    assert services._wrapper_fingerprint(wrapper) == services._wrapper_fingerprint(same)
    bumped = services.GoWrapper(**{**wrapper.__dict__, "requires": (("k8s.io/kubernetes", "v1.34.5"),)})
    assert services._wrapper_fingerprint(bumped) != services._wrapper_fingerprint(wrapper)


def test_probes_report_a_closed_port_as_down() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens once the socket is closed.
    assert services.mongo_ping(port) is False
    assert services.bolt_handshake(port) is None


def _run_script(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"KURE_SERVICES_DIR": str(tmp_path), "PATH": "/usr/bin:/bin",
           # Ports nobody uses, so `down` sees no external server either.
           "KURE_TEST_MONGODB_PORT": "1", "KURE_TEST_NEO4J_BOLT_PORT": "2", "KURE_TEST_NEO4J_HTTP_PORT": "3",
           "KURE_TEST_ETCD_PORT": "4", "KURE_TEST_ETCD_PEER_PORT": "5", "KURE_TEST_KUBEAPI_PORT": "6"}
    return subprocess.run([sys.executable, str(services.SCRIPT_PATH), *args], capture_output=True, text=True,
                          env=env, timeout=60, check=False)


def test_down_leaves_alone_a_process_whose_pid_file_does_not_match(tmp_path: Path) -> None:
    victim = subprocess.Popen(["sleep", "30"])
    try:
        run_dir = tmp_path / "run"
        run_dir.mkdir()
        # Same pid, different start time: the pid was reused by an unrelated process.
        (run_dir / "ferretdb.pid").write_text(json.dumps({"pid": victim.pid, "start_time": "1"}))
        result = _run_script(tmp_path, "down", "--only", "ferretdb")
        assert result.returncode == 0, result.stderr
        assert "not started by this script" in result.stdout
        assert victim.poll() is None
        assert not (run_dir / "ferretdb.pid").exists()
    finally:
        victim.kill()
        victim.wait()


def test_down_stops_the_process_it_started(tmp_path: Path) -> None:
    victim = subprocess.Popen(["sleep", "30"], start_new_session=True)
    try:
        services._write_pid_file(tmp_path / "run" / "ferretdb.pid", victim.pid, {"service": "ferretdb"})
        result = _run_script(tmp_path, "down", "--only", "ferretdb")
        assert result.returncode == 0, result.stderr
        assert f"stopped (pid {victim.pid})" in result.stdout
        assert victim.wait(timeout=10) == -15
    finally:
        if victim.poll() is None:
            victim.kill()
            victim.wait()


def test_down_of_the_api_server_also_stops_its_etcd(tmp_path: Path) -> None:
    apiserver = subprocess.Popen(["sleep", "30"], start_new_session=True)
    etcd = subprocess.Popen(["sleep", "30"], start_new_session=True)
    try:
        services._write_pid_file(tmp_path / "run" / "kubeapi.pid", apiserver.pid, {"service": "kubeapi"})
        services._write_pid_file(tmp_path / "run" / "etcd.pid", etcd.pid, {"service": "etcd"})
        result = _run_script(tmp_path, "down", "--only", "kubeapi")
        assert result.returncode == 0, result.stderr
        assert apiserver.wait(timeout=10) == -15
        assert etcd.wait(timeout=10) == -15
        assert not (tmp_path / "run" / "etcd.pid").exists()
    finally:
        for proc in (apiserver, etcd):
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_status_exits_nonzero_when_nothing_runs(tmp_path: Path) -> None:
    result = _run_script(tmp_path, "status", "--json")
    assert result.returncode == 3
    state = json.loads(result.stdout)
    assert state["neo4j"]["running"] is False
    assert state["ferretdb"]["running"] is False
    assert state["kubeapi"]["running"] is False
