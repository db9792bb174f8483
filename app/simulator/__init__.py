"""The simulated Kubernetes cluster: an in-memory Kubernetes API server (``kubeapi``) that the product's demo
mode serves and the test-suite uses as its fake. A component of its own: it never imports the backend
(blueprints, services, storage, graph) nor the in-cluster agent and scanner, which talk to it over HTTP only."""
