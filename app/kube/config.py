"""Kubernetes client configuration: in-cluster, KUBECONFIG, or off — and the ApiClient factory.

Resolution order (``KURE_KUBERNETES=off`` disables everything):

1. an explicit kubeconfig path (the ``KUBECONFIG`` setting / environment variable);
2. in-cluster ServiceAccount credentials when ``KUBERNETES_SERVICE_HOST`` is set;
3. ``~/.kube/config`` when it exists;
4. otherwise Kubernetes is unavailable (``None``) and callers degrade (503 "Kubernetes client not available").
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from kubernetes_asyncio import client, config

log = logging.getLogger("kure.kube")

#: Connect timeout for every request made through :func:`request_timeout`.
CONNECT_TIMEOUT = 10.0


@dataclass
class KubeConfig:
    """A loaded configuration plus where it came from (for logs and reloads)."""

    configuration: client.Configuration
    source: str  # "kubeconfig:<path>" or "in-cluster"
    kubeconfig_path: str | None = None

    @property
    def host(self) -> str:
        return str(self.configuration.host)


def _first_existing(paths: list[str]) -> str | None:
    return next((p for p in paths if p and os.path.exists(p)), None)


def config_source(kubeconfig: str | None = None, *, environ: dict[str, str] | None = None) -> str | None:
    """Where :func:`load_kube_config` would read the configuration from, without reading it: ``kubeconfig:<path>``,
    ``in-cluster``, or ``None`` when there is no cluster configuration at all (what ``make run`` asks before
    choosing between ``serve`` and ``demo``)."""
    env = os.environ if environ is None else environ
    path = kubeconfig or env.get("KUBECONFIG") or None
    if path:
        found = _first_existing(path.split(os.pathsep))
        return f"kubeconfig:{found}" if found else None
    if env.get("KUBERNETES_SERVICE_HOST"):
        return "in-cluster"
    default = Path.home() / ".kube" / "config"
    return f"kubeconfig:{default}" if default.exists() else None


async def load_kube_config(
    kubeconfig: str | None = None, *, mode: str = "auto", environ: dict[str, str] | None = None
) -> KubeConfig | None:
    """Load the cluster configuration without touching the global kubernetes-asyncio default.

    Returns ``None`` when Kubernetes is switched off or no configuration can be found; a broken explicit
    kubeconfig is logged and also yields ``None`` (the app keeps running without Kubernetes).
    """
    env = os.environ if environ is None else environ
    if mode == "off":
        return None
    path = kubeconfig or env.get("KUBECONFIG") or None
    if path and os.pathsep in path:
        # KUBECONFIG may list several files; the first existing one is used (merging is not supported).
        path = _first_existing(path.split(os.pathsep))
    cfg = client.Configuration()
    if path:
        try:
            await config.load_kube_config(config_file=path, client_configuration=cfg, persist_config=False)
        except Exception as exc:  # the loader raises ConfigException, OSError or yaml errors
            log.warning("Kubernetes disabled: cannot load kubeconfig %s: %s", path, exc)
            return None
        return KubeConfig(cfg, f"kubeconfig:{path}", path)
    if env.get("KUBERNETES_SERVICE_HOST"):
        try:
            config.load_incluster_config(client_configuration=cfg)
        except Exception as exc:
            log.warning("Kubernetes disabled: in-cluster configuration failed: %s", exc)
            return None
        return KubeConfig(cfg, "in-cluster")
    default = Path.home() / ".kube" / "config"
    if _first_existing([str(default)]):
        try:
            await config.load_kube_config(config_file=str(default), client_configuration=cfg, persist_config=False)
        except Exception as exc:
            log.warning("Kubernetes disabled: cannot load %s: %s", default, exc)
            return None
        return KubeConfig(cfg, f"kubeconfig:{default}", str(default))
    return None


#: The fields of a Configuration that carry credentials (and the in-cluster token refresher).
_CREDENTIAL_FIELDS = ("api_key", "api_key_prefix", "refresh_api_key_hook", "username", "password")


async def reload_credentials(kube: KubeConfig) -> bool:
    """Re-read the credentials of ``kube`` from where they came from and swap them in place.

    A 401 from the API server usually means the token was rotated (a projected ServiceAccount token, or a
    kubeconfig rewritten by a credential helper). Every ApiClient built by :func:`create_api_client` shares
    ``kube.configuration``, so updating its credential fields fixes them all without reconnecting. Returns
    False (and keeps the old credentials) when the source cannot be read now.
    """
    fresh = client.Configuration()
    try:
        if kube.kubeconfig_path is not None:
            await config.load_kube_config(
                config_file=kube.kubeconfig_path, client_configuration=fresh, persist_config=False
            )
        else:
            config.load_incluster_config(client_configuration=fresh)
    except Exception as exc:  # same loader errors as in load_kube_config
        log.warning("Kubernetes credentials not reloaded from %s: %s", kube.source, exc)
        return False
    for field in _CREDENTIAL_FIELDS:
        setattr(kube.configuration, field, getattr(fresh, field))
    log.info("Kubernetes credentials reloaded from %s", kube.source)
    return True


def create_api_client(kube: KubeConfig) -> client.ApiClient:
    """A new ApiClient for the configuration. Close it (``await api.close()``) when done."""
    return client.ApiClient(configuration=kube.configuration)


def request_timeout(read_seconds: float | None, connect_seconds: float = CONNECT_TIMEOUT) -> aiohttp.ClientTimeout:
    """Timeout for one request: bounded connect, and a socket-read timeout (``None`` = unbounded read,
    only for streams that have their own end, like follow-logs)."""
    return aiohttp.ClientTimeout(
        total=None, connect=connect_seconds, sock_connect=connect_seconds, sock_read=read_seconds
    )


async def check_connection(api: client.ApiClient, timeout_seconds: float = 5.0) -> bool:
    """True when the API server answers ``GET /version`` within ``timeout_seconds``."""
    try:
        response = await api.call_api(
            "/version",
            "GET",
            auth_settings=["BearerToken"],
            _preload_content=False,
            _request_timeout=aiohttp.ClientTimeout(total=timeout_seconds),
        )
        try:
            return bool(200 <= response.status < 300)
        finally:
            response.release()
    except Exception as exc:  # any transport failure means "not reachable"
        log.debug("Kubernetes health check failed: %s", exc)
        return False
