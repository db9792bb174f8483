#!/usr/bin/env bash
# Thin wrapper: the logic lives in scripts/services.py (standard library only, runs before the venv exists).
# Usage: scripts/services.sh up|down|status [--only neo4j|ferretdb] [--json]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec python3 "$here/services.py" "$@"
