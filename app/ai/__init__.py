"""AI diagnosis: rules engine, LLM client, solutions and fix generation (api.md §3.5, §8.5, §9.2, §11)."""
