"""The classroom stack in a real browser: `python -m deploy.classroom` with 2 workers behind HAProxy.

Sessions are told apart by worker: HAProxy's NNLAB_WORKER cookie and its X-NNLab-Worker
response header both name the process that answered. Outside CI the test skips when Debian's
haproxy is missing; in CI (.ci/run installs it) that is a failure, like a missing chromium.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import wait_for_app
from tests.e2e.server import ROOT, VIEWPORT, free_port
from tests.e2e.test_labs import LONG_RUN, start_long_run, status, wait_for_status
from tests.process_helpers import alive
from tests.trainer_helpers import wait_for
from ui.i18n import ENGLISH

START_BUDGET_SECONDS = 120.0
STEP_BUDGET_SECONDS = 60.0
# The two notices' openings, from the catalogue (no Markdown in their first 40 characters).
MOVED, LOST = (ENGLISH(f"classroom.{key}")[:40] for key in ("moved", "reconnected"))
TOLD = re.compile(f"^({re.escape(MOVED)}|{re.escape(LOST)})")


@pytest.fixture(scope="module")
def haproxy() -> str:
    """Path of Debian's haproxy; skip (or fail in CI) when it is missing."""
    path = shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if os.path.exists("/usr/sbin/haproxy") else None
    )
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("haproxy not found; .ci/run should have installed it with apt-get")
        pytest.skip("Classroom test skipped: no haproxy (apt-get install haproxy to run it)")
    return path


@pytest.fixture(scope="module")
def classroom(haproxy, chromium_path):
    """The launcher with 2 workers on a free port: yields its JSON line; stops it with SIGTERM."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "deploy.classroom", "--workers", "2", "--host", "127.0.0.1"]
        + ["--port", str(free_port()), "--haproxy", haproxy]
        + ["--log-dir", str(ROOT / "test-results" / "classroom")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A process group of its own (its workers and HAProxy too): if any step below fails,
        # the finally kills the whole stack, so that none of it outlives the test run.
        start_new_session=True,
    )
    try:
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.append(proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(START_BUDGET_SECONDS)
        if not lines or not lines[0].strip():
            _kill_group(proc)
            pytest.fail(f"the launcher did not come up: {proc.communicate(timeout=10)[1][-2000:]}")
        info = json.loads(lines[0])
        yield info
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        for pid in [w["pid"] for w in info["workers"]] + [info["haproxy_pid"]]:
            assert not alive(pid), f"process {pid} outlived the launcher"
    finally:
        _kill_group(proc)


def _kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the launcher's process group (nothing is left of it after a clean stop)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)


def _open(page, url: str, path: str):
    """`page` (a browser of its own) on a lab's page through the proxy; (context, page, worker)."""
    context = page.context
    page.set_default_timeout(60_000)
    response = page.goto(f"{url}/{path}")
    page.get_by_text("Model summary").wait_for()
    wait_for_app(page)
    worker = response.headers["x-nnlab-worker"]
    assert {c["name"]: c["value"] for c in context.cookies()}["NNLAB_WORKER"] == worker
    return context, page, worker


def _cookie(context, name: str) -> str | None:
    return {c["name"]: c["value"] for c in context.cookies()}.get(name)


def _step(page) -> int:
    return int(status(page).group(4).replace(",", ""))


def _wait_until(condition, what: str, budget: float = STEP_BUDGET_SECONDS) -> None:
    # Each check asks the browser, so poll less often than the in-process tests do.
    wait_for(condition, what, budget, every=0.25)


def _switch_pages_and_back(page, back: str, heading: str, run_status: str) -> None:
    """To the Iris page and back to `back`, until its run's status line matches `run_status`.

    Not wait_for_app: a page whose run trains is between two live redraws only for moments,
    and under a loaded suite a wait for an idle page could miss every one of them (seen once).
    """
    nav = page.locator("[data-testid='stSidebarNav']")
    nav.get_by_text("Iris", exact=True).click()
    page.get_by_role("heading", name=re.compile("Iris: three species")).first.wait_for()
    nav.get_by_text(back, exact=True).click()
    page.get_by_role("heading", name=re.compile(heading)).first.wait_for()
    wait_for_status(page, run_status, timeout=STEP_BUDGET_SECONDS)


