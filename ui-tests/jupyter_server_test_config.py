"""Server configuration for the Galata integration tests.

Opens a server on port 8888 (or CELLFLOW_UI_PORT, passed as --port) with no token, serving a fresh temporary root
directory (configure_jupyter_server sets ServerApp.root_dir); the cellflow
backend is started by jupyter-server-proxy with that same root.
"""

import os
from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821

# Notebooks the tests run (examples/xor.ipynb) import tfjs and vega as the examples folder does: from the
# repository's node_modules, linked into the fresh root so Node's resolution finds them from any test folder.
_modules = Path(__file__).resolve().parent.parent / "node_modules"
_link = Path(c.ServerApp.root_dir) / "node_modules"  # noqa: F821
if _modules.is_dir() and not _link.exists():
    os.symlink(_modules, _link, target_is_directory=True)

# Uncomment to set server log level to debug level
# c.ServerApp.log_level = "DEBUG"

# CI runs as root.
c.ServerApp.allow_root = True  # noqa: F821
