#!/usr/bin/env bash
# `make test`: lint, type-check, start the real test servers, run every test tier, stop the servers.
# A missing service fails the run (KURE_REQUIRE_SERVICES=1) instead of skipping tests; so does a missing Node.js
# or Chromium for the dashboard's tiers (docs/dashboard.md).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

echo "== ruff"; $BIN/ruff check .
echo "== mypy"; $BIN/mypy
echo "== import-linter (the floor plan, docs/development.md#the-floor-plan)"; $BIN/lint-imports

echo "== web: types, API types, component tests (Vitest), build, size"
bash scripts/web.sh install || { echo "!! Node.js >= 20.19 and npm are required for the dashboard's tests" >&2; exit 1; }
(cd web && npm run --silent typecheck && npm run --silent check:api && npx vitest run --reporter=dot)
bash scripts/web.sh build
(cd web && npm run --silent size)
CHROMIUM="${KURE_CHROMIUM:-/usr/bin/chromium}"
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || {
  echo "!! haproxy not found: the replicas tier needs Debian's haproxy (apt-get install haproxy)" >&2; exit 1; }
[ -x "$CHROMIUM" ] || { echo "!! $CHROMIUM not found: the browser tests need Debian's chromium (apt-get install chromium)" >&2; exit 1; }

started_here=0
if ! python3 scripts/services.py status >/dev/null 2>&1; then
  echo "== starting test servers (Neo4j 5.26, FerretDB, kube-apiserver + etcd)"
  python3 scripts/services.py up
  started_here=1
fi
cleanup() { if [ "$started_here" = 1 ]; then python3 scripts/services.py down || true; fi; }
trap cleanup EXIT
python3 scripts/services.py status

echo "== pytest (unit, integration, e2e, kubeapi, replicas, fuzz)"
export KURE_REQUIRE_SERVICES=1
# pytest exits 5 when it ran no test: that is a failure here, and set -e propagates it.
$BIN/pytest -q -p no:cacheprovider "$@"

echo "== browser tests (Playwright on $CHROMIUM against a real kure-monitor serve)"
(cd web && KURE_CHROMIUM="$CHROMIUM" npx playwright test)
