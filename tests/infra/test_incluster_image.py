"""A rehearsal of docker/Dockerfile's ``incluster`` target without a container engine
(docs/development.md#the-in-cluster-image-rehearsed).

The Dockerfile is read, not trusted: the files its ``incluster-build`` stage copies are copied into a fresh build
directory, the wheel is built from them as that stage builds it, and a fresh virtual environment gets what the
``incluster`` stage installs — the ``incluster`` extra, then the wheel without dependencies. Then the agent and the
scanner run from that environment as real processes against the fake Kubernetes API server and a fake backend: the
agent reports a failing pod, the scanner posts a finding, both take their lease and release it on SIGTERM. What only
a real build would show (the base image, its OS packages, the user and file permissions) is not covered here.

Takes about 15 s with warm pip caches (most of it installing the extra); the build needs the package index or its
cache, as the image build would.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tomllib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from importlib.metadata import packages_distributions
from pathlib import Path

import aiohttp
import grimp
import pytest
from packaging.requirements import Requirement

from app.simulator.kubeapi.server import FakeKubeApi
from tests.agent.fake_backend import FakeBackend
from tests.infra.test_docker_files import _stage

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
NS = "kure"
INCLUSTER = ("app.agent", "app.scanner", "app.incluster")
# What the ``kure-monitor`` command itself imports before it dispatches to a component (app/cli.py).
COMMAND_MODULES = {"app/__init__.py", "app/cli.py", "app/settings.py"}
#: The server's own code, which must not be in the in-cluster package.
SERVER_CODE = ("app.services", "app.blueprints", "app.http", "app.wiring", "app.factory", "app.schemas", "app.ai",
               "app.ws", "app.simulator", "storage", "graph")  # fmt: skip


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _project() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _extra() -> list[str]:
    extras = _project()["optional-dependencies"]
    assert isinstance(extras, dict)
    return list(extras["incluster"])


def _server_only_modules() -> set[str]:
    """Top-level modules of the distributions the package depends on that the ``incluster`` extra does not name."""
    dependencies = _project()["dependencies"]
    assert isinstance(dependencies, list)
    extra = {_normal(Requirement(spec).name) for spec in _extra()}
    server = {_normal(Requirement(spec).name) for spec in dependencies} - extra
    modules = {module for module, dists in packages_distributions().items()
               if any(_normal(dist) in server for dist in dists)}  # fmt: skip
    return {module for module in modules if not module.startswith("_")}


def _copies(stage: list[tuple[str, str]]) -> list[tuple[list[str], str]]:
    """The stage's ``COPY`` instructions from the build context: (sources, destination)."""
    out = []
    for keyword, rest in stage:
        if keyword == "COPY" and not rest.startswith("--from="):
            *sources, dest = shlex.split(rest)
            out.append((sources, dest))
    return out


def _runs(stage: list[tuple[str, str]]) -> str:
    return " && ".join(rest for keyword, rest in stage if keyword == "RUN")


# --- what the Dockerfile says --------------------------------------------------------------------------------------


def test_the_incluster_stage_installs_only_the_extra_and_the_slim_package() -> None:
    stage = _stage("incluster")
    assert stage[0][1].startswith("python:3.11-slim")
    assert ("COPY", "--from=incluster-build /package /package") in stage
    assert [rest for keyword, rest in stage if keyword == "COPY"] == [
        "pyproject.toml /tmp/pyproject.toml", "--from=incluster-build /package /package"
    ]
    installs = [step.strip() for step in _runs(stage).split("&&") if "pip install" in step]
    assert installs == ["pip install -r /tmp/incluster.txt", "pip install --no-deps /package/*.whl"]
    assert "['optional-dependencies']['incluster']" in _runs(stage) and "> /tmp/incluster.txt" in _runs(stage)
    users = [rest for keyword, rest in stage if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}


