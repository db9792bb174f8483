"""The local test servers started by ``python3 scripts/services.py up`` answer real protocol requests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.infra import services_module

pytestmark = pytest.mark.integration

services = services_module.load()
REQUIRE = os.environ.get("KURE_REQUIRE_SERVICES") == "1"


def _missing(what: str) -> None:
    message = f"{what}; start the servers with: python3 scripts/services.py up"
    if REQUIRE:
        pytest.fail(message)
    pytest.skip(message)


def _status() -> dict[str, Any]:
    result = subprocess.run([sys.executable, str(services.SCRIPT_PATH), "status", "--json"],
                            capture_output=True, text=True, timeout=60, check=False)
    try:
        parsed: dict[str, Any] = json.loads(result.stdout)
    except ValueError:
        pytest.fail(f"status --json printed no JSON: {result.stdout!r} {result.stderr!r}")
    return parsed


@pytest.fixture(scope="module")
def status() -> dict[str, Any]:
    state = _status()
    down = [name for name, entry in state.items() if not entry["running"]]
    if down:
        _missing(f"services not running: {', '.join(down)}")
    return state


def test_status_reports_every_service_running_with_versions(status: dict[str, Any]) -> None:
    assert set(status) == {"neo4j", "ferretdb", "kubeapi"}
    assert status["neo4j"]["version"].startswith("Neo4j 5.26")
    assert status["neo4j"]["url"] == f"bolt://127.0.0.1:{services.Config.from_env().neo4j_bolt_port}"
    # FerretDB reports itself in buildInfo; any other MongoDB-wire server still shows its wire version.
    assert "wire version" in status["ferretdb"]["version"]
    assert status["kubeapi"]["version"].startswith(f"kube-apiserver {services.KUBERNETES_VERSION}")
    print(f"servers: {status['neo4j']['version']}; {status['ferretdb']['version']}; {status['kubeapi']['version']}")


def test_status_exit_code_says_whether_everything_runs(status: dict[str, Any]) -> None:
    result = subprocess.run([sys.executable, str(services.SCRIPT_PATH), "status"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0
    assert "neo4j" in result.stdout and "ferretdb" in result.stdout and "kubeapi" in result.stdout
    assert "stopped" not in result.stdout


def test_bolt_query_returns_1(status: dict[str, Any]) -> None:
    from neo4j import GraphDatabase

    with GraphDatabase.driver(status["neo4j"]["url"], auth=None) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one")
        components, _, _ = driver.execute_query("CALL dbms.components() YIELD versions, edition")
    assert records[0]["one"] == 1
    assert components[0]["versions"][0].startswith("5.26")
    assert components[0]["edition"] == "community"


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a LISTEN socket on port, from /proc/net/tcp{,6} (hex, as the kernel prints them)."""
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, _, hex_port = fields[1].rpartition(":")
            if fields[3] == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


LOOPBACK = {"0100007F", "0000000000000000FFFF00000100007F", "00000000000000000000000001000000"}


def test_every_server_listens_on_loopback_only(status: dict[str, Any]) -> None:
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp on this platform")
    config = services.Config.from_env()
    ports = [config.neo4j_bolt_port, config.mongodb_port, config.kubeapi_port]
    if status["kubeapi"]["managed"]:
        ports += [config.etcd_port, config.etcd_peer_port]
    if "http" in status["neo4j"]:
        ports.append(config.neo4j_http_port)
    for port in ports:
        addresses = _listening_addresses(port)
        assert addresses, f"nothing listens on {port}"
        assert addresses <= LOOPBACK, f"port {port} listens on {addresses}"


def test_mongo_ping_with_the_driver(status: dict[str, Any]) -> None:
    from pymongo import MongoClient

    client: MongoClient[dict[str, Any]] = MongoClient(status["ferretdb"]["url"], serverSelectionTimeoutMS=3000)
    try:
        assert client.admin.command("ping")["ok"] == 1
        database = client["kure_services_selftest"]
        database["probe"].insert_one({"k": 1})
        assert database["probe"].count_documents({"k": 1}) == 1
    finally:
        client.drop_database("kure_services_selftest")
        client.close()


def test_wire_probes_agree_with_the_drivers(status: dict[str, Any]) -> None:
    config = services.Config.from_env()
    assert services.mongo_ping(config.mongodb_port)
    assert services.bolt_handshake(config.neo4j_bolt_port) is not None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_extra_ferretdb_instance_starts_on_a_chosen_port_and_stops(tmp_path: Path) -> None:
    binary = services.Config.from_env().bin_dir / "ferretdb"
    if not binary.is_file():
        _missing(f"FerretDB binary {binary} not built")
    port = _free_port()
    assert not services.mongo_ping(port)
    proc = services.start_ferretdb(port, tmp_path / "data")
    try:
        assert services.mongo_ping(port)
        assert services.mongo_versions(port)["ferretdb"] == services.FERRETDB_VERSION
    finally:
        services.stop_process(proc)
    assert proc.returncode is not None
    assert not services.mongo_ping(port)
    assert (tmp_path / "data" / "ferretdb.log").is_file()


def test_neo4j_browser_is_served_over_http(status: dict[str, Any]) -> None:
    import urllib.request

    if "browser" not in status["neo4j"]:
        pytest.skip("Neo4j Browser not served: launcher built before it was added; run services.py down && up")
    with urllib.request.urlopen(status["neo4j"]["browser"], timeout=5) as response:
        page = response.read().decode(errors="replace")
    assert "<title>Neo4j Browser</title>" in page
