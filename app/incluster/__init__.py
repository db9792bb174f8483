"""Code shared by the in-cluster agent and scanner (agent-scanner.md §0)."""
