"""Pod Security Standards — Baseline (docs/catalogue.md#pod-security-standards-baseline)."""

from __future__ import annotations

from .base import (
    PT_KINDS,
    Check,
    Context,
    FindingDraft,
    KubeObject,
    added_caps,
    check,
    container_finding,
    containers,
    draft,
    effective,
    pod_spec,
    pod_template,
    quote_names,
    sc,
    sensitive_host_path,
)

BASELINE_CAPS = frozenset({
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP",
    "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
})  # fmt: skip
SAFE_SYSCTLS = frozenset({
    "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
})  # fmt: skip
ALLOWED_SELINUX_TYPES = frozenset({"container_t", "container_init_t", "container_kvm_t", "container_engine_t"})


@check("privileged_container", PT_KINDS)
def privileged_container(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    offenders = [c.get("name", "") for c in containers(obj) if sc(c).get("privileged") is True]
    return container_finding(
        "privileged_container",
        "critical",
        offenders,
        lambda s: f"{s} {'is' if len(set(offenders)) == 1 else 'are'} running in privileged mode",
        "Remove 'privileged: true' from securityContext",
        "securityContext.privileged",
    )


def _host_ns(name: str, key: str, label: str, remediation: str) -> Check:
    @check(name, PT_KINDS)
    def evaluate(obj: KubeObject, ctx: Context) -> FindingDraft | None:
        if pod_spec(obj).get(key) is not True:
            return None
        return draft(name, "high", f"Pod shares the host {label} namespace ({key}: true)", remediation, field=key)

    return evaluate


host_network = _host_ns(
    "host_network", "hostNetwork", "network", "Remove hostNetwork: true and publish ports through a Service"
)
host_pid = _host_ns("host_pid", "hostPID", "process", "Remove hostPID: true")
host_ipc = _host_ns("host_ipc", "hostIPC", "IPC", "Remove hostIPC: true")


def _host_paths(obj: KubeObject) -> list[tuple[str, str]]:
    out = []
    for volume in pod_spec(obj).get("volumes") or []:
        host_path = volume.get("hostPath")
        if host_path is not None:
            out.append((str(volume.get("name", "")), str(host_path.get("path") or "")))
    return out


def _volume_message(pairs: list[tuple[str, str]], what: str) -> str:
    if len(pairs) == 1:
        return f"hostPath volume '{pairs[0][0]}' mounts {what} '{pairs[0][1]}'"
    listed = ", ".join(f"'{v}' ('{p}')" for v, p in pairs)
    return f"hostPath volumes {listed} mount {what}s"


@check("host_path_sensitive", PT_KINDS)
def host_path_sensitive(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    pairs = [(v, p) for v, p in _host_paths(obj) if sensitive_host_path(p)]
    if not pairs:
        return None
    return draft(
        "host_path_sensitive",
        "critical",
        _volume_message(pairs, "sensitive host path"),
        "Do not mount host system directories or container-runtime sockets; use the Kubernetes API or a CSI driver",
        volumes=[v for v, _ in pairs],
        paths=[p for _, p in pairs],
        field="volumes[].hostPath.path",
    )


@check("host_path_volume", PT_KINDS)
def host_path_volume(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    pairs = [(v, p) for v, p in _host_paths(obj) if not sensitive_host_path(p)]
    if not pairs:
        return None
    return draft(
        "host_path_volume",
        "high",
        _volume_message(pairs, "host path"),
        "Replace hostPath with a PersistentVolumeClaim, emptyDir, ConfigMap or Secret",
        volumes=[v for v, _ in pairs],
        paths=[p for _, p in pairs],
        field="volumes[].hostPath.path",
    )


@check("host_port", PT_KINDS)
def host_port(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    # With host networking every port is a host port and host_network already reports it.
    if pod_spec(obj).get("hostNetwork") is True:
        return None
    offenders: list[str] = []
    ports: list[int] = []
    for c in containers(obj):
        for port in c.get("ports") or []:
            if int(port.get("hostPort") or 0) != 0:
                offenders.append(c.get("name", ""))
                ports.append(int(port["hostPort"]))
    port_text = ", ".join(str(p) for p in dict.fromkeys(ports))
    return container_finding(
        "host_port",
        "medium",
        offenders,
        lambda s: f"{s} binds host port {port_text}" if len(ports) == 1 else f"{s} bind host ports {port_text}",
        "Remove hostPort and expose the port through a Service",
        "ports[].hostPort",
        ports=list(dict.fromkeys(ports)),
    )


@check("capabilities_sys_admin", PT_KINDS, linux=True)
def capabilities_sys_admin(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    offenders, caps = [], []
    for c in containers(obj):
        hits = [cap for cap in added_caps(c) if cap in ("SYS_ADMIN", "ALL")]
        if hits:
            offenders.append(c.get("name", ""))
            caps.extend(hits)
    caps = list(dict.fromkeys(caps))
    return container_finding(
        "capabilities_sys_admin",
        "critical",
        offenders,
        lambda s: f"{s} adds capability {', '.join(caps)}",
        "Remove SYS_ADMIN/ALL from capabilities.add; add only the specific capability the process needs",
        "securityContext.capabilities.add",
        capabilities=caps,
    )


@check("capabilities_added", PT_KINDS, linux=True)
def capabilities_added(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    offenders, caps = [], []
    for c in containers(obj):
        hits = [cap for cap in added_caps(c) if cap not in BASELINE_CAPS and cap not in ("SYS_ADMIN", "ALL")]
        if hits:
            offenders.append(c.get("name", ""))
            caps.extend(hits)
    caps = list(dict.fromkeys(caps))
    return container_finding(
        "capabilities_added",
        "high",
        offenders,
        lambda s: f"{s} adds capabilities {', '.join(caps)}",
        "Remove these capabilities; the Baseline profile allows adding only the capabilities of its default set",
        "securityContext.capabilities.add",
        capabilities=caps,
    )


@check("apparmor_unconfined", PT_KINDS, linux=True)
def apparmor_unconfined(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    meta, spec = pod_template(obj)
    annotations = meta.get("annotations") or {}
    pod_profile = ((spec.get("securityContext") or {}).get("appArmorProfile") or {}).get("type")
    offenders = []
    for c in containers(obj):
        name = c.get("name", "")
        profile = (sc(c).get("appArmorProfile") or {}).get("type") or pod_profile
        annotation = annotations.get(f"container.apparmor.security.beta.kubernetes.io/{name}")
        if profile == "Unconfined" or annotation == "unconfined":
            offenders.append(name)
    return container_finding(
        "apparmor_unconfined",
        "high",
        offenders,
        lambda s: (
            f"{s} runs without AppArmor confinement" if len(offenders) == 1 else f"{s} run without AppArmor confinement"
        ),
        "Remove the Unconfined profile; use RuntimeDefault",
        "securityContext.appArmorProfile.type",
    )


@check("seccomp_unconfined", PT_KINDS, linux=True)
def seccomp_unconfined(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    offenders = [
        c.get("name", "")
        for c in containers(obj)
        if (effective(obj, c, "seccompProfile") or {}).get("type") == "Unconfined"
    ]
    return container_finding(
        "seccomp_unconfined",
        "high",
        offenders,
        lambda s: (
            f"{s} runs with seccomp profile Unconfined"
            if len(offenders) == 1
            else f"{s} run with seccomp profile Unconfined"
        ),
        "Set seccompProfile.type: RuntimeDefault (or Localhost)",
        "securityContext.seccompProfile.type",
    )


@check("selinux_custom_options", PT_KINDS, linux=True)
def selinux_custom_options(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    pod_opts = (pod_spec(obj).get("securityContext") or {}).get("seLinuxOptions") or {}
    offenders, fields = [], []
    for c in containers(obj):
        bad = []
        for opts in (pod_opts, sc(c).get("seLinuxOptions") or {}):
            bad += [f for f in ("user", "role") if opts.get(f)]
            if opts.get("type") and opts["type"] not in ALLOWED_SELINUX_TYPES:
                bad.append("type")
        if bad:
            offenders.append(c.get("name", ""))
            fields.extend(bad)
    fields = list(dict.fromkeys(fields))
    return container_finding(
        "selinux_custom_options",
        "medium",
        offenders,
        lambda s: f"{s} sets custom SELinux options ({', '.join(fields)})",
        "Remove seLinuxOptions user/role and use an allowed type",
        "securityContext.seLinuxOptions",
        fields=fields,
    )


@check("proc_mount_unmasked", PT_KINDS)
def proc_mount_unmasked(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    offenders = [c.get("name", "") for c in containers(obj) if sc(c).get("procMount") == "Unmasked"]
    return container_finding(
        "proc_mount_unmasked",
        "high",
        offenders,
        lambda s: f"{s} mounts /proc unmasked" if len(offenders) == 1 else f"{s} mount /proc unmasked",
        "Remove procMount: Unmasked (use Default)",
        "securityContext.procMount",
    )


@check("unsafe_sysctls", PT_KINDS)
def unsafe_sysctls(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    sysctls = (pod_spec(obj).get("securityContext") or {}).get("sysctls") or []
    names = [str(s.get("name", "")) for s in sysctls if s.get("name") not in SAFE_SYSCTLS]
    if not names:
        return None
    return draft(
        "unsafe_sysctls",
        "high",
        f"Pod sets unsafe sysctls {', '.join(names)}",
        "Remove the sysctls, or run the workload on dedicated nodes that allow them",
        sysctls=names,
        field="securityContext.sysctls",
    )


@check("windows_host_process", PT_KINDS)
def windows_host_process(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    offenders = [
        c.get("name", "")
        for c in containers(obj)
        if (effective(obj, c, "windowsOptions") or {}).get("hostProcess") is True
    ]
    return container_finding(
        "windows_host_process",
        "high",
        offenders,
        lambda s: (
            f"{s} runs as a Windows HostProcess container"
            if len(offenders) == 1
            else f"{s} run as Windows HostProcess containers"
        ),
        "Remove windowsOptions.hostProcess: true",
        "securityContext.windowsOptions.hostProcess",
    )


@check("git_repo_volume", PT_KINDS)
def git_repo_volume(obj: KubeObject, ctx: Context) -> FindingDraft | None:
    volumes = [str(v.get("name", "")) for v in pod_spec(obj).get("volumes") or [] if v.get("gitRepo") is not None]
    if not volumes:
        return None
    subject = f"Volume '{volumes[0]}' uses" if len(volumes) == 1 else f"Volumes {quote_names(volumes)} use"
    return draft(
        "git_repo_volume",
        "high",
        f"{subject} the deprecated gitRepo type, which runs git on the node",
        "Clone the repository in an init container into an emptyDir",
        volumes=volumes,
        field="volumes[].gitRepo",
    )


CHECKS = [
    privileged_container, host_network, host_pid, host_ipc, host_path_sensitive, host_path_volume, host_port,
    capabilities_sys_admin, capabilities_added, apparmor_unconfined, seccomp_unconfined, selinux_custom_options,
    proc_mount_unmasked, unsafe_sysctls, windows_host_process, git_repo_volume,
]  # fmt: skip
