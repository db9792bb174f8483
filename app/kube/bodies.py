"""Kubernetes objects as the API server serves them (camelCase JSON), typed, and their shared readers.

The project reads raw JSON, never the client library's model classes (app/kube/rest.py). These TypedDicts name the
fields the code reads, with the Kubernetes API's field names — every one optional (``total=False``): the server
omits empty fields, and a test or a fake may send less. A field nobody reads is not declared (a declared field
only says what its value is when it is there; undeclared ones are still in the object and still reach the
manifests the code sends).

Raw JSON is converted once, where it enters — a reflector's callback, a REST answer, a cache of watched objects:
the ``as_…`` readers below are that boundary (a JSON object goes in, the same object comes out typed). Everything
past it — the agent's classifier, the graph's transforms, the scanner's checks — takes these types. The readers at
the end are the one definition of what the code means by "an event's time" or "a container's last termination".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypedDict, TypeVar, cast

from app.core.timefmt import iso, parse_timestamp


class OwnerReference(TypedDict, total=False):
    apiVersion: str
    kind: str
    name: str
    uid: str
    controller: bool


class ObjectMeta(TypedDict, total=False):
    name: str
    namespace: str
    uid: str
    labels: dict[str, str]
    annotations: dict[str, str]
    ownerReferences: list[OwnerReference]
    finalizers: list[str]
    creationTimestamp: str
    deletionTimestamp: str
    resourceVersion: str


class KubeObject(TypedDict, total=False):
    """An object of any kind, as far as every kind has the same fields. Every typed kind below is one (a Pod can be
    passed where a KubeObject is expected); the readers of :func:`as_object` and the ``as_<kind>`` readers are the
    way from raw JSON to these types."""

    apiVersion: str
    kind: str
    metadata: ObjectMeta


class LabelSelectorRequirement(TypedDict, total=False):
    key: str
    operator: str
    values: list[str]


class LabelSelector(TypedDict, total=False):
    matchLabels: dict[str, str]
    matchExpressions: list[LabelSelectorRequirement]


class LocalObjectReference(TypedDict, total=False):
    name: str


# --- pods ------------------------------------------------------------------------------------------------------


class ContainerStateDetail(TypedDict, total=False):
    """One of ``waiting``, ``running`` or ``terminated`` (only the fields each has are present)."""

    reason: str
    message: str
    exitCode: int
    signal: int
    startedAt: str
    finishedAt: str


class ContainerState(TypedDict, total=False):
    waiting: ContainerStateDetail
    running: ContainerStateDetail
    terminated: ContainerStateDetail


class ContainerStatus(TypedDict, total=False):
    name: str
    image: str
    imageID: str
    ready: bool
    started: bool
    restartCount: int
    state: ContainerState
    lastState: ContainerState


#: A resource quantity: the API server serves text (``"512Mi"``); a manifest may hold a bare number.
Quantity = str | int | float


class ResourceRequirements(TypedDict, total=False):
    limits: dict[str, Quantity]
    requests: dict[str, Quantity]


class KeySelector(TypedDict, total=False):
    """A ``configMapKeyRef`` or ``secretKeyRef``."""

    name: str
    key: str
    optional: bool


class EnvVarSource(TypedDict, total=False):
    configMapKeyRef: KeySelector
    secretKeyRef: KeySelector
    fieldRef: dict[str, Any]
    resourceFieldRef: dict[str, Any]


class EnvVar(TypedDict, total=False):
    name: str
    value: str
    valueFrom: EnvVarSource


class EnvFromReference(TypedDict, total=False):
    name: str
    optional: bool


class EnvFromSource(TypedDict, total=False):
    prefix: str
    configMapRef: EnvFromReference
    secretRef: EnvFromReference


class ContainerPort(TypedDict, total=False):
    name: str
    containerPort: int
    hostPort: int
    hostIP: str
    protocol: str


class Capabilities(TypedDict, total=False):
    add: list[str]
    drop: list[str]


class SeccompProfile(TypedDict, total=False):
    type: str
    localhostProfile: str


class AppArmorProfile(TypedDict, total=False):
    type: str
    localhostProfile: str


class SELinuxOptions(TypedDict, total=False):
    user: str
    role: str
    type: str
    level: str


class WindowsSecurityContextOptions(TypedDict, total=False):
    hostProcess: bool
    runAsUserName: str
    gmsaCredentialSpecName: str


class SecurityContext(TypedDict, total=False):
    """A container's securityContext."""

    privileged: bool
    allowPrivilegeEscalation: bool
    readOnlyRootFilesystem: bool
    runAsUser: int
    runAsGroup: int
    runAsNonRoot: bool
    procMount: str
    capabilities: Capabilities
    seccompProfile: SeccompProfile
    appArmorProfile: AppArmorProfile
    seLinuxOptions: SELinuxOptions
    windowsOptions: WindowsSecurityContextOptions


