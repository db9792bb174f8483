"""The ``kure_graph_*`` families (docs/graph.md#status-and-metrics); defined with every other one in
:mod:`app.core.metrics`."""

from app.core.metrics import (
    GRAPH_ERRORS,
    GRAPH_EVENT_LAG,
    GRAPH_EVENTS,
    GRAPH_LAST_EVENT,
    GRAPH_LEADER,
    GRAPH_OBJECTS,
    GRAPH_QUEUE_DEPTH,
    GRAPH_RESYNCS,
    GRAPH_WRITE_BATCH,
)

__all__ = [
    "GRAPH_ERRORS",
    "GRAPH_EVENTS",
    "GRAPH_EVENT_LAG",
    "GRAPH_LAST_EVENT",
    "GRAPH_LEADER",
    "GRAPH_OBJECTS",
    "GRAPH_QUEUE_DEPTH",
    "GRAPH_RESYNCS",
    "GRAPH_WRITE_BATCH",
]