def test_two_workers_sticky_sessions_and_losing_one_worker(classroom, browser, page):
    url = classroom["url"]
    ctx_a, a, worker_a = _open(page, url, "xor")  # the test process's tab, emptied (conftest)
    other = browser.new_context(viewport=VIEWPORT, locale="en-US")
    try:
        _, b, worker_b = _open(other.new_page(), url, LONG_RUN)
        assert worker_a != worker_b  # a new browser goes to the next worker in turn
        # A trains a short run and keeps it across a page switch; B trains a long one (minutes).
        a.get_by_role("button", name="Train", exact=True).click()
        finished = wait_for_status(a, r"^Finished", timeout=90).group(0)
        start_long_run(b)
        _switch_pages_and_back(a, "XOR", "XOR: why we need hidden layers", r"^Finished")
        assert status(a).group(0) == finished
        _switch_pages_and_back(
            b, "Boston housing", "Boston housing: predicting a price", r"^(Training|Finished)"
        )
        assert status(b).group(1) == "Training"

        # A reload keeps each browser on its worker (the cookie), and its run (ui/session_keeper).
        reloaded = a.reload()
        assert reloaded.headers["x-nnlab-worker"] == worker_a
        a.get_by_role("heading", name=re.compile("XOR: why we need hidden layers")).first.wait_for()
        assert wait_for_status(a, r"^Finished", timeout=STEP_BUDGET_SECONDS).group(0) == finished

        # A second tab of A's browser, on the same worker (the cookie is the browser's).
        a2 = ctx_a.new_page()
        assert a2.goto(f"{url}/iris").headers["x-nnlab-worker"] == worker_a
        a2.get_by_role("heading", name=re.compile("Iris: three species")).first.wait_for()
        wait_for_app(a2)

        # A's worker stops: A is told, on the other worker; B trains on, undisturbed.
        step_before = _step(b)
        pid_a = next(w["pid"] for w in classroom["workers"] if w["name"] == worker_a)
        os.kill(pid_a, signal.SIGKILL)
        # The browser reconnects through HAProxy to the other worker (whose WebSocket answer
        # renames NNLAB_HOME); its next run there, at the latest the student's next click, says
        # what happened. Streamlit reruns the page on such a reconnect only sometimes.
        _wait_until(
            lambda: _cookie(ctx_a, "NNLAB_HOME") == worker_b, "A reconnecting to B's worker"
        )
        # The first tab to reconnect (either) is told its worker stopped; the other reconnects
        # with the cookie that first one renamed, and is told from the session its page asked
        # to resume (ui/classroom.py). Each is told at its next run, at the latest a click.
        for tab, click in ((a, "Reset"), (a2, "Train")):  # A's finished run enables Reset
            if tab.get_by_text(TOLD).count() == 0:
                try:
                    tab.get_by_role("button", name=click, exact=True).click(timeout=5_000)
                except PlaywrightTimeout:
                    pass  # the reconnect's own rerun came first: a fresh page, the button off
            tab.get_by_text(TOLD).first.wait_for(timeout=STEP_BUDGET_SECONDS * 1000)
        assert a.get_by_text(MOVED).count() + a2.get_by_text(MOVED).count() >= 1
        _wait_until(lambda: _step(b) > step_before, "B training on after A's worker stopped")
        assert status(b).group(1) in ("Training", "Finished")  # a much faster host may finish
        assert b.get_by_text(TOLD).count() == 0
        assert b.locator("[data-testid='stException']").count() == 0
    finally:
        other.close()
