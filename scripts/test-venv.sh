#!/usr/bin/env bash
# Makes .venv (git-ignored) with what the server tests use from Python: optuna, pinned, the oracle
# that cellflow's TPE is compared with (server-ts/test/tune/). Quick, and safe to run again; run by
# `npm test` before the server tests and by scripts/dev-env.sh. Needs python3 with venv.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="$PWD/.venv"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" || {
    echo "cellflow: python3 -m venv failed; install Python 3.9+ with venv (Debian: apt-get install python3-venv)." >&2
    exit 1
  }
fi
if ! "$VENV/bin/python" -c 'import optuna' 2>/dev/null; then
  "$VENV/bin/pip" install --quiet 'optuna==5.0.0'
fi
