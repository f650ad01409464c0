"""A real `streamlit run app.py` on localhost and Debian's chromium, for browser tests and benches.

The e2e fixtures (tests/e2e/conftest.py) and the bench scripts that measure
the app in a browser (bench/stroke_latency.py, bench/mnist_memory.py,
bench/live_loop_speed.py) all start the app and the browser the same way,
from here. Playwright's own browser download is never used.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deploy.classroom import free_port, start_streamlit_process, wait_started

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("NNLAB_CHROMIUM", "/usr/bin/chromium")
# The hosts that are this machine: the browser tests and the benches reach no other.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
# The browser window the tests open the app in (a laptop's: the sidebar and the page side by side).
VIEWPORT = {"width": 1400, "height": 1000}
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


def start_streamlit(
    log_path: Path | None = None, env: dict | None = None, timeout: float = 90
) -> tuple[subprocess.Popen, str]:
    """Start the app on a free port; return (process, base URL) once /_stcore/health answers.

    Output goes to `log_path` (or nowhere). Raises RuntimeError if it exits or
    stays unhealthy for `timeout` seconds; if it exits because something took its
    port first, it starts again on another (deploy.classroom.wait_started).
    """
    host = "127.0.0.1"

    def start(port: int) -> subprocess.Popen:
        return start_streamlit_process(port, host, env, log_path)

    port = free_port(host)
    try:
        proc, port = wait_started(start(port), host, port, start, timeout)
    except RuntimeError as exc:
        raise RuntimeError(
            f"streamlit did not start: {exc}" + (f"; see {log_path}" if log_path else "")
        ) from exc
    return proc, f"http://{host}:{port}"


def stop_streamlit(proc: subprocess.Popen) -> None:
    """Terminate the app, killing it if it has not exited after 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


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
