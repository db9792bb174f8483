"""Talking to the real kube-apiserver of ``scripts/services.py`` from tests: admin access, fresh namespaces,
ServiceAccount tokens from the TokenRequest API, server-side apply, the authorizer as an oracle, the audit log.

Everything goes through :mod:`app.kube` (raw JSON over a kubernetes-asyncio ApiClient), like the product.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from kubernetes_asyncio import client

from app.kube import KubeApiError, KubeConfig, ResourceKind, create_api_client, load_kube_config, request_json
from app.kube.resources import KINDS
from tests.infra import services_module

JSON = dict[str, Any]

services = services_module.load()

#: Kinds the tests write that the product never lists (so app.kube does not describe them).
EXTRA_KINDS: dict[str, ResourceKind] = {
    "Secret": ResourceKind("Secret", "", "v1", "secrets", True),
    "PersistentVolume": KINDS["PersistentVolume"],
}
#: Server-side apply's field manager for everything the tests write.
FIELD_MANAGER = "kure-tests"
SERVICE_ACCOUNT_GROUP = "system:serviceaccounts"


async def eventually(check: Callable[[], Awaitable[Any]], *, seconds: float = 20.0, pause: float = 0.1) -> Any:
    """Poll until ``check()`` returns something truthy (and return it), or fail with the last exception."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    last: BaseException | None = None
    while loop.time() < deadline:
        try:
            result = await check()
        except (KubeApiError, AssertionError) as exc:
            last, result = exc, None
        if result:
            return result
        await asyncio.sleep(pause)
    raise AssertionError(f"condition not reached in {seconds} s (last error: {last})")


def kind_of(kind: str) -> ResourceKind:
    return KINDS.get(kind) or EXTRA_KINDS[kind]


def admin_kubeconfig() -> Path:
    path: Path = services.kubeapi_kubeconfig()
    return path


def ca_file() -> Path:
    path: Path = services.Config.from_env().kubeapi_dir / "pki" / "ca.crt"
    return path


def pki_file(name: str) -> Path:
    path: Path = services.Config.from_env().kubeapi_dir / "pki" / name
    return path


def server_url() -> str:
    return f"https://127.0.0.1:{services.Config.from_env().kubeapi_port}"


