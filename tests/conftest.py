"""Fixtures for the whole suite: no test leaves a training thread behind."""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest
import torch

from models.train_process import PROCESS_ENV

STOP_BUDGET_SECONDS = 30.0
# Runs train on threads throughout the suite, whatever the machine's core count (a server with
# two or more training slots would use worker processes): tests that patch the trainer in this
# process see every run. The worker tests ask for workers themselves; NNLAB_TRAIN_PROCESS=1
# runs the whole suite with them (the browser tests' servers inherit it too).
os.environ.setdefault(PROCESS_ENV, "0")
# At most this many test processes (pytest -n auto): each that reaches the browser tests starts
# its own `streamlit run` and chromium, so a many-core machine stays far from its memory
# (bench/README.md, "The test suite").
MAX_TEST_PROCESSES = 4


def pytest_xdist_auto_num_workers(config) -> int:
    """`-n auto`: one test process per core this process may use, at most MAX_TEST_PROCESSES.

    xdist's own count is of physical cores, and a 2-vCPU virtual machine may report one.
    macOS and Windows have no sched_getaffinity: there, every core counts.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, MAX_TEST_PROCESSES))


@pytest.fixture(scope="session", autouse=True)
def one_torch_thread():
    """Train on one torch thread in every test process, as the app trains the labs' small steps.

    Their networks are tiny, so torch's intra-op threads only add synchronization;
    on a shared 2-core machine they made a Boston step ~18x slower, and with two test
    processes, chromium and the servers on 2 cores they mostly wait on each other
    (bench/README.md, "The test suite"). One thread does not change what the code
    computes; tests of the thread policy set their own count.
    """
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(autouse=True)
def no_trainer_threads_left():
    """Stop every live run's training thread when a test ends, and check that none is left.

    AppTests press Train and may end while a run still trains. Left alone, its
    thread would train for up to 30 s more (until it notices that nobody looks),
    taking CPU from the tests after it and making their timing depend on the
    order they ran in.
    """
    yield
    # The app's start-up thread (ui.warmup) ends by itself within seconds: let it, so that no
    # test's import work runs on into the next test.
    for thread in threading.enumerate():
        if thread.name == "nnlab-warmup":
            thread.join(STOP_BUDGET_SECONDS)
    live_run = sys.modules.get("ui.live_run")
    if live_run is None:
        return
    live_run.stop_all()
    deadline = time.monotonic() + STOP_BUDGET_SECONDS
    while live_run.trainer_threads() and time.monotonic() < deadline:
        time.sleep(0.01)
    left = [t.name for t in live_run.trainer_threads()]
    assert not left, f"training threads still alive after the test: {left}"


@pytest.fixture
def nobody_redraws(monkeypatch):
    """Live runs that no page redraws keep training: their idle stop is an hour away.

    A page calls `keep_training()` at every redraw, and a run nobody has looked at for
    `IDLE_STOP_SECONDS` (30 s) stops. Tests that drive a LiveRun directly call it once and then
    wait; a cold worker process alone took 8-24 s to start at a load of 12 on 2 cores, so the idle
    stop could end the run under the test. The idle stop has its own test.
    """
    from ui import live_run

    monkeypatch.setattr(live_run, "IDLE_STOP_SECONDS", 3600.0)


@pytest.fixture(scope="module")
def workers_stopped_after():
    """Stop the training worker processes a module's tests started (~440 MB each) when it ends.

    The pool keeps them between tests, so the module pays one cold start instead of one per test.
    """
    yield
    live_run = sys.modules.get("ui.live_run")
    if live_run is not None:
        live_run._stop_everything()  # what the app does at exit
