"""A realistic source pod, attack manifests against it (each with the refusals it must get), and legitimate fixes.

Shared by the pure gate tests (tests/mirror/test_gate.py) and the HTTP table test against the fake Kubernetes API
(tests/mirror/test_mirror_gate_api.py), so both prove the same table.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]
NAMESPACE = "shop"
POD_NAME = "web-7d9f8b6c4-abc12"
TRUSTED = ("mirror.example.org/approved",)


def source_pod() -> Json:
    """A Deployment's pod as the API server serves it (defaults filled in, token volume, status)."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": POD_NAME, "namespace": NAMESPACE, "uid": "0b7e", "resourceVersion": "4242",
            "creationTimestamp": "2026-03-26T10:00:00Z", "generateName": "web-7d9f8b6c4-",
            "labels": {"app": "web", "pod-template-hash": "7d9f8b6c4"},
            "annotations": {"kubectl.kubernetes.io/default-container": "app"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d9f8b6c4",
                                 "uid": "rs-1", "controller": True, "blockOwnerDeletion": True}],
        },
        "spec": {
            "serviceAccountName": "web",
            "serviceAccount": "web",
            "automountServiceAccountToken": False,
            "dnsPolicy": "ClusterFirst",
            "enableServiceLinks": True,
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "terminationGracePeriodSeconds": 30,
            "nodeName": "worker-3",
            "nodeSelector": {"pool": "apps"},
            "priority": 0,
            "securityContext": {"runAsNonRoot": True, "runAsUser": 1000, "fsGroup": 2000,
                                "seccompProfile": {"type": "RuntimeDefault"}},
            "tolerations": [
                {"key": "dedicated", "operator": "Equal", "value": "apps", "effect": "NoSchedule"},
                {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                 "tolerationSeconds": 300},
            ],
            "initContainers": [{
                "name": "migrate", "image": "registry.example.com/shop/migrate:1.4.2", "command": ["/migrate"],
                "imagePullPolicy": "IfNotPresent", "resources": {},
                "securityContext": {"allowPrivilegeEscalation": False},
                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
            }],
            "containers": [
                {
                    "name": "app", "image": "registry.example.com/shop/web:1.4.2", "command": ["/app/web"],
                    "args": ["--port=8080"], "imagePullPolicy": "IfNotPresent",
                    "ports": [{"containerPort": 8080, "name": "http", "protocol": "TCP"}],
                    "env": [
                        {"name": "LOG_LEVEL", "value": "info"},
                        {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "web-db", "key": "password"}}},
                    ],
                    "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
                    "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080, "scheme": "HTTP"},
                                       "periodSeconds": 10},
                    "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                                        "capabilities": {"drop": ["ALL"]}},
                    "volumeMounts": [
                        {"name": "config", "mountPath": "/etc/web", "readOnly": True},
                        {"name": "cache", "mountPath": "/cache"},
                        {"name": "kube-api-access-x7k2p", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                         "readOnly": True},
                    ],
                    "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                },
                {
                    "name": "proxy", "image": "docker.io/envoyproxy/envoy:v1.30.1", "imagePullPolicy": "IfNotPresent",
                    "ports": [{"containerPort": 9901, "name": "admin", "protocol": "TCP"}],
                    "resources": {"limits": {"cpu": "200m", "memory": "64Mi"}},
                    "securityContext": {"allowPrivilegeEscalation": False, "runAsUser": 101},
                },
            ],
            "volumes": [
                {"name": "config", "configMap": {"name": "web-config", "defaultMode": 420}},
                {"name": "cache", "emptyDir": {}},
                {"name": "kube-api-access-x7k2p", "projected": {"defaultMode": 420, "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}]}},
            ],
        },
        "status": {"phase": "Running", "podIP": "10.1.2.3"},
    }


def preview() -> Json:
    """What the preview shows: the source as cleaning leaves it (no status, server metadata, node, token)."""
    from app.ai.manifest import clean_manifest

    return clean_manifest(source_pod())


def gate_source() -> Json:
    """The source as the gate compares it: cleaned, but with its node (a request may name that node only)."""
    from app.ai.manifest import clean_manifest

    return clean_manifest(source_pod(), keep_node_name=True)


def container(pod: Json, name: str = "app", list_name: str = "containers") -> Json:
    found: Json = next(c for c in pod["spec"][list_name] if c["name"] == name)
    return found


@dataclass(frozen=True)
class Case:
    name: str
    change: Callable[[Json], None]
    reasons: tuple[str, ...]

    def manifest(self) -> Json:
        pod = copy.deepcopy(preview())
        self.change(pod)
        return pod


