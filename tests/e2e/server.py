"""A real `streamlit run app.py` on localhost and Debian's chromium, for browser tests and benches.

The e2e fixtures (tests/e2e/conftest.py) and the bench scripts that measure
the app in a browser (bench/stroke_latency.py, bench/mnist_memory.py,
bench/live_loop_speed.py) all start the app and the browser the same way,
from here. Playwright's own browser download is never used.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("NNLAB_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags chromium keeps dialing out, and
# this machine's closed network refuses it, many times per second.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    """A free localhost TCP port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_streamlit(
    log_path: Path | None = None, env: dict | None = None, timeout: float = 90
) -> tuple[subprocess.Popen, str]:
    """Start the app on a free port; return (process, base URL) once /_stcore/health answers.

    Output goes to `log_path` (or nowhere). Raises RuntimeError if it exits or
    stays unhealthy for `timeout` seconds.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115 (closed just below)
    try:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    finally:
        if log_path:
            log.close()  # the server holds its own copy of the file descriptor
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"streamlit exited early with code {proc.returncode}"
                + (f"; see {log_path}" if log_path else "")
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    stop_streamlit(proc)
    raise RuntimeError(f"streamlit did not become healthy within {timeout:.0f} s")


def stop_streamlit(proc: subprocess.Popen) -> None:
    """Terminate the app, killing it if it has not exited after 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextmanager
def streamlit_app(
    log_path: Path | None = None, env: dict | None = None
) -> Iterator[tuple[subprocess.Popen, str]]:
    """`with streamlit_app() as (proc, url):` the app runs for the block, and is stopped after it."""
    proc, url = start_streamlit(log_path, env)
    try:
        yield proc, url
    finally:
        stop_streamlit(proc)


def launch_chromium(playwright, executable: str = CHROMIUM):
    """Debian's chromium, headless, through Playwright."""
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
