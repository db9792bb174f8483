"""The ``kure-monitor`` command line.

Subcommands: ``serve`` (hypercorn), ``demo`` (serve on a simulated cluster, with the agent and the scanner),
``cluster-mode``, ``service-token``, ``create-user``, ``check``, ``openapi``; ``agent`` and ``scanner`` run the
in-cluster components. Invalid configuration exits 2 with one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import signal
import sys
from collections.abc import Sequence
from typing import Any

from app import __version__
from app.settings import Settings, SettingsError, load_settings

EXIT_CONFIG = 2


def _fail_config(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_CONFIG


def _settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        print(str(exc), file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None


# --- serve ---------------------------------------------------------------------------------------------------


def freeze_startup_heap() -> None:
    """Move what the process built at startup (modules, the app and its wiring, alive until exit) out of the cyclic
    garbage collector's reach: its full collections then walk only what requests create. On large answers this
    took the access route's p95 from about 84 to 48 ms (docs/benchmarks.md#pod-access-and-impact-benchinsightpy)."""
    gc.collect()
    gc.freeze()


def _serve(args: argparse.Namespace) -> int:
    import uvloop
    from hypercorn.asyncio import serve
    from hypercorn.config import Config

    from app.core.logformat import configure_logging
    from app.factory import create_app

    settings = _settings_or_exit()
    configure_logging(settings.logging)
    config = Config()
    config.bind = [f"{args.host}:{args.port}"]
    config.workers = args.workers
    config.accesslog = None  # our access log scrubs tokens; hypercorn's would print raw URLs
    config.errorlog = logging.getLogger("hypercorn.error")  # through our handler (format, token scrubbing)
    config.graceful_timeout = 10.0
    if args.workers > 1:
        # hypercorn's multi-process mode re-imports the app by path in every worker.
        config.application_path = "app.asgi:app"
        from hypercorn.run import run

        config.worker_class = "uvloop"
        return int(run(config) or 0)

    app = create_app(settings)
    freeze_startup_heap()
    shutdown = asyncio.Event()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, shutdown.set)
        await serve(app, config, shutdown_trigger=shutdown.wait)

    # libuv's loop: the live feed writes one frame per client per message, and uvloop's socket writes and task
    # switches cost about two thirds of asyncio's (docs/benchmarks.md#cross-replica-delivery-benchreplicaspy).
    uvloop.run(main())
    return 0


# --- demo / cluster-mode -------------------------------------------------------------------------------------


def _demo(args: argparse.Namespace) -> int:
    from app.demo import main as demo_main

    return demo_main(_settings_or_exit(), args.host, args.port, args.scenario, args.speed, args.seed)


def _cluster_mode(_: argparse.Namespace) -> int:
    """Print ``real``, ``none`` or ``off``: whether ``serve`` would find a cluster (``make run`` asks this)."""
    from app.kube.config import config_source

    kubernetes = _settings_or_exit().kubernetes
    if not kubernetes.enabled:
        print("off")
        return 0
    source = config_source(kubernetes.kubeconfig)
    print("none" if source is None else "real")
    return 0


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive number")
    return value


# --- service-token -------------------------------------------------------------------------------------------


def _service_token(_: argparse.Namespace) -> int:
    from app.wiring.secrets import load_secrets

    print(load_secrets(_settings_or_exit().state).service_token)
    return 0


# --- create-user ---------------------------------------------------------------------------------------------


