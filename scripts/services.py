#!/usr/bin/env python3
"""Local test servers for Kure Monitor's integration tests: Neo4j 5.26 Community, FerretDB (MongoDB wire) and a
real Kubernetes API server (kube-apiserver + etcd, built from Go modules), plus the `helm` tool.

Usage::

    python3 scripts/services.py up [--only neo4j|ferretdb|kubeapi]
    python3 scripts/services.py status [--json]
    python3 scripts/services.py down
    python3 scripts/services.py tools          # build the command-line tools the tests use (helm), print paths

Standard library only: this runs before the project's virtualenv exists. Everything binds to 127.0.0.1.
See docs/services.md for the layout, the environment overrides and the FerretDB capability findings.

The test-suite imports this module too: :func:`start_ferretdb` / :func:`start_neo4j` / :func:`stop_process` run an
extra FerretDB or a persistent Neo4j on a chosen port, and :func:`mongo_ping` / :func:`bolt_handshake` are real
wire-protocol probes.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import fcntl
import hashlib
import itertools
import json
import os
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

SCRIPT_PATH = Path(__file__).resolve()
REPO_ROOT = SCRIPT_PATH.parent.parent
NEO4J_LAUNCHER_DIR = REPO_ROOT / "docker" / "dev" / "neo4j"

FERRETDB_MODULE = "github.com/FerretDB/FerretDB"
FERRETDB_VERSION = "v1.24.2"
NEO4J_MAIN_CLASS = "dev.kure.neo4j.Main"

NEO4J_READY_TIMEOUT = 180.0
FERRETDB_READY_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0


class ServiceError(RuntimeError):
    """A service could not be built, started or stopped; the message says why and where the log is."""


# ----------------------------------------------------------------------------------------------------------
# configuration
# ----------------------------------------------------------------------------------------------------------


def _env_port(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        port = int(raw)
    except ValueError as exc:
        raise ServiceError(f"{name} must be a port number, got {raw!r}") from exc
    if not 1 <= port <= 65535:
        raise ServiceError(f"{name} must be between 1 and 65535, got {port}")
    return port


@dataclasses.dataclass(frozen=True)
class Config:
    services_dir: Path
    mongodb_port: int
    neo4j_bolt_port: int
    neo4j_http_port: int
    neo4j_heap: str
    etcd_port: int = 2379
    etcd_peer_port: int = 2380
    kubeapi_port: int = 6443

    @classmethod
    def from_env(cls) -> Config:
        raw_dir = os.environ.get("KURE_SERVICES_DIR", "").strip()
        return cls(
            services_dir=Path(raw_dir).resolve() if raw_dir else REPO_ROOT / ".services",
            mongodb_port=_env_port("KURE_TEST_MONGODB_PORT", 27017),
            neo4j_bolt_port=_env_port("KURE_TEST_NEO4J_BOLT_PORT", 7687),
            neo4j_http_port=_env_port("KURE_TEST_NEO4J_HTTP_PORT", 7474),
            neo4j_heap=os.environ.get("KURE_NEO4J_HEAP", "").strip() or "768m",
            etcd_port=_env_port("KURE_TEST_ETCD_PORT", 2379),
            etcd_peer_port=_env_port("KURE_TEST_ETCD_PEER_PORT", 2380),
            kubeapi_port=_env_port("KURE_TEST_KUBEAPI_PORT", 6443),
        )

    @property
    def bin_dir(self) -> Path:
        return self.services_dir / "bin"

    @property
    def build_dir(self) -> Path:
        return self.services_dir / "build"

    @property
    def logs_dir(self) -> Path:
        return self.services_dir / "logs"

    @property
    def run_dir(self) -> Path:
        return self.services_dir / "run"

    @property
    def neo4j_dir(self) -> Path:
        return self.services_dir / "neo4j"

    @property
    def ferretdb_dir(self) -> Path:
        return self.services_dir / "ferretdb"

    @property
    def kubeapi_dir(self) -> Path:
        return self.services_dir / "kubeapi"

    def pid_file(self, service: str) -> Path:
        return self.run_dir / f"{service}.pid"

    def log_file(self, service: str) -> Path:
        return self.logs_dir / f"{service}.log"


def _say(message: str) -> None:
    print(f"[services] {message}", flush=True)


@contextlib.contextmanager
def _lock(config: Config, name: str) -> Iterator[None]:
    """Serialise builds across concurrent `up` calls (two shells, or the tests plus `make run`)."""
    config.run_dir.mkdir(parents=True, exist_ok=True)
    with (config.run_dir / f"{name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _tail(path: Path, lines: int = 25) -> str:
    try:
        content = path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(content[-lines:])


def _run_logged(cmd: list[str], log: Path, *, cwd: Path | None = None,
                env: dict[str, str] | None = None) -> None:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(cmd)}\n")
        out.flush()
        result = subprocess.run(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        raise ServiceError(
            f"{' '.join(cmd[:3])} ... failed (exit {result.returncode}); log {log}:\n{_tail(log)}")


# ----------------------------------------------------------------------------------------------------------
# wire-protocol probes (no driver needed)
# ----------------------------------------------------------------------------------------------------------


def _bson_encode(doc: dict[str, Any]) -> bytes:
    body = bytearray()
    for key, value in doc.items():
        name = key.encode() + b"\x00"
        if isinstance(value, bool):
            body += b"\x08" + name + (b"\x01" if value else b"\x00")
        elif isinstance(value, int) and -(2**31) <= value < 2**31:
            body += b"\x10" + name + struct.pack("<i", value)
        elif isinstance(value, int):
            body += b"\x12" + name + struct.pack("<q", value)
        elif isinstance(value, float):
            body += b"\x01" + name + struct.pack("<d", value)
        elif isinstance(value, str):
            raw = value.encode() + b"\x00"
            body += b"\x02" + name + struct.pack("<i", len(raw)) + raw
        elif isinstance(value, dict):
            body += b"\x03" + name + _bson_encode(value)
        else:
            raise TypeError(f"unsupported BSON value for {key!r}: {type(value).__name__}")
    return struct.pack("<i", len(body) + 5) + bytes(body) + b"\x00"


def _bson_decode(data: bytes, offset: int = 0) -> tuple[dict[str, Any], int]:
    (length,) = struct.unpack_from("<i", data, offset)
    end = offset + length - 1
    pos = offset + 4
    out: dict[str, Any] = {}
    while pos < end:
        kind = data[pos]
        pos += 1
        name_end = data.index(b"\x00", pos)
        key = data[pos:name_end].decode()
        pos = name_end + 1
        value: Any
        if kind == 0x01:
            (value,) = struct.unpack_from("<d", data, pos)
            pos += 8
        elif kind in (0x02, 0x0D, 0x0E):
            (size,) = struct.unpack_from("<i", data, pos)
            value = data[pos + 4 : pos + 4 + size - 1].decode(errors="replace")
            pos += 4 + size
        elif kind in (0x03, 0x04):
            value, pos = _bson_decode(data, pos)
            if kind == 0x04:
                value = list(value.values())
        elif kind == 0x05:
            (size,) = struct.unpack_from("<i", data, pos)
            value = data[pos + 5 : pos + 5 + size]
            pos += 5 + size
        elif kind == 0x07:
            value = data[pos : pos + 12].hex()
            pos += 12
        elif kind == 0x08:
            value = data[pos] == 1
            pos += 1
        elif kind in (0x09, 0x11, 0x12):
            (value,) = struct.unpack_from("<q", data, pos)
            pos += 8
        elif kind in (0x0A, 0xFF, 0x7F):
            value = None
        elif kind == 0x10:
            (value,) = struct.unpack_from("<i", data, pos)
            pos += 4
        elif kind == 0x13:
            value = data[pos : pos + 16]
            pos += 16
        else:
            raise ValueError(f"unsupported BSON type 0x{kind:02x} for {key!r}")
        out[key] = value
    return out, end + 1


_request_ids = itertools.count(1)


def mongo_command(port: int, command: dict[str, Any], *, host: str = "127.0.0.1",
                  timeout: float = 5.0) -> dict[str, Any]:
    """Send one OP_MSG command and return the reply document (MongoDB wire protocol, no driver)."""
    body = struct.pack("<I", 0) + b"\x00" + _bson_encode(command)
    header = struct.pack("<iiii", 16 + len(body), next(_request_ids), 0, 2013)
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(header + body)
        head = _recv_exact(sock, 16)
        length, _, _, opcode = struct.unpack("<iiii", head)
        payload = _recv_exact(sock, length - 16)
    if opcode != 2013 or payload[4] != 0:
        raise ServiceError(f"unexpected MongoDB reply (opcode {opcode})")
    reply, _ = _bson_decode(payload, 5)
    return reply


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            raise ConnectionError("connection closed mid-message")
        chunks += chunk
    return bytes(chunks)


def mongo_ping(port: int, *, host: str = "127.0.0.1", timeout: float = 2.0) -> bool:
    """True when a MongoDB-wire server on host:port answers ``{ping: 1}`` with ok: 1."""
    try:
        reply = mongo_command(port, {"ping": 1, "$db": "admin"}, host=host, timeout=timeout)
    except (OSError, ValueError, ServiceError, struct.error):
        return False
    return bool(reply.get("ok"))


def mongo_versions(port: int, *, host: str = "127.0.0.1") -> dict[str, str]:
    """The wire-compatible MongoDB version and, for FerretDB, its own version (from buildInfo)."""
    reply = mongo_command(port, {"buildInfo": 1, "$db": "admin"}, host=host)
    out = {"mongodb": str(reply.get("version", "?"))}
    if "ferretdbVersion" in reply:
        out["ferretdb"] = str(reply["ferretdbVersion"])
    return out


def bolt_handshake(port: int, *, host: str = "127.0.0.1", timeout: float = 2.0) -> tuple[int, int] | None:
    """Perform the Bolt version handshake; returns the negotiated (major, minor) or None.

    A TCP connect alone would also succeed for a half-started JVM; a negotiated Bolt version means the Bolt
    server itself is answering.
    """
    # Magic preamble, then four proposals: 5.0-5.8 (range form), 4.4, 4.3, 4.2.
    proposals = bytes([0, 8, 8, 5]) + bytes([0, 0, 4, 4]) + bytes([0, 0, 3, 4]) + bytes([0, 0, 2, 4])
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(b"\x60\x60\xb0\x17" + proposals)
            reply = _recv_exact(sock, 4)
    except OSError:
        return None
    major, minor = reply[3], reply[2]
    return (major, minor) if major else None


def _port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


# ----------------------------------------------------------------------------------------------------------
# process bookkeeping (pid files; a process is ours only if pid AND start time match)
# ----------------------------------------------------------------------------------------------------------


def _proc_start_time(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Field 22 (starttime); the command name in field 2 may contain spaces, so split after its ')'.
    fields = stat[stat.rindex(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None


def _write_pid_file(path: Path, pid: int, extra: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"pid": pid, "start_time": _proc_start_time(pid), **extra}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record))
    tmp.replace(path)


def _read_pid_file(path: Path) -> dict[str, Any] | None:
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("pid"), int) else None


def _owned_pid(config: Config, service: str) -> int | None:
    """The pid from the pid file if that process is still the one we started; stale files are removed."""
    path = config.pid_file(service)
    record = _read_pid_file(path)
    if record is None:
        return None
    pid = int(record["pid"])
    if _proc_start_time(pid) is None or _proc_start_time(pid) != record.get("start_time"):
        path.unlink(missing_ok=True)
        return None
    return pid


def _pid_alive(pid: int) -> bool:
    start = _proc_start_time(pid)
    if start is None:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _terminate(pid: int, timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM the process (its own session, so its children too), escalate to SIGKILL after timeout."""
    with contextlib.suppress(ProcessLookupError):
        if os.getpgid(pid) == pid:
            os.killpg(pid, signal.SIGTERM)
        else:
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        if not _pid_alive(pid):
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def stop_process(proc: subprocess.Popen[bytes], timeout: float = STOP_TIMEOUT) -> None:
    """Stop a server from :func:`start_ferretdb` / :func:`start_neo4j` (SIGTERM, then SIGKILL after ``timeout``)."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


def _spawn(cmd: list[str], log: Path, *, env: dict[str, str] | None = None, cwd: Path | None = None
           ) -> subprocess.Popen[bytes]:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        out.write(f"\n=== {time.strftime('%Y-%m-%dT%H:%M:%S')} $ {' '.join(cmd)}\n".encode())
        out.flush()
        # New session: `down` signals the whole group, and Ctrl-C in the calling shell does not kill servers.
        return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                env=env, cwd=cwd, start_new_session=True)


# ----------------------------------------------------------------------------------------------------------
# FerretDB
# ----------------------------------------------------------------------------------------------------------


def ferretdb_binary(config: Config | None = None) -> Path:
    """Path of the FerretDB binary, built first when missing (docs/services.md says why not `go install`)."""
    config = config or Config.from_env()
    target = config.bin_dir / "ferretdb"
    if _binary_works(target):
        return target
    with _lock(config, "ferretdb.build"):
        if not _binary_works(target):
            _build_ferretdb(config, target)
    return target


def _binary_works(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        result = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=30,
                                check=False)
    except OSError:
        return False
    return result.returncode == 0 and FERRETDB_VERSION in result.stdout


def _build_ferretdb(config: Config, target: Path) -> None:
    go = shutil.which("go")
    if go is None:
        raise ServiceError("Go toolchain not found (needed to build FerretDB); install Go >= 1.24")
    log = config.logs_dir / "build-ferretdb.log"
    _say(f"building FerretDB {FERRETDB_VERSION} (first time only, ~2-4 min on 2 cores); log {log}")
    started = time.monotonic()
    # `go install ...@v1.24.2` produces a binary that panics at start: the module zip lacks the generated
    # build/version/version.txt. So: copy the module source, add that one file, `go build`. The module and
    # build caches of `go install` are reused, only FerretDB's own packages compile.
    download = subprocess.run([go, "mod", "download", "-json", f"{FERRETDB_MODULE}@{FERRETDB_VERSION}"],
                              capture_output=True, text=True, check=False)
    if download.returncode != 0:
        raise ServiceError(f"go mod download failed: {download.stdout.strip()} {download.stderr.strip()}")
    module_dir = Path(json.loads(download.stdout)["Dir"])
    src = config.build_dir / f"ferretdb-{FERRETDB_VERSION}"
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(module_dir, src)
    for path in [src, *src.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)
    (src / "build" / "version" / "version.txt").write_text(FERRETDB_VERSION + "\n")
    (src / "build" / "version" / "package.txt").write_text("kure-local\n")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Same environment as the `go install` (no -trimpath, default CGO) so its build cache is reused.
    env = {**os.environ, "GOTOOLCHAIN": "local"}
    _run_logged([go, "build", "-o", str(target), "./cmd/ferretdb"], log, cwd=src, env=env)
    if not _binary_works(target):
        raise ServiceError(f"built {target} but `--version` does not report {FERRETDB_VERSION}; log {log}")
    _say(f"built {target} in {time.monotonic() - started:.0f}s")


def ferretdb_command(binary: Path, port: int, data_dir: Path) -> list[str]:
    return [
        str(binary),
        "--handler=sqlite",
        f"--sqlite-url=file:{data_dir.resolve()}/",
        f"--listen-addr=127.0.0.1:{port}",
        f"--state-dir={data_dir.resolve()}",
        "--telemetry=disable",
        "--debug-addr=-",
        "--log-level=warn",
        "--log-format=text",
    ]


def _ferretdb_env() -> dict[str, str]:
    return {**os.environ, "DO_NOT_TRACK": "1", "FERRETDB_TELEMETRY": "disable"}


def start_ferretdb(port: int, data_dir: Path, *, log_file: Path | None = None,
                   timeout: float = FERRETDB_READY_TIMEOUT) -> subprocess.Popen[bytes]:
    """Start an extra FerretDB on 127.0.0.1:port with SQLite data in data_dir; returns once it answers ping.

    The caller owns the process: stop it with :func:`stop_process`. Raises ServiceError if the port is taken
    or the server does not become ready within ``timeout`` seconds.
    """
    if _port_open(port):
        raise ServiceError(f"127.0.0.1:{port} is already in use")
    data_dir.mkdir(parents=True, exist_ok=True)
    log = log_file or data_dir / "ferretdb.log"
    proc = _spawn(ferretdb_command(ferretdb_binary(), port, data_dir), log, env=_ferretdb_env())
    try:
        _wait_until(lambda: mongo_ping(port), proc, timeout, f"FerretDB on port {port}", log)
    except BaseException:
        stop_process(proc)
        raise
    return proc


def _wait_until(check: Callable[[], bool], proc: subprocess.Popen[bytes], timeout: float, what: str,
                log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServiceError(f"{what} exited with code {proc.returncode}; log {log}:\n{_tail(log)}")
        if check():
            return
        time.sleep(0.2)
    raise ServiceError(f"{what} not ready after {timeout:.0f}s; log {log}:\n{_tail(log)}")


# ----------------------------------------------------------------------------------------------------------
# Neo4j (in-process harness launcher in docker/dev/neo4j)
# ----------------------------------------------------------------------------------------------------------


def _launcher_fingerprint(config: Config) -> str:
    digest = hashlib.sha256()
    for path in sorted(NEO4J_LAUNCHER_DIR.rglob("*")):
        if path.is_file() and path.suffix in {".xml", ".java"}:
            digest.update(str(path.relative_to(NEO4J_LAUNCHER_DIR)).encode())
            digest.update(path.read_bytes())
    digest.update(str(config.build_dir).encode())
    return digest.hexdigest()


def neo4j_classpath(config: Config | None = None) -> str:
    """Classpath of the Neo4j launcher; runs Maven only when the pom/sources changed or the output is gone."""
    config = config or Config.from_env()
    out = config.build_dir / "neo4j"
    with _lock(config, "neo4j.build"):
        jar, cp_file, stamp = out / "kure-neo4j-launcher.jar", out / "classpath.txt", out / "fingerprint"
        fingerprint = _launcher_fingerprint(config)
        fresh = (jar.is_file() and cp_file.is_file() and stamp.is_file()
                 and stamp.read_text().strip() == fingerprint
                 and all(Path(p).exists() for p in cp_file.read_text().strip().split(os.pathsep) if p))
        if not fresh:
            mvn = shutil.which("mvn")
            if mvn is None or shutil.which("java") is None:
                raise ServiceError("Java 17+ and Maven are needed to build the Neo4j launcher")
            log = config.logs_dir / "build-neo4j.log"
            _say(f"building the Neo4j launcher with Maven (first time downloads Neo4j 5.26); log {log}")
            started = time.monotonic()
            _run_logged([mvn, "-q", "-B", "-f", str(NEO4J_LAUNCHER_DIR / "pom.xml"),
                         f"-Dkure.build.dir={out}", "package"], log)
            stamp.write_text(fingerprint)
            _say(f"built the Neo4j launcher in {time.monotonic() - started:.0f}s")
        return os.pathsep.join([str(jar), cp_file.read_text().strip()])


def _neo4j_ready_file(config: Config) -> Path:
    return config.neo4j_dir / "ready.json"


def _clean_neo4j_workdir(config: Config) -> None:
    # The harness puts each run in a fresh random sub-folder; old ones are leftovers of previous runs.
    if config.neo4j_dir.is_dir():
        for child in config.neo4j_dir.iterdir():
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)


def _neo4j_command(config: Config, launcher_args: list[str]) -> list[str]:
    """The java command line of the launcher (JVM flags, heap) followed by its own arguments."""
    java = shutil.which("java")
    if java is None:
        raise ServiceError("java not found")
    return [java, "-Xms128m", f"-Xmx{config.neo4j_heap}", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
            "-Djava.awt.headless=true", NEO4J_MAIN_CLASS, *launcher_args]


def _spawn_neo4j(classpath: str, cmd: list[str], log: Path) -> subprocess.Popen[bytes]:
    # Classpath through the environment: it is ~30 kB and would make `ps` output useless.
    return _spawn(cmd, log, env={**os.environ, "CLASSPATH": classpath})


def _start_neo4j(config: Config) -> subprocess.Popen[bytes]:
    classpath = neo4j_classpath(config)
    cmd = _neo4j_command(config, [
        "--work-dir", str(config.neo4j_dir),
        "--bolt-port", str(config.neo4j_bolt_port),
        "--http-port", str(config.neo4j_http_port),
        "--ready-file", str(_neo4j_ready_file(config))])
    for port in (config.neo4j_bolt_port, config.neo4j_http_port):
        if _port_open(port):
            raise ServiceError(f"127.0.0.1:{port} is already in use by a process this script did not start")
    _clean_neo4j_workdir(config)
    config.neo4j_dir.mkdir(parents=True, exist_ok=True)
    return _spawn_neo4j(classpath, cmd, config.log_file("neo4j"))


def start_neo4j(bolt_port: int, data_dir: Path, *, log_file: Path | None = None,
                timeout: float = NEO4J_READY_TIMEOUT) -> subprocess.Popen[bytes]:
    """Start an extra Neo4j on 127.0.0.1:bolt_port whose store lives in data_dir; returns once it is ready.

    Unlike the shared server of ``up`` (test harness, empty after every start), this one runs the launcher's
    persistent mode: stop it with :func:`stop_process` and start it again on the same data_dir, and the graph is
    still there. Bolt only (no HTTP), auth disabled. The caller owns the process. Raises ServiceError if the port
    is taken or the server does not become ready within ``timeout`` seconds.
    """
    config = Config.from_env()
    classpath = neo4j_classpath(config)
    data_dir = data_dir.resolve()
    ready_file = data_dir / "ready.json"
    cmd = _neo4j_command(config, ["--data-dir", str(data_dir), "--bolt-port", str(bolt_port),
                                  "--ready-file", str(ready_file)])
    if _port_open(bolt_port):
        raise ServiceError(f"127.0.0.1:{bolt_port} is already in use")
    data_dir.mkdir(parents=True, exist_ok=True)
    ready_file.unlink(missing_ok=True)  # left behind by a SIGKILLed run
    log = log_file or data_dir / "launcher.log"
    proc = _spawn_neo4j(classpath, cmd, log)

    def ready() -> bool:
        # The launcher writes the ready file (with its pid) once the DBMS has started, after Bolt opened.
        try:
            info = json.loads(ready_file.read_text())
        except (OSError, ValueError):
            return False
        return isinstance(info, dict) and info.get("pid") == proc.pid and bolt_handshake(bolt_port) is not None

    try:
        _wait_until(ready, proc, timeout, f"Neo4j on port {bolt_port}", log)
    except BaseException:
        stop_process(proc)
        raise
    return proc


def _neo4j_info(config: Config) -> dict[str, Any]:
    try:
        info = json.loads(_neo4j_ready_file(config).read_text())
    except (OSError, ValueError):
        info = {}
    return info if isinstance(info, dict) else {}


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return 200 <= int(resp.status) < 300
    except (OSError, ValueError):
        return False


def _neo4j_discovery(port: int) -> dict[str, Any]:
    """Neo4j's HTTP discovery document ({neo4j_version, neo4j_edition, bolt_direct, ...}); {} when unreachable."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as resp:
            document = json.loads(resp.read())
    except (OSError, ValueError):
        return {}
    return document if isinstance(document, dict) else {}


