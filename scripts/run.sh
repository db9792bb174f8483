#!/usr/bin/env bash
# `make run`: serve Kure Monitor on http://127.0.0.1:8000 for local use.
# Uses the local MongoDB-wire server and Neo4j when their toolchains (Go, Java + Maven) exist; otherwise the
# embedded in-memory store with the graph off, and says so.
# With a cluster (KUBECONFIG, ~/.kube/config, or running in a pod) Kure watches it; with none (and KURE_KUBERNETES
# not `off`) it runs the demo: a simulated cluster, with the agent and the scanner (docs/simulator.md).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

export KURE_COOKIE_SECURE=false
export KURE_STATE_DIR="${KURE_STATE_DIR:-.kure}"
browser=""
if command -v go >/dev/null && command -v java >/dev/null && command -v mvn >/dev/null; then
  # The product needs MongoDB and Neo4j only; the real API server is for the test tier.
  if python3 scripts/services.py up --only ferretdb --only neo4j; then
    export MONGODB_URI="${MONGODB_URI:-mongodb://127.0.0.1:${KURE_TEST_MONGODB_PORT:-27017}}"
    export NEO4J_URI="${NEO4J_URI:-bolt://127.0.0.1:${KURE_TEST_NEO4J_BOLT_PORT:-7687}}"
    browser="http://127.0.0.1:${KURE_TEST_NEO4J_HTTP_PORT:-7474}/browser/"
  else
    echo "!! Local services did not start; continuing with the embedded store and the graph off." >&2
  fi
else
  echo "!! Go and/or Java+Maven not found: using the EMBEDDED in-memory store (nothing persists) and no graph." >&2
fi

# The dashboard (and the /docs, /redoc assets) when Node.js >= 20 is here: `npm ci` once, then incremental builds.
dashboard=0
if bash scripts/web.sh build; then
  dashboard=1
elif [ $? = 3 ]; then
  echo "!! No Node.js >= 20.19: serving the API alone; install Node.js 20 or newer and run \`make run\` again for the dashboard." >&2
else
  echo "!! The dashboard build failed (see above): serving the API alone." >&2
fi

cluster="$($BIN/kure-monitor cluster-mode)"
echo "Service token (X-Service-Token / ?token=): $($BIN/kure-monitor service-token)"
if [ "$dashboard" = 1 ]; then
  echo "Dashboard:    http://127.0.0.1:8000/   (first visit: create the admin account)"
fi
echo "API:          http://127.0.0.1:8000/api   Swagger UI: http://127.0.0.1:8000/docs   ReDoc: /redoc"
if [ -n "$browser" ]; then echo "Neo4j Browser: $browser  (bolt://127.0.0.1:${KURE_TEST_NEO4J_BOLT_PORT:-7687}, no auth)"; fi
case "$cluster" in
  none)
    echo "" >&2
    echo "!! No Kubernetes cluster found (no KUBECONFIG, no ~/.kube/config, not in a pod):" >&2
    echo "!! running the DEMO on a SIMULATED cluster - incidents, findings and diagrams come from a simulation." >&2
    echo "!! Point KUBECONFIG at a cluster to watch a real one, or set KURE_KUBERNETES=off for no cluster at all." >&2
    echo "" >&2
    exec $BIN/kure-monitor demo --host 127.0.0.1 --port 8000
    ;;
  off) echo "Kubernetes: off (KURE_KUBERNETES=off)" ;;
  *) echo "Kubernetes: the cluster of your kubeconfig (or in-cluster configuration)" ;;
esac
exec $BIN/kure-monitor serve --host 127.0.0.1 --port 8000