def _app(change: Callable[[Json], None]) -> Callable[[Json], None]:
    return lambda pod: change(container(pod))


def _spec(change: Callable[[Json], None]) -> Callable[[Json], None]:
    return lambda pod: change(pod["spec"])


def _add_volume(volume: Json, mount_path: str) -> Callable[[Json], None]:
    def change(pod: Json) -> None:
        pod["spec"]["volumes"].append(volume)
        container(pod)["volumeMounts"].append({"name": volume["name"], "mountPath": mount_path})

    return change


APP = "spec.containers[app]"
ONLY_LITERALS = "(only literal values may change)"

ATTACKS: tuple[Case, ...] = (
    # --- privileges of the containers
    Case("privileged container", _app(lambda c: c["securityContext"].update(privileged=True)),
         (f"added field '{APP}.securityContext.privileged'",)),
    Case("privileged init container",
         lambda p: container(p, "migrate", "initContainers")["securityContext"].update(privileged=True),
         ("added field 'spec.initContainers[migrate].securityContext.privileged'",)),
    Case("privileged sidecar without a securityContext",
         lambda p: container(p, "proxy").update(securityContext={"privileged": True}),
         ("added field 'spec.containers[proxy].securityContext.privileged'",)),
    Case("capability SYS_ADMIN", _app(lambda c: c["securityContext"]["capabilities"].update(add=["SYS_ADMIN"])),
         (f"added field '{APP}.securityContext.capabilities.add'",)),
    Case("dropped capabilities restored", _app(lambda c: c["securityContext"]["capabilities"].update(drop=[])),
         (f"changed field '{APP}.securityContext.capabilities.drop'",)),
    Case("privilege escalation", _app(lambda c: c["securityContext"].update(allowPrivilegeEscalation=True)),
         (f"changed field '{APP}.securityContext.allowPrivilegeEscalation'",)),
    Case("writable root filesystem", _app(lambda c: c["securityContext"].update(readOnlyRootFilesystem=False)),
         (f"changed field '{APP}.securityContext.readOnlyRootFilesystem'",)),
    Case("container runs as root", _app(lambda c: c["securityContext"].update(runAsUser=0)),
         (f"added field '{APP}.securityContext.runAsUser'",)),
    Case("container seccomp off",
         _app(lambda c: c["securityContext"].update(seccompProfile={"type": "Unconfined"})),
         (f"added field '{APP}.securityContext.seccompProfile.type'",)),
    Case("unmasked /proc", _app(lambda c: c["securityContext"].update(procMount="Unmasked")),
         (f"added field '{APP}.securityContext.procMount'",)),
    Case("AppArmor off", _app(lambda c: c["securityContext"].update(appArmorProfile={"type": "Unconfined"})),
         (f"added field '{APP}.securityContext.appArmorProfile.type'",)),
    # --- privileges of the pod
    Case("pod runs as root", _spec(lambda s: s["securityContext"].update(runAsUser=0, runAsNonRoot=False)),
         ("changed field 'spec.securityContext.runAsNonRoot'", "changed field 'spec.securityContext.runAsUser'")),
    Case("pod seccomp off", _spec(lambda s: s["securityContext"].update(seccompProfile={"type": "Unconfined"})),
         ("changed field 'spec.securityContext.seccompProfile.type'",)),
    Case("root supplemental group", _spec(lambda s: s["securityContext"].update(supplementalGroups=[0])),
         ("added field 'spec.securityContext.supplementalGroups'",)),
    Case("another fsGroup", _spec(lambda s: s["securityContext"].update(fsGroup=0)),
         ("changed field 'spec.securityContext.fsGroup'",)),
    Case("unsafe sysctl",
         _spec(lambda s: s["securityContext"].update(sysctls=[{"name": "kernel.msgmax", "value": "1"}])),
         ("added field 'spec.securityContext.sysctls'",)),
    Case("Windows host process",
         _spec(lambda s: s["securityContext"].update(windowsOptions={"hostProcess": True})),
         ("added field 'spec.securityContext.windowsOptions.hostProcess'",)),
    Case("host PID namespace", _spec(lambda s: s.update(hostPID=True)), ("added field 'spec.hostPID'",)),
    Case("host network", _spec(lambda s: s.update(hostNetwork=True)), ("added field 'spec.hostNetwork'",)),
    Case("host IPC namespace", _spec(lambda s: s.update(hostIPC=True)), ("added field 'spec.hostIPC'",)),
    Case("host user namespace", _spec(lambda s: s.update(hostUsers=True)), ("added field 'spec.hostUsers'",)),
    Case("shared process namespace", _spec(lambda s: s.update(shareProcessNamespace=True)),
         ("added field 'spec.shareProcessNamespace'",)),
    Case("host port", _app(lambda c: c["ports"][0].update(hostPort=80)),
         (f"added field '{APP}.ports[8080].hostPort'",)),
    # --- volumes, mounts and secrets
    Case("hostPath of the node's root", _add_volume({"name": "root", "hostPath": {"path": "/"}}, "/host"),
         (f"added field '{APP}.volumeMounts[/host]'", "added field 'spec.volumes[root]'")),
    Case("existing volume turned into a hostPath",
         _spec(lambda s: s["volumes"][1].update(emptyDir=None, hostPath={"path": "/var/lib/kubelet"})),
         ("added field 'spec.volumes[cache].hostPath.path'",)),
    Case("secret volume", _add_volume({"name": "secret-vol", "secret": {"secretName": "admin-creds"}}, "/s"),
         (f"added field '{APP}.volumeMounts[/s]'", "added field 'spec.volumes[secret-vol]'")),
    Case("another application's PVC",
         _add_volume({"name": "data", "persistentVolumeClaim": {"claimName": "billing-db"}}, "/data"),
         (f"added field '{APP}.volumeMounts[/data]'", "added field 'spec.volumes[data]'")),
    Case("projected token for another audience",
         _add_volume({"name": "token", "projected": {"sources": [
             {"serviceAccountToken": {"audience": "vault", "path": "t"}}]}}, "/t"),
         (f"added field '{APP}.volumeMounts[/t]'", "added field 'spec.volumes[token]'")),
    Case("config volume pointed at another ConfigMap",
         _spec(lambda s: s["volumes"][0]["configMap"].update(name="payments-config")),
         ("changed field 'spec.volumes[config].configMap.name'",)),
    Case("mount escaping through subPath",
         _app(lambda c: c["volumeMounts"][0].update(subPath="../../..")),
         (f"added field '{APP}.volumeMounts[/etc/web].subPath'",)),
    Case("existing volume mounted into another container",
         lambda p: container(p, "proxy").update(volumeMounts=[{"name": "config", "mountPath": "/etc/web"}]),
         ("added field 'spec.containers[proxy].volumeMounts[/etc/web]'",)),
    Case("raw block device", _app(lambda c: c.update(volumeDevices=[{"name": "cache", "devicePath": "/dev/xvda"}])),
         (f"added field '{APP}.volumeDevices[/dev/xvda]'",)),
    Case("new secretKeyRef", _app(lambda c: c["env"].append(
        {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "admin-token", "key": "token"}}})),
         (f"added field '{APP}.env[TOKEN].valueFrom' {ONLY_LITERALS}",)),
    Case("secretKeyRef pointed at another secret",
         _app(lambda c: c["env"][1]["valueFrom"]["secretKeyRef"].update(name="root-db")),
         (f"changed field '{APP}.env[DB_PASSWORD].valueFrom' {ONLY_LITERALS}",)),
    Case("new configMapKeyRef", _app(lambda c: c["env"].append(
        {"name": "CFG", "valueFrom": {"configMapKeyRef": {"name": "other-app", "key": "dsn"}}})),
         (f"added field '{APP}.env[CFG].valueFrom' {ONLY_LITERALS}",)),
    Case("new fieldRef", _app(lambda c: c["env"].append(
        {"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "status.hostIP"}}})),
         (f"added field '{APP}.env[NODE].valueFrom' {ONLY_LITERALS}",)),
    Case("envFrom a secret", _app(lambda c: c.update(envFrom=[{"secretRef": {"name": "admin-creds"}}])),
         (f"added field '{APP}.envFrom'",)),
    Case("secret env in the init container",
         lambda p: container(p, "migrate", "initContainers").update(
             env=[{"name": "K", "valueFrom": {"secretKeyRef": {"name": "admin-creds", "key": "k"}}}]),
         (f"added field 'spec.initContainers[migrate].env[K].valueFrom' {ONLY_LITERALS}",)),
    # --- identity and images
    Case("another service account", _spec(lambda s: s.update(serviceAccountName="cluster-admin-sa")),
         ("changed field 'spec.serviceAccountName'",)),
    Case("service-account token re-enabled", _spec(lambda s: s.update(automountServiceAccountToken=True)),
         ("changed field 'spec.automountServiceAccountToken'",)),
    Case("foreign pull secret", _spec(lambda s: s.update(imagePullSecrets=[{"name": "other-team-registry"}])),
         ("added field 'spec.imagePullSecrets[other-team-registry]'",)),
    Case("arbitrary image", _app(lambda c: c.update(image="evil.example.net/miner:latest")),
         (f"changed field '{APP}.image' ('evil.example.net/miner:latest' is neither from the source's repository "
          "nor from a trusted registry)",)),
    Case("another repository of the same registry",
         _app(lambda c: c.update(image="registry.example.com/payments/api:2")),
         (f"changed field '{APP}.image' ('registry.example.com/payments/api:2' is neither from the source's "
          "repository nor from a trusted registry)",)),
    Case("cached image without pulling", _app(lambda c: c.update(imagePullPolicy="Never")),
         (f"changed field '{APP}.imagePullPolicy'",)),
    Case("invalid image reference", _app(lambda c: c.update(image="UPPER CASE")),
         (f"changed field '{APP}.image' (not a valid image reference)",)),
    # --- scheduling
    Case("control-plane toleration", _spec(lambda s: s["tolerations"].append(
        {"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"})),
         ("changed field 'spec.tolerations'",)),
    Case("pinned to a node", _spec(lambda s: s.update(nodeName="control-plane-1")),
         ("changed field 'spec.nodeName'",)),
    Case("node selector for the control plane",
         _spec(lambda s: s["nodeSelector"].update({"node-role.kubernetes.io/control-plane": ""})),
         ("added field 'spec.nodeSelector[node-role.kubernetes.io/control-plane]'",)),
    Case("node affinity", _spec(lambda s: s.update(affinity={"nodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": ["cp-1"]}]}]}}})),
         ("added field 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
          ".nodeSelectorTerms'",)),
    Case("system priority class", _spec(lambda s: s.update(priorityClassName="system-node-critical")),
         ("added field 'spec.priorityClassName'",)),
    Case("raised priority", _spec(lambda s: s.update(priority=2000001000)), ("changed field 'spec.priority'",)),
    Case("another runtime class", _spec(lambda s: s.update(runtimeClassName="unsandboxed")),
         ("added field 'spec.runtimeClassName'",)),
    Case("another scheduler", _spec(lambda s: s.update(schedulerName="rogue-scheduler")),
         ("changed field 'spec.schedulerName'",)),
    # --- added containers and hooks
    Case("added sidecar", _spec(lambda s: s["containers"].append({"name": "debug", "image": "busybox"})),
         ("added field 'spec.containers[debug]' (the source pod has no such container)",)),
    Case("added init container",
         _spec(lambda s: s["initContainers"].append({"name": "escalate", "image": "registry.example.com/shop/web:1"})),
         ("added field 'spec.initContainers[escalate]' (the source pod has no such container)",)),
    Case("ephemeral container", _spec(lambda s: s.update(ephemeralContainers=[{"name": "dbg", "image": "busybox"}])),
         ("added field 'spec.ephemeralContainers[dbg]'",)),
    Case("sidecar restart policy on the init container",
         lambda p: container(p, "migrate", "initContainers").update(restartPolicy="Always"),
         ("added field 'spec.initContainers[migrate].restartPolicy'",)),
    Case("postStart hook", _app(lambda c: c.update(lifecycle={"postStart": {"exec": {"command": ["sh"]}}})),
         (f"added field '{APP}.lifecycle.postStart.exec.command'",)),
    Case("probe aimed at the metadata service",
         _app(lambda c: c["readinessProbe"]["httpGet"].update(host="169.254.169.254")),
         (f"added field '{APP}.readinessProbe.httpGet.host' (a probe may only reach its own pod)",)),
    Case("resource claim of a device", _app(lambda c: c["resources"].update(claims=[{"name": "gpu"}])),
         (f"added field '{APP}.resources.claims[gpu]'",)),
    Case("pod resource claim", _spec(lambda s: s.update(resourceClaims=[{"name": "gpu",
                                                                        "resourceClaimName": "shared-gpu"}])),
         ("added field 'spec.resourceClaims[gpu]'",)),
    # --- DNS and names
    Case("host aliases", _spec(lambda s: s.update(hostAliases=[{"ip": "10.0.0.1", "hostnames": ["vault"]}])),
         ("added field 'spec.hostAliases[10.0.0.1]'",)),
    Case("own DNS servers", _spec(lambda s: s.update(dnsPolicy="None", dnsConfig={"nameservers": ["10.9.9.9"]})),
         ("added field 'spec.dnsConfig.nameservers'", "changed field 'spec.dnsPolicy'")),
    Case("hostname of another pod", _spec(lambda s: s.update(hostname="db-0", subdomain="db")),
         ("added field 'spec.hostname'", "added field 'spec.subdomain'")),
    # --- metadata
    Case("another namespace", lambda p: p["metadata"].update(namespace="kube-system"),
         ("changed field 'metadata.namespace'",)),
    Case("sidecar injection off",
         lambda p: p["metadata"]["annotations"].update({"sidecar.istio.io/inject": "false"}),
         ("added field 'metadata.annotations[sidecar.istio.io/inject]'",)),
    Case("secret injector annotation",
         lambda p: p["metadata"]["annotations"].update(
             {"vault.hashicorp.com/agent-inject-secret-db": "secret/data/prod/db"}),
         ("added field 'metadata.annotations[vault.hashicorp.com/agent-inject-secret-db]'",)),
    Case("unknown metadata field", lambda p: p["metadata"].update(managedBy="x"),
         ("unknown field 'metadata.managedBy'",)),
    # --- fields Kubernetes may add later
    Case("unknown pod field", _spec(lambda s: s.update(futurePrivilege=True)),
         ("unknown field 'spec.futurePrivilege'",)),
    Case("unknown container field", _app(lambda c: c.update(futureEscape={"enabled": True})),
         (f"unknown field '{APP}.futureEscape'",)),
    Case("unknown probe field", _app(lambda c: c["readinessProbe"].update(futureHandler={"host": "x"})),
         (f"unknown field '{APP}.readinessProbe.futureHandler'",)),
    Case("unknown top-level field", lambda p: p.update(extra={"a": 1}), ("unknown field 'extra'",)),
    Case("several at once", _spec(lambda s: s.update(hostPID=True, hostNetwork=True, serviceAccountName="x")),
         ("added field 'spec.hostNetwork'", "added field 'spec.hostPID'", "changed field 'spec.serviceAccountName'")),
)


