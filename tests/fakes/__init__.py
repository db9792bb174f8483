"""Fakes owned by the test suite."""