class Sysctl(TypedDict, total=False):
    name: str
    value: str


class PodSecurityContext(TypedDict, total=False):
    """A pod's securityContext: the defaults of its containers' (:func:`effective_security`) plus pod-only
    fields."""

    runAsUser: int
    runAsGroup: int
    runAsNonRoot: bool
    fsGroup: int
    supplementalGroups: list[int]
    seccompProfile: SeccompProfile
    appArmorProfile: AppArmorProfile
    seLinuxOptions: SELinuxOptions
    windowsOptions: WindowsSecurityContextOptions
    sysctls: list[Sysctl]


class Container(TypedDict, total=False):
    name: str
    image: str
    imagePullPolicy: str
    restartPolicy: str
    command: list[str]
    args: list[str]
    resources: ResourceRequirements
    env: list[EnvVar]
    envFrom: list[EnvFromSource]
    ports: list[ContainerPort]
    securityContext: SecurityContext
    livenessProbe: dict[str, Any]
    readinessProbe: dict[str, Any]
    startupProbe: dict[str, Any]


class HostPathVolumeSource(TypedDict, total=False):
    path: str
    type: str


class ConfigMapVolumeSource(TypedDict, total=False):
    name: str
    optional: bool


class SecretVolumeSource(TypedDict, total=False):
    secretName: str
    optional: bool


class PersistentVolumeClaimVolumeSource(TypedDict, total=False):
    claimName: str
    readOnly: bool


class VolumeProjection(TypedDict, total=False):
    configMap: ConfigMapVolumeSource
    secret: ConfigMapVolumeSource  # a projected Secret is named by ``name``, like a ConfigMap
    serviceAccountToken: dict[str, Any]
    downwardAPI: dict[str, Any]


class ProjectedVolumeSource(TypedDict, total=False):
    sources: list[VolumeProjection]


class Volume(TypedDict, total=False):
    """A pod volume: its name and one source (the sources the code reads are typed; any other is a key of
    its own, see the Restricted volume types check)."""

    name: str
    hostPath: HostPathVolumeSource
    configMap: ConfigMapVolumeSource
    secret: SecretVolumeSource
    persistentVolumeClaim: PersistentVolumeClaimVolumeSource
    projected: ProjectedVolumeSource
    emptyDir: dict[str, Any]
    gitRepo: dict[str, Any]


class PodOS(TypedDict, total=False):
    name: str


class PodSchedulingGate(TypedDict, total=False):
    name: str


class PodAntiAffinity(TypedDict, total=False):
    requiredDuringSchedulingIgnoredDuringExecution: list[dict[str, Any]]
    preferredDuringSchedulingIgnoredDuringExecution: list[dict[str, Any]]


class Affinity(TypedDict, total=False):
    nodeAffinity: dict[str, Any]
    podAffinity: dict[str, Any]
    podAntiAffinity: PodAntiAffinity


