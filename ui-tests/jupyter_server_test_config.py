"""Server configuration for the Galata integration tests.

Opens a server on port 8888 (or CELLFLOW_UI_PORT, passed as --port) with no token, serving a fresh temporary root
directory (configure_jupyter_server sets ServerApp.root_dir); the cellflow
backend is started by jupyter-server-proxy with that same root.
"""

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821

# Uncomment to set server log level to debug level
# c.ServerApp.log_level = "DEBUG"

# CI runs as root.
c.ServerApp.allow_root = True  # noqa: F821