def _image_tag(pod: Json) -> None:
    container(pod)["image"] = "registry.example.com/shop/web:1.4.3"


def _image_digest(pod: Json) -> None:
    container(pod)["image"] = "registry.example.com/shop/web@sha256:" + "a" * 64


def _trusted_image(pod: Json) -> None:
    container(pod)["image"] = "mirror.example.org/approved/web:debug"


def _command(pod: Json) -> None:
    container(pod).update(command=["/app/web", "--debug"], args=["--port=8080", "--verbose"])


def _env(pod: Json) -> None:
    app = container(pod)
    app["env"] = [{"name": "LOG_LEVEL", "value": "debug"}, {"name": "FEATURE_X", "value": "off"},
                  app["env"][1]]


def _env_without_secret(pod: Json) -> None:
    container(pod)["env"] = [{"name": "DB_PASSWORD", "value": "not-a-secret-any-more"}]


def _resources(pod: Json) -> None:
    container(pod)["resources"] = {"requests": {"cpu": "250m", "memory": "512Mi"}, "limits": {"memory": "1Gi"}}


def _probes(pod: Json) -> None:
    app = container(pod)
    app["readinessProbe"] = {"httpGet": {"path": "/healthz", "port": 8080}, "initialDelaySeconds": 20}
    app["livenessProbe"] = {"tcpSocket": {"port": 8080}, "failureThreshold": 6}


