"""The rules engine's knowledge: one table entry per failure reason, variants selected by evidence.

This module is data only; :mod:`app.ai.rules` interprets it. To teach the engine something new, add an
:class:`Entry` (or a :class:`Variant` to an existing entry) — see docs/ai.md "Extending the knowledge table".

Templates are ``str.format`` strings. Always available: ``{pod}``, ``{namespace}``, ``{container}``, ``{image}``,
``{exit_code}``, ``{termination}``, ``{restarts}``, ``{memory_limit}``, ``{node}``, ``{reason}``, ``{owner}``,
``{node_selector}``. Named groups of a variant's ``evidence`` pattern add their own keys (a group that did not take
part in the match reads ``?``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["ENTRIES", "GENERIC", "LOG_HINTS", "Entry", "LogHint", "Variant", "When"]


@dataclass(frozen=True)
class When:
    """Condition of a variant; every given field must hold.

    ``evidence``: regex searched case-insensitively in the redacted evidence text (failure message, container
    status reasons and messages, event reasons and messages). ``exit_codes``: the failed container's exit code is
    one of these. ``image``: regex searched in the failed container's image. ``missing``: these facts are absent.
    """

    evidence: str | None = None
    exit_codes: tuple[int, ...] = ()
    image: str | None = None
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Variant:
    when: When
    cause: str
    fix: tuple[str, ...] = ()
    verify: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    """Knowledge about one failure reason (and its aliases).

    ``combine``: ``first`` uses the first matching variant; ``all`` lists every matching variant (scheduling
    messages often name several causes at once). Variant fixes come before the entry's general fixes.
    """

    reasons: tuple[str, ...]
    title: str
    cause: str
    fix: tuple[str, ...]
    verify: tuple[str, ...]
    variants: tuple[Variant, ...] = ()
    combine: Literal["first", "all"] = "first"
    reason_prefixes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class LogHint:
    """A common application error recognised in the (redacted) logs; the log line itself is never quoted."""

    pattern: str
    finding: str
    fix: str


# --------------------------------------------------------------------------------------------------------------
# Shared variant groups
# --------------------------------------------------------------------------------------------------------------

_LOGS_PREVIOUS = "Read the crashed instance's logs: `kubectl -n {namespace} logs {pod} -c {container} --previous`."

EXIT_CODE_VARIANTS: tuple[Variant, ...] = (
    Variant(
        When(evidence=r"failed liveness probe|liveness probe failed"),
        "The kubelet killed the container because its **liveness probe failed**; the restarts are caused by the "
        "probe, not by the application exiting on its own.",
        ("Check that the liveness probe's port, path and scheme match what the application serves, and give it "
         "enough `initialDelaySeconds`/`timeoutSeconds` (or add a `startupProbe` for slow starts).",),
    ),
    Variant(
        When(exit_codes=(0,), evidence=None),
        "The process **exited successfully (exit code 0)** but the pod's `restartPolicy` restarts it: the main "
        "process of a long-running container finished (it ran in the background, or it is a one-shot task).",
        ("Make the entrypoint run in the foreground (no `&`, no daemonising, e.g. `nginx -g 'daemon off;'`).",
         "If the work is meant to run once, run it as a Job (`restartPolicy: OnFailure`/`Never`) instead of in a "
         "Deployment."),
    ),
    Variant(
        When(evidence=r"last termination: completed"),
        "The process **exited successfully (Completed)** but the pod's `restartPolicy` restarts it: the main "
        "process of a long-running container finished.",
        ("Make the entrypoint run in the foreground, or run one-shot work as a Job.",),
    ),
    Variant(
        When(exit_codes=(1,)),
        "The application **exited with a general error (exit code 1)**: it started and then failed — typically an "
        "unhandled exception, invalid or missing configuration (environment variables, config files), or a "
        "dependency (database, API) it cannot reach at startup.",
        (_LOGS_PREVIOUS + " The last lines usually name the error.",
         "Compare the environment variables, ConfigMaps and Secrets the container expects with what the pod "
         "provides, and check that the services it connects to are reachable from namespace `{namespace}`."),
    ),
    Variant(
        When(exit_codes=(2,)),
        "The process **exited with code 2**: a usage error — invalid command-line arguments or options, or a shell "
        "builtin misused in `command`/`args`.",
        ("Check the container's `command` and `args` against the program's usage; run the image locally with the "
         "same arguments (`docker run --rm {image} <args>`).", _LOGS_PREVIOUS),
    ),
    Variant(
        When(exit_codes=(126,)),
        "**Exit code 126: the command was found but cannot be executed** — the file lacks the executable bit, is "
        "not a binary/script for this platform, or permission is denied (e.g. a read-only or `noexec` mount, or "
        "a non-root user without access).",
        ("Make the entrypoint executable in the image (`chmod +x` in the Dockerfile) and check its shebang line.",
         "If it lives on a mounted volume, mount it with an executable `defaultMode` (e.g. `0755`) and check "
         "`runAsUser`/`fsGroup` permissions."),
    ),
    Variant(
        When(exit_codes=(127,)),
        "**Exit code 127: command not found** — the container's `command`/entrypoint, or a program it calls, does "
        "not exist in the image (wrong path, typo, a missing package, or a script whose interpreter such as "
        "`bash` is not installed).",
        ("Check the `command`/`args` in the pod spec and the image's ENTRYPOINT/CMD; list the image content "
         "(`docker run --rm --entrypoint sh {image} -c 'ls -l /path'`).",
         "For minimal images (distroless, alpine), use an interpreter that exists (`sh` instead of `bash`)."),
    ),
    Variant(
        When(exit_codes=(128,)),
        "**Exit code 128: the runtime could not start the process** (invalid entrypoint or exec failure).",
        ("Check the container's `command` and the image's ENTRYPOINT; see the container status message for the "
         "runtime's error.",),
    ),
    Variant(
        When(exit_codes=(134,)),
        "The process **aborted (SIGABRT, exit code 134)** — an assertion or a fatal runtime error in the "
        "application or a native library.",
        (_LOGS_PREVIOUS + " Look for the assertion or fatal error right before the abort.",),
    ),
    Variant(
        When(exit_codes=(137,)),
        "The process was **killed with SIGKILL (exit code 137)** — most often by the kernel OOM killer after "
        "exceeding the memory limit (`{memory_limit}`), otherwise by the kubelet after a failed liveness probe "
        "or an exceeded termination grace period.",
        ("Check `kubectl -n {namespace} describe pod {pod}`: a last state `OOMKilled` means memory — raise "
         "`resources.limits.memory` or reduce the application's usage; `Killing` events mention probe kills.",),
    ),
    Variant(
        When(exit_codes=(139,)),
        "**Segmentation fault (SIGSEGV, exit code 139)**: the process accessed invalid memory — a bug in native "
        "code, an incompatible native library, or a binary built for a different CPU architecture/libc.",
        ("Check that the image matches the node's architecture (`kubectl get node -o wide`, `docker image "
         "inspect {image}`) and that native libraries match the base image (glibc vs musl).",
         _LOGS_PREVIOUS),
    ),
    Variant(
        When(exit_codes=(143,)),
        "The process was **terminated by SIGTERM (exit code 143)**: something asked it to stop — a failed "
        "liveness probe, a rollout, eviction or node drain — or the application exits with 143 when it receives "
        "SIGTERM during startup.",
        ("Check the pod's events for `Killing` messages (probe failures, preemption) and review the liveness "
         "probe thresholds.",
         "Make sure the application handles SIGTERM and shuts down cleanly within "
         "`terminationGracePeriodSeconds`."),
    ),
    Variant(
        When(exit_codes=(255,)),
        "The process **exited with code 255**: a fatal error in the entrypoint, often `exec format error` (an "
        "image built for another CPU architecture) or an error the program maps to -1.",
        ("Check the image architecture against the node (`docker image inspect {image}` → `Architecture`).",
         _LOGS_PREVIOUS),
    ),
    Variant(
        When(missing=("exit_code",)),
        "The container keeps stopping; no exit code was reported.",
        (_LOGS_PREVIOUS,),
    ),
    Variant(
        When(),
        "The process **exited with code {exit_code}** (last termination: {termination}). Codes above 128 mean "
        "it was killed by signal (code − 128); other codes are set by the application itself.",
        (_LOGS_PREVIOUS + " Look up what exit code {exit_code} means for this program.",),
    ),
)

_PROBE_VARIANTS: tuple[Variant, ...] = (
    Variant(
        When(evidence=r"connection refused"),
        "The probe's connection was **refused**: nothing listens on the probed port — the port is wrong, the "
        "application binds to `127.0.0.1` instead of all interfaces, or it has not started listening yet.",
        ("Compare the probe's `port` with the `containerPort` the application really listens on and make it bind "
         "to `0.0.0.0`.",
         "If the application starts slowly, add a `startupProbe` or raise `initialDelaySeconds`."),
    ),
    Variant(
        When(evidence=r"statuscode: (?P<status>\d+)"),
        "The probe endpoint **answered HTTP {status}**: the application runs but reports itself unhealthy, or the "
        "probe `path` is wrong (404) or requires authentication (401/403).",
        ("Call the endpoint from inside the pod (`kubectl -n {namespace} exec {pod} -c {container} -- wget -qO- "
         "http://localhost:<port><path>`) and check the probe's `path`/`port`.",
         "If the endpoint checks dependencies, make liveness check only the process itself."),
    ),
    Variant(
        When(evidence=r"timeout|deadline exceeded|timed out"),
        "The probe **timed out**: the endpoint answers more slowly than `timeoutSeconds` (default 1 s) — the "
        "application is overloaded, blocked, or CPU-throttled.",
        ("Raise `timeoutSeconds` and `failureThreshold`, and check CPU throttling (`resources.limits.cpu`).",),
    ),
    Variant(
        When(evidence=r"exec|command"),
        "The probe's **exec command failed** (non-zero exit or command not found in the image).",
        ("Run the probe command yourself: `kubectl -n {namespace} exec {pod} -c {container} -- <command>`.",),
    ),
)

_SCHEDULING_VARIANTS: tuple[Variant, ...] = (
    Variant(
        When(evidence=r"insufficient memory"),
        "**Insufficient memory**: no node has enough unreserved allocatable memory for the pod's memory "
        "requests.",
        ("Lower `resources.requests.memory` to what the container really needs, free memory on the nodes, or add "
         "nodes with more memory (or enable the cluster autoscaler).",),
    ),
    Variant(
        When(evidence=r"insufficient cpu"),
        "**Insufficient cpu**: no node has enough unreserved allocatable CPU for the pod's CPU requests.",
        ("Lower `resources.requests.cpu`, scale down other workloads, or add nodes with more CPU.",),
    ),
    Variant(
        When(evidence=r"insufficient (?P<resource>(?!cpu\b|memory\b)[a-z0-9./\-]+)"),
        "**Insufficient {resource}**: no node offers enough of the resource `{resource}` the pod requests.",
        ("Check which nodes provide `{resource}` (`kubectl describe nodes | grep -A8 Allocatable`) and whether its "
         "device plugin is running; lower the request or add such nodes.",),
    ),
    Variant(
        When(evidence=r"untolerated taint|didn't tolerate|had taint"),
        "**Untolerated taint**: the nodes that could run the pod carry a taint the pod has no toleration for.",
        ("List the taints (`kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints`) and "
         "either add a matching `tolerations` entry to the pod spec or remove the taint from a node that should "
         "run it.",),
    ),
    Variant(
        When(evidence=r"didn't match (?:pod's )?node affinity|didn't match node selector|node affinity/selector"),
        "**Node selector / node affinity mismatch**: no node has the labels required by the pod's "
        "`nodeSelector` or `nodeAffinity` ({node_selector}).",
        ("Compare the pod's `nodeSelector`/`affinity.nodeAffinity` with the node labels (`kubectl get nodes "
         "--show-labels`); fix the selector or label a node (`kubectl label node <node> key=value`).",),
    ),
    Variant(
        When(evidence=r"persistentvolumeclaim \"(?P<pvc>[^\"]{1,253})\" not found"),
        "**Missing PersistentVolumeClaim**: the pod mounts PVC `{pvc}`, which does not exist in namespace "
        "`{namespace}`.",
        ("Create PVC `{pvc}` in namespace `{namespace}` (or fix `spec.volumes[].persistentVolumeClaim.claimName`"
         ").",),
    ),
    Variant(
        When(evidence=r"unbound immediate persistentvolumeclaims|has unbound|not bound|waiting for first consumer"),
        "**Unbound PersistentVolumeClaim**: a claim the pod uses is not bound to a volume — no PersistentVolume "
        "matches its size/access mode/StorageClass, or the StorageClass has no working provisioner.",
        ("Inspect the claim (`kubectl -n {namespace} get pvc` and `describe pvc`): check `storageClassName`, "
         "requested size and access modes, and that the StorageClass's provisioner is running.",),
    ),
    Variant(
        When(evidence=r"volume node affinity conflict"),
        "**Volume node affinity conflict**: the pod's PersistentVolume is pinned to a zone/node where the pod "
        "cannot be scheduled.",
        ("Schedule the pod in the volume's zone (node affinity), or use a StorageClass with "
         "`volumeBindingMode: WaitForFirstConsumer`.",),
    ),
    Variant(
        When(evidence=r"too many pods"),
        "**Too many pods**: the nodes have reached their maximum pod count (`maxPods`).",
        ("Add nodes or raise the kubelet's `maxPods`; remove finished pods that still count.",),
    ),
    Variant(
        When(evidence=r"free ports"),
        "**Host port conflict**: the pod requests a `hostPort` already used on every candidate node.",
        ("Remove the `hostPort` (use a Service instead) or choose a free port.",),
    ),
    Variant(
        When(evidence=r"pod affinity|pod anti-affinity|anti-affinity rules|affinity rules"),
        "**Inter-pod (anti-)affinity**: the pod's `podAffinity`/`podAntiAffinity` rules exclude every node.",
        ("Relax the rule (`preferredDuringScheduling…` instead of `required…`) or add nodes/zones.",),
    ),
    Variant(
        When(evidence=r"were unschedulable|node\(s\) were cordoned"),
        "**Cordoned nodes**: the candidate nodes are marked unschedulable (cordoned for maintenance).",
        ("Uncordon a node once maintenance is done (`kubectl uncordon <node>`) or add nodes.",),
    ),
    Variant(
        When(evidence=r"no nodes available|0/0 nodes"),
        "**No nodes**: the cluster has no schedulable nodes.",
        ("Check node health (`kubectl get nodes`) and the node pool/autoscaler.",),
    ),
)

_PULL_VARIANTS: tuple[Variant, ...] = (
    Variant(
        When(evidence=r"pull access denied|may require authorization|insufficient_scope"),
        "**Pull access denied**: the registry refused `{image}` — the repository does not exist under that "
        "name, or it is private and the pod has no credentials for it.",
        ("Check the image name for typos; if the repository is private, create a `docker-registry` Secret and "
         "reference it in `imagePullSecrets` (or on the ServiceAccount).",),
    ),
    Variant(
        When(evidence=r"unauthorized|authentication required|401|403 forbidden|denied|no basic auth credentials"),
        "**Registry authentication failed**: the registry rejected the credentials for `{image}` (missing, wrong "
        "or expired image pull secret).",
        ("Create or renew the pull secret (`kubectl -n {namespace} create secret docker-registry …`) and "
         "reference it in the pod's `imagePullSecrets` or its ServiceAccount.",
         "Check the secret is for the right registry host and that the account can read the repository."),
    ),
    Variant(
        When(evidence=r"not found|manifest unknown|name unknown|no such manifest|does not exist"),
        "**Image not found**: `{image}` does not exist in the registry — the tag (or the repository name) is "
        "wrong or was never pushed.",
        ("List the available tags (e.g. `crane ls <repo>` or the registry UI) and fix the image reference in "
         "the owning workload, or push the missing tag.",),
    ),
    Variant(
        When(evidence=r"toomanyrequests|rate limit"),
        "**Registry rate limit**: the registry throttles pulls for `{image}` (e.g. Docker Hub's anonymous limit).",
        ("Authenticate pulls with an `imagePullSecret`, use a registry mirror/cache, or pull less often "
         "(`imagePullPolicy: IfNotPresent`).",),
    ),
    Variant(
        When(evidence=r"no such host|i/o timeout|connection refused|dial tcp|network is unreachable|tls|x509"),
        "**Registry unreachable**: the node cannot connect to the registry of `{image}` (DNS, network, proxy, "
        "firewall or TLS certificate problem).",
        ("From the node, resolve and reach the registry host; check proxy settings and the registry's TLS "
         "certificate (add the CA to the node's runtime if it is private).",),
    ),
    Variant(
        When(evidence=r"no matching manifest|no match for platform"),
        "**Wrong architecture**: `{image}` has no variant for the node's OS/CPU architecture.",
        ("Build and push a multi-arch image, or schedule the pod on nodes of a supported architecture.",),
    ),
)

_CONFIG_VARIANTS: tuple[Variant, ...] = (
    Variant(
        When(evidence=r"couldn't find key (?P<key>[^\s]{1,253}) in secret (?P<ref>[^\s]{1,253})"),
        "**Missing key in Secret**: the pod references key `{key}` of Secret `{ref}`, which exists but has no such "
        "key.",
        ("Add key `{key}` to the Secret, or fix the `secretKeyRef.key` in the pod spec (or mark it "
         "`optional: true`).",),
    ),
    Variant(
        When(evidence=r"couldn't find key (?P<key>[^\s]{1,253}) in configmap (?P<ref>[^\s]{1,253})"),
        "**Missing key in ConfigMap**: the pod references key `{key}` of ConfigMap `{ref}`, which has no such key.",
        ("Add key `{key}` to the ConfigMap, or fix the `configMapKeyRef.key` (or mark it `optional: true`).",),
    ),
    Variant(
        When(evidence=r"secret \"(?P<secret>[^\"]{1,253})\" not found"),
        "**Missing Secret**: the pod references Secret `{secret}`, which does not exist in namespace "
        "`{namespace}`.",
        ("Create Secret `{secret}` in namespace `{namespace}` (`kubectl -n {namespace} create secret generic "
         "{secret} --from-literal=…`), or fix the name in `envFrom`/`secretKeyRef`.",),
    ),
    Variant(
        When(evidence=r"configmaps? \"(?P<configmap>[^\"]{1,253})\" not found"),
        "**Missing ConfigMap**: the pod references ConfigMap `{configmap}`, which does not exist in namespace "
        "`{namespace}`.",
        ("Create ConfigMap `{configmap}` in namespace `{namespace}`, or fix the name in `envFrom`/"
         "`configMapKeyRef`.",),
    ),
    Variant(
        When(evidence=r"runasnonroot|non-numeric user|will run as root"),
        "**runAsNonRoot conflict**: the pod requires a non-root user but the image runs as root (or names its "
        "user by name, which the kubelet cannot verify).",
        ("Set a numeric `securityContext.runAsUser` (e.g. `65532`), or build the image with a numeric non-root "
         "`USER`.",),
    ),
)

_MOUNT_VARIANTS: tuple[Variant, ...] = (
    Variant(
        When(evidence=r"secret \"(?P<secret>[^\"]{1,253})\" not found"),
        "**Missing Secret for a volume**: volume source Secret `{secret}` does not exist in namespace "
        "`{namespace}`.",
        ("Create Secret `{secret}` in namespace `{namespace}`, fix `spec.volumes[].secret.secretName`, or mark "
         "the volume `optional: true`.",),
    ),
    Variant(
        When(evidence=r"configmaps? \"(?P<configmap>[^\"]{1,253})\" not found"),
        "**Missing ConfigMap for a volume**: volume source ConfigMap `{configmap}` does not exist in namespace "
        "`{namespace}`.",
        ("Create ConfigMap `{configmap}` in namespace `{namespace}`, fix `spec.volumes[].configMap.name`, or mark "
         "the volume `optional: true`.",),
    ),
    Variant(
        When(evidence=r"persistentvolumeclaim \"(?P<pvc>[^\"]{1,253})\" not found|not bound|unbound"),
        "**PersistentVolumeClaim problem**: the claim `{pvc}` is missing or not bound to a volume.",
        ("Check `kubectl -n {namespace} get pvc` — create the claim or fix its StorageClass/size/access mode.",),
    ),
    Variant(
        When(evidence=r"multi-attach"),
        "**Multi-Attach error**: a ReadWriteOnce volume is still attached to another node (often by the previous "
        "pod of a rollout).",
        ("Wait for/delete the old pod, use the `Recreate` strategy for single-writer volumes, or use a "
         "ReadWriteMany volume.",),
    ),
    Variant(
        When(evidence=r"nfs|exit status 32|wrong fs type|bad option"),
        "**Mount command failed**: the node could not mount the volume (NFS server unreachable/export denied, or "
        "the mount helper/filesystem type is missing on the node).",
        ("Check the server address and export permissions, and that the node has the mount helper installed "
         "(`nfs-common`/`nfs-utils`).",),
    ),
    Variant(
        When(evidence=r"timed out waiting for the condition|unable to attach or mount"),
        "**Volume attach/mount timed out**: the volume did not become available in time — usually because "
        "attaching failed (look for `FailedAttachVolume`) or the CSI driver is unhealthy.",
        ("Check the pod's events for attach errors and the CSI driver pods (`kubectl -n kube-system get pods`).",),
    ),
)

_RUN_VARIANTS: tuple[Variant, ...] = (
    Variant(
        When(evidence=r"executable file not found|no such file or directory|exit code 127"),
        "**Command not found**: the runtime could not start the container because its `command`/entrypoint does "
        "not exist in the image (wrong path or missing binary).",
        ("Fix the container's `command` (or the image's ENTRYPOINT) to a path that exists in `{image}`; check "
         "with `docker run --rm --entrypoint sh {image} -c 'ls -l <path>'`.",),
    ),
    Variant(
        When(evidence=r"permission denied"),
        "**Permission denied**: the entrypoint exists but cannot be executed (no executable bit, or the user "
        "cannot read it).",
        ("Make the file executable in the image and check `runAsUser`/`fsGroup`.",),
    ),
    Variant(
        When(evidence=r"exec format error"),
        "**Exec format error**: the binary was built for a different CPU architecture than the node's.",
        ("Build a multi-arch image or run the pod on nodes of the image's architecture.",),
    ),
    Variant(
        When(evidence=r"cgroup|oci runtime|failed to create shim|runc"),
        "**Container runtime error**: the OCI runtime failed to create the container (cgroup, seccomp/AppArmor "
        "profile or device configuration).",
        ("Read the full runtime error in `kubectl describe pod`; check the securityContext profiles and node "
         "runtime logs (`journalctl -u containerd`).",),
    ),
)

# --------------------------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------------------------

_DESCRIBE = "Inspect the pod: `kubectl -n {namespace} describe pod {pod}` (events at the bottom)."
_WATCH = "Watch the pod after the change: `kubectl -n {namespace} get pod {pod} -w` (or the new pod of its owner)."
_ROLLOUT = "Apply the change to the owning workload ({owner}); a bare pod must be deleted and recreated."

ENTRIES: tuple[Entry, ...] = (
    Entry(
        reasons=("CrashLoopBackOff",),
        title="Container crash loop",
        cause="Container `{container}` keeps exiting shortly after it starts, so the kubelet restarts it with an "
              "increasing back-off (CrashLoopBackOff, {restarts} restarts).",
        fix=(_ROLLOUT,),
        verify=(_WATCH + " It should stay `Running` with a stable `RESTARTS` count.",
                "`kubectl -n {namespace} logs {pod} -c {container}` shows a normal start."),
        variants=EXIT_CODE_VARIANTS,
    ),
    Entry(
        reasons=("RepeatedRestarts",),
        title="Repeated container restarts",
        cause="Container `{container}` restarted repeatedly ({restarts} restarts) without settling into a "
              "back-off.",
        fix=(_ROLLOUT,),
        verify=(_WATCH + " The `RESTARTS` count should stop increasing.",),
        variants=EXIT_CODE_VARIANTS,
    ),
    Entry(
        reasons=("Error", "Failed"),
        title="Container terminated with an error",
        cause="Container `{container}` terminated with a non-zero exit code and is not restarted (the pod's "
              "`restartPolicy` is `Never`, or the pod has failed).",
        fix=("Fix the cause, then re-run the work: for a Job, a new pod is created on retry (`backoffLimit`); "
             "otherwise recreate the pod.",),
        verify=("The re-run pod reaches `Completed`/`Succeeded`: `kubectl -n {namespace} get pods -w`.",),
        variants=EXIT_CODE_VARIANTS,
    ),
    Entry(
        reasons=("OOMKilled",),
        title="Out of memory (OOMKilled)",
        cause="Container `{container}` was **OOMKilled**: the kernel killed it (exit code 137) because it used more "
              "memory than its memory limit ({memory_limit}).",
        fix=("Raise `resources.limits.memory` of container `{container}` (and `requests.memory` to match) to "
             "above its real peak usage; measure with `kubectl -n {namespace} top pod {pod} --containers`.",
             "If usage grows without bound, look for a memory leak or unbounded caches; for the JVM/Node.js set "
             "the heap below the limit (e.g. `-XX:MaxRAMPercentage=75`, `--max-old-space-size`).",
             _ROLLOUT),
        verify=(_WATCH + " The container should stay `Running` without new `OOMKilled` terminations "
                "(`kubectl -n {namespace} describe pod {pod}` → Last State).",),
        variants=(
            Variant(
                When(evidence=r"memory limit none"),
                "The container has **no memory limit**, so it was killed when the node itself ran out of memory.",
                ("Set `resources.requests.memory` and `resources.limits.memory` so the scheduler reserves memory "
                 "for it.",),
            ),
        ),
    ),
    Entry(
        reasons=("ImagePullBackOff", "ErrImagePull"),
        title="Image pull failure",
        cause="The kubelet cannot pull image `{image}` for container `{container}`, so the container cannot start "
              "(the kubelet retries with back-off).",
        fix=(_ROLLOUT,),
        verify=("The pod's events show `Successfully pulled image` and the container starts: "
                "`kubectl -n {namespace} get pod {pod} -w`.",),
        variants=(
            *_PULL_VARIANTS,
            Variant(When(), "The pull error message does not say why; check the pod's `Failed` events.",
                    (_DESCRIBE,)),
        ),
    ),
    Entry(
        reasons=("ImageInspectError", "RegistryUnavailable", "SignatureValidationFailed"),
        title="Image could not be used",
        cause="The kubelet could not obtain or verify image `{image}` for container `{container}` ({reason}).",
        fix=("Check the registry's availability and the image reference; re-push the image if it is corrupt, or "
             "fix the signature policy if verification is enforced.", _DESCRIBE),
        verify=("The container starts after the fix: `kubectl -n {namespace} get pod {pod} -w`.",),
        variants=_PULL_VARIANTS,
    ),
    Entry(
        reasons=("InvalidImageName",),
        title="Invalid image name",
        cause="The image reference `{image}` of container `{container}` is **not a valid image name**, so the "
              "kubelet does not even try to pull it.",
        fix=("Use a valid reference `[registry/]repository[:tag][@sha256:digest]`: lower-case repository names, at "
             "most one `:tag`, no scheme (`https://`), no spaces.", _ROLLOUT),
        verify=("The pod's events show the image being pulled: `kubectl -n {namespace} describe pod {pod}`.",),
        variants=(
            Variant(When(image=r"[A-Z]"), "The repository part contains **upper-case letters**, which image names "
                                          "do not allow."),
            Variant(When(image=r"://"), "The reference contains a **URL scheme**; image references have none."),
            Variant(When(image=r":[^/]*:|:.*/.*:"), "The reference contains **more than one `:`** outside the "
                                                    "registry port."),
            Variant(When(image=r"\s"), "The reference contains **whitespace**."),
        ),
    ),
    Entry(
        reasons=("ErrImageNeverPull",),
        title="Image not present and pulling is disabled",
        cause="Container `{container}` uses `imagePullPolicy: Never` but image `{image}` is not present on node "
              "`{node}`.",
        fix=("Pre-load the image on every node that may run the pod (e.g. `kind load docker-image`, `ctr images "
             "import`), or change `imagePullPolicy` to `IfNotPresent`.", _ROLLOUT),
        verify=("The container starts: `kubectl -n {namespace} get pod {pod} -w`.",),
    ),
    Entry(
        reasons=("CreateContainerConfigError",),
        title="Container configuration error",
        cause="The kubelet cannot build the configuration of container `{container}`: something its environment "
              "or security settings refer to is missing or invalid.",
        fix=(_DESCRIBE,),
        verify=("The container leaves `CreateContainerConfigError` and starts: "
                "`kubectl -n {namespace} get pod {pod} -w`.",),
        variants=_CONFIG_VARIANTS,
    ),
    Entry(
        reasons=("CreateContainerError",),
        title="Container creation failed",
        cause="The container runtime failed to create container `{container}` from image `{image}`.",
        fix=(_DESCRIBE,),
        verify=("The container is created and starts: `kubectl -n {namespace} get pod {pod} -w`.",),
        variants=(
            Variant(
                When(evidence=r"already in use|is reserved for"),
                "**Name conflict in the runtime**: a stale container with the same name still exists on the node.",
                ("Delete the pod so it is recreated; if it persists, remove the stale container on the node "
                 "(`crictl rm`) or restart the runtime.",),
            ),
            Variant(
                When(evidence=r"no command specified"),
                "**No command**: the image defines no ENTRYPOINT/CMD and the pod spec gives no `command`.",
                ("Set `command`/`args` for container `{container}` or fix the image.",),
            ),
            Variant(
                When(evidence=r"executable file not found|no such file or directory"),
                "**Command not found** in the image.",
                ("Fix the container's `command` or the image's ENTRYPOINT.",),
            ),
            Variant(
                When(evidence=r"subpath|mount|read-only file system|mkdir"),
                "**Volume mount problem**: a `volumeMount` (often a `subPath`) cannot be set up in the container.",
                ("Check the container's `volumeMounts` (`subPath` must exist in the volume, paths must not clash).",),
            ),
            *_RUN_VARIANTS,
        ),
    ),
    Entry(
        reasons=("RunContainerError", "ContainerCannotRun", "StartError"),
        title="Container could not be started",
        cause="The runtime created container `{container}` but **could not start its process**.",
        fix=(_ROLLOUT,),
        verify=("The container reaches `Running`: `kubectl -n {namespace} get pod {pod} -w`.",),
        variants=_RUN_VARIANTS,
    ),
    Entry(
        reasons=("PreStartHookError", "PostStartHookError"),
        title="Lifecycle hook failed",
        cause="The `lifecycle` hook of container `{container}` failed ({reason}), so the kubelet killed the "
              "container.",
        fix=("Check the `lifecycle.postStart`/`preStop` command or HTTP target: it must exist in the image and "
             "succeed quickly; the hook's error is in the pod's events (`FailedPostStartHook`).", _DESCRIBE),
        verify=("The container starts and stays `Running`: `kubectl -n {namespace} get pod {pod} -w`.",),
    ),
    Entry(
        reasons=("LivenessProbeFailed",),
        title="Liveness probe failure",
        cause="The kubelet keeps **restarting container `{container}` because its liveness probe fails** "
              "({restarts} restarts).",
        fix=("Fix the probe or the application, then give slow starts room with a `startupProbe` (liveness only "
             "runs after it succeeds).", _ROLLOUT),
        verify=("No more `Unhealthy`/`Killing` events: `kubectl -n {namespace} describe pod {pod}`; the restart "
                "count stays stable.",),
        variants=_PROBE_VARIANTS,
    ),
    Entry(
        reasons=("StartupProbeFailed",),
        title="Startup probe failure",
        cause="Container `{container}` **does not pass its startup probe in time**, so the kubelet kills and "
              "restarts it ({restarts} restarts).",
        fix=("Give the application enough time: `failureThreshold × periodSeconds` must exceed its real startup "
             "time; or fix the probe target.", _ROLLOUT),
        verify=("The container becomes `Ready` without restarts: `kubectl -n {namespace} get pod {pod} -w`.",),
        variants=_PROBE_VARIANTS,
    ),
    Entry(
        reasons=("ReadinessProbeFailed",),
        title="Readiness probe failure",
        cause="Container `{container}` runs but **fails its readiness probe**, so the pod is not Ready and receives "
              "no traffic from Services (it is not restarted).",
        fix=("Fix the readiness endpoint or the dependency it checks, or correct the probe's port/path.",
             _ROLLOUT),
        verify=("The pod shows `READY 1/1` and appears in the Service's endpoints: "
                "`kubectl -n {namespace} get endpointslices`.",),
        variants=_PROBE_VARIANTS,
    ),
    Entry(
        reasons=("FailedScheduling", "Unschedulable"),
        title="Pod cannot be scheduled",
        cause="The scheduler **cannot place the pod on any node** (the pod stays Pending).",
        fix=(_DESCRIBE,),
        verify=("The pod gets a node and leaves `Pending`: `kubectl -n {namespace} get pod {pod} -o wide -w`.",),
        variants=_SCHEDULING_VARIANTS,
        combine="all",
    ),
    Entry(
        reasons=("Pending",),
        title="Pod stuck in Pending",
        cause="The pod has been **Pending** longer than expected: it was not scheduled, or its containers could not "
              "be created.",
        fix=(_DESCRIBE,),
        verify=("The pod reaches `Running`: `kubectl -n {namespace} get pod {pod} -w`.",),
        variants=(
            *_SCHEDULING_VARIANTS,
            Variant(
                When(evidence=r"\bpulling\b"),
                "**Image still being pulled**: the kubelet is pulling `{image}` — a large image or a slow "
                "registry.",
                ("Use a smaller image or a registry closer to the cluster; pre-pull large images.",),
            ),
            Variant(
                When(evidence=r"failedmount|failedattachvolume|mountvolume"),
                "**Volume not ready**: a volume of the pod cannot be attached or mounted.",
                ("See the `FailedMount`/`FailedAttachVolume` events for the volume and its error.",),
            ),
            Variant(
                When(evidence=r"containercreating|podinitializing"),
                "The pod is scheduled but its **containers are still being created** (volumes, network sandbox or "
                "image pull).",
                ("Check the newest warning events for the step that hangs.",),
            ),
        ),
        combine="all",
    ),
    Entry(
        reasons=("SchedulingGated",),
        title="Pod held by scheduling gates",
        cause="The pod is **held back by scheduling gates**: the scheduler ignores it until every entry of "
              "`spec.schedulingGates` is removed.",
        fix=("Find the controller that owns the gate and why it has not released the pod; remove the gate once "
             "the condition is met (`kubectl -n {namespace} edit pod {pod}`).",),
        verify=("`spec.schedulingGates` is empty and the pod is scheduled: `kubectl -n {namespace} get pod {pod} "
                "-o wide`.",),
        variants=(
            Variant(When(evidence=r"scheduling gates: (?P<gates>[^\n]{1,300})"), "Gates: {gates}."),
        ),
    ),
    Entry(
        reasons=("FailedMount",),
        title="Volume mount failure",
        cause="The kubelet **cannot mount a volume** of the pod, so its containers cannot be created (the pod "
              "stays in ContainerCreating).",
        fix=(_DESCRIBE,),
        verify=("The `FailedMount` events stop and the pod starts: `kubectl -n {namespace} get pod {pod} -w`.",),
        variants=_MOUNT_VARIANTS,
    ),
    Entry(
        reasons=("FailedAttachVolume",),
        title="Volume attach failure",
        cause="A volume of the pod **cannot be attached to node `{node}`**, so the pod cannot start.",
        fix=("Check the CSI driver/cloud controller logs and the VolumeAttachment objects "
             "(`kubectl get volumeattachments`).", _DESCRIBE),
        verify=("The volume is attached (`kubectl get volumeattachments`) and the pod starts.",),
        variants=_MOUNT_VARIANTS,
    ),
    Entry(
        reasons=("FailedCreatePodSandBox",),
        title="Pod sandbox creation failed",
        cause="The container runtime **cannot create the pod sandbox** (network namespace and pause container) on "
              "node `{node}`.",
        fix=("Check the CNI plugin pods on the node (`kubectl -n kube-system get pods -o wide`) and the "
             "runtime's logs (`journalctl -u containerd`).",),
        verify=("The pod gets an IP and starts: `kubectl -n {namespace} get pod {pod} -o wide -w`.",),
        variants=(
            Variant(
                When(evidence=r"no ip addresses available|ipam|failed to allocate"),
                "**IP address exhaustion**: the CNI plugin has no free pod IP on the node.",
                ("Free addresses (remove leaked IPAM allocations) or enlarge the pod CIDR/subnet.",),
            ),
            Variant(
                When(evidence=r"cni|network plugin|setup network|set up sandbox container .* network"),
                "**CNI network setup failed**: the network plugin could not wire the pod into the cluster "
                "network.",
                ("Restart/repair the CNI daemonset on node `{node}` and check its configuration in "
                 "`/etc/cni/net.d`.",),
            ),
        ),
    ),
    Entry(
        reasons=("Evicted",),
        title="Pod evicted",
        cause="The kubelet **evicted the pod** from node `{node}` to reclaim a scarce node resource.",
        fix=("Set requests close to real usage so the scheduler does not overcommit the node, and give important "
             "pods a higher priority / `Guaranteed` QoS.",
             "Delete the evicted pod record: `kubectl -n {namespace} delete pod {pod}` (its controller has "
             "already replaced it)."),
        verify=("No new `Evicted` pods: `kubectl -n {namespace} get pods --field-selector=status.phase=Failed`.",),
        variants=(
            Variant(
                When(evidence=r"ephemeral-storage|ephemeral local storage|nodefs|imagefs|disk"),
                "The node was **low on disk (ephemeral storage)**: the pod wrote more to its writable layer, logs "
                "or `emptyDir` than the node could spare.",
                ("Set `resources.limits.ephemeral-storage`, write large data to a volume, and limit log volume.",),
            ),
            Variant(
                When(evidence=r"memory"),
                "The node was **low on memory** (memory pressure); pods using more than their memory request are "
                "evicted first.",
                ("Raise the container's `resources.requests.memory` to its real usage (ideally equal to the "
                 "limit) and check the node's other workloads.",),
            ),
            Variant(
                When(evidence=r"\bpids?\b"),
                "The node **ran out of process IDs**.",
                ("Find the pod that forks excessively; set a pod PID limit on the kubelet.",),
            ),
        ),
    ),
    Entry(
        reasons=("DeadlineExceeded",),
        title="Active deadline exceeded",
        cause="The pod ran longer than its **`activeDeadlineSeconds`** and the kubelet terminated it (phase "
              "Failed); this is a time limit, not a crash.",
        fix=("Raise `activeDeadlineSeconds` (pod spec, or `spec.activeDeadlineSeconds` of the Job) to cover the "
             "real run time, or make the work faster / split it.",
             "Read the logs to see how far the work got: `kubectl -n {namespace} logs {pod} -c {container}`."),
        verify=("The next run completes within the deadline: `kubectl -n {namespace} get pods -w`.",),
        variants=(
            Variant(When(evidence=r"activedeadlineseconds: (?P<deadline>\d+)"),
                    "The deadline was **{deadline} s** and the pod was still running when it passed."),
        ),
    ),
    Entry(
        reasons=("StuckTerminating",),
        title="Pod stuck terminating",
        cause="The pod was deleted but **has not gone away** after its grace period.",
        fix=("Check the node (`kubectl get node {node}`): if it is NotReady the pod is removed once the node comes "
             "back or is deleted.",
             "As a last resort, force-delete: `kubectl -n {namespace} delete pod {pod} --grace-period=0 --force`."),
        verify=("`kubectl -n {namespace} get pod {pod}` returns NotFound.",),
        variants=(
            Variant(
                When(evidence=r"finalizers: (?!none)(?P<finalizers>[^;\n]{1,300})"),
                "**Finalizers block the deletion**: `{finalizers}` — the controller responsible for them has not "
                "removed them.",
                ("Fix or restart the controller that owns the finalizer; if it no longer exists, remove the "
                 "finalizer: `kubectl -n {namespace} patch pod {pod} -p '{{\"metadata\":{{\"finalizers\":null}}}}'`"
                 ".",),
            ),
            Variant(
                When(evidence=r"containers still running: (?!none)"),
                "**Containers are still running**: the process ignores SIGTERM, a `preStop` hook hangs, or the node "
                "stopped reporting.",
                ("Make the application exit on SIGTERM; shorten `preStop` hooks.",),
            ),
        ),
        combine="all",
    ),
    Entry(
        reasons=("OutOfcpu", "OutOfmemory", "OutOfpods", "OutOfephemeral-storage"),
        reason_prefixes=("OutOf",),
        title="Rejected by the node at admission",
        cause="The kubelet on node `{node}` **rejected the pod at admission ({reason})**: when the pod arrived the "
              "node did not have the resource free (a race with other pods, or a pod bound directly with "
              "`nodeName`, bypassing the scheduler).",
        fix=("Let the scheduler place the pod (remove a hard-coded `nodeName`), and check the node's allocatable "
             "resources versus the requests of the pods on it.",
             "Delete the failed pod; its controller creates a replacement."),
        verify=("The replacement pod runs: `kubectl -n {namespace} get pods -o wide`.",),
    ),
    Entry(
        reasons=("NodeAffinity",),
        title="Rejected by the node: node affinity",
        cause="The kubelet on node `{node}` **rejected the pod because the node no longer matches its node "
              "selector/affinity** ({node_selector}) — the node's labels changed after scheduling, or the pod was "
              "bound with `nodeName`.",
        fix=("Restore the node labels or fix the pod's `nodeSelector`/affinity; delete the failed pod so it is "
             "rescheduled.",),
        verify=("The replacement pod runs on a matching node: `kubectl -n {namespace} get pods -o wide`.",),
    ),
    Entry(
        reasons=("UnexpectedAdmissionError",),
        title="Admission error on the node",
        cause="The kubelet on node `{node}` hit an **unexpected admission error** — usually the device plugin or "
              "topology manager could not allocate requested devices (e.g. GPUs).",
        fix=("Check the device plugin pods and kubelet logs on the node; delete the pod so it is retried.",),
        verify=("The replacement pod runs: `kubectl -n {namespace} get pods -o wide`.",),
    ),
    Entry(
        reasons=("Terminated", "NodeShutdown", "Shutdown"),
        title="Terminated by node shutdown",
        cause="The pod was **terminated because node `{node}` shut down** ({reason}).",
        fix=("Nothing to fix in the pod; make sure its controller recreates it and that critical workloads have "
             "several replicas spread across nodes (PodDisruptionBudget, topology spread).",
             "Delete the failed pod record."),
        verify=("The replacement pod runs on another node: `kubectl -n {namespace} get pods -o wide`.",),
    ),
    Entry(
        reasons=("PhaseUnknown", "NodeLost"),
        title="Pod status unknown",
        cause="The pod's phase is **Unknown**: node `{node}` stopped reporting status (kubelet down, node NotReady "
              "or network partition).",
        fix=("Check the node: `kubectl get node {node}` and `kubectl describe node {node}`; restart the kubelet "
             "or replace the node.",),
        verify=("The node is `Ready` and the pod reports a phase again (or is rescheduled).",),
    ),
    Entry(
        reasons=("ContainerStatusUnknown",),
        title="Container status unknown",
        cause="The kubelet **lost track of container `{container}`** (it was not found when the node recovered).",
        fix=("Delete the pod so its controller recreates it; check the node's runtime health.",),
        verify=("The replacement pod runs: `kubectl -n {namespace} get pods -o wide`.",),
    ),
)

GENERIC = Entry(
    reasons=(),
    title="Pod failure",
    cause="The pod reported the failure reason **`{reason}`**, for which no specific guidance exists.",
    fix=(_DESCRIBE + " The events and container states name the failing step.",
         "Check the container logs: `kubectl -n {namespace} logs {pod} --all-containers`.",
         _ROLLOUT),
    verify=(_WATCH,),
)

# Checked in order against the logs of any report; at most three hints are shown.
LOG_HINTS: tuple[LogHint, ...] = (
    LogHint(r"java\.lang\.OutOfMemoryError|JavaScript heap out of memory|MemoryError\b",
            "the runtime ran **out of heap memory** (an in-process out-of-memory error, below the container limit)",
            "Size the heap below the container's memory limit (`-XX:MaxRAMPercentage=75`, "
            "`--max-old-space-size`) or raise the limit."),
    LogHint(r"connection refused|ECONNREFUSED",
            "a **dependency refused the connection** (the service it calls is down or listens on another port)",
            "Check that the service the application connects to is running and that host and port in its "
            "configuration are right."),
    LogHint(r"no such host|ENOTFOUND|getaddrinfo|name or service not known|could not translate host name|"
            r"temporary failure in name resolution",
            "a **host name does not resolve** (a wrong Service name or namespace in the configuration, or DNS "
            "trouble)",
            "Use the full Service DNS name (`<service>.<namespace>.svc.cluster.local`) and check that the "
            "Service exists."),
    LogHint(r"read-only file system|EROFS",
            "the application writes to a **read-only file system** (`readOnlyRootFilesystem: true`)",
            "Mount an `emptyDir` volume at the path the application writes to (e.g. `/tmp`)."),
    LogHint(r"permission denied|EACCES|operation not permitted",
            "a **permission error** (file ownership versus `runAsUser`/`fsGroup`, or a dropped capability)",
            "Align file ownership with the container's user (`securityContext.runAsUser`/`fsGroup`) or make the "
            "needed paths writable."),
    LogHint(r"address already in use|EADDRINUSE",
            "the **port is already in use** (two containers of the pod, or a `hostNetwork` pod, bind the same "
            "port)",
            "Give each container of the pod its own port."),
    LogHint(r"ModuleNotFoundError|ImportError|Cannot find module|ClassNotFoundException|NoClassDefFoundError|"
            r"error while loading shared libraries",
            "code or a library is **missing from the image**",
            "Rebuild the image with the missing dependency and check the build/COPY steps."),
    LogHint(r"x509: |certificate (?:verify failed|signed by unknown authority|has expired)|SSLError",
            "a **TLS certificate is not trusted or has expired**",
            "Provide the CA bundle the application needs (mount it and point the runtime at it) or renew the "
            "certificate."),
    LogHint(r"(?:environment variable|env var)[^\n]{0,60}(?:not set|missing|required)|"
            r"(?:missing|required)[^\n]{0,40}(?:environment variable|env var)|KeyError: '(?-i:[A-Z][A-Z0-9_]{2,})'",
            "a **required environment variable is missing**",
            "Add the variable to the container's `env` (or `envFrom`) and check the referenced ConfigMap/Secret."),
    LogHint(r"exec format error",
            "the binary was built for **another CPU architecture**",
            "Build a multi-arch image or schedule on nodes of the image's architecture."),
    LogHint(r"^panic: |\ngoroutine \d+ \[running\]",
            "the Go program **panicked**",
            "Read the panic message and stack trace in the previous instance's logs."),
)

