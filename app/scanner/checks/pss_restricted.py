"""Pod Security Standards — Restricted, and hardening
(docs/catalogue.md#pod-security-standards-restricted-and-hardening)."""

from __future__ import annotations

from .base import (
    PT_KINDS,
    Context,
    FindingDraft,
    KubeObject,
    added_caps,
    check,
    container_finding,
    containers,
    draft,
    effective,
    normalise_cap,
    pod_spec,
    sc,
)
from .pss_baseline import BASELINE_CAPS

_RESTRICTED_VOLUME_TYPES = frozenset(
    {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"}
)
_OWN_CHECK_VOLUME_TYPES = frozenset({"hostPath", "gitRepo"})


def _verb(offenders: list[str], one: str, many: str) -> str:
    return one if len(set(offenders)) == 1 else many


@check("allow_privilege_escalation", PT_KINDS, linux=True)
def allow_privilege_escalation(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    explicit = [c.get("name", "") for c in containers(obj) if sc(c).get("allowPrivilegeEscalation") is True]
    unset = [c.get("name", "") for c in containers(obj) if sc(c).get("allowPrivilegeEscalation") is None]
    offenders = explicit + unset
    if not offenders:
        return None
    why = (
        "allowPrivilegeEscalation: true"
        if explicit and not unset
        else ("not set to false" if not explicit else "allowPrivilegeEscalation: true or not set to false")
    )
    return container_finding(
        "allow_privilege_escalation",
        "high" if explicit else "medium",
        offenders,
        lambda s: f"{s} {_verb(offenders, 'allows', 'allow')} privilege escalation ({why})",
        "Set securityContext.allowPrivilegeEscalation: false",
        "securityContext.allowPrivilegeEscalation",
    )


@check("run_as_root", PT_KINDS)
def run_as_root(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    offenders = [c.get("name", "") for c in containers(obj) if effective(obj, c, "runAsUser") == 0]
    return container_finding(
        "run_as_root",
        "high",
        offenders,
        lambda s: f"{s} {_verb(offenders, 'runs', 'run')} as UID 0 (root)",
        "Run as a non-zero UID and set runAsNonRoot: true",
        "securityContext.runAsUser",
    )


@check("run_as_non_root_missing", PT_KINDS, linux=True)
def run_as_non_root_missing(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    offenders = [
        c.get("name", "")
        for c in containers(obj)
        if effective(obj, c, "runAsNonRoot") is not True and effective(obj, c, "runAsUser") is None
    ]
    return container_finding(
        "run_as_non_root_missing",
        "medium",
        offenders,
        lambda s: f"{s} may run as root: neither runAsNonRoot nor runAsUser is set",
        "Set runAsNonRoot: true and a non-zero runAsUser",
        "securityContext.runAsNonRoot",
    )


@check("seccomp_profile_missing", PT_KINDS, linux=True)
def seccomp_profile_missing(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    offenders = [c.get("name", "") for c in containers(obj) if not effective(obj, c, "seccompProfile")]
    return container_finding(
        "seccomp_profile_missing",
        "medium",
        offenders,
        lambda s: f"{s} {_verb(offenders, 'has', 'have')} no seccomp profile",
        "Set spec.securityContext.seccompProfile.type: RuntimeDefault",
        "securityContext.seccompProfile",
    )


@check("capabilities_not_dropped", PT_KINDS, linux=True)
def capabilities_not_dropped(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    offenders = [
        c.get("name", "")
        for c in containers(obj)
        if "ALL" not in {normalise_cap(x) for x in (sc(c).get("capabilities") or {}).get("drop") or []}
    ]
    return container_finding(
        "capabilities_not_dropped",
        "medium",
        offenders,
        lambda s: f"{s} {_verb(offenders, 'does', 'do')} not drop all capabilities",
        'Add capabilities.drop: ["ALL"] and add back only NET_BIND_SERVICE if needed',
        "securityContext.capabilities.drop",
    )


@check("capabilities_added_beyond_restricted", PT_KINDS, linux=True)
def capabilities_added_beyond_restricted(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    offenders, caps = [], []
    for c in containers(obj):
        hits = [cap for cap in added_caps(c) if cap in BASELINE_CAPS and cap != "NET_BIND_SERVICE"]
        if hits:
            offenders.append(c.get("name", ""))
            caps.extend(hits)
    caps = list(dict.fromkeys(caps))
    return container_finding(
        "capabilities_added_beyond_restricted",
        "low",
        offenders,
        lambda s: (
            f"{s} {_verb(offenders, 'adds', 'add')} capabilities {', '.join(caps)}; the Restricted profile "
            "allows only NET_BIND_SERVICE"
        ),
        "Remove the added capabilities or justify them",
        "securityContext.capabilities.add",
        capabilities=caps,
    )


@check("restricted_volume_types", PT_KINDS)
def restricted_volume_types(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    pairs = []
    for volume in pod_spec(obj).get("volumes") or []:
        types = [k for k in volume if k != "name"]
        for t in types:
            if t not in _RESTRICTED_VOLUME_TYPES and t not in _OWN_CHECK_VOLUME_TYPES:
                pairs.append((str(volume.get("name", "")), t))
    if not pairs:
        return None
    if len(pairs) == 1:
        message = f"Volume '{pairs[0][0]}' uses type {pairs[0][1]}, which the Restricted profile does not allow"
    else:
        listed = ", ".join(f"'{v}' ({t})" for v, t in pairs)
        message = f"Volumes {listed} use types the Restricted profile does not allow"
    return draft(
        "restricted_volume_types",
        "medium",
        message,
        "Mount the storage through a PersistentVolumeClaim",
        volumes=[v for v, _ in pairs],
        types=[t for _, t in pairs],
        field="volumes",
    )


@check("read_only_root_filesystem_missing", PT_KINDS, linux=True)
def read_only_root_filesystem_missing(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    offenders = [c.get("name", "") for c in containers(obj) if sc(c).get("readOnlyRootFilesystem") is not True]
    return container_finding(
        "read_only_root_filesystem_missing",
        "low",
        offenders,
        lambda s: f"{s} {_verb(offenders, 'has', 'have')} a writable root filesystem",
        "Set readOnlyRootFilesystem: true and mount an emptyDir where the process writes",
        "securityContext.readOnlyRootFilesystem",
    )


CHECKS = [
    allow_privilege_escalation, run_as_root, run_as_non_root_missing, seccomp_profile_missing,
    capabilities_not_dropped, capabilities_added_beyond_restricted, restricted_volume_types,
    read_only_root_filesystem_missing,
]  # fmt: skip