class PodSpec(TypedDict, total=False):
    nodeName: str
    containers: list[Container]
    initContainers: list[Container]
    ephemeralContainers: list[Container]
    volumes: list[Volume]
    restartPolicy: str
    serviceAccountName: str
    serviceAccount: str  # the deprecated alias of serviceAccountName
    automountServiceAccountToken: bool
    imagePullSecrets: list[LocalObjectReference]
    securityContext: PodSecurityContext
    hostNetwork: bool
    hostPID: bool
    hostIPC: bool
    os: PodOS
    nodeSelector: dict[str, str]
    affinity: Affinity
    topologySpreadConstraints: list[dict[str, Any]]
    schedulingGates: list[PodSchedulingGate]
    activeDeadlineSeconds: int


class PodCondition(TypedDict, total=False):
    type: str
    status: str
    reason: str
    message: str
    lastTransitionTime: str


class PodStatus(TypedDict, total=False):
    phase: str
    reason: str
    message: str
    podIP: str
    qosClass: str
    conditions: list[PodCondition]
    containerStatuses: list[ContainerStatus]
    initContainerStatuses: list[ContainerStatus]


class Pod(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: PodSpec
    status: PodStatus


class PodTemplateSpec(TypedDict, total=False):
    metadata: ObjectMeta
    spec: PodSpec


# --- events and leases ----------------------------------------------------------------------------------------


class ObjectReference(TypedDict, total=False):
    kind: str
    namespace: str
    name: str
    uid: str
    fieldPath: str


class EventSeries(TypedDict, total=False):
    count: int
    lastObservedTime: str


class Event(TypedDict, total=False):
    """A core/v1 Event."""

    apiVersion: str
    kind: str
    metadata: ObjectMeta
    involvedObject: ObjectReference
    type: str
    reason: str
    message: str
    count: int
    series: EventSeries
    eventTime: str
    firstTimestamp: str
    lastTimestamp: str


class LeaseSpec(TypedDict, total=False):
    holderIdentity: str
    leaseDurationSeconds: int
    acquireTime: str
    renewTime: str
    leaseTransitions: int


class Lease(TypedDict, total=False):
    """A coordination.k8s.io/v1 Lease (the agent's and the scanner's leader election, app/incluster/lease.py)."""

    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: LeaseSpec


# --- workloads --------------------------------------------------------------------------------------------------


class Condition(TypedDict, total=False):
    """A status condition of a workload or a Node."""

    type: str
    status: str
    reason: str
    message: str
    lastTransitionTime: str


class DeploymentSpec(TypedDict, total=False):
    replicas: int
    selector: LabelSelector
    template: PodTemplateSpec


class ReplicaStatus(TypedDict, total=False):
    """The status of a Deployment, ReplicaSet or StatefulSet (each has a subset of these)."""

    replicas: int
    readyReplicas: int
    availableReplicas: int
    updatedReplicas: int
    conditions: list[Condition]


class Deployment(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: DeploymentSpec
    status: ReplicaStatus


class ReplicaSetSpec(TypedDict, total=False):
    replicas: int
    selector: LabelSelector
    template: PodTemplateSpec


class ReplicaSet(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: ReplicaSetSpec
    status: ReplicaStatus


class StatefulSetSpec(TypedDict, total=False):
    replicas: int
    serviceName: str
    selector: LabelSelector
    template: PodTemplateSpec
    volumeClaimTemplates: list[dict[str, Any]]


class StatefulSet(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: StatefulSetSpec
    status: ReplicaStatus


class DaemonSetSpec(TypedDict, total=False):
    selector: LabelSelector
    template: PodTemplateSpec


class DaemonSetStatus(TypedDict, total=False):
    desiredNumberScheduled: int
    currentNumberScheduled: int
    numberReady: int
    numberAvailable: int


class DaemonSet(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: DaemonSetSpec
    status: DaemonSetStatus


class JobSpec(TypedDict, total=False):
    parallelism: int
    completions: int
    backoffLimit: int
    activeDeadlineSeconds: int
    template: PodTemplateSpec


class JobStatus(TypedDict, total=False):
    active: int
    succeeded: int
    failed: int
    conditions: list[Condition]


class Job(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: JobSpec
    status: JobStatus


class JobTemplateSpec(TypedDict, total=False):
    metadata: ObjectMeta
    spec: JobSpec


class CronJobSpec(TypedDict, total=False):
    schedule: str
    suspend: bool
    successfulJobsHistoryLimit: int
    failedJobsHistoryLimit: int
    jobTemplate: JobTemplateSpec


class CronJobStatus(TypedDict, total=False):
    lastScheduleTime: str
    lastSuccessfulTime: str


class CronJob(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: CronJobSpec
    status: CronJobStatus


class CrossVersionObjectReference(TypedDict, total=False):
    apiVersion: str
    kind: str
    name: str


class HorizontalPodAutoscalerSpec(TypedDict, total=False):
    scaleTargetRef: CrossVersionObjectReference
    minReplicas: int
    maxReplicas: int


class HorizontalPodAutoscalerStatus(TypedDict, total=False):
    currentReplicas: int
    desiredReplicas: int


class HorizontalPodAutoscaler(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: HorizontalPodAutoscalerSpec
    status: HorizontalPodAutoscalerStatus


class PodDisruptionBudgetSpec(TypedDict, total=False):
    selector: LabelSelector
    minAvailable: int | str
    maxUnavailable: int | str


class PodDisruptionBudget(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: PodDisruptionBudgetSpec


# --- services and networking -----------------------------------------------------------------------------------


class ServicePort(TypedDict, total=False):
    name: str
    port: int
    targetPort: int | str
    nodePort: int
    protocol: str


class ServiceSpec(TypedDict, total=False):
    type: str
    clusterIP: str
    selector: dict[str, str]
    ports: list[ServicePort]
    externalIPs: list[str]
    externalName: str
    loadBalancerSourceRanges: list[str]


class Service(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: ServiceSpec
    status: dict[str, Any]


class EndpointConditions(TypedDict, total=False):
    ready: bool
    serving: bool
    terminating: bool


class Endpoint(TypedDict, total=False):
    addresses: list[str]
    conditions: EndpointConditions
    targetRef: ObjectReference
    nodeName: str


class EndpointSlice(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    addressType: str
    endpoints: list[Endpoint]
    ports: list[dict[str, Any]]


class ServiceBackendPort(TypedDict, total=False):
    name: str
    number: int


class IngressServiceBackend(TypedDict, total=False):
    name: str
    port: ServiceBackendPort


class IngressBackend(TypedDict, total=False):
    service: IngressServiceBackend
    resource: dict[str, Any]


class HTTPIngressPath(TypedDict, total=False):
    path: str
    pathType: str
    backend: IngressBackend


class HTTPIngressRuleValue(TypedDict, total=False):
    paths: list[HTTPIngressPath]


class IngressRule(TypedDict, total=False):
    host: str
    http: HTTPIngressRuleValue


class IngressTLS(TypedDict, total=False):
    hosts: list[str]
    secretName: str


class IngressSpec(TypedDict, total=False):
    ingressClassName: str
    defaultBackend: IngressBackend
    rules: list[IngressRule]
    tls: list[IngressTLS]


class Ingress(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: IngressSpec
    status: dict[str, Any]


class NetworkPolicyPeer(TypedDict, total=False):
    podSelector: LabelSelector
    namespaceSelector: LabelSelector
    ipBlock: dict[str, Any]


# ``from`` is a Python keyword, hence the functional form.
NetworkPolicyIngressRule = TypedDict(
    "NetworkPolicyIngressRule", {"from": list[NetworkPolicyPeer], "ports": list[dict[str, Any]]}, total=False
)


class NetworkPolicyEgressRule(TypedDict, total=False):
    to: list[NetworkPolicyPeer]
    ports: list[dict[str, Any]]


class NetworkPolicySpec(TypedDict, total=False):
    podSelector: LabelSelector
    policyTypes: list[str]
    ingress: list[NetworkPolicyIngressRule]
    egress: list[NetworkPolicyEgressRule]


class NetworkPolicy(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: NetworkPolicySpec


# --- cluster and configuration --------------------------------------------------------------------------------


class NamespaceStatus(TypedDict, total=False):
    phase: str


class Namespace(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    status: NamespaceStatus


class NodeAddress(TypedDict, total=False):
    type: str
    address: str


class NodeSystemInfo(TypedDict, total=False):
    kubeletVersion: str
    osImage: str
    containerRuntimeVersion: str


class NodeSpec(TypedDict, total=False):
    unschedulable: bool
    podCIDR: str


class NodeStatus(TypedDict, total=False):
    conditions: list[Condition]
    addresses: list[NodeAddress]
    nodeInfo: NodeSystemInfo
    allocatable: dict[str, Quantity]
    capacity: dict[str, Quantity]


class Node(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: NodeSpec
    status: NodeStatus


class ConfigMap(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    data: dict[str, str]
    binaryData: dict[str, str]


class PersistentVolumeClaimSpec(TypedDict, total=False):
    storageClassName: str
    accessModes: list[str]
    resources: ResourceRequirements
    volumeName: str


class PersistentVolumeClaimStatus(TypedDict, total=False):
    phase: str


class PersistentVolumeClaim(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: PersistentVolumeClaimSpec
    status: PersistentVolumeClaimStatus


class PersistentVolumeSpec(TypedDict, total=False):
    hostPath: HostPathVolumeSource
    storageClassName: str
    capacity: dict[str, Quantity]


class PersistentVolume(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: PersistentVolumeSpec


class LimitRangeItem(TypedDict, total=False):
    type: str
    default: dict[str, Quantity]
    defaultRequest: dict[str, Quantity]
    max: dict[str, Quantity]
    min: dict[str, Quantity]


class LimitRangeSpec(TypedDict, total=False):
    limits: list[LimitRangeItem]


class LimitRange(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: LimitRangeSpec


class ResourceQuota(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    spec: dict[str, Any]


# --- RBAC -----------------------------------------------------------------------------------------------------


class PolicyRule(TypedDict, total=False):
    apiGroups: list[str]
    resources: list[str]
    verbs: list[str]
    resourceNames: list[str]
    nonResourceURLs: list[str]


class AggregationRule(TypedDict, total=False):
    clusterRoleSelectors: list[LabelSelector]


class Role(TypedDict, total=False):
    """A Role or a ClusterRole (only a ClusterRole has an ``aggregationRule``)."""

    apiVersion: str
    kind: str
    metadata: ObjectMeta
    rules: list[PolicyRule]
    aggregationRule: AggregationRule


class RoleRef(TypedDict, total=False):
    apiGroup: str
    kind: str
    name: str


class Subject(TypedDict, total=False):
    apiGroup: str
    kind: str
    name: str
    namespace: str


class RoleBinding(TypedDict, total=False):
    """A RoleBinding or a ClusterRoleBinding."""

    apiVersion: str
    kind: str
    metadata: ObjectMeta
    roleRef: RoleRef
    subjects: list[Subject]


class ServiceAccount(TypedDict, total=False):
    apiVersion: str
    kind: str
    metadata: ObjectMeta
    automountServiceAccountToken: bool
    secrets: list[ObjectReference]
    imagePullSecrets: list[LocalObjectReference]


# --- the boundary ----------------------------------------------------------------------------------------------
#
# Raw JSON (a watch event's object, a list item, a REST answer, a fixture) becomes typed here and nowhere else.
# Each reader returns the same object (nothing is copied or converted), checked to be a JSON object. The kind
# readers are for code that knows the kind from where the object came from (the list it was in, the kind a
# check or a transform is registered for): a KubeObject of that kind is read as its kind's type.


def _json_object(obj: object, what: str) -> Mapping[str, Any]:
    if not isinstance(obj, Mapping):
        raise TypeError(f"{what} must be a JSON object, not {type(obj).__name__}")
    return obj


T = TypeVar("T")


def list_items(answer: Mapping[str, Any], read: Callable[[Mapping[str, Any]], T]) -> list[T]:
    """The objects of a list answer (``{"kind": "PodList", "items": [...]}``), each read with ``read`` (the kind
    reader of the list's kind); an entry that is not a JSON object is left out."""
    return [read(item) for item in answer.get("items") or () if isinstance(item, Mapping)]


def as_object(obj: Mapping[str, Any]) -> KubeObject:
    return cast(KubeObject, _json_object(obj, "a Kubernetes object"))


def as_label_selector(obj: Mapping[str, Any]) -> LabelSelector:
    return cast(LabelSelector, _json_object(obj, "a LabelSelector"))


def as_pod(obj: Mapping[str, Any]) -> Pod:
    return cast(Pod, _json_object(obj, "a Pod"))


def as_pod_template(obj: Mapping[str, Any]) -> PodTemplateSpec:
    return cast(PodTemplateSpec, _json_object(obj, "a pod template"))


def as_event(obj: Mapping[str, Any]) -> Event:
    return cast(Event, _json_object(obj, "an Event"))


def as_lease(obj: Mapping[str, Any]) -> Lease:
    return cast(Lease, _json_object(obj, "a Lease"))


def as_deployment(obj: Mapping[str, Any]) -> Deployment:
    return cast(Deployment, _json_object(obj, "a Deployment"))


def as_replicaset(obj: Mapping[str, Any]) -> ReplicaSet:
    return cast(ReplicaSet, _json_object(obj, "a ReplicaSet"))


def as_statefulset(obj: Mapping[str, Any]) -> StatefulSet:
    return cast(StatefulSet, _json_object(obj, "a StatefulSet"))


def as_daemonset(obj: Mapping[str, Any]) -> DaemonSet:
    return cast(DaemonSet, _json_object(obj, "a DaemonSet"))


def as_job(obj: Mapping[str, Any]) -> Job:
    return cast(Job, _json_object(obj, "a Job"))


def as_cronjob(obj: Mapping[str, Any]) -> CronJob:
    return cast(CronJob, _json_object(obj, "a CronJob"))


def as_hpa(obj: Mapping[str, Any]) -> HorizontalPodAutoscaler:
    return cast(HorizontalPodAutoscaler, _json_object(obj, "a HorizontalPodAutoscaler"))


def as_pod_disruption_budget(obj: Mapping[str, Any]) -> PodDisruptionBudget:
    return cast(PodDisruptionBudget, _json_object(obj, "a PodDisruptionBudget"))


def as_service(obj: Mapping[str, Any]) -> Service:
    return cast(Service, _json_object(obj, "a Service"))


def as_endpointslice(obj: Mapping[str, Any]) -> EndpointSlice:
    return cast(EndpointSlice, _json_object(obj, "an EndpointSlice"))


def as_ingress(obj: Mapping[str, Any]) -> Ingress:
    return cast(Ingress, _json_object(obj, "an Ingress"))


def as_network_policy(obj: Mapping[str, Any]) -> NetworkPolicy:
    return cast(NetworkPolicy, _json_object(obj, "a NetworkPolicy"))


def as_namespace(obj: Mapping[str, Any]) -> Namespace:
    return cast(Namespace, _json_object(obj, "a Namespace"))


def as_node(obj: Mapping[str, Any]) -> Node:
    return cast(Node, _json_object(obj, "a Node"))


def as_configmap(obj: Mapping[str, Any]) -> ConfigMap:
    return cast(ConfigMap, _json_object(obj, "a ConfigMap"))


def as_pvc(obj: Mapping[str, Any]) -> PersistentVolumeClaim:
    return cast(PersistentVolumeClaim, _json_object(obj, "a PersistentVolumeClaim"))


def as_persistent_volume(obj: Mapping[str, Any]) -> PersistentVolume:
    return cast(PersistentVolume, _json_object(obj, "a PersistentVolume"))


def as_limit_range(obj: Mapping[str, Any]) -> LimitRange:
    return cast(LimitRange, _json_object(obj, "a LimitRange"))


def as_resource_quota(obj: Mapping[str, Any]) -> ResourceQuota:
    return cast(ResourceQuota, _json_object(obj, "a ResourceQuota"))


def as_role(obj: Mapping[str, Any]) -> Role:
    return cast(Role, _json_object(obj, "a Role or ClusterRole"))


def as_role_binding(obj: Mapping[str, Any]) -> RoleBinding:
    return cast(RoleBinding, _json_object(obj, "a RoleBinding or ClusterRoleBinding"))


def as_service_account(obj: Mapping[str, Any]) -> ServiceAccount:
    return cast(ServiceAccount, _json_object(obj, "a ServiceAccount"))


# --- readers ---------------------------------------------------------------------------------------------------


def ts(value: object) -> float | None:
    """A Kubernetes timestamp as epoch seconds; ``None`` for missing or unparseable values."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_timestamp(value).timestamp()
    except ValueError:
        return None


def fmt_ts(epoch: float | None) -> str:
    """Epoch seconds as the API's ISO-8601 ``...Z`` text; ``unknown`` for none."""
    if epoch is None:
        return "unknown"
    return iso(datetime.fromtimestamp(epoch, UTC)) or "unknown"


def event_last_time(event: Event) -> float | None:
    """When an event was last seen: ``lastTimestamp``, the series' last observation, ``eventTime``,
    ``firstTimestamp``, then the object's creation (events.k8s.io writers fill different fields)."""
    for value in (
        event.get("lastTimestamp"),
        (event.get("series") or {}).get("lastObservedTime"),
        event.get("eventTime"),
        event.get("firstTimestamp"),
        (event.get("metadata") or {}).get("creationTimestamp"),
    ):
        parsed = ts(value)
        if parsed is not None:
            return parsed
    return None


def event_first_time(event: Event) -> float | None:
    for value in (
        event.get("firstTimestamp"),
        event.get("eventTime"),
        (event.get("metadata") or {}).get("creationTimestamp"),
        event.get("lastTimestamp"),
    ):
        parsed = ts(value)
        if parsed is not None:
            return parsed
    return None


def event_count(event: Event) -> int:
    """How often an event happened: ``count``, else the series' count, else once."""
    count = event.get("count")
    if count is None:
        count = (event.get("series") or {}).get("count")
    return int(count) if count is not None else 1


_FIELD_PATH = re.compile(r"^spec\.(?:initContainers|containers|ephemeralContainers)\{([^}]*)\}")


def event_container(event: Event) -> str | None:
    """The container an event is about, from ``involvedObject.fieldPath`` (``spec.containers{app}``)."""
    path = (event.get("involvedObject") or {}).get("fieldPath") or ""
    match = _FIELD_PATH.match(path)
    return match.group(1) if match else None


def last_termination(status: ContainerStatus | None) -> ContainerStateDetail | None:
    """``state.terminated`` when terminated now, else ``lastState.terminated`` (the "last termination" of
    docs/catalogue.md#failure-reasons)."""
    if not status:
        return None
    current = (status.get("state") or {}).get("terminated")
    if current:
        return current
    return (status.get("lastState") or {}).get("terminated") or None


def container_state(status: ContainerStatus | None) -> tuple[str, ContainerStateDetail]:
    """(``waiting`` | ``running`` | ``terminated`` | ``unknown``, its detail) of a container's current state."""
    state = (status or {}).get("state") or {}
    for name, detail in (
        ("waiting", state.get("waiting")),
        ("running", state.get("running")),
        ("terminated", state.get("terminated")),
    ):
        if detail is not None:
            return name, detail
    return "unknown", {}


def all_container_statuses(status: PodStatus) -> list[ContainerStatus]:
    """The init containers' statuses, then the regular containers'."""
    return [*(status.get("initContainerStatuses") or []), *(status.get("containerStatuses") or [])]