def write_token_kubeconfig(path: Path, token: str, *, user: str = "kure-component") -> Path:
    """A kubeconfig that authenticates with a bearer token only (as a projected ServiceAccount token does)."""
    document = {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": "kure-test",
        "clusters": [
            {"name": "kure-test", "cluster": {"server": server_url(), "certificate-authority": str(ca_file())}}
        ],
        "users": [{"name": user, "user": {"token": token}}],
        "contexts": [{"name": "kure-test", "context": {"cluster": "kure-test", "user": user}}],
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(yaml.safe_dump(document))
    tmp.replace(path)  # atomic, as a credential rotation writes it
    return path


def service_account_user(namespace: str, name: str) -> str:
    return f"system:serviceaccount:{namespace}:{name}"


@dataclass
class Cluster:
    """Admin access (client certificate in ``system:masters``) to the test API server."""

    kube: KubeConfig
    api: client.ApiClient

    @classmethod
    async def connect(cls, kubeconfig: Path | None = None) -> Cluster:
        kube = await load_kube_config(str(kubeconfig or admin_kubeconfig()))
        if kube is None:
            raise RuntimeError(f"cannot load {kubeconfig or admin_kubeconfig()}")
        return cls(kube, create_api_client(kube))

    async def close(self) -> None:
        await self.api.close()

    # ------------------------------------------------------------------ objects

    @staticmethod
    def _path(obj: JSON, *, collection: bool = False) -> str:
        meta = obj.get("metadata") or {}
        kind = kind_of(str(obj["kind"]))
        if collection:
            return kind.list_path(meta.get("namespace"))
        return kind.item_path(meta.get("namespace"), str(meta["name"]))

    async def create(self, obj: JSON, *, dry_run: bool = False) -> JSON:
        query = [("dryRun", "All")] if dry_run else []
        return await request_json(self.api, "POST", self._path(obj, collection=True), body=obj, query=query)

    async def apply(self, obj: JSON, *, dry_run: bool = False) -> JSON:
        """Server-side apply (create or update), as ``kubectl apply --server-side`` does."""
        query: list[tuple[str, str | int | bool]] = [("fieldManager", FIELD_MANAGER), ("force", True)]
        if dry_run:
            query.append(("dryRun", "All"))
        return await request_json(self.api, "PATCH", self._path(obj), body=obj, query=query,
                                  content_type="application/apply-patch+yaml")

    async def get(self, kind: str, namespace: str | None, name: str) -> JSON | None:
        try:
            return await request_json(self.api, "GET", kind_of(kind).item_path(namespace, name))
        except KubeApiError as exc:
            if exc.status == 404:
                return None
            raise

    async def items(self, kind: str, namespace: str | None = None, *, label_selector: str | None = None) -> list[JSON]:
        query = [("labelSelector", label_selector)] if label_selector else []
        answer = await request_json(self.api, "GET", kind_of(kind).list_path(namespace), query=query)
        return list(answer.get("items") or [])

    async def patch_status(self, kind: str, namespace: str | None, name: str, status: JSON) -> JSON:
        """Set ``status`` through the status subresource (what a kubelet or controller does)."""
        path = kind_of(kind).item_path(namespace, name) + "/status"
        return await request_json(self.api, "PATCH", path, body={"status": status},
                                  content_type="application/merge-patch+json")

    async def patch(self, kind: str, namespace: str | None, name: str, patch: JSON) -> JSON:
        return await request_json(self.api, "PATCH", kind_of(kind).item_path(namespace, name), body=patch,
                                  content_type="application/merge-patch+json")

    async def delete(self, kind: str, namespace: str | None, name: str) -> None:
        """Delete at once (grace period 0: a bound pod would otherwise wait for a kubelet forever)."""
        try:
            await request_json(self.api, "DELETE", kind_of(kind).item_path(namespace, name),
                               query=[("gracePeriodSeconds", 0)],
                               body={"apiVersion": "v1", "kind": "DeleteOptions", "gracePeriodSeconds": 0})
        except KubeApiError as exc:
            if exc.status != 404:
                raise

    # ------------------------------------------------------------------ namespaces and identities

    async def new_namespace(self, prefix: str = "kt", *, labels: dict[str, str] | None = None) -> str:
        """A namespace of its own for a test, with its ``default`` ServiceAccount (no controller creates it)."""
        name = f"{prefix}-{uuid.uuid4().hex[:8]}"
        await self.create({"apiVersion": "v1", "kind": "Namespace",
                           "metadata": {"name": name, "labels": labels or {}}})
        await self.create({"apiVersion": "v1", "kind": "ServiceAccount",
                           "metadata": {"name": "default", "namespace": name}})
        return name

    async def drop_namespace(self, name: str) -> None:
        """Delete its pods at once (and its Services, whose IPs and node ports the server holds) and the
        namespace, which then stays Terminating: no controller empties it."""
        for kind in ("Pod", "Service"):
            for item in await self.items(kind, name):
                await self.delete(kind, name, item["metadata"]["name"])
        await self.delete("Namespace", None, name)

    async def token(self, namespace: str, service_account: str, *, seconds: int = 3600,
                    bound_secret: JSON | None = None) -> str:
        """A real ServiceAccount token from the TokenRequest API (optionally bound to a Secret's lifetime)."""
        spec: JSON = {"expirationSeconds": seconds}
        if bound_secret is not None:
            spec["boundObjectRef"] = {"apiVersion": "v1", "kind": "Secret",
                                      "name": bound_secret["metadata"]["name"],
                                      "uid": bound_secret["metadata"]["uid"]}
        answer = await request_json(
            self.api, "POST",
            f"/api/v1/namespaces/{namespace}/serviceaccounts/{service_account}/token",
            body={"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": spec},
        )
        return str(answer["status"]["token"])

    async def allowed(self, user: str, verb: str, resource: str, *, group: str = "", namespace: str | None = None,
                      name: str | None = None, subresource: str | None = None,
                      groups: Iterable[str] = (SERVICE_ACCOUNT_GROUP, "system:authenticated")) -> bool:
        """The server's own RBAC decision for ``user`` (a SubjectAccessReview)."""
        attributes: JSON = {"verb": verb, "resource": resource, "group": group}
        for key, value in (("namespace", namespace), ("name", name), ("subresource", subresource)):
            if value:
                attributes[key] = value
        review = await request_json(self.api, "POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", body={
            "apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
            "spec": {"user": user, "groups": list(groups), "resourceAttributes": attributes},
        })
        return bool(review["status"].get("allowed"))

    # ------------------------------------------------------------------ manifests

    async def apply_manifests(self, documents: Iterable[JSON], *, dry_run: bool = False) -> list[JSON]:
        """Apply documents in the order a cluster needs them: namespaces, then RBAC, then everything else."""
        order = {"Namespace": 0, "ServiceAccount": 1, "ClusterRole": 2, "Role": 2, "ClusterRoleBinding": 3,
                 "RoleBinding": 3}
        applied = []
        for doc in sorted((d for d in documents if d), key=lambda d: order.get(str(d["kind"]), 9)):
            applied.append(await self.apply(doc, dry_run=dry_run))
        return applied


def load_documents(*paths: Path) -> list[JSON]:
    docs: list[JSON] = []
    for path in paths:
        docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return docs


# ---------------------------------------------------------------------------------------------- audit log


@dataclass(frozen=True)
class AuditEntry:
    user: str
    verb: str
    uri: str
    code: int
    decision: str
    reason: str

    @property
    def forbidden(self) -> bool:
        return self.decision != "allow" or self.code in (401, 403)


class AuditLog:
    """The API server's audit log (every request of a ServiceAccount, with the authorizer's decision).

    ``mark()`` remembers the current end; ``entries()`` returns what was logged after it.
    """

    def __init__(self) -> None:
        self.path: Path = services.kubeapi_audit_log()
        self._offset = 0

    def mark(self) -> None:
        self._offset = self.path.stat().st_size if self.path.exists() else 0

    def entries(self, user: str | None = None) -> list[AuditEntry]:
        if not self.path.exists():
            return []
        with self.path.open("rb") as handle:
            handle.seek(self._offset)
            lines = handle.read().splitlines()
        found = []
        for line in lines:
            try:
                event = json.loads(line)
            except ValueError:
                continue  # a line still being written
            name = str((event.get("user") or {}).get("username") or "")
            if user is not None and name != user:
                continue
            annotations = event.get("annotations") or {}
            found.append(AuditEntry(
                user=name, verb=str(event.get("verb")), uri=str(event.get("requestURI")),
                code=int((event.get("responseStatus") or {}).get("code") or 0),
                decision=str(annotations.get("authorization.k8s.io/decision") or ""),
                reason=str(annotations.get("authorization.k8s.io/reason") or ""),
            ))
        return found