def _create_user(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from app.core.errors import ApiError
    from app.schemas.auth import UserCreateRequest

    settings = _settings_or_exit()
    if settings.mongodb.uri is None:
        return _fail_config("MONGODB_URI is required: a user created in the embedded store would be lost at exit")
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        request = UserCreateRequest.model_validate(
            {"username": args.username, "password": password, "role": args.role}
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        print(f"Invalid {first['loc'][0]}: {first['msg']}", file=sys.stderr)
        return EXIT_CONFIG

    async def run() -> int:
        from app.wiring import build_services

        services = build_services(settings)
        try:
            for repository in services.repositories.indexed():
                await repository.ensure_indexes()
            user = await services.auth.create_user(request.username, request.password, request.role)
        except ApiError as exc:
            print(str(exc.detail), file=sys.stderr)
            return 1
        finally:
            services.mongo.close()
        print(f"Created user {user['username']} (id {user['_id']}, role {user['role']})")
        return 0

    try:
        return asyncio.run(run())
    except Exception as exc:  # database unreachable and similar: one clear line
        print(f"Could not create the user: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


# --- check ---------------------------------------------------------------------------------------------------


def _check(_: argparse.Namespace) -> int:
    settings = _settings_or_exit()

    async def run() -> int:
        from app.wiring import Backend

        backend = Backend.build(settings)
        try:
            results = await backend.services.health.check_all()
        finally:
            await backend.stop()
        for name, (status, info) in results.items():
            print(f"{name:<11} {status:<9} {info}")
        return 0 if results["mongodb"][0] == "ok" else 1

    return asyncio.run(run())


# --- openapi -------------------------------------------------------------------------------------------------


def openapi_document() -> dict[str, Any]:
    """The document ``GET /openapi.json`` serves, built without serving, connecting or persisting anything: the
    dashboard's API types are generated from it (docs/dashboard.md)."""
    import tempfile

    from cryptography.fernet import Fernet
    from mongomock_motor import AsyncMongoMockClient

    from app.factory import create_app
    from storage.mongo import MongoHandle

    with tempfile.TemporaryDirectory() as state_dir:
        settings = Settings(
            mongodb_uri=None, neo4j_uri=None, kure_kubernetes="off", kure_state_dir=state_dir,
            session_secret="openapi-dump-" + "x" * 16, service_token="openapi-dump-" + "y" * 16,
            encryption_key=Fernet.generate_key().decode(),
        )
        client: Any = AsyncMongoMockClient()  # never used: only the route table is read
        app = create_app(settings, mongo=MongoHandle(client=client, db=client["openapi"], embedded=True))
        document: dict[str, Any] = app.extensions["QUART_SCHEMA"].openapi_provider.schema()
    return document


def _openapi(args: argparse.Namespace) -> int:
    import json

    text = json.dumps(openapi_document(), indent=2, sort_keys=False) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return 0


# --- agent / scanner -----------------------------------------------------------------------------------------


def _in_cluster(component: str) -> Any:
    def run(args: argparse.Namespace) -> int:
        if component == "agent":
            from app.agent.main import main as component_main
        else:
            from app.scanner.main import main as component_main
        result: int = component_main(args.rest)
        return result

    return run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kure-monitor", description="Kure Monitor backend")
    parser.add_argument("--version", action="version", version=f"kure-monitor {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the HTTP API (hypercorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=_serve)

    demo = sub.add_parser("demo", help="serve Kure on a simulated cluster, with the agent and the scanner")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--scenario", default="default", help="a shipped scenario name or a scenario file")
    demo.add_argument("--speed", type=_positive, default=1.0, help="scenario seconds per second (default 1)")
    demo.add_argument("--seed", type=int, default=7, help="the same seed plays the same story")
    demo.set_defaults(func=_demo)

    mode = sub.add_parser("cluster-mode", help="print real, none or off: the cluster `serve` would watch")
    mode.set_defaults(func=_cluster_mode)

    token = sub.add_parser("service-token", help="print the effective service token")
    token.set_defaults(func=_service_token)

    create = sub.add_parser("create-user", help="create a user; the password is read from stdin")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=["read", "write", "admin"])
    create.set_defaults(func=_create_user)

    check = sub.add_parser("check", help="connect to every configured dependency and print its state")
    check.set_defaults(func=_check)

    openapi = sub.add_parser("openapi", help="print the OpenAPI document (no server, no database needed)")
    openapi.add_argument("--output", "-o", default=None, help="write to this file instead of stdout")
    openapi.set_defaults(func=_openapi)

    for component in ("agent", "scanner"):
        command = sub.add_parser(component, help=f"run the in-cluster {component}")
        command.add_argument("rest", nargs=argparse.REMAINDER)
        command.set_defaults(func=_in_cluster(component))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
