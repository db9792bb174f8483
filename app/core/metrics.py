"""Every Prometheus family of the backend (docs/api.md#config-health-and-metrics, docs/graph.md#status-and-metrics),
defined once per process.

The agent and the scanner are separate processes with their own registries (app/agent, app/scanner).
"""

from __future__ import annotations

from prometheus_client import REGISTRY, Counter, Gauge, Histogram, generate_latest

HTTP_REQUESTS = Counter(
    "kure_http_requests_total", "HTTP requests served", ["method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "kure_http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route", "status"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
POD_FAILURES = Counter(
    "kure_pod_failures_total", "Accepted pod failure reports (new and merged)", ["namespace", "reason"]
)
SECURITY_FINDINGS = Counter(
    "kure_security_findings_total", "Accepted security finding reports (new and merged)", ["severity"]
)
SCAN_DURATION = Histogram(
    "kure_security_scan_duration_seconds",
    "Full security scan durations reported by the scanner",
    buckets=(1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 86400),
)
LLM_REQUESTS = Counter(
    "kure_llm_requests_total", "LLM calls (one per HTTP attempt)", ["provider", "outcome"]
)
LLM_DURATION = Histogram(
    "kure_llm_request_duration_seconds",
    "LLM call duration (one observation per HTTP attempt)",
    ["provider"],
    buckets=(0.25, 0.5, 1, 2, 5, 10, 20, 30, 45, 60, 90),
)
NOTIFICATIONS = Counter(
    "kure_notifications_total", "Notification deliveries", ["provider", "outcome"]
)
# Cluster graph (docs/graph.md#status-and-metrics)
GRAPH_OBJECTS = Gauge("kure_graph_objects", "Synced graph nodes per kind", ["kind"])
GRAPH_EVENTS = Counter("kure_graph_events_total", "Watch events received", ["kind", "type"])
GRAPH_RESYNCS = Counter("kure_graph_resyncs_total", "Lists and relists of a kind", ["kind", "reason"])
GRAPH_ERRORS = Counter("kure_graph_errors_total", "Graph sync errors", ["kind", "stage"])
GRAPH_LAST_EVENT = Gauge("kure_graph_last_event_timestamp_seconds", "Time of the last applied watch event", ["kind"])
GRAPH_QUEUE_DEPTH = Gauge("kure_graph_queue_depth", "Work items waiting for the graph writer")
GRAPH_WRITE_BATCH = Histogram(
    "kure_graph_write_batch_seconds",
    "Duration of one graph write transaction",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
GRAPH_EVENT_LAG = Histogram(
    "kure_graph_event_lag_seconds",
    "Watch event received → committed to Neo4j",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10),
)
GRAPH_LEADER = Gauge("kure_graph_leader", "1 on the replica that runs the graph watcher")

WEBSOCKET_CONNECTIONS = Gauge("kure_websocket_connections", "Open WebSocket connections")
DEPENDENCY_UP = Gauge("kure_dependency_up", "1 when a dependency answered its last check", ["dependency"])


# generate_latest() writes the classic text exposition format, whose content type is version 0.0.4 (docs/api.md#bodies).
METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def render() -> tuple[bytes, str]:
    return generate_latest(REGISTRY), METRICS_CONTENT_TYPE
