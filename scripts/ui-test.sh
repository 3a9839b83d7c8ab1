#!/usr/bin/env bash
# The UI tests, headless, as CI runs them: .venv (scripts/dev-env.sh), Debian's
# chromium (installed with apt-get only when missing; CI runs as root), the
# Python tests of the backend's supervision and the tslab kernel, then Galata.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "cellflow: $CHROMIUM is missing; install it (Debian: sudo apt-get install chromium) or set CHROMIUM_PATH." >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
fi

scripts/dev-env.sh
.venv/bin/python -m unittest discover -s tests/python

cd ui-tests
[ -d node_modules ] || npm ci --no-audit --no-fund
PATH="$PWD/../.venv/bin:$PATH" CI=1 CHROMIUM_PATH="$CHROMIUM" npx playwright test "$@"
