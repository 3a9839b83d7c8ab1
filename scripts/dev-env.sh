#!/usr/bin/env bash
# Makes .venv (git-ignored): JupyterLab 4, jupyter-server-proxy, optuna (the TPE tests' oracle), this package
# (editable: the labextension and the backend from this checkout) and the
# tslab kernel, whose kernelspec points at the pinned tslab in .venv/tslab.
# Safe to run again: each part is skipped when it is already there.
# Used by `npm run lab` and the UI tests. Needs python3 (with venv), node, npm.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
VENV="$REPO/.venv"

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" || {
    echo "cellflow: python3 -m venv failed; install Python 3.9+ with venv (Debian: apt-get install python3-venv)." >&2
    exit 1
  }
fi
if [ ! -x "$VENV/bin/jupyter-lab" ] || ! "$VENV/bin/python" -c 'import jupyter_server_proxy' 2>/dev/null; then
  "$VENV/bin/pip" install --quiet 'jupyterlab>=4.4,<5' 'jupyter-server-proxy>=4.1' 'hatchling>=1.5' \
    'hatch-nodejs-version>=0.3.2' 'hatch-jupyter-builder>=0.5' editables
fi

# Optuna, pinned (scripts/test-venv.sh): the oracle the TPE tests and `npm run bench -- tpe` use.
scripts/test-venv.sh

# The extension and the backend, then the package pointing at them.
PATH="$VENV/bin:$PATH" npm run build:prod --silent
if ! "$VENV/bin/pip" show --quiet cellflow > /dev/null 2>&1; then
  "$VENV/bin/pip" install --quiet --no-build-isolation --no-deps -e .
fi
# An editable install does not place the labextension: link it, as `jupyter labextension develop`
# does (JupyterLab 4.6 hands that command to the separate jupyter-builder package).
mkdir -p "$VENV/share/jupyter/labextensions"
LINK="$VENV/share/jupyter/labextensions/cellflow"
# The editable install may have copied the extension there as a folder: `ln -sfn` would then link inside it
# and JupyterLab would keep serving the copy, built once.
if [ -d "$LINK" ] && [ ! -L "$LINK" ]; then
  rm -rf "$LINK"
fi
ln -sfn "$REPO/cellflow/labextension" "$LINK"

# tslab: pinned (package.json + lock), outside the repository's node_modules
# because its bundled TypeScript's `tsc` bin would shadow the repository's.
TSLAB_HOME="$VENV/tslab"
if [ ! -x "$TSLAB_HOME/node_modules/tslab/bin/tslab" ]; then
  mkdir -p "$TSLAB_HOME"
  cp server-ts/test/kernels/tslab-kernel/package.json server-ts/test/kernels/tslab-kernel/package-lock.json "$TSLAB_HOME/"
  npm ci --prefix "$TSLAB_HOME" --no-audit --no-fund --silent
fi
KERNEL_DIR="$VENV/share/jupyter/kernels/tslab"
mkdir -p "$KERNEL_DIR"
NODE="$(command -v node)"
cat > "$KERNEL_DIR/kernel.json" <<JSON
{
  "argv": ["$NODE", "$TSLAB_HOME/node_modules/tslab/bin/tslab", "kernel", "--config-path", "{connection_file}"],
  "display_name": "TypeScript",
  "language": "typescript"
}
JSON
echo "cellflow: $VENV is ready (JupyterLab, jupyter-server-proxy, cellflow, the tslab kernel)."