def _no_probe(pod: Json) -> None:
    container(pod).pop("readinessProbe")


def _init_image(pod: Json) -> None:
    container(pod, "migrate", "initContainers")["image"] = "registry.example.com/shop/migrate:1.4.3"


def _omitted_fields(pod: Json) -> None:
    # A hand-written manifest: only what the author cares about. Omitted fields come from the source.
    pod["spec"] = {"containers": [{"name": "app", "image": "registry.example.com/shop/web:1.4.3",
                                   "command": ["/app/web"], "args": ["--port=8080"]}]}
    pod["metadata"] = {"name": "anything"}


def _source_node(pod: Json) -> None:
    pod["spec"]["nodeName"] = "worker-3"  # pasted from `kubectl get pod -o yaml`: the source's own node


def _kept_privileges(pod: Json) -> None:
    pass  # the identical preview: the source's own settings pass


#: (name, change, what the deployed pod must show): legitimate fixes that must deploy.
FIXES: tuple[tuple[str, Callable[[Json], None]], ...] = (
    ("identical preview", _kept_privileges),
    ("new image tag", _image_tag),
    ("image pinned by digest", _image_digest),
    ("image from a trusted registry", _trusted_image),
    ("changed command and args", _command),
    ("changed, added and removed literal env", _env),
    ("secret env replaced by a literal", _env_without_secret),
    ("resources", _resources),
    ("probes changed and added", _probes),
    ("failing probe removed", _no_probe),
    ("init container image tag", _init_image),
    ("omitted fields", _omitted_fields),
    ("the source's own node", _source_node),
)