# ----------------------------------------------------------------------------------------------------------
# Go programs built from the module proxy through a small generated wrapper module
# ----------------------------------------------------------------------------------------------------------

KUBERNETES_MODULE = "k8s.io/kubernetes"
KUBERNETES_VERSION = "v1.34.4"
#: The published release of every staging module (k8s.io/api, k8s.io/apiserver, ...) that goes with it.
KUBERNETES_STAGING_VERSION = "v0.34.4"
ETCD_MODULE = "go.etcd.io/etcd/server/v3"
ETCD_VERSION = "v3.6.16"
HELM_MODULE = "helm.sh/helm/v4"
HELM_VERSION = "v4.3.2"


@dataclasses.dataclass(frozen=True)
class GoWrapper:
    """A binary built from a generated main module: ``go.mod`` requiring ``requires`` (with ``replaces``) and a
    ``main.go``, or, where the module allows it, ``go install`` of ``install``. The sources are written by this
    script, never fetched: only the dependencies come from the module proxy (docs/services.md)."""

    name: str
    requires: tuple[tuple[str, str], ...]
    main_go: str = ""
    #: A package to `go install` at the required version instead of generating a main module.
    install: str = ""
    replaces: tuple[tuple[str, str, str], ...] = ()
    ldflags: tuple[str, ...] = ()
    version_args: tuple[str, ...] = ("--version",)
    version_text: str = ""

    def go_mod(self) -> str:
        lines = [f"module kure.local/{self.name}", "", "go 1.24.0", "", "require ("]
        lines += [f"\t{module} {version}" for module, version in self.requires]
        lines.append(")")
        if self.replaces:
            lines += ["", "replace ("]
            lines += [f"\t{old} => {new} {version}" for old, new, version in self.replaces]
            lines.append(")")
        return "\n".join(lines) + "\n"


