"""cellflow: the JupyterLab extension and the jupyter-server-proxy entry for its Node.js backend."""

import os
from pathlib import Path

# The backend runs from the source tree (an editable install), built by `npm run build`.
_SERVER_MAIN = Path(__file__).resolve().parent.parent / "server-ts" / "dist" / "src" / "cli" / "main.js"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "cellflow"}]


def _jupyter_root():
    # The contents API names files relative to ServerApp.root_dir, which is not the
    # working directory when --ServerApp.root_dir (or Galata's config) sets it.
    try:
        from jupyter_server.serverapp import ServerApp

        if ServerApp.initialized():
            return ServerApp.instance().root_dir
    except ImportError:
        pass
    return os.getcwd()


def _literal(text):
    # jupyter-server-proxy fills in {port} with str.format, so other braces must be doubled.
    return str(text).replace("{", "{{").replace("}", "}}")


def setup_cellflow():
    """jupyter-server-proxy's `jupyter_serverproxy_servers` entry point."""
    return {
        "command": ["node", _literal(_SERVER_MAIN), "serve", "--port", "{port}", "--root", _literal(_jupyter_root())],
        "timeout": 30,
        # The proxy strips <base_url>/cellflow: the backend answers /api/... (server-ts/src/http/README.md).
        "absolute_url": False,
        "launcher_entry": {"enabled": False},
    }
