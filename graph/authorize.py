"""Kubernetes' RBAC decision over the graph's facts (docs/graph.md#rbac-exactly): does a Permission node allow a
request, does a binding's scope cover it, does a binding subject stand for an identity.

Pure functions, written to decide exactly as the API server's RBAC authorizer does (its rule-matching helpers:
verbs, API groups, resources with ``*`` and ``*/<subresource>``, resource names), so the graph's "who can" answers
agree with a SubjectAccessReview. Built-in identities that bypass RBAC are named here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: Members of this group are authorized for everything before RBAC is consulted (the API server's privileged
#: group); membership comes from client certificates, so no binding shows it.
SUPERUSER_GROUP = "system:masters"
#: Kubelets authenticate as ``system:node:<node name>`` in this group; the Node authorizer lets a kubelet read
#: the Secrets and ConfigMaps of pods bound to its node and request tokens for their ServiceAccounts.
NODES_GROUP = "system:nodes"
NODE_USER_PREFIX = "system:node:"
ALL_AUTHENTICATED = "system:authenticated"
ALL_UNAUTHENTICATED = "system:unauthenticated"
ALL_SERVICE_ACCOUNTS = "system:serviceaccounts"
SERVICE_ACCOUNT_USER_PREFIX = "system:serviceaccount:"
ANONYMOUS_USER = "system:anonymous"

WILDCARD = "*"


@dataclass(frozen=True)
class ResourceRequest:
    """A request on a resource, as the authorizer sees it (a SubjectAccessReview's ``resourceAttributes``).
    ``namespace`` is "" for a cluster-scoped resource, ``name`` "" when the request names no object (create,
    list, watch, deletecollection)."""

    verb: str
    group: str
    resource: str
    subresource: str = ""
    name: str = ""
    namespace: str = ""

    @property
    def combined_resource(self) -> str:
        """``pods`` or ``pods/exec``: how a rule's ``resources`` entry spells what this request is about."""
        return f"{self.resource}/{self.subresource}" if self.subresource else self.resource

    def describe(self) -> str:
        named = f" {self.name}" if self.name else ""
        group = f"{self.group}/" if self.group else ""
        return f"{self.verb} {group}{self.combined_resource}{named}"


@dataclass(frozen=True)
class Match:
    """How a Permission allows a request: which verb entry, and whether any wildcard was needed."""

    verb: str
    wildcard: bool


def verb_matches(verbs: list[str], verb: str) -> bool:
    return WILDCARD in verbs or verb in verbs


def group_matches(group: str, requested: str) -> bool:
    return group in (WILDCARD, requested)


def resource_matches(resource: str, request: ResourceRequest) -> bool:
    """``*`` matches every resource and subresource; an exact ``pods`` or ``pods/exec`` matches itself only;
    ``*/exec`` matches the subresource ``exec`` of any resource. Nothing else is a pattern (``pods/*`` matches
    only a subresource literally named ``*``)."""
    if resource in (WILDCARD, request.combined_resource):
        return True
    return bool(request.subresource) and resource == f"*/{request.subresource}"


def name_matches(resource_names: list[str], name: str) -> bool:
    """No names: every object. Names: only a request naming one of them — so never a create, list, watch or
    deletecollection, which name no object."""
    return not resource_names or name in resource_names


def permission_allows(permission: Mapping[str, Any], request: ResourceRequest) -> Match | None:
    """Whether a Permission node (its ``verbs``, ``api_group``, ``resource``, ``resource_names``) allows the
    request, ignoring the binding's scope (:func:`scope_covers`); None when it does not."""
    if permission.get("non_resource_url") is not None or permission.get("resource") is None:
        return None
    verbs = [str(v) for v in permission.get("verbs") or []]
    group = str(permission.get("api_group", ""))
    resource = str(permission["resource"])
    if not (
        verb_matches(verbs, request.verb)
        and group_matches(group, request.group)
        and resource_matches(resource, request)
        and name_matches([str(n) for n in permission.get("resource_names") or []], request.name)
    ):
        return None
    wildcard = request.verb not in verbs or group == WILDCARD or resource != request.combined_resource
    return Match(verb=request.verb if request.verb in verbs else WILDCARD, wildcard=wildcard)


def scope_covers(scope: str, request: ResourceRequest) -> bool:
    """A ClusterRoleBinding (scope ``*``) grants everywhere; a RoleBinding only within its namespace, so never
    a cluster-scoped request — not even through a ClusterRole."""
    return scope == WILDCARD or (bool(request.namespace) and scope == request.namespace)


# ------------------------------------------------------------------------------------------ identities


@dataclass(frozen=True)
class Identity:
    """Who makes a request: a user name and its groups, as an authenticator hands them to the authorizer."""

    user: str
    groups: tuple[str, ...] = ()


def service_account_identity(namespace: str, name: str) -> Identity:
    """What a ServiceAccount token authenticates as."""
    return Identity(
        f"{SERVICE_ACCOUNT_USER_PREFIX}{namespace}:{name}",
        (ALL_SERVICE_ACCOUNTS, f"{ALL_SERVICE_ACCOUNTS}:{namespace}", ALL_AUTHENTICATED),
    )


def subject_covers(kind: str, name: str, namespace: str | None, identity: Identity) -> bool:
    """Whether a binding subject as the graph holds it (``User``, ``Group`` or ``ServiceAccount`` with its
    namespace resolved) stands for the identity."""
    if kind == "ServiceAccount":
        return identity.user == f"{SERVICE_ACCOUNT_USER_PREFIX}{namespace}:{name}"
    if kind == "User":
        return identity.user == name
    if kind == "Group":
        return name in identity.groups
    return False


def is_kubelet(identity: Identity) -> bool:
    """What the Node authorizer takes for a kubelet: a ``system:node:<name>`` user in ``system:nodes``."""
    return identity.user.startswith(NODE_USER_PREFIX) and NODES_GROUP in identity.groups


def grant_covers(kind: str, name: str, namespace: str | None, authorizer: str, identity: Identity) -> bool:
    """Whether a subject of an answer, allowed by ``authorizer``, stands for the identity: RBAC and the privileged
    group go by name and group membership; the Node authorizer only ever allows kubelets (its ``system:nodes``
    subject is every kubelet, not every member of the group)."""
    if authorizer == "Node":
        return is_kubelet(identity) and (kind == "Group" or identity.user == name)
    return subject_covers(kind, name, namespace, identity)


def implicit_members(group: str) -> str | None:
    """Who belongs to a group without any binding saying so (the API server assigns these groups); None for
    groups an identity provider defines."""
    if group == ALL_AUTHENTICATED:
        return "every authenticated user and every ServiceAccount"
    if group == ALL_UNAUTHENTICATED:
        return "every anonymous request"
    if group == ALL_SERVICE_ACCOUNTS:
        return "every ServiceAccount of the cluster"
    if group.startswith(ALL_SERVICE_ACCOUNTS + ":"):
        return f"every ServiceAccount of namespace {group.split(':', 2)[2]}"
    if group == SUPERUSER_GROUP:
        return "the cluster's super-users (client certificates with this organisation)"
    if group == NODES_GROUP:
        return "every kubelet (the users system:node:<node name> of this group)"
    return None
