#!/usr/bin/env bash
# The dashboard's build steps for `make run` and `make test` (docs/dashboard.md).
#
#   scripts/web.sh node      exit 0 when Node.js >= 20.19 and npm are on the PATH
#   scripts/web.sh install   `npm ci` in web/ when node_modules is missing or older than package-lock.json
#   scripts/web.sh build     install, then `vite build` unless web/dist is newer than every source file
#
# Exit 3: no suitable Node.js. Browsers are never downloaded (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD): the browser tests
# use Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/../web"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

have_node() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || return 1
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'
}

install() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "== web: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

build() {
  local stamp=dist/.built
  if [ -f "$stamp" ] && [ -z "$(find src public index.html docs.html redoc.html vite.config.ts package-lock.json \
      -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  echo "== web: vite build"
  npx vite build --logLevel warn
  touch "$stamp"
}

case "${1:-}" in
  node) have_node ;;
  install) have_node || exit 3; install ;;
  build) have_node || exit 3; install; build ;;
  *) echo "usage: scripts/web.sh node|install|build" >&2; exit 2 ;;
esac
