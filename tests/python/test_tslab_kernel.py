"""The tslab kernel that scripts/dev-env.sh installs into .venv executes cells.

Run with .venv/bin/python (after scripts/dev-env.sh), as `npm run test:python` does."""

import sys
import unittest

try:
    from jupyter_client.manager import start_new_kernel
except ImportError:  # pragma: no cover - says what to do instead of a stack trace
    sys.exit("jupyter_client is missing: run scripts/dev-env.sh, then this test with .venv/bin/python.")


class TslabKernelTest(unittest.TestCase):
    def test_a_typescript_cell_runs_and_shows_its_value(self):
        manager, client = start_new_kernel(kernel_name="tslab", startup_timeout=60)
        try:
            outputs = []
            reply = client.execute_interactive(
                "const typed: number = 1 + 1;\ntyped", timeout=60, output_hook=outputs.append
            )
            self.assertEqual(reply["content"]["status"], "ok")
            texts = [
                message["content"].get("data", {}).get("text/plain") or message["content"].get("text", "")
                for message in outputs
                if message["msg_type"] in ("execute_result", "stream", "display_data")
            ]
            self.assertIn("2", "".join(texts).split())
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)


if __name__ == "__main__":
    unittest.main()
