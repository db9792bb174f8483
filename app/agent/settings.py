"""The agent's configuration (docs/agent-scanner.md#agent-configuration): the shared in-cluster settings and the
agent's grace periods and limits."""

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

    @property
    def outbox(self) -> OutboxSettings:
        return OutboxSettings(self.kure_agent_queue_max, self.kure_agent_tombstone_bytes)