def test_the_incluster_package_is_built_from_the_in_cluster_modules_only() -> None:
    stage = _stage("incluster-build")
    assert "pip wheel --no-deps --wheel-dir /package ." in _runs(stage)
    copied = {source for sources, _ in _copies(stage) for source in sources} - {"pyproject.toml", "README.md"}
    graph = grimp.build_graph("app")
    components = {m for m in graph.modules if m in INCLUSTER or m.startswith(tuple(p + "." for p in INCLUSTER))}
    reached = components | {m for c in components for m in graph.find_upstream_modules(c)}
    packages = {"app/" + m.split(".")[1] for m in reached if m.count(".") >= 1}
    assert {"app/agent", "app/scanner", "app/incluster", "app/kube", "app/core"} <= packages, "the check is broken"
    assert copied == packages | COMMAND_MODULES


def test_the_manifests_and_the_chart_run_the_slim_image() -> None:
    version = str(_project()["version"])
    for manifest in ("agent.yaml", "scanner.yaml"):
        text = (ROOT / "docker" / "k8s" / manifest).read_text()
        assert re.findall(r"image:\s*(\S+)", text) == [f"kure-monitor-incluster:{version}"]
    chart = ROOT / "docker" / "helm" / "kure-monitor" / "templates"
    assert "kure.inclusterImage" in (chart / "_incluster.tpl").read_text()
    assert '"%s-incluster:%s"' in (chart / "_helpers.tpl").read_text()


# --- the rehearsal -------------------------------------------------------------------------------------------------


@dataclass
class SlimInstall:
    venv: Path

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def command(self) -> Path:
        return self.venv / "bin" / "kure-monitor"


def _pip(*args: str | Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *map(str, args)],
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def slim(tmp_path_factory: pytest.TempPathFactory) -> SlimInstall:
    work = tmp_path_factory.mktemp("incluster-image")
    src, package, venv = work / "src", work / "package", work / "venv"
    for sources, dest in _copies(_stage("incluster-build")):
        target = src / dest
        for source in sources:
            origin = ROOT / source
            into = target / origin.name if dest.endswith("/") else target
            into.parent.mkdir(parents=True, exist_ok=True)
            if origin.is_dir():
                shutil.copytree(origin, into, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy2(origin, into)
    _pip("wheel", "--no-deps", "--wheel-dir", package, src)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, timeout=60)
    requirements = work / "incluster.txt"
    requirements.write_text("\n".join(tomllib.loads((src / "pyproject.toml").read_text())["project"]
                                      ["optional-dependencies"]["incluster"]) + "\n")  # fmt: skip
    _pip("--python", venv / "bin" / "python", "install", "-r", requirements)
    _pip("--python", venv / "bin" / "python", "install", "--no-deps", *sorted(package.glob("*.whl")))
    return SlimInstall(venv)


def test_the_slim_install_has_none_of_the_servers_dependencies_nor_its_code(slim: SlimInstall) -> None:
    absent = sorted(_server_only_modules() | set(SERVER_CODE))
    assert {"quart", "hypercorn", "motor", "neo4j", "openai"} <= set(absent)
    script = ("import importlib.util, sys\n"
              "print(*[m for m in sys.argv[1:] if importlib.util.find_spec(m) is not None])")  # fmt: skip
    # Run outside the checkout: ``python -c`` puts the working directory on the path.
    present = subprocess.run([slim.python, "-c", script, *absent, "kubernetes_asyncio", "app.agent.main"],
                             cwd=slim.venv, capture_output=True, text=True, timeout=60, check=True).stdout.split()
    assert present == ["kubernetes_asyncio", "app.agent.main"]


def test_the_slim_command_answers_without_a_cluster(slim: SlimInstall, tmp_path: Path) -> None:
    help_text = subprocess.run([slim.command, "--help"], cwd=slim.venv, capture_output=True, text=True, timeout=60,
                               check=True)
    assert "agent" in help_text.stdout and "scanner" in help_text.stdout
    for component in ("agent", "scanner"):
        result = subprocess.run([slim.command, component], cwd=slim.venv, capture_output=True, text=True, timeout=60,
                                env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)})  # fmt: skip
        assert result.returncode == 2, result.stderr  # configuration error: one line, no traceback
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def kube() -> AsyncIterator[FakeKubeApi]:
    server = FakeKubeApi(bookmark_interval=0.5)
    await server.start()
    server.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}})
    yield server
    await server.stop()