def _go() -> str:
    go = shutil.which("go")
    if go is None:
        raise ServiceError("Go toolchain not found (needed to build the Kubernetes API server, etcd and helm)")
    return go


def _go_env() -> dict[str, str]:
    # The machine's own Go; `-mod=mod` lets the build record the checksums `go mod tidy` did not need.
    return {**os.environ, "GOTOOLCHAIN": "local", "GOFLAGS": "-mod=mod -buildvcs=false"}


def _kubernetes_staging_replaces() -> tuple[tuple[str, str, str], ...]:
    """k8s.io/kubernetes points each staging module at its own tree (``k8s.io/api => ./staging/...``), which is
    why ``go install k8s.io/kubernetes/cmd/kube-apiserver@...`` is refused. A main module that requires it
    replaces each of them with the published release instead; the list is read from its go.mod."""
    result = subprocess.run([_go(), "mod", "download", "-json", f"{KUBERNETES_MODULE}@{KUBERNETES_VERSION}"],
                            capture_output=True, text=True, env=_go_env(), check=False)
    if result.returncode != 0:
        raise ServiceError(f"go mod download {KUBERNETES_MODULE}@{KUBERNETES_VERSION} failed: "
                           f"{result.stdout.strip()} {result.stderr.strip()}")
    go_mod = Path(json.loads(result.stdout)["GoMod"]).read_text()
    replaces = []
    for line in go_mod.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == "=>" and parts[2].startswith("./staging/"):
            replaces.append((parts[0], parts[0], KUBERNETES_STAGING_VERSION))
    if not replaces:
        raise ServiceError(f"no staging replace directives found in {KUBERNETES_MODULE}@{KUBERNETES_VERSION}")
    return tuple(replaces)


