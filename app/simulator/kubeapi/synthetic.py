"""Synthetic cluster of docs/graph.md#performance-targets-and-benchmarks (benchmarks): 200 namespaces, 10,000 pods,
~2,000 bindings."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

Obj = dict[str, Any]

VERBS = ["get", "list", "watch", "create", "update", "patch", "delete"]
RESOURCES = [
    ("", "pods"),
    ("", "configmaps"),
    ("", "services"),
    ("apps", "deployments"),
    ("", "secrets"),
    ("batch", "jobs"),
    ("", "pods/log"),
    ("", "pods/exec"),
    ("networking.k8s.io", "ingresses"),
]


def _meta(name: str, namespace: str | None = None, labels: dict[str, str] | None = None, **extra: Any) -> Obj:
    meta: Obj = {"name": name, "labels": labels or {}}
    if namespace is not None:
        meta["namespace"] = namespace
    meta.update(extra)
    return meta


def _pod_spec(app: str, ns: str, i: int, rng: random.Random) -> Obj:
    spec: Obj = {
        "serviceAccountName": f"sa-{i % 3}",
        "containers": [
            {
                "name": "main",
                "image": f"registry.example.com/{app}:{1 + i % 5}.0",
                "envFrom": [{"configMapRef": {"name": f"cm-{i % 10}"}}],
                "env": [
                    {
                        "name": "PASSWORD",
                        "valueFrom": {"secretKeyRef": {"name": f"secret-{i % 5}", "key": "pw"}},
                    }
                ],
            }
        ],
        "volumes": [{"name": "data", "secret": {"secretName": f"tls-{i % 5}"}}],
    }
    if rng.random() < 0.2:
        spec["volumes"].append({"name": "pvc", "persistentVolumeClaim": {"claimName": f"pvc-{i % 2}"}})
    return spec


def _pod(name: str, ns: str, labels: dict[str, str], spec: Obj, owner: tuple[str, str] | None, node: str) -> Obj:
    meta = _meta(name, ns, labels)
    if owner:
        meta["ownerReferences"] = [
            {
                "apiVersion": "apps/v1",
                "kind": owner[0],
                "name": owner[1],
                "uid": f"uid-{owner[0]}-{ns}-{owner[1]}",
                "controller": True,
            }
        ]
    pod_spec = dict(spec, nodeName=node)
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": pod_spec,
        "status": {
            "phase": "Running",
            "podIP": "10.0.0.1",
            "qosClass": "BestEffort",
            "containerStatuses": [{"name": "main", "ready": True, "restartCount": 0}],
            "conditions": [{"type": "Ready", "status": "True"}],
        },
    }


def generate(seed: int = 7) -> Iterator[Obj]:
    """Yield every object of the synthetic cluster (about 25,000 objects)."""
    rng = random.Random(seed)
    nodes = [f"worker-{i}" for i in range(20)]
    for n in nodes:
        yield {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": _meta(n, labels={"node-role.kubernetes.io/worker": ""}),
            "status": {"conditions": [{"type": "Ready", "status": "True"}]},
        }
    namespaces = ["big"] + [f"ns-{i:03d}" for i in range(199)]
    users = [f"user-{i}" for i in range(500)]
    groups = [f"group-{i}" for i in range(50)]
    pods_left = 10_000
    for n_index, ns in enumerate(namespaces):
        yield {"apiVersion": "v1", "kind": "Namespace", "metadata": _meta(ns), "status": {"phase": "Active"}}
        for i in range(10):
            yield {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": _meta(f"cm-{i}", ns),
                "data": {"k": "v"},
            }
        for i in range(2):
            yield {
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": _meta(f"pvc-{i}", ns),
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
                "status": {"phase": "Bound"},
            }
        for i in range(3):
            yield {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta(f"sa-{i}", ns)}
        if ns == "big":
            deployments = [(f"app-{d}", 50) for d in range(20)]
        else:
            per_ns = (pods_left - 0) // (200 - n_index)
            deployments = [(f"app-{d}", max(0, per_ns // 5)) for d in range(5)]
        # Keep the total exactly at 10,000: statefulset/daemonset/job pods come out of the deployments' share.
        for d, (app, replicas) in enumerate(deployments):
            labels = {"app.kubernetes.io/name": app}
            template = {"metadata": {"labels": labels}, "spec": _pod_spec(app, ns, d, rng)}
            yield {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": _meta(app, ns, labels),
                "spec": {"replicas": replicas, "selector": {"matchLabels": labels}, "template": template},
                "status": {"readyReplicas": replicas, "replicas": replicas},
            }
            for rev, (rs_replicas, suffix) in enumerate(((0, "old"), (replicas, "cur")), start=1):
                rs_name = f"{app}-{suffix}"
                yield {
                    "apiVersion": "apps/v1",
                    "kind": "ReplicaSet",
                    "metadata": _meta(
                        rs_name,
                        ns,
                        labels,
                        annotations={"deployment.kubernetes.io/revision": str(rev)},
                        ownerReferences=[
                            {
                                "apiVersion": "apps/v1",
                                "kind": "Deployment",
                                "name": app,
                                "uid": "x",
                                "controller": True,
                            }
                        ],
                    ),
                    "spec": {
                        "replicas": rs_replicas,
                        "selector": {"matchLabels": labels},
                        "template": template,
                    },
                    "status": {"readyReplicas": rs_replicas, "replicas": rs_replicas},
                }
            for p in range(replicas):
                pods_left -= 1
                yield _pod(
                    f"{app}-cur-{p:03d}",
                    ns,
                    labels,
                    template["spec"],
                    ("ReplicaSet", f"{app}-cur"),
                    nodes[(p + d) % 20],
                )
            if ns != "big" and d < 6:
                yield {
                    "apiVersion": "v1",
                    "kind": "Service",
                    "metadata": _meta(app, ns, labels),
                    "spec": {
                        "type": "NodePort" if d == 0 else "ClusterIP",
                        "clusterIP": "10.96.0.1",
                        "selector": labels,
                        "ports": [{"name": "http", "port": 80, "protocol": "TCP"}],
                    },
                }
                yield {
                    "apiVersion": "discovery.k8s.io/v1",
                    "kind": "EndpointSlice",
                    "metadata": _meta(f"{app}-abc", ns, dict(labels, **{"kubernetes.io/service-name": app})),
                    "addressType": "IPv4",
                    "endpoints": [{"addresses": ["10.0.0.1"], "conditions": {"ready": True}}],
                }
        if ns != "big":
            yield {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": _meta("db", ns, {"app": "db"}),
                "spec": {
                    "clusterIP": "None",
                    "selector": {"app": "db"},
                    "ports": [{"port": 5432, "protocol": "TCP"}],
                },
            }
            yield {
                "apiVersion": "discovery.k8s.io/v1",
                "kind": "EndpointSlice",
                "metadata": _meta("db-abc", ns, {"kubernetes.io/service-name": "db"}),
                "addressType": "IPv4",
                "endpoints": [],
            }
            yield {
                "apiVersion": "apps/v1",
                "kind": "StatefulSet",
                "metadata": _meta("db", ns, {"app": "db"}),
                "spec": {
                    "replicas": 0,
                    "serviceName": "db",
                    "selector": {"matchLabels": {"app": "db"}},
                    "template": {"metadata": {"labels": {"app": "db"}}, "spec": _pod_spec("db", ns, 0, rng)},
                },
            }
            yield {
                "apiVersion": "batch/v1",
                "kind": "CronJob",
                "metadata": _meta("backup", ns),
                "spec": {
                    "schedule": "0 3 * * *",
                    "jobTemplate": {"spec": {"template": {"spec": _pod_spec("backup", ns, 1, rng)}}},
                },
            }
            for j in range(2):
                yield {
                    "apiVersion": "batch/v1",
                    "kind": "Job",
                    "metadata": _meta(
                        f"backup-{j}",
                        ns,
                        ownerReferences=[
                            {
                                "apiVersion": "batch/v1",
                                "kind": "CronJob",
                                "name": "backup",
                                "uid": "x",
                                "controller": True,
                            }
                        ],
                    ),
                    "spec": {"template": {"spec": _pod_spec("backup", ns, 1, rng)}},
                    "status": {"succeeded": 1, "conditions": [{"type": "Complete", "status": "True"}]},
                }
            yield {
                "apiVersion": "networking.k8s.io/v1",
                "kind": "Ingress",
                "metadata": _meta("web", ns),
                "spec": {
                    "rules": [
                        {
                            "host": f"{ns}.example.com",
                            "http": {
                                "paths": [
                                    {
                                        "path": "/",
                                        "pathType": "Prefix",
                                        "backend": {"service": {"name": "app-0", "port": {"number": 80}}},
                                    }
                                ]
                            },
                        }
                    ]
                },
            }
            yield {
                "apiVersion": "networking.k8s.io/v1",
                "kind": "NetworkPolicy",
                "metadata": _meta("deny", ns),
                "spec": {"podSelector": {}, "policyTypes": ["Ingress"]},
            }
            yield {
                "apiVersion": "networking.k8s.io/v1",
                "kind": "NetworkPolicy",
                "metadata": _meta("apps", ns),
                "spec": {
                    "podSelector": {
                        "matchExpressions": [
                            {"key": "app.kubernetes.io/name", "operator": "In", "values": ["app-0", "app-1"]}
                        ]
                    },
                    "policyTypes": ["Ingress"],
                },
            }
            for h in range(2):
                yield {
                    "apiVersion": "autoscaling/v2",
                    "kind": "HorizontalPodAutoscaler",
                    "metadata": _meta(f"app-{h}", ns),
                    "spec": {
                        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": f"app-{h}"},
                        "minReplicas": 1,
                        "maxReplicas": 5,
                    },
                    "status": {"currentReplicas": 1, "desiredReplicas": 1},
                }
        for r in range(2):
            rules = [
                {
                    "apiGroups": [rng.choice(RESOURCES)[0]],
                    "resources": [rng.choice(RESOURCES)[1]],
                    "verbs": rng.sample(VERBS, 3),
                }
                for _ in range(3)
            ]
            yield {
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "Role",
                "metadata": _meta(f"role-{r}", ns),
                "rules": rules,
            }
        for b in range(9):
            ref = (
                {"kind": "Role", "name": f"role-{b % 2}"}
                if b < 5
                else {"kind": "ClusterRole", "name": "view" if b == 5 else f"cr-{rng.randrange(80)}"}
            )
            subjects = [
                {"kind": "User", "name": rng.choice(users)},
                {"kind": "Group", "name": rng.choice(groups)},
                {"kind": "ServiceAccount", "name": f"sa-{b % 3}", "namespace": ns},
            ]
            yield {
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "RoleBinding",
                "metadata": _meta(f"rb-{b}", ns),
                "roleRef": dict(ref, apiGroup="rbac.authorization.k8s.io"),
                "subjects": subjects,
            }
    for i in range(150):
        name = f"system:cr-{i}" if i < 70 else ("view" if i == 70 else f"cr-{i - 71}")
        rules = [
            {"apiGroups": [g], "resources": [r], "verbs": rng.sample(VERBS, 2)} for g, r in rng.sample(RESOURCES, 3)
        ]
        if i % 10 == 0:
            rules.append({"nonResourceURLs": ["/healthz", "/metrics"], "verbs": ["get"]})
        yield {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": _meta(name),
            "rules": rules,
        }
    for i in range(200):
        yield {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRoleBinding",
            "metadata": _meta(f"crb-{i}"),
            "roleRef": {
                "apiGroup": "rbac.authorization.k8s.io",
                "kind": "ClusterRole",
                "name": f"system:cr-{i % 70}" if i % 2 else f"cr-{i % 79}",
            },
            "subjects": [
                {"kind": "User", "name": rng.choice(users)},
                {"kind": "Group", "name": rng.choice(groups)},
                {"kind": "ServiceAccount", "name": "sa-0", "namespace": rng.choice(namespaces)},
            ],
        }
