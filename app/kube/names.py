"""Kubernetes' own naming rules, checked before any name becomes part of an API path.

The API server refuses to store an object whose name breaks these rules, so a name that breaks them cannot
exist; refusing it here means no user input can walk the REST tree (``..``, ``/``, ``%2F``) or reach an
unintended endpoint. The rules follow Kubernetes' validation (``IsDNS1123Label``, ``IsDNS1123Subdomain``,
``ValidatePathSegmentName``):

- namespaces and container names are DNS-1123 labels: at most 63 characters of ``a-z``, ``0-9`` and ``-``,
  starting and ending with a letter or digit;
- most object names (pods, workloads, config maps, service accounts, ...) are DNS-1123 subdomains: at most 253
  characters, dot-separated labels;
- RBAC objects (Role, ClusterRole and their bindings) only need to be a valid path segment: not ``.`` or ``..``,
  without ``/`` or ``%`` (``system:controller:foo`` is a valid ClusterRole name).

Pure functions: no I/O, no web framework.
"""

from __future__ import annotations

import re
from enum import Enum

_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS_LABEL = re.compile(rf"^{_LABEL}$")
_DNS_SUBDOMAIN = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")
MAX_LABEL = 63
MAX_SUBDOMAIN = 253

#: Kinds whose names follow the path-segment rule instead of the DNS subdomain rule.
PATH_SEGMENT_KINDS = frozenset({"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"})


class NameRule(Enum):
    LABEL = "label"
    SUBDOMAIN = "subdomain"
    PATH_SEGMENT = "path segment"


def dns_label_error(value: str) -> str | None:
    """Why ``value`` is not a DNS-1123 label, or None when it is one."""
    if not value:
        return "must not be empty"
    if len(value) > MAX_LABEL:
        return f"must be at most {MAX_LABEL} characters"
    if not _DNS_LABEL.match(value):
        return "must consist of lower-case letters, digits and '-', and start and end with a letter or digit"
    return None


def dns_subdomain_error(value: str) -> str | None:
    """Why ``value`` is not a DNS-1123 subdomain, or None when it is one."""
    if not value:
        return "must not be empty"
    if len(value) > MAX_SUBDOMAIN:
        return f"must be at most {MAX_SUBDOMAIN} characters"
    if not _DNS_SUBDOMAIN.match(value):
        return ("must consist of lower-case letters, digits, '-' and '.', and each dot-separated part must start "
                "and end with a letter or digit")
    return None


def path_segment_error(value: str) -> str | None:
    """Why ``value`` cannot be an object name in a REST path, or None when it can."""
    if not value:
        return "must not be empty"
    if value in (".", ".."):
        return f"must not be '{value}'"
    if "/" in value or "%" in value:
        return "must not contain '/' or '%'"
    return None


_LABEL_NAME = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")


def label_key_error(key: str) -> str | None:
    """Why ``key`` is not a Kubernetes label key (``[prefix/]name``: a DNS subdomain prefix, a name of at most
    63 characters of letters, digits, ``-``, ``_`` and ``.`` starting and ending alphanumeric), or None."""
    prefix, slash, name = key.rpartition("/")
    if slash and dns_subdomain_error(prefix) is not None:
        return "label key prefix must be a DNS subdomain"
    if not name or len(name) > MAX_LABEL or not _LABEL_NAME.match(name):
        return ("label key name must be 1-63 characters of letters, digits, '-', '_' and '.', starting and ending "
                "with a letter or digit")
    return None


def label_value_error(value: str) -> str | None:
    """Why ``value`` is not a Kubernetes label value (empty, or like a key's name), or None."""
    if value and (len(value) > MAX_LABEL or not _LABEL_NAME.match(value)):
        return ("label value must be empty or 1-63 characters of letters, digits, '-', '_' and '.', starting and "
                "ending with a letter or digit")
    return None


def name_error(value: str, rule: NameRule) -> str | None:
    if rule is NameRule.LABEL:
        return dns_label_error(value)
    if rule is NameRule.SUBDOMAIN:
        return dns_subdomain_error(value)
    return path_segment_error(value)


def object_name_rule(kind: str) -> NameRule:
    """The rule Kubernetes applies to the names of ``kind`` (exact API kind)."""
    return NameRule.PATH_SEGMENT if kind in PATH_SEGMENT_KINDS else NameRule.SUBDOMAIN


def namespace_error(value: str) -> str | None:
    return dns_label_error(value)


def valid_namespace(value: str) -> bool:
    return dns_label_error(value) is None


def valid_pod_name(value: str) -> bool:
    return dns_subdomain_error(value) is None


def valid_container_name(value: str) -> bool:
    return dns_label_error(value) is None


def valid_object_name(kind: str, value: str) -> bool:
    return name_error(value, object_name_rule(kind)) is None
