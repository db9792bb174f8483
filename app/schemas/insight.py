"""Response shapes of the pod access and impact routes and of the incident summaries
(docs/api.md#pod-access-and-impact; what each field means: docs/graph.md#access-and-impact-at-the-incident).

Every model forbids unknown keys, so a test that validates an answer against it also proves that the OpenAPI
document lists every field the route sends.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

ActionKey = Literal[
    "exec", "attach", "debug", "port-forward", "logs", "delete", "patch", "patch-controller", "read-secret",
    "read-configmap", "impersonate-serviceaccount", "serviceaccount-token", "create-pods",
]  # fmt: skip
Severity = Literal["high", "medium", "low"]
SubjectKind = Literal["User", "Group", "ServiceAccount"]
SubjectSource = Literal["cluster", "external", "built-in"]
Authorizer = Literal["RBAC", "Node", "privileged group"]
State = Literal["down", "degraded", "healthy", "scaled-to-zero", "batch"]
Danger = Literal["wildcard", "read-secrets", "exec", "create-pods", "bind-escalate", "impersonate", "token-request"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ObjectRef(Strict):
    kind: str
    namespace: str | None
    name: str


class RoleRef(ObjectRef):
    aggregated_from: list[str]


class Rule(Strict):
    api_group: str
    resource: str
    resource_names: list[str]
    verbs: list[str]


class GrantingPath(Strict):
    """How a grant comes about: binding → role → rule for RBAC; for another authorizer only its explanation."""

    authorizer: Authorizer
    binding: ObjectRef | None
    role: RoleRef | None
    rule: Rule | None
    explanation: str


class Grant(Strict):
    verb: str
    #: Index into the answer's ``paths``.
    path: int
    wildcard: bool


class SubjectRef(Strict):
    kind: SubjectKind
    namespace: str | None
    name: str
    source: SubjectSource


class Subject(SubjectRef):
    exists: bool | None
    covers: str | None
    broad: bool
    grants: list[Grant]


class Request(Strict):
    verb: str
    api_group: str
    resource: str
    name: str
    namespace: str


class Target(Strict):
    kind: str
    namespace: str
    name: str


class ActionAccess(Strict):
    action: ActionKey
    meaning: str
    severity: Severity
    target: Target
    requests: list[Request]
    subjects: list[Subject]


class DanglingBinding(Strict):
    binding: ObjectRef
    role: ObjectRef
    subjects: list[SubjectRef]


class BroadGrant(Strict):
    group: str
    actions: list[ActionKey]


class WorstGrant(Strict):
    action: ActionKey
    target: Target
    subject: SubjectRef
    via: str
    wildcard: bool


class AccessSummary(Strict):
    subjects: int
    by_action: dict[ActionKey, int]
    broad: list[BroadGrant]
    dangling_bindings: int
    worst: list[WorstGrant]


class AccessPod(Strict):
    namespace: str
    name: str
    service_account: str | None
    node: str | None


class PodAccess(Strict):
    pod: AccessPod
    actions: list[ActionAccess]
    paths: list[GrantingPath]
    dangling_bindings: list[DanglingBinding]
    summary: AccessSummary


# ------------------------------------------------------------------------------------------ impact


class ImpactPod(Strict):
    namespace: str
    name: str
    phase: str | None
    status: str | None
    ready: bool
    node: str | None
    restarts: int


class Owner(Strict):
    kind: str
    name: str
    exists: bool
    status: str | None


class Availability(Strict):
    kind: str
    name: str
    desired: int | None
    ready: int | None
    state: State


class IngressRoute(Strict):
    name: str
    hosts: list[str]
    paths: list[str]
    ingress_class: str | None


class ServiceImpact(Strict):
    name: str
    type: str
    ports: list[str]
    exposed: bool
    endpoints: int
    ready_endpoints: int
    counted_from: Literal["endpointslices", "pods"]
    pods: int
    ready_pods: int
    state: State
    ingresses: list[IngressRoute]


class ScaleTarget(Strict):
    kind: str
    name: str


class Autoscaler(Strict):
    name: str
    target: ScaleTarget
    min_replicas: int | None
    max_replicas: int | None
    current_replicas: int | None
    desired_replicas: int | None


class PolicyImpact(Strict):
    name: str
    pod_selector: str
    policy_types: list[str]
    ingress_rules: int
    egress_rules: int


class Sharing(Strict):
    pods: int
    pod_names: list[str]
    workloads: list[str]


class Mount(Strict):
    kind: Literal["ConfigMap", "Secret", "PersistentVolumeClaim"]
    name: str
    via: list[str]
    exists: bool | None
    shared_with: Sharing


class AccountPermission(Strict):
    scope: str
    api_group: str | None
    resource: str | None
    non_resource_url: str | None
    resource_names: list[str]
    verbs: list[str]
    binding: ObjectRef
    role: ObjectRef
    via: str
    dangers: list[Danger]


class AccountImpact(Strict):
    name: str
    namespace: str | None
    exists: bool
    token_mounted: bool
    permissions: list[AccountPermission]
    dangers: list[Danger]


class ControllerSummary(Strict):
    kind: str
    name: str
    desired: int | None
    ready: int | None


class ServiceSummary(Strict):
    name: str
    state: State
    ready_endpoints: int
    endpoints: int
    exposed: bool


class IngressSummary(Strict):
    name: str
    hosts: list[str]


class AccountSummary(Strict):
    name: str
    token_mounted: bool
    dangers: list[Danger]


class ImpactSummary(Strict):
    state: State
    controller: ControllerSummary | None
    services: list[ServiceSummary]
    services_total: int
    ingresses: list[IngressSummary]
    ingresses_total: int
    autoscalers: int
    network_policies: int
    shared_mounts: int
    service_account: AccountSummary | None


class PodImpact(Strict):
    pod: ImpactPod
    owners: list[Owner]
    availability: Availability
    services: list[ServiceImpact]
    autoscalers: list[Autoscaler]
    network_policies: list[PolicyImpact]
    mounts: list[Mount]
    service_account: AccountImpact | None
    summary: ImpactSummary
