"""In-memory Kubernetes API server: the simulated cluster of the demo and the fake of tests and benchmarks
(see README.md in this directory)."""

from .resources import RESOURCES, Resource, resource_for
from .server import FakeKubeApi

__all__ = ["RESOURCES", "FakeKubeApi", "Resource", "resource_for"]
