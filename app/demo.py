"""``kure-monitor demo``: Kure Monitor working on a simulated cluster, without any Kubernetes.

Four processes, each on its ordinary code path:

- the **simulated cluster** (``python -m app.simulator``): the in-memory API server playing a scenario; it writes
  a kubeconfig (with a random bearer token) into ``$KURE_STATE_DIR/demo/``;
- the **backend**, served by this process exactly as ``kure-monitor serve`` serves it, with ``KUBECONFIG`` set to
  that file (and the graph watcher when ``NEO4J_URI`` is set);
- the **agent** and the **scanner** (``kure-monitor agent`` / ``scanner``), configured through their documented
  environment variables: that kubeconfig, the backend URL and the service token.

Nothing in the backend, the agent or the scanner knows it is a demo; the backend only reports the cluster as
``simulated`` in ``GET /api/config`` (``cluster_mode``). The simulation runs in its own process so that its CPU is
measured apart (bench/simulator.py) and neither side's work delays the other. Children's output is prefixed with
their name; a child that dies is restarted, except the simulated cluster, whose end ends the demo. docs/simulator.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

from app.settings import Settings

log = logging.getLogger("kure.demo")

READY_PREFIX = "simulated Kubernetes API on "
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
RESTART_DELAY = 5.0
#: The agent's grace periods for the demo (seconds at speed 1): short enough that the story shows in minutes,
#: the production defaults (docs/agent-scanner.md) suit real clusters. Divided by the speed, at least 1 s.
AGENT_TIMINGS = {
    "KURE_SHORT_GRACE_SECONDS": 15,
    "KURE_PENDING_GRACE_SECONDS": 30,
    "KURE_RECOVERY_SECONDS": 30,
    "KURE_RESTART_RECOVERY_SECONDS": 60,
    "KURE_REASON_CHANGE_DELAY_SECONDS": 10,
}


class DemoError(Exception):
    """The demo cannot start; the message is the one line printed."""


def backend_url(host: str, port: int) -> str:
    """Where the agent and scanner reach the backend (a wildcard bind is reached on loopback)."""
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def component_env(
    base: dict[str, str], *, kubeconfig: Path, url: str, token: str, name: str, speed: float, log_format: str
) -> dict[str, str]:
    """The environment of the agent or the scanner: their documented variables, nothing demo-specific."""
    env = dict(base)
    env.pop("KUBERNETES_SERVICE_HOST", None)
    env.update(
        {
            "KUBECONFIG": str(kubeconfig),
            "BACKEND_URL": url,
            "SERVICE_TOKEN": token,
            "POD_NAMESPACE": "kure-system",
            "POD_NAME": f"kure-monitor-{name}-demo",
            "KURE_HEALTH_PORT": "0",
            "LOG_FORMAT": log_format,
        }
    )
    if name == "agent":
        for key, seconds in AGENT_TIMINGS.items():
            env.setdefault(key, str(max(1, round(seconds / speed))))
    return env


def simulator_arguments(
    *, scenario: str, speed: float, seed: int, token: str, kubeconfig: Path, log_level: str
) -> list[str]:
    """The simulated cluster's command-line options, each as one ``--option=value`` word: a random URL-safe token
    may begin with ``-``, and argparse reads a separate word that does as an option, not as the value."""
    options = {
        "scenario": scenario, "speed": str(speed), "seed": str(seed), "port": "0", "token": token,
        "kubeconfig": str(kubeconfig), "log-level": log_level,
    }  # fmt: skip
    return [f"--{name}={value}" for name, value in options.items()]


@dataclass
class Child:
    """A supervised child process whose output goes to our stderr, each line prefixed with its name."""

    name: str
    argv: list[str]
    env: dict[str, str]
    restart: bool = True
    process: asyncio.subprocess.Process | None = None
    ready_line: asyncio.Future[str] | None = None
    stopping: bool = False
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            *self.argv, env=self.env, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self._tasks.append(asyncio.create_task(self._pump()))

    async def _pump(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        while line := await self.process.stdout.readline():
            text = line.decode(errors="replace").rstrip()
            if self.ready_line is not None and not self.ready_line.done() and text.startswith(READY_PREFIX):
                self.ready_line.set_result(text)
            sys.stderr.write(f"[{self.name}] {text}\n")
            sys.stderr.flush()

    async def wait(self) -> int:
        assert self.process is not None
        code = await self.process.wait()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        return code

    async def stop(self) -> None:
        self.stopping = True
        if self.process is None or self.process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), STOP_TIMEOUT)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            await self.process.wait()


async def supervise(child: Child, fatal: asyncio.Event) -> None:
    """Keep the child running: restart it when it dies (or end the demo when it must not die)."""
    while True:
        code = await child.wait()
        if child.stopping:
            return
        if not child.restart:
            log.error("the %s exited (code %s): stopping the demo", child.name, code)
            fatal.set()
            return
        log.error("the %s exited (code %s); restarting it in %.0f s", child.name, code, RESTART_DELAY)
        await asyncio.sleep(RESTART_DELAY)
        if child.stopping:
            return
        await child.start()


async def run(settings: Settings, host: str, port: int, scenario: str, speed: float, seed: int) -> int:
    from hypercorn.asyncio import serve
    from hypercorn.config import Config

    from app.factory import create_app
    from app.wiring.secrets import load_secrets

    # The demo reads its own groups; the whole Settings is only what it hands the backend it starts.
    logs = settings.logging
    demo_dir = Path(settings.state.dir) / "demo"
    demo_dir.mkdir(parents=True, exist_ok=True)
    kubeconfig = demo_dir / "kubeconfig"
    kubeconfig.unlink(missing_ok=True)
    python = [sys.executable]
    cluster = Child(
        "cluster",
        [*python, "-m", "app.simulator",
         *simulator_arguments(scenario=scenario, speed=speed, seed=seed, token=secrets.token_urlsafe(24),
                              kubeconfig=kubeconfig, log_level=logs.level)],
        dict(os.environ),
        restart=False,
    )  # fmt: skip
    cluster.ready_line = asyncio.get_running_loop().create_future()
    await cluster.start()
    fatal = asyncio.Event()
    tasks = [asyncio.create_task(supervise(cluster, fatal))]
    children = [cluster]
    try:
        try:
            ready = await asyncio.wait_for(asyncio.shield(cluster.ready_line), READY_TIMEOUT)
        except TimeoutError:
            raise DemoError(f"the simulated cluster did not start within {READY_TIMEOUT:.0f} s") from None
        if fatal.is_set():
            raise DemoError("the simulated cluster could not start (see its output above)")
        log.warning(
            "SIMULATED CLUSTER: Kure Monitor is watching a simulated Kubernetes cluster, not a real one "
            "(scenario %s, speed %g). %s. Set KUBECONFIG and use `kure-monitor serve` for a real cluster.",
            scenario, speed, ready.removeprefix(READY_PREFIX).split(" (")[0],
        )  # fmt: skip
        backend_settings = settings.model_copy(update={"kubeconfig": str(kubeconfig), "kure_simulated_cluster": True})
        app = create_app(backend_settings)
        token = load_secrets(backend_settings.state).service_token
        url = backend_url(host, port)
        for name in ("agent", "scanner"):
            env = component_env(dict(os.environ), kubeconfig=kubeconfig, url=url, token=token, name=name,
                                speed=speed, log_format=logs.format)  # fmt: skip
            child = Child(name, [*python, "-m", "app.cli", name], env)
            await child.start()
            children.append(child)
            tasks.append(asyncio.create_task(supervise(child, fatal)))
        config = Config()
        config.bind = [f"{host}:{port}"]
        config.accesslog = None
        config.errorlog = logging.getLogger("hypercorn.error")
        config.graceful_timeout = 10.0
        shutdown = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, shutdown.set)

        async def until_stopped() -> None:
            waiters = [asyncio.create_task(shutdown.wait()), asyncio.create_task(fatal.wait())]
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()
            # The agent and the scanner flush to the backend while it still serves; the backend stops after them.
            log.info("stopping the agent and the scanner")
            await asyncio.gather(*(child.stop() for child in children[1:]))

        log.info("dashboard and API on %s/ (agent and scanner report to it)", url)
        await serve(app, config, shutdown_trigger=until_stopped)
        return 1 if fatal.is_set() else 0
    finally:
        await asyncio.gather(*(child.stop() for child in children))
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def main(settings: Settings, host: str, port: int, scenario: str, speed: float, seed: int) -> int:
    from app.core.logformat import configure_logging

    if not settings.kubernetes.enabled:
        print("KURE_KUBERNETES=off: the demo watches its simulated cluster through Kubernetes access; "
              "unset KURE_KUBERNETES or set it to auto", file=sys.stderr)  # fmt: skip
        return 2
    from app.simulator.scenario import ScenarioError, load_scenario

    try:
        load_scenario(scenario)
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    configure_logging(settings.logging)
    if settings.logging.level != "DEBUG":
        # Every report and finding of the agent and the scanner is a request: their access lines would bury the
        # story the simulated cluster tells (LOG_LEVEL=DEBUG shows them).
        logging.getLogger("kure.access").setLevel(logging.WARNING)
    try:
        return asyncio.run(run(settings, host, port, scenario, speed, seed))
    except DemoError as exc:
        log.error("%s", exc)
        return 1
    except KeyboardInterrupt:
        return 0