def _kube_apiserver_wrapper() -> GoWrapper:
    version = "k8s.io/component-base/version"
    major, minor = KUBERNETES_VERSION.lstrip("v").split(".")[:2]
    return GoWrapper(
        name="kube-apiserver",
        requires=((KUBERNETES_MODULE, KUBERNETES_VERSION),),
        replaces=_kubernetes_staging_replaces(),
        main_go='''package main

import (
\t"os"
\t_ "time/tzdata"

\t"k8s.io/component-base/cli"
\t_ "k8s.io/component-base/logs/json/register"
\t_ "k8s.io/component-base/metrics/prometheus/clientgo"
\t_ "k8s.io/component-base/metrics/prometheus/version"
\t"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
\tos.Exit(cli.Run(app.NewAPIServerCommand()))
}
''',
        # What the release build stamps in: /version and the user agent report the real version.
        ldflags=(f"-X {version}.gitVersion={KUBERNETES_VERSION}", f"-X {version}.gitMajor={major}",
                 f"-X {version}.gitMinor={minor}", f"-X {version}.gitTreeState=clean",
                 f"-X k8s.io/client-go/pkg/version.gitVersion={KUBERNETES_VERSION}"),
        version_text=f"Kubernetes {KUBERNETES_VERSION}",
    )


