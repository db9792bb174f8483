"""Service accounts and tokens (docs/catalogue.md#service-accounts-and-tokens)."""

from __future__ import annotations

from .base import PT_KINDS, Context, FindingDraft, KubeObject, check, container_finding, containers, draft, pod_spec


def _sa_name(obj: KubeObject) -> str:
    spec = pod_spec(obj)
    return str(spec.get("serviceAccountName") or spec.get("serviceAccount") or "default")


def _namespace(obj: KubeObject) -> str:
    return str((obj.get("metadata") or {}).get("namespace") or "")


@check("default_service_account", PT_KINDS)
def default_service_account(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    if _sa_name(obj) != "default":
        return None
    return draft(
        "default_service_account",
        "low",
        f"Pod uses the default ServiceAccount of namespace '{_namespace(obj)}'",
        "Create a dedicated ServiceAccount for the workload",
        field="serviceAccountName",
        service_account="default",
    )


@check("service_account_token_automount", PT_KINDS, needs=frozenset({"service_accounts"}))
def service_account_token_automount(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    name = _sa_name(obj)
    mounted = pod_spec(obj).get("automountServiceAccountToken")
    if mounted is None:
        mounted = (ctx.service_accounts.get(name) or {}).get("automountServiceAccountToken")
    if mounted is False:
        return None
    return draft(
        "service_account_token_automount",
        "medium",
        f"Pod mounts the API token of ServiceAccount '{name}'",
        "Set automountServiceAccountToken: false unless the workload calls the Kubernetes API",
        field="automountServiceAccountToken",
        service_account=name,
    )


@check("default_sa_automount", frozenset({"ServiceAccount"}))
def default_sa_automount(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    if (obj.get("metadata") or {}).get("name") != "default" or obj.get("automountServiceAccountToken") is False:
        return None
    return draft(
        "default_sa_automount",
        "low",
        f"The default ServiceAccount of namespace '{_namespace(obj)}' mounts its token into every pod that does "
        "not choose another ServiceAccount",
        "Set automountServiceAccountToken: false on the default ServiceAccount",
        field="automountServiceAccountToken",
    )


@check("secret_in_env", PT_KINDS)
def secret_in_env(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    offenders: list[str] = []
    secrets: list[str] = []
    names: list[str] = []
    for c in containers(obj):
        hit = False
        for env in c.get("env") or []:
            ref = (env.get("valueFrom") or {}).get("secretKeyRef")
            if ref:
                hit = True
                secrets.append(str(ref.get("name", "")))
                names.append(str(env.get("name", "")))
        for env_from in c.get("envFrom") or []:
            from_ref = env_from.get("secretRef")
            if from_ref:
                hit = True
                secrets.append(str(from_ref.get("name", "")))
                names.append(f"{env_from.get('prefix') or ''}*")
        if hit:
            offenders.append(c.get("name", ""))
    secrets = list(dict.fromkeys(secrets))
    names = list(dict.fromkeys(names))
    secret_text = f"Secret '{secrets[0]}'" if len(secrets) == 1 else "Secrets " + ", ".join(f"'{s}'" for s in secrets)
    return container_finding(
        "secret_in_env",
        "low",
        offenders,
        lambda s: (
            f"{s} {'receives' if len(offenders) == 1 else 'receive'} {secret_text} through environment "
            f"variables ({', '.join(names)})"
        ),
        "Mount the Secret as a file: environment variables leak into child processes, crash dumps and logs",
        "env[].valueFrom.secretKeyRef",
        secrets=secrets,
        variables=names,
    )


CHECKS = [default_service_account, service_account_token_automount, default_sa_automount, secret_in_env]
