"""The one Kubernetes access module of the project.

- :mod:`app.kube.config` — load the configuration (KUBECONFIG, in-cluster, ``KURE_KUBERNETES=off``), build
  ApiClients with timeouts, check connectivity.
- :mod:`app.kube.resources` — kind → REST paths.
- :mod:`app.kube.rest` — raw JSON requests and streams (``KubeApiError`` for non-2xx).
- :mod:`app.kube.access` — :class:`KubeAccess`, the one call path of the backend and the in-cluster components
  (one lazily loaded ApiClient, timeouts, retries, reachability, domain errors).
- :mod:`app.kube.reflector` — generic paginated list + watch with bookmarks, 410 relist, backoff,
  403/404 reporting.
"""

from .config import (
    KubeConfig,
    check_connection,
    create_api_client,
    load_kube_config,
    reload_credentials,
    request_timeout,
)
from .reflector import Reflector, ReflectorOptions, ReflectorSink
from .resources import KINDS, ResourceKind, resource
from .rest import KubeApiError, open_request, request_json, request_text, stream_lines

__all__ = [
    "KINDS",
    "KubeApiError",
    "KubeConfig",
    "Reflector",
    "ReflectorOptions",
    "ReflectorSink",
    "ResourceKind",
    "check_connection",
    "create_api_client",
    "load_kube_config",
    "open_request",
    "reload_credentials",
    "request_json",
    "request_text",
    "request_timeout",
    "resource",
    "stream_lines",
]
