"""The agent's configuration (docs/agent-scanner.md#agent-configuration): the shared in-cluster settings and the
agent's grace periods and limits.

Like the shared variables (app/incluster/settings.py), the agent's own are read in groups, each handed to the part
that uses it: ``settings.grace`` (the classifier's timings), ``.reporting`` (when a report is repeated, or a
recovery dismissed), ``.evidence`` (the logs and events a report carries), ``.sending`` (the senders and the
shutdown flush), ``.outbox`` (its bounds) and ``.checkpoint`` (the ConfigMap, in the pod's namespace).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.incluster.settings import InclusterSettings, PositiveInt


@dataclass(frozen=True)
class OutboxSettings:
    """The outbox's bounds (app/agent/outbox.py, docs/agent-scanner.md#delivery-and-checkpoint)."""

    #: Pod keys with operations waiting.
    max_entries: int
    #: Bytes of frozen bodies of deleted pods kept for sending.
    tombstone_budget: int


@dataclass(frozen=True)
class GraceSettings:
    """The classifier's grace periods and restart threshold (``Timings.from_settings``, app/agent/classify.py,
    docs/catalogue.md#grace-periods); the fields carry the names of ``Timings``."""

    short_grace: int
    pending_grace: int
    scaleup_grace: int
    gated_grace: int
    slow_pull_grace: int
    readiness_grace: int
    terminating_grace: int
    restart_threshold: int
    restart_window: int


@dataclass(frozen=True)
class ReportingSettings:
    """When an open report is sent again or dismissed (the tracker's ``Policy``,
    docs/agent-scanner.md#recovery-and-dismissal, docs/agent-scanner.md#re-report-cadence), in seconds."""

    recovery: int
    restart_recovery: int
    rereport_interval: int
    reason_change_delay: int


@dataclass(frozen=True)
class EvidenceSettings:
    """What a report carries (app/agent/evidence.py): each log's last lines and bytes, and the pod's events."""

    log_lines: int
    log_bytes: int
    max_events: int


@dataclass(frozen=True)
class SendingSettings:
    """The senders draining the outbox (docs/agent-scanner.md#delivery-and-checkpoint)."""

    #: Operations sent at once (one per pod key).
    concurrency: int
    #: How long SIGTERM keeps sending before the checkpoint is written and the process exits.
    shutdown_flush_seconds: int


@dataclass(frozen=True)
class CheckpointSettings:
    """The checkpoint ConfigMap (docs/agent-scanner.md#delivery-and-checkpoint); it lives in the pod's namespace
    (``settings.pod``), like the lease."""

    configmap: str


class AgentSettings(InclusterSettings):
    kure_short_grace_seconds: PositiveInt = 30
    kure_pending_grace_seconds: PositiveInt = 120
    kure_scaleup_grace_seconds: PositiveInt = 600
    kure_gated_grace_seconds: PositiveInt = 900
    kure_slow_pull_grace_seconds: PositiveInt = 600
    kure_readiness_grace_seconds: PositiveInt = 300
    kure_terminating_grace_seconds: PositiveInt = 300
    kure_restart_threshold: PositiveInt = 3
    kure_restart_window_seconds: PositiveInt = 1800
    kure_recovery_seconds: PositiveInt = 120
    kure_restart_recovery_seconds: PositiveInt = 600
    kure_rereport_interval_seconds: PositiveInt = 300
    kure_reason_change_delay_seconds: PositiveInt = 30
    kure_agent_max_events: PositiveInt = 20
    kure_agent_log_lines: PositiveInt = 100
    kure_agent_log_bytes: PositiveInt = 65536
    kure_agent_send_concurrency: PositiveInt = 4
    kure_agent_queue_max: PositiveInt = 10000
    kure_agent_tombstone_bytes: PositiveInt = 33554432
    kure_agent_state_configmap: str = "kure-monitor-agent-state"
    kure_shutdown_flush_seconds: PositiveInt = 10

    # --- the groups -----------------------------------------------------------------------------------------

    @property
    def grace(self) -> GraceSettings:
        return GraceSettings(
            short_grace=self.kure_short_grace_seconds, pending_grace=self.kure_pending_grace_seconds,
            scaleup_grace=self.kure_scaleup_grace_seconds, gated_grace=self.kure_gated_grace_seconds,
            slow_pull_grace=self.kure_slow_pull_grace_seconds, readiness_grace=self.kure_readiness_grace_seconds,
            terminating_grace=self.kure_terminating_grace_seconds, restart_threshold=self.kure_restart_threshold,
            restart_window=self.kure_restart_window_seconds,
        )

    @property
    def reporting(self) -> ReportingSettings:
        return ReportingSettings(
            recovery=self.kure_recovery_seconds, restart_recovery=self.kure_restart_recovery_seconds,
            rereport_interval=self.kure_rereport_interval_seconds,
            reason_change_delay=self.kure_reason_change_delay_seconds,
        )

    @property
    def evidence(self) -> EvidenceSettings:
        return EvidenceSettings(self.kure_agent_log_lines, self.kure_agent_log_bytes, self.kure_agent_max_events)

    @property
    def sending(self) -> SendingSettings:
        return SendingSettings(self.kure_agent_send_concurrency, self.kure_shutdown_flush_seconds)

    @property
    def outbox(self) -> OutboxSettings:
        return OutboxSettings(self.kure_agent_queue_max, self.kure_agent_tombstone_bytes)

    @property
    def checkpoint(self) -> CheckpointSettings:
        return CheckpointSettings(self.kure_agent_state_configmap)
