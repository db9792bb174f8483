#!/usr/bin/env python3
"""Local test servers for Kure Monitor's integration tests: Neo4j 5.26 Community and FerretDB (MongoDB wire).

Usage::

    python3 scripts/services.py up [--only neo4j|ferretdb]
    python3 scripts/services.py status [--json]
    python3 scripts/services.py down

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
import struct
import subprocess
import sys
import threading
import time
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

    @classmethod
    def from_env(cls) -> Config:
        raw_dir = os.environ.get("KURE_SERVICES_DIR", "").strip()
        return cls(
            services_dir=Path(raw_dir).resolve() if raw_dir else REPO_ROOT / ".services",
            mongodb_port=_env_port("KURE_TEST_MONGODB_PORT", 27017),
            neo4j_bolt_port=_env_port("KURE_TEST_NEO4J_BOLT_PORT", 7687),
            neo4j_http_port=_env_port("KURE_TEST_NEO4J_HTTP_PORT", 7474),
            neo4j_heap=os.environ.get("KURE_NEO4J_HEAP", "").strip() or "768m",
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
# commands
# ----------------------------------------------------------------------------------------------------------

SERVICES = ("neo4j", "ferretdb")


def service_status(config: Config, service: str) -> dict[str, Any]:
    """State of one service: running/stopped, managed (started by us) or external, version, endpoints."""
    pid = _owned_pid(config, service)
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
    extra = "".join(f"  {state[key]}" for key in ("http", "browser") if state.get(key))
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
        else:
            proc = _start_neo4j(config)
        _write_pid_file(config.pid_file(service), proc.pid, {"service": service})
        return proc


def _wait_ready(config: Config, service: str, proc: subprocess.Popen[bytes] | None) -> None:
    timeout = NEO4J_READY_TIMEOUT if service == "neo4j" else FERRETDB_READY_TIMEOUT
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
            log = config.log_file(service)
            raise ServiceError(f"{service} exited with code {proc.returncode}; log {log}:\n{_tail(log)}")
        if proc is None and _owned_pid(config, service) is None:
            raise ServiceError(f"{service} is not running")
        time.sleep(0.25)
    raise ServiceError(f"{service} not ready after {timeout:.0f}s; log {config.log_file(service)}")


def up(config: Config, only: tuple[str, ...] = SERVICES) -> bool:
    """Start the services that are not running; True when all requested ones answer their protocol.

    Each service is built, started and awaited in its own thread, so FerretDB's build overlaps Neo4j's start.
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

    threads = [threading.Thread(target=bring_up, args=(service,)) for service in only]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

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
        if service == "neo4j":
            _neo4j_ready_file(config).unlink(missing_ok=True)
            _clean_neo4j_workdir(config)
        _say(f"{service}: stopped (pid {pid})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Local Neo4j + FerretDB for the integration tests")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("up", "down", "status"):
        command = sub.add_parser(name)
        command.add_argument("--only", choices=SERVICES, action="append",
                             help="limit to one service (repeatable)")
        if name == "status":
            command.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    try:
        config = Config.from_env()
        only = tuple(args.only) if args.only else SERVICES
        if args.command == "up":
            return 0 if up(config, only) else 1
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
