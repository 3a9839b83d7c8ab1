#!/usr/bin/env bash
# `npm run lab`: makes .venv (scripts/dev-env.sh), then opens JupyterLab on examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/dev-env.sh
exec .venv/bin/jupyter lab --ServerApp.root_dir="$PWD/examples" "$@"
