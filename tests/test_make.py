"""`make lab` really serves JupyterLab: as root too, on the whole repository, with notebook 01 open."""

from __future__ import annotations

import json
import os
import re
import selectors
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIRST = "notebooks/01_rnn_forward.ipynb"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def printed_url(process, seconds: float = 60) -> str:
    """The first http://127.0.0.1 URL that JupyterLab prints, read as it starts."""
    deadline, seen = time.monotonic() + seconds, ""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline and process.poll() is None:
            if selector.select(0.5):
                seen += os.read(process.stdout.fileno(), 65536).decode(errors="replace")
                match = re.search(r"http://127\.0\.0\.1:\d+/\S+(?=\s)", seen)  # a whole line, not a part
                if match:
                    return match.group(0)
    raise AssertionError(
        f"make lab printed no URL within {seconds} s (exit code {process.poll()}):\n{seen[-3000:]}"
    )


def get_json(url: str, seconds: float = 30):
    """GET a JSON answer from the local server. It prints its URL a moment before it listens: retry."""
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never via a proxy
    deadline = time.monotonic() + seconds
    while True:
        try:
            with direct.open(url, timeout=10) as answer:
                return json.load(answer)
        except urllib.error.URLError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.skipif(os.name != "posix", reason="make lab is run from a POSIX shell")
def test_make_lab_serves_the_repository_with_notebook_01_open(tmp_path):
    port = free_port()
    # From another folder, with the options a user adds; as whatever user runs the tests (root in CI).
    process = subprocess.Popen(
        ["make", "-s", "-f", str(ROOT / "Makefile"), "lab", f"ARGS=--no-browser --ServerApp.port={port}"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env=dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime")),
    )
    try:
        url = printed_url(process)
        assert url.split("?")[0] == f"http://127.0.0.1:{port}/lab/tree/{FIRST}", url
        token = url.split("token=")[1]
        top = {
            entry["name"]
            for entry in get_json(f"http://127.0.0.1:{port}/api/contents?token={token}")["content"]
        }
        # The file browser shows the repository itself: the README and the modules a student is told to read.
        assert {"README.md", "rnn_core.py", "rnn_lab", "notebooks"} <= top, top
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
