"""Code shared by the in-cluster agent and scanner (docs/agent-scanner.md#common-ground)."""
