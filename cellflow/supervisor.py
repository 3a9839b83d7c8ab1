"""Keeps the cellflow backend running: `python -m cellflow.supervisor -- <command...>`.

jupyter-server-proxy starts this once and proxies to the socket or port the
backend listens on. When the backend exits without being asked to (a crash, a
kill, an exit code 0 included) it is started again on the same socket or port,
so the next request reaches a new backend; the frontend notices from the new
instance id in `GET /api/health`. Crashes in a row back off, up to 10 s.
"""

import os
import signal
import subprocess
import sys
import time

_MIN_DELAY_S = 0.2
_MAX_DELAY_S = 10.0
# A backend that ran this long was healthy: its crash starts the back-off afresh.
_HEALTHY_AFTER_S = 30.0


def _socket_path(command):
    if "--socket" in command:
        index = command.index("--socket")
        if index + 1 < len(command):
            return command[index + 1]
    return None


def _remove_stale_socket(path):
    # A killed backend leaves its socket file; listening on that path again fails.
    if path and os.path.exists(path):
        try:
            os.unlink(path)
        except OSError:
            pass


def supervise(command):
    stopping = False
    child = None

    def stop(signum, _frame):
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    socket_path = _socket_path(command)
    delay = _MIN_DELAY_S / 2
    starts = 0
    while not stopping:
        _remove_stale_socket(socket_path)
        env = dict(os.environ, CELLFLOW_BACKEND_STARTS=str(starts))
        started = time.monotonic()
        try:
            child = subprocess.Popen(command, env=env)
        except OSError as error:
            print(f"cellflow: could not start the backend ({error}); is Node.js 20 or later on the PATH?", file=sys.stderr)
            return 1
        starts += 1
        code = child.wait()
        if stopping:
            break
        ran = time.monotonic() - started
        delay = _MIN_DELAY_S if ran >= _HEALTHY_AFTER_S else min(delay * 2, _MAX_DELAY_S)
        print(f"cellflow: the backend exited (code {code}); starting it again in {delay:.1f} s", file=sys.stderr)
        time.sleep(delay)
    _remove_stale_socket(socket_path)
    return 0


def main(argv):
    command = argv[1:] if argv and argv[0] == "--" else argv
    if not command:
        print("usage: python -m cellflow.supervisor -- <command...>", file=sys.stderr)
        return 2
    return supervise(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
