"""Runs a notebook's code cells, in order, in a real Jupyter kernel, and writes what each cell showed as JSON.

Usage: python run_notebook.py KERNEL_NAME NOTEBOOK OUT_JSON [CELL_TIMEOUT_S]

The kernelspec KERNEL_NAME is found on JUPYTER_PATH (the test writes one to a temporary folder). The kernel
starts in the notebook's folder, as Jupyter starts it. Per code cell (its index among all the notebook's
cells), the output lists the display_data / update_display_data / execute_result bundles in order, the
stream text, and the error if the cell raised one. Execution stops at the first error, as "run all" does.
"""

import json
import os
import sys
from queue import Empty

from jupyter_client.manager import start_new_kernel


def new_cell():
    return {"outputs": [], "stdout": "", "stderr": "", "error": None}


def record(cell, msg):
    """Adds one iopub message to what its cell showed."""
    kind, content = msg["msg_type"], msg["content"]
    if kind in ("display_data", "update_display_data", "execute_result"):
        display_id = content.get("transient", {}).get("display_id")
        cell["outputs"].append({"type": kind, "data": content["data"], "displayId": display_id})
    elif kind == "stream":
        cell[content["name"]] += content["text"]
    elif kind == "error":
        cell["error"] = {"ename": content["ename"], "evalue": content["evalue"]}


def run_cell(client, source, timeout, earlier):
    """
    Executes one cell and collects its iopub messages until the kernel is idle again. Deno's kernel sometimes
    publishes a cell's execute_result after its idle status, so a message for an earlier cell (by its parent
    message id, in `earlier`) still goes to that cell.
    """
    msg_id = client.execute(source, store_history=True, allow_stdin=False)
    cell = new_cell()
    while True:
        try:
            msg = client.get_iopub_msg(timeout=timeout)
        except Empty:
            raise TimeoutError("no kernel message for %ss while running: %s" % (timeout, source[:80]))
        parent = msg["parent_header"].get("msg_id")
        if parent != msg_id:
            if parent in earlier:
                record(earlier[parent], msg)
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        record(cell, msg)
    while True:
        reply = client.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id and reply["msg_type"] == "execute_reply":
            break
    content = reply["content"]
    if content.get("status") == "error" and cell["error"] is None:
        cell["error"] = {"ename": content.get("ename"), "evalue": content.get("evalue")}
    earlier[msg_id] = cell
    return cell


def main():
    kernel_name, notebook_path, out_path = sys.argv[1:4]
    timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 60.0
    with open(notebook_path, encoding="utf-8") as f:
        notebook = json.load(f)
    manager, client = start_new_kernel(
        kernel_name=kernel_name, cwd=os.path.dirname(os.path.abspath(notebook_path)), startup_timeout=timeout
    )
    cells = []
    earlier = {}
    try:
        for index, nb_cell in enumerate(notebook["cells"]):
            if nb_cell["cell_type"] != "code":
                continue
            source = nb_cell["source"]
            source = "".join(source) if isinstance(source, list) else source
            cell = run_cell(client, source, timeout, earlier)
            cell["index"] = index
            cells.append(cell)
            if cell["error"]:
                break
        # An empty cell after the last: what the last cell published after its idle status arrives before this
        # one's idle status.
        run_cell(client, "", timeout, earlier)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"cells": cells}, f, indent=1)


if __name__ == "__main__":
    main()
