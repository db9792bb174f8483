"""AI diagnosis: rules engine, LLM client, solutions and fix generation (docs/api.md#solutions,
docs/api.md#fixing-a-finding, docs/api.md#previewing-a-fix, docs/api.md#llm-configuration)."""