@pytest.fixture
async def backend() -> AsyncIterator[FakeBackend]:
    fake = FakeBackend()
    await fake.start()
    yield fake
    await fake.stop()


@contextlib.asynccontextmanager
async def _running(slim: SlimInstall, component: str, kube: FakeKubeApi, backend: FakeBackend,
                   tmp_path: Path) -> AsyncIterator[int]:  # fmt: skip
    """``kure-monitor <component>`` from the slim install, as the Deployment runs it; yields its health port and
    checks that SIGTERM ends it with exit 0."""
    port = _free_port()
    env = {
        "PATH": os.environ["PATH"], "HOME": str(tmp_path),
        "BACKEND_URL": backend.url, "SERVICE_TOKEN": backend.token,
        "KUBECONFIG": str(kube.write_kubeconfig(tmp_path / f"kubeconfig-{component}")),
        "POD_NAME": f"{component}-a", "POD_NAMESPACE": NS, "KURE_HEALTH_PORT": str(port),
        "KURE_LEASE_RETRY_SECONDS": "1", "KURE_SHUTDOWN_FLUSH_SECONDS": "2", "KURE_BACKEND_RETRY_MAX_SECONDS": "1",
    }  # fmt: skip
    process = await asyncio.create_subprocess_exec(slim.command, component, cwd=slim.venv, env=env,
                                                   stderr=asyncio.subprocess.PIPE)
    try:
        yield port
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
        assert process.returncode == 0, stderr.decode()[-2000:]
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def _healthy(port: int) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(100):
            with contextlib.suppress(aiohttp.ClientError):
                async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.1)
    raise AssertionError("the health server never answered")


def _holder(kube: FakeKubeApi, name: str) -> tuple[str, int]:
    spec = (kube.get("Lease", NS, name) or {}).get("spec") or {}
    return str(spec.get("holderIdentity") or ""), int(spec.get("leaseDurationSeconds") or 0)


async def test_the_agent_reports_a_failing_pod_from_the_slim_install(
    slim: SlimInstall, kube: FakeKubeApi, backend: FakeBackend, tmp_path: Path
) -> None:
    kube.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "evicted-1", "namespace": "shop"},
                "spec": {"containers": [{"name": "app", "image": "shop/app:1"}]},
                "status": {"phase": "Failed", "reason": "Evicted", "message": "The node was low on memory."}})
    async with _running(slim, "agent", kube, backend, tmp_path) as port:
        await _healthy(port)
        await backend.wait_for(lambda: [r.body["pod_name"] for r in backend.posts("/api/pods/failed")] == ["evicted-1"])
        assert backend.posts("/api/pods/failed")[0].body["failure_reason"] == "Evicted"
        assert _holder(kube, "kure-monitor-agent")[0] == "agent-a"
    assert _holder(kube, "kure-monitor-agent") == ("agent-a", 1)  # released on SIGTERM
    assert kube.get("ConfigMap", NS, "kure-monitor-agent-state") is not None  # the checkpoint


async def test_the_scanner_posts_findings_from_the_slim_install(
    slim: SlimInstall, kube: FakeKubeApi, backend: FakeBackend, tmp_path: Path
) -> None:
    kube.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    kube.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "root-1", "namespace": "shop"},
                "spec": {"containers": [{"name": "app", "image": "shop/app:1",
                                         "securityContext": {"privileged": True}}]}})
    async with _running(slim, "scanner", kube, backend, tmp_path) as port:
        await _healthy(port)
        await backend.wait_for(lambda: any(r.body["status"] == "completed"
                                           for r in backend.posts("/api/security/rescan-status")))  # fmt: skip
        checks = {r.body["check_name"] for r in backend.posts("/api/security/findings")
                  if r.body["resource_name"] == "root-1"}  # fmt: skip
        assert "privileged_container" in checks
        assert _holder(kube, "kure-monitor-scanner")[0] == "scanner-a"
    assert _holder(kube, "kure-monitor-scanner") == ("scanner-a", 1)
