"""The ``kure_graph_*`` Prometheus families (graph.md §3.10).

Kept here until the lead decides whether they move to ``app/core/metrics.py``; they register on the default
registry, so ``/metrics`` exports them either way.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

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