def _etcd_wrapper() -> GoWrapper:
    return GoWrapper(
        name="etcd",
        requires=((ETCD_MODULE, ETCD_VERSION),),
        main_go='''package main

import (
\t"os"

\t"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
\tetcdmain.Main(os.Args)
}
''',
        version_text=f"etcd Version: {ETCD_VERSION.lstrip('v')}",
    )


def _helm_wrapper() -> GoWrapper:
    # helm's module has no replace directives: a plain `go install` of its own command works.
    return GoWrapper(
        name="helm",
        requires=((HELM_MODULE, HELM_VERSION),),
        install=f"{HELM_MODULE}/cmd/helm",
        ldflags=(f"-X {HELM_MODULE}/internal/version.version={HELM_VERSION}",),
        version_args=("version", "--short"),
        version_text=HELM_VERSION,
    )


def _go_version() -> str:
    return subprocess.run([_go(), "version"], capture_output=True, text=True, env=_go_env(), check=False).stdout


def _wrapper_fingerprint(wrapper: GoWrapper) -> str:
    digest = hashlib.sha256()
    for part in (wrapper.go_mod(), wrapper.main_go, wrapper.install, " ".join(wrapper.ldflags), _go_version()):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def go_binary(name: str, config: Config | None = None) -> Path:
    """Path of ``kube-apiserver``, ``etcd`` or ``helm`` in ``.services/bin``, built first when missing or when
    its pinned version (the wrapper's fingerprint) changed."""
    config = config or Config.from_env()
    makers: dict[str, Callable[[], GoWrapper]] = {
        "kube-apiserver": _kube_apiserver_wrapper, "etcd": _etcd_wrapper, "helm": _helm_wrapper}
    target = config.bin_dir / name
    stamp = config.bin_dir / f"{name}.fingerprint"
    with _lock(config, f"{name}.build"):
        wrapper = makers[name]()
        fingerprint = _wrapper_fingerprint(wrapper)
        if target.is_file() and stamp.is_file() and stamp.read_text().strip() == fingerprint:
            return target
        _build_wrapper(config, wrapper, target)
        stamp.write_text(fingerprint + "\n")
    return target


def _build_wrapper(config: Config, wrapper: GoWrapper, target: Path) -> None:
    go = _go()
    log = config.logs_dir / f"build-{wrapper.name}.log"
    _say(f"building {wrapper.name} from the Go module proxy (first time only); log {log}")
    started = time.monotonic()
    src = config.build_dir / wrapper.name
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    env = _go_env()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    ldflags = ["-ldflags", " ".join(wrapper.ldflags)] if wrapper.ldflags else []
    if wrapper.install:
        version = dict(wrapper.requires)[wrapper.install.rsplit("/cmd/", 1)[0]]
        _run_logged([go, "install", *ldflags, f"{wrapper.install}@{version}"], log,
                    env={**env, "GOBIN": str(src), "GOFLAGS": "-buildvcs=false"})
        (src / wrapper.install.rsplit("/", 1)[1]).replace(tmp)
    else:
        (src / "go.mod").write_text(wrapper.go_mod())
        (src / "main.go").write_text(wrapper.main_go)
        _run_logged([go, "mod", "tidy"], log, cwd=src, env=env)
        _run_logged([go, "build", "-o", str(tmp), *ldflags, "."], log, cwd=src, env=env)
    answer = subprocess.run([str(tmp), *wrapper.version_args], capture_output=True, text=True, timeout=60,
                            check=False)
    if wrapper.version_text not in answer.stdout + answer.stderr:
        raise ServiceError(f"built {wrapper.name} but `{' '.join(wrapper.version_args)}` does not report "
                           f"{wrapper.version_text!r}: {answer.stdout.strip()} {answer.stderr.strip()}")
    tmp.replace(target)
    _say(f"built {target} in {time.monotonic() - started:.0f}s")


# ----------------------------------------------------------------------------------------------------------
# Kubernetes API server (etcd + kube-apiserver, throw-away PKI, no controllers, no kubelets)
# ----------------------------------------------------------------------------------------------------------

KUBEAPI_READY_TIMEOUT = 180.0
ETCD_READY_TIMEOUT = 60.0
#: Where Services get their clusterIP (the kubeadm default range); the `kubernetes` Service takes the first one.
SERVICE_CIDR = "10.96.0.0/12"
SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local"
#: Served without the watch cache, straight from etcd: a watch resumed from a compacted revision of this kind
#: gets the 410 Gone that real clusters send after a compaction (tests force one, see etcd_compact()).
UNCACHED_RESOURCES = ("persistentvolumeclaims",)

_AUDIT_POLICY = """apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  # Every request of a ServiceAccount, with the authorizer's decision: the RBAC tests read this log.
  - level: Metadata
    userGroups: ["system:serviceaccounts"]
  - level: None
"""


