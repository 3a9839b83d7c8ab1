"""cellflow: the JupyterLab extension and the jupyter-server-proxy entry for its Node.js backend."""

import os
import secrets
import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# A wheel carries the backend (scripts/bundle-backend.mjs); an editable install
# from a checkout that never bundled it runs the checkout's build.
_BUNDLED_CLI = _PACKAGE / "backend" / "node_modules" / "@cellflow" / "server" / "bin" / "cellflow.js"
_CHECKOUT_CLI = _PACKAGE.parent / "server-ts" / "bin" / "cellflow.js"

# How the proxy reaches the backend: `socket` (default) is a Unix socket in a
# private directory; `port` is loopback TCP with a per-launch secret header.
MODE_ENV = "CELLFLOW_PROXY_MODE"
SECRET_ENV = "CELLFLOW_SERVER_SECRET"
ALLOW_HOSTS_ENV = "CELLFLOW_ALLOW_HOSTS"
SECRET_HEADER = "X-Cellflow-Secret"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "cellflow"}]


def backend_cli():
    """The `cellflow` command's script that this installation runs."""
    return _BUNDLED_CLI if _BUNDLED_CLI.exists() else _CHECKOUT_CLI


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
    # jupyter-server-proxy fills in {port} and {unix_socket} with str.format, so other braces must be doubled.
    return str(text).replace("{", "{{").replace("}", "}}")


def proxy_mode():
    mode = os.environ.get(MODE_ENV, "socket")
    if mode not in ("socket", "port"):
        raise ValueError(f"{MODE_ENV} must be 'socket' or 'port', not {mode!r}")
    return mode


def setup_cellflow():
    """jupyter-server-proxy's `jupyter_serverproxy_servers` entry point."""
    mode = proxy_mode()
    # The supervisor restarts a backend that exits (jupyter-server-proxy restarts
    # only on a non-zero exit, and never waits for the new one to be ready).
    command = [sys.executable, "-m", "cellflow.supervisor", "--", "node", _literal(backend_cli()), "serve"]
    config = {
        "timeout": 30,
        # The proxy strips <base_url>/cellflow: the backend answers /api/... (server-ts/src/http/README.md).
        "absolute_url": False,
        "launcher_entry": {"enabled": False},
    }
    if mode == "socket":
        # True: the proxy makes the socket in a fresh mkdtemp directory (mode 0700).
        config["unix_socket"] = True
        command += ["--socket", "{unix_socket}"]
    else:
        # A new secret per launch: only the proxy, which adds it to every request, knows it.
        secret = secrets.token_urlsafe(32)
        config["environment"] = {SECRET_ENV: secret}
        config["request_headers_override"] = {SECRET_HEADER: secret}
        command += ["--port", "{port}"]
    # The proxy passes the browser's Host on; a Jupyter reached by another name than loopback (a remote
    # server, JupyterHub) names it here, comma-separated, or the backend answers 403 host-not-allowed.
    for host in filter(None, (h.strip() for h in os.environ.get(ALLOW_HOSTS_ENV, "").split(","))):
        command += ["--allow-host", _literal(host)]
    config["command"] = command + ["--root", _literal(_jupyter_root())]
    return config
