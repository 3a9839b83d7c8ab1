"""The backend as jupyter-server-proxy runs it: the proxy configuration of both
modes, and the supervisor starting a killed backend again.

Run: python -m unittest discover -s tests/python (from the repository root,
after `npm run build`; needs only the standard library and node)."""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import cellflow  # noqa: E402


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# `serve --port` answers only requests that carry the secret it was started with.
SECRET = "test-secret-" + os.urandom(8).hex()


def health(port, timeout_s=20.0):
    """GET /api/health, waiting while the backend (re)starts."""
    deadline = time.monotonic() + timeout_s
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/health", headers={cellflow.SECRET_HEADER: SECRET}
    )
    while True:
        try:
            with urllib.request.urlopen(request, timeout=5) as reply:
                return json.load(reply)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def children(pid):
    with open(f"/proc/{pid}/task/{pid}/children") as listing:
        return [int(child) for child in listing.read().split()]


def replaced_child(pid, old, timeout_s=20.0):
    """Waits until the supervisor runs a backend other than `old`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        now = children(pid)
        if now and old not in now:
            return now
        time.sleep(0.05)
    raise AssertionError(f"backend {old} was not replaced")


class ProxyConfigTest(unittest.TestCase):
    def setUp(self):
        self._mode = os.environ.pop(cellflow.MODE_ENV, None)

    def tearDown(self):
        os.environ.pop(cellflow.MODE_ENV, None)
        if self._mode is not None:
            os.environ[cellflow.MODE_ENV] = self._mode

    def test_socket_mode_is_the_default(self):
        config = cellflow.setup_cellflow()
        self.assertIs(config["unix_socket"], True)
        command = config["command"]
        self.assertEqual(command[command.index("--socket") + 1], "{unix_socket}")
        self.assertNotIn("--port", command)
        self.assertNotIn("request_headers_override", config)

    def test_port_mode_adds_a_fresh_secret_to_every_request(self):
        os.environ[cellflow.MODE_ENV] = "port"
        first = cellflow.setup_cellflow()
        second = cellflow.setup_cellflow()
        secret = first["environment"][cellflow.SECRET_ENV]
        self.assertGreaterEqual(len(secret), 32)
        self.assertEqual(first["request_headers_override"], {cellflow.SECRET_HEADER: secret})
        self.assertNotEqual(secret, second["environment"][cellflow.SECRET_ENV])
        self.assertEqual(first["command"][first["command"].index("--port") + 1], "{port}")

    def test_other_host_names_are_passed_to_the_backend(self):
        os.environ[cellflow.ALLOW_HOSTS_ENV] = "hub.example.org, lab.internal,"
        try:
            command = cellflow.setup_cellflow()["command"]
        finally:
            os.environ.pop(cellflow.ALLOW_HOSTS_ENV)
        allowed = [command[i + 1] for i, word in enumerate(command) if word == "--allow-host"]
        self.assertEqual(allowed, ["hub.example.org", "lab.internal"])
        self.assertNotIn("--allow-host", cellflow.setup_cellflow()["command"])

    def test_an_unknown_mode_is_refused(self):
        os.environ[cellflow.MODE_ENV] = "tcp"
        with self.assertRaises(ValueError):
            cellflow.setup_cellflow()

    def test_runs_the_backend_it_installed_when_there_is_one(self):
        cli = cellflow.backend_cli()
        self.assertTrue(cli.exists(), cli)
        self.assertIn(str(cli), cellflow.setup_cellflow()["command"])


class SupervisorTest(unittest.TestCase):
    def test_a_killed_backend_is_started_again_and_answers_the_next_request(self):
        port = free_port()
        root = tempfile.mkdtemp()
        supervisor = subprocess.Popen(
            [sys.executable, "-m", "cellflow.supervisor", "--", "node", str(cellflow.backend_cli()),
             "serve", "--port", str(port), "--root", root],
            cwd=REPO,
            env={**os.environ, cellflow.SECRET_ENV: SECRET},
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            first = health(port)
            backends = children(supervisor.pid)
            self.assertEqual(len(backends), 1)
            os.kill(backends[0], signal.SIGKILL)

            self.assertEqual(len(replaced_child(supervisor.pid, backends[0])), 1)
            second = health(port)
            self.assertNotEqual(first["instance"], second["instance"])

            # An exit with code 0 (a clean SIGTERM from outside) is not a reason to stay down either.
            backend = children(supervisor.pid)[0]
            os.kill(backend, signal.SIGTERM)
            replaced_child(supervisor.pid, backend)
            third = health(port)
            self.assertNotIn(third["instance"], (first["instance"], second["instance"]))
        finally:
            supervisor.terminate()
            _, stderr = supervisor.communicate(timeout=20)
        self.assertEqual(supervisor.returncode, 0)
        self.assertIn("the backend exited", stderr)


if __name__ == "__main__":
    unittest.main()
