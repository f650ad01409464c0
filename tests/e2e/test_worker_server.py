"""A real server that trains in worker processes: a run trains, survives a reload, pauses and ends.

On a machine with three or more cores the server trains in worker processes by
default (models.train_process.enabled); NNLAB_TRAIN_PROCESS=1 makes this 2-core
one do the same, so the browser sees what such a server shows.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from bench.proc_stats import process_tree
from models.train_process import PROCESS_ENV
from tests.e2e.conftest import ARTIFACTS, wait_for_app
from tests.e2e.server import streamlit_app
from tests.e2e.test_labs import (
    LONG_RUN,
    no_exception,
    open_page,
    slider_to_end,
    start_long_run,
    status,
    wait_for_status,
)
from tests.trainer_helpers import wait_for

pytestmark = pytest.mark.e2e

BUDGET_SECONDS = 60.0
HEADING = re.compile("Boston housing: predicting a price")


@pytest.fixture(scope="module")
def worker_server(chromium_path):
    """A server of its own, training in worker processes; yields (its pid, its URL)."""
    ARTIFACTS.mkdir(exist_ok=True)
    env = {**os.environ, PROCESS_ENV: "1"}
    with streamlit_app(ARTIFACTS / "streamlit_workers.log", env=env) as (proc, url):
        yield proc.pid, url


def _workers(server_pid: int) -> list[int]:
    """The server's training worker processes."""
    found = []
    for pid in process_tree([server_pid]):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"models.train_worker" in command:
            found.append(pid)
    return found


def _cpu_seconds(pid: int) -> float:
    """CPU seconds process `pid` has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _step(page) -> int:
    return int(status(page).group(4).replace(",", ""))


def test_a_run_in_a_worker_trains_on_through_a_reload_and_pauses(worker_server, page):
    server_pid, url = worker_server
    page.set_default_timeout(60_000)
    open_page(page, url, LONG_RUN)
    # The server starts its workers in the background after its first page.
    wait_for(lambda: _workers(server_pid), "a training worker under the server", BUDGET_SECONDS)
    workers = _workers(server_pid)
    start_long_run(page)
    # The worker trains (its start-up was over before it took the run): its CPU time grows.
    idle = {pid: _cpu_seconds(pid) for pid in workers}
    wait_for(
        lambda: any(_cpu_seconds(pid) > idle[pid] + 1.0 for pid in workers),
        "a worker process training",
        BUDGET_SECONDS,
        0.25,
    )
    page.reload()
    page.get_by_role("heading", name=HEADING).first.wait_for()
    wait_for_status(page, r"^Training", timeout=BUDGET_SECONDS)
    step = _step(page)
    wait_for(lambda: _step(page) > step, "training on after the reload", BUDGET_SECONDS, 0.25)
    page.get_by_role("button", name="Pause", exact=True).click()
    paused = wait_for_status(page, r"^Paused", timeout=BUDGET_SECONDS)
    wait_for_app(page)
    no_exception(page)
    page.get_by_text("The network against classical baselines").wait_for()
    # Resumed with fewer epochs than planned: the worker hears it and the run ends there.
    epoch = int(paused.group(2))
    page.get_by_role("button", name="Resume", exact=True).click()
    wait_for_status(page, r"^Training", timeout=BUDGET_SECONDS)
    slider_to_end(page, "Epochs", "Home")
    wait_for_status(page, r"^Finished", timeout=BUDGET_SECONDS)
    assert int(status(page).group(2)) >= epoch
    no_exception(page)
