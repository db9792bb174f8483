"""Kure Monitor backend."""

__version__ = "2.3.3"
