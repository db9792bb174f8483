"""Fake Kubernetes API server for tests and benchmarks (see README.md in this directory)."""

from .resources import RESOURCES, Resource, resource_for
from .server import FakeKubeApi

__all__ = ["RESOURCES", "FakeKubeApi", "Resource", "resource_for"]