def _openssl() -> str:
    openssl = shutil.which("openssl")
    if openssl is None:
        raise ServiceError("openssl not found (needed for the Kubernetes API server's test PKI): "
                           "apt-get install -y openssl")
    return openssl


def _pki_leaf(pki: Path, name: str, subject: str, extensions: str, log: Path) -> None:
    openssl = _openssl()
    (pki / f"{name}.ext").write_text(extensions)
    _run_logged([openssl, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", str(pki / f"{name}.key"), "-out", str(pki / f"{name}.csr"), "-subj", subject], log)
    _run_logged([openssl, "x509", "-req", "-in", str(pki / f"{name}.csr"), "-CA", str(pki / "ca.crt"),
                 "-CAkey", str(pki / "ca.key"), "-set_serial", str(int.from_bytes(os.urandom(8), "big")),
                 "-days", "3650", "-out", str(pki / f"{name}.crt"), "-extfile", str(pki / f"{name}.ext")], log)


def _generate_pki(config: Config) -> Path:
    """A fresh CA, the API server's serving certificate (127.0.0.1, the kubernetes Service names), a kubelet
    serving certificate for the tests' fake kubelets, the API server's kubelet client certificate, an admin
    client certificate (O=system:masters) and the ServiceAccount token signing key."""
    pki = config.kubeapi_dir / "pki"
    if pki.exists():
        shutil.rmtree(pki)
    pki.mkdir(parents=True)
    log = config.logs_dir / "kubeapi-pki.log"
    openssl = _openssl()
    _run_logged([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", str(pki / "ca.key"), "-out", str(pki / "ca.crt"), "-days", "3650",
                 "-subj", "/CN=kure-test-ca", "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign"], log)
    first_service_ip = "10.96.0.1"
    server_names = ",".join(["IP:127.0.0.1", f"IP:{first_service_ip}", "DNS:localhost", "DNS:kubernetes",
                             "DNS:kubernetes.default", "DNS:kubernetes.default.svc",
                             "DNS:kubernetes.default.svc.cluster.local"])
    server = ("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
              "extendedKeyUsage=serverAuth\nsubjectAltName=")
    client = ("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
              "extendedKeyUsage=clientAuth\n")
    _pki_leaf(pki, "apiserver", "/CN=kube-apiserver", server + server_names + "\n", log)
    _pki_leaf(pki, "kubelet", "/CN=kure-fake-kubelet", server + "IP:127.0.0.1,DNS:localhost\n", log)
    _pki_leaf(pki, "apiserver-kubelet-client", "/O=system:masters/CN=kube-apiserver-kubelet-client", client, log)
    _pki_leaf(pki, "admin", "/O=system:masters/CN=kure-test-admin", client, log)
    _run_logged([openssl, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                 "-out", str(pki / "sa.key")], log)
    _run_logged([openssl, "pkey", "-in", str(pki / "sa.key"), "-pubout", "-out", str(pki / "sa.pub")], log)
    for path in pki.iterdir():
        path.chmod(0o600)
    return pki


def kubeapi_kubeconfig(config: Config | None = None) -> Path:
    """The admin kubeconfig (client certificate in system:masters) that `up` writes for the tests."""
    config = config or Config.from_env()
    return config.kubeapi_dir / "admin.kubeconfig"


def _write_admin_kubeconfig(config: Config, pki: Path) -> Path:
    path = kubeapi_kubeconfig(config)
    # JSON is YAML: no YAML writer needed in a standard-library script.
    document = {
        "apiVersion": "v1", "kind": "Config", "current-context": "kure-test",
        "clusters": [{"name": "kure-test", "cluster": {
            "server": f"https://127.0.0.1:{config.kubeapi_port}", "certificate-authority": str(pki / "ca.crt")}}],
        "users": [{"name": "kure-test-admin", "user": {
            "client-certificate": str(pki / "admin.crt"), "client-key": str(pki / "admin.key")}}],
        "contexts": [{"name": "kure-test", "context": {"cluster": "kure-test", "user": "kure-test-admin"}}],
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    path.chmod(0o600)
    return path


def etcd_command(binary: Path, config: Config) -> list[str]:
    client_url = f"http://127.0.0.1:{config.etcd_port}"
    peer_url = f"http://127.0.0.1:{config.etcd_peer_port}"
    return [
        str(binary), "--name", "kure-test", "--data-dir", str(config.kubeapi_dir / "etcd"),
        "--listen-client-urls", client_url, "--advertise-client-urls", client_url,
        "--listen-peer-urls", peer_url, "--initial-advertise-peer-urls", peer_url,
        "--initial-cluster", f"kure-test={peer_url}", "--initial-cluster-state", "new",
        # A test server: durability across a power cut buys nothing, fsync costs every write.
        "--unsafe-no-fsync", "--log-level", "warn", "--quota-backend-bytes", str(2 * 1024**3),
    ]


def kube_apiserver_command(binary: Path, config: Config, pki: Path) -> list[str]:
    policy = config.kubeapi_dir / "audit-policy.yaml"
    policy.write_text(_AUDIT_POLICY)
    return [
        str(binary),
        f"--etcd-servers=http://127.0.0.1:{config.etcd_port}",
        "--bind-address=127.0.0.1", f"--secure-port={config.kubeapi_port}", "--advertise-address=127.0.0.1",
        # The `kubernetes` Service would need a non-loopback endpoint; without kubelets nobody could use it.
        "--endpoint-reconciler-type=none",
        f"--tls-cert-file={pki / 'apiserver.crt'}", f"--tls-private-key-file={pki / 'apiserver.key'}",
        f"--client-ca-file={pki / 'ca.crt'}",
        "--authorization-mode=Node,RBAC", "--anonymous-auth=true",
        f"--service-account-issuer={SERVICE_ACCOUNT_ISSUER}",
        f"--service-account-key-file={pki / 'sa.pub'}", f"--service-account-signing-key-file={pki / 'sa.key'}",
        f"--service-cluster-ip-range={SERVICE_CIDR}",
        "--enable-admission-plugins=NodeRestriction,PodSecurity",
        # As on real clusters (kubeadm sets it): privileged pods are for PodSecurity admission to refuse.
        "--allow-privileged=true",
        f"--kubelet-certificate-authority={pki / 'ca.crt'}",
        f"--kubelet-client-certificate={pki / 'apiserver-kubelet-client.crt'}",
        f"--kubelet-client-key={pki / 'apiserver-kubelet-client.key'}",
        "--kubelet-preferred-address-types=InternalIP",
        "--watch-cache-sizes=" + ",".join(f"{resource}#0" for resource in UNCACHED_RESOURCES),
        f"--audit-policy-file={policy}", f"--audit-log-path={kubeapi_audit_log(config)}",
        "--audit-log-format=json", "--audit-log-maxsize=200",
        "--profiling=false", "--v=1",
    ]


def kubeapi_audit_log(config: Config | None = None) -> Path:
    """JSON lines, one per completed request of a ServiceAccount (user, verb, resource, decision, status)."""
    config = config or Config.from_env()
    return config.kubeapi_dir / "audit.log"


def _ssl_context(config: Config) -> ssl.SSLContext:
    ca = config.kubeapi_dir / "pki" / "ca.crt"
    if ca.is_file():
        return ssl.create_default_context(cafile=str(ca))
    # A server this script did not start: /readyz and /version are public, only whether it answers matters.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _kubeapi_get(config: Config, path: str, timeout: float = 2.0) -> tuple[int, str]:
    url = f"https://127.0.0.1:{config.kubeapi_port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=_ssl_context(config)) as resp:
            return int(resp.status), resp.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return int(exc.code), ""
    except (OSError, ValueError):
        return 0, ""


def etcd_healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as resp:
            return bool(json.loads(resp.read()).get("health") == "true")
    except (OSError, ValueError):
        return False


def _etcd_post(port: int, path: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=30) as resp:
        answer: dict[str, Any] = json.loads(resp.read())
    return answer


def etcd_compact(port: int | None = None) -> int:
    """Compact etcd's history up to its current revision (physically) and return that revision: a watch or a
    paginated list that resumes from an older resourceVersion then gets 410 Gone (for the kinds served
    straight from etcd, see UNCACHED_RESOURCES). Through etcd's JSON gateway, so no client is needed."""
    port = port or Config.from_env().etcd_port
    header = _etcd_post(port, "/v3/kv/range", {"key": "Lw==", "count_only": True})["header"]
    revision = int(header["revision"])
    _etcd_post(port, "/v3/kv/compaction", {"revision": str(revision), "physical": True})
    return revision


def _kubeapi_version(config: Config) -> str:
    status, body = _kubeapi_get(config, "/version")
    if status != 200:
        return ""
    try:
        return str(json.loads(body).get("gitVersion") or "")
    except ValueError:
        return ""


def _start_kubeapi(config: Config) -> subprocess.Popen[bytes]:
    """Build what is missing, start a fresh etcd (empty data directory) and the API server on it."""
    for port in (config.etcd_port, config.etcd_peer_port, config.kubeapi_port):
        if _port_open(port):
            raise ServiceError(f"127.0.0.1:{port} is already in use by a process this script did not start")
    binaries: dict[str, Path] = {}
    errors: list[str] = []

    def build(name: str) -> None:
        try:
            binaries[name] = go_binary(name, config)
        except ServiceError as exc:
            errors.append(str(exc))

    threads = [threading.Thread(target=build, args=(name,)) for name in ("etcd", "kube-apiserver")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise ServiceError("; ".join(errors))
    _clean_kubeapi_state(config)
    config.kubeapi_dir.mkdir(parents=True, exist_ok=True)
    pki = _generate_pki(config)
    _write_admin_kubeconfig(config, pki)
    etcd = _spawn(etcd_command(binaries["etcd"], config), config.log_file("etcd"))
    _write_pid_file(config.pid_file("etcd"), etcd.pid, {"service": "etcd"})
    try:
        _wait_until(lambda: etcd_healthy(config.etcd_port), etcd, ETCD_READY_TIMEOUT, "etcd",
                    config.log_file("etcd"))
    except BaseException:
        _terminate(etcd.pid)
        config.pid_file("etcd").unlink(missing_ok=True)
        raise
    return _spawn(kube_apiserver_command(binaries["kube-apiserver"], config, pki), config.log_file("kubeapi"))


def _clean_kubeapi_state(config: Config) -> None:
    # Every `up` starts an empty cluster (like Neo4j): tests never see a previous run's objects.
    for name in ("etcd", "pki"):
        shutil.rmtree(config.kubeapi_dir / name, ignore_errors=True)
    for name in ("audit.log", "admin.kubeconfig"):
        (config.kubeapi_dir / name).unlink(missing_ok=True)


def _kubeapi_state(config: Config, pid: int | None) -> dict[str, Any]:
    status, body = _kubeapi_get(config, "/readyz")
    running = status == 200 and body.strip() == "ok"
    state: dict[str, Any] = {"service": "kubeapi", "url": f"https://127.0.0.1:{config.kubeapi_port}", "pid": pid,
                             "running": running, "managed": pid is not None,
                             "etcd": f"http://127.0.0.1:{config.etcd_port}"}
    if running:
        version = _kubeapi_version(config)
        state["version"] = f"kube-apiserver {version or '(version unknown)'}" + (
            f", etcd {ETCD_VERSION}" if pid is not None else "")
        if pid is not None and kubeapi_kubeconfig(config).is_file():
            state["kubeconfig"] = str(kubeapi_kubeconfig(config))
    return state


def tools(config: Config) -> dict[str, Path]:
    """Build the command-line tools the tests use (today: helm) and return their paths."""
    return {"helm": go_binary("helm", config)}


# ----------------------------------------------------------------------------------------------------------
# commands
# ----------------------------------------------------------------------------------------------------------

SERVICES = ("neo4j", "ferretdb", "kubeapi")


def service_status(config: Config, service: str) -> dict[str, Any]:
    """State of one service: running/stopped, managed (started by us) or external, version, endpoints."""
    pid = _owned_pid(config, service)
    if service == "kubeapi":
        return _kubeapi_state(config, pid)
    if service == "neo4j":
        port = config.neo4j_bolt_port
        bolt = bolt_handshake(port)
        state: dict[str, Any] = {"service": "neo4j", "url": f"bolt://127.0.0.1:{port}", "pid": pid,
                                 "running": bolt is not None, "managed": pid is not None}
        if bolt is not None:
            info = _neo4j_info(config) if pid is not None else {}
            discovery = _neo4j_discovery(config.neo4j_http_port)
            version = info.get("version") or discovery.get("neo4j_version")
            edition = str(info.get("edition") or discovery.get("neo4j_edition") or "").capitalize()
            state["version"] = f"Neo4j {version} {edition}".rstrip() if version else "Neo4j (version unknown)"
            state["bolt_protocol"] = f"{bolt[0]}.{bolt[1]}"
            if discovery:
                state["http"] = f"http://127.0.0.1:{config.neo4j_http_port}"
                browser = f"http://127.0.0.1:{config.neo4j_http_port}/browser/"
                if _http_ok(browser):
                    state["browser"] = browser
        return state
    port = config.mongodb_port
    alive = mongo_ping(port)
    state = {"service": "ferretdb", "url": f"mongodb://127.0.0.1:{port}", "pid": pid, "running": alive,
             "managed": pid is not None}
    if alive:
        try:
            versions = mongo_versions(port)
        except (OSError, ValueError, ServiceError, struct.error):
            versions = {}
        name = f"FerretDB {versions['ferretdb']}" if "ferretdb" in versions else "MongoDB"
        backend = ", SQLite backend" if pid is not None else ""
        state["version"] = f"{name} (wire version {versions.get('mongodb', '?')}{backend})"
    return state


def _describe(state: dict[str, Any]) -> str:
    if not state["running"]:
        return f"{state['service']:<9} stopped   {state['url']}"
    owner = f"pid {state['pid']}" if state["managed"] else "external (not started by this script)"
    extra = "".join(f"  {state[key]}" for key in ("http", "browser", "kubeconfig") if state.get(key))
    return f"{state['service']:<9} running   {state['url']}{extra}  {state.get('version', '')}  [{owner}]"


def _launch(config: Config, service: str) -> subprocess.Popen[bytes] | None:
    """Build if needed and spawn one service unless it already answers; None when nothing had to start."""
    # One `up` at a time per service: a second concurrent `up` finds the pid file and waits instead.
    with _lock(config, f"{service}.start"):
        if service_status(config, service)["running"] or _owned_pid(config, service) is not None:
            return None
        if service == "ferretdb":
            if _port_open(config.mongodb_port):
                raise ServiceError(f"127.0.0.1:{config.mongodb_port} is in use by something that does "
                                   "not speak the MongoDB wire protocol")
            command = ferretdb_command(ferretdb_binary(config), config.mongodb_port, config.ferretdb_dir)
            proc = _spawn(command, config.log_file("ferretdb"), env=_ferretdb_env())
        elif service == "kubeapi":
            proc = _start_kubeapi(config)
        else:
            proc = _start_neo4j(config)
        _write_pid_file(config.pid_file(service), proc.pid, {"service": service})
        return proc


def _wait_ready(config: Config, service: str, proc: subprocess.Popen[bytes] | None) -> None:
    timeout = {"neo4j": NEO4J_READY_TIMEOUT, "kubeapi": KUBEAPI_READY_TIMEOUT}.get(service, FERRETDB_READY_TIMEOUT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # Neo4j binds Bolt a moment before the DBMS finishes starting; the launcher writes its ready file
        # (with its own pid) only after the harness returned, so wait for both.
        expected_pid = proc.pid if proc is not None else _owned_pid(config, service)
        launcher_ready = service != "neo4j" or expected_pid is None or _neo4j_info(config).get("pid") == expected_pid
        if launcher_ready and service_status(config, service)["running"]:
            return
        if proc is not None and proc.poll() is not None:
            config.pid_file(service).unlink(missing_ok=True)
            if service == "kubeapi":
                _stop_pid_file(config, "etcd")
            log = config.log_file(service)
            raise ServiceError(f"{service} exited with code {proc.returncode}; log {log}:\n{_tail(log)}")
        if proc is None and _owned_pid(config, service) is None:
            raise ServiceError(f"{service} is not running")
        time.sleep(0.25)
    raise ServiceError(f"{service} not ready after {timeout:.0f}s; log {config.log_file(service)}")


def _stop_pid_file(config: Config, name: str) -> int | None:
    pid = _owned_pid(config, name)
    if pid is not None:
        _terminate(pid)
    config.pid_file(name).unlink(missing_ok=True)
    return pid


def up(config: Config, only: tuple[str, ...] = SERVICES, *, with_tools: bool = False) -> bool:
    """Start the services that are not running; True when all requested ones answer their protocol.

    Each service is built, started and awaited in its own thread, so FerretDB's build overlaps Neo4j's start.
    ``with_tools`` also builds the tools (helm) alongside.
    """
    started = time.monotonic()
    for directory in (config.logs_dir, config.run_dir, config.ferretdb_dir, config.neo4j_dir):
        directory.mkdir(parents=True, exist_ok=True)
    errors: dict[str, str] = {}

    def bring_up(service: str) -> None:
        try:
            _wait_ready(config, service, _launch(config, service))
        except ServiceError as exc:
            errors[service] = str(exc)

    built: dict[str, Path] = {}

    def build_tools() -> None:
        try:
            built.update(tools(config))
        except ServiceError as exc:
            errors["tools"] = str(exc)

    threads = [threading.Thread(target=bring_up, args=(service,)) for service in only]
    if with_tools:
        threads.append(threading.Thread(target=build_tools))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for name, path in built.items():
        _say(f"{name:<9} built     {path}")
    if "tools" in errors:
        _say(f"tools: FAILED - {errors['tools']}")
    for service in only:
        if service in errors:
            _say(f"{service}: FAILED - {errors[service]}")
        else:
            _say(_describe(service_status(config, service)))
    _say(f"up finished in {time.monotonic() - started:.1f}s")
    return not errors


def down(config: Config, only: tuple[str, ...] = SERVICES) -> None:
    """Stop the processes this script started (by pid file); never touches anything else."""
    for service in only:
        pid = _owned_pid(config, service)
        if pid is None:
            state = service_status(config, service)
            suffix = " (an external server answers on the port; left alone)" if state["running"] else ""
            _say(f"{service}: not started by this script{suffix}")
            config.pid_file(service).unlink(missing_ok=True)
            continue
        _terminate(pid)
        config.pid_file(service).unlink(missing_ok=True)
        if service == "kubeapi":
            _stop_pid_file(config, "etcd")
        if service == "neo4j":
            _neo4j_ready_file(config).unlink(missing_ok=True)
            _clean_neo4j_workdir(config)
        _say(f"{service}: stopped (pid {pid})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Local Neo4j, FerretDB and Kubernetes API server for the tests")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("tools", help="build the tools the tests use (helm) and print their paths")
    for name in ("up", "down", "status"):
        command = sub.add_parser(name)
        command.add_argument("--only", choices=SERVICES, action="append",
                             help="limit to one service (repeatable)")
        if name == "status":
            command.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    try:
        config = Config.from_env()
        if args.command == "tools":
            for name, path in tools(config).items():
                print(f"{name}\t{path}")
            return 0
        only = tuple(args.only) if args.only else SERVICES
        if args.command == "up":
            return 0 if up(config, only, with_tools=not args.only) else 1
        if args.command == "down":
            down(config, only)
            return 0
        states = [service_status(config, service) for service in only]
        if args.json:
            print(json.dumps({s["service"]: s for s in states}, indent=2))
        else:
            for state in states:
                print(_describe(state))
        return 0 if all(s["running"] for s in states) else 3
    except ServiceError as exc:
        _say(f"error: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
