"""Fixtures for the whole suite: no test leaves a training thread behind."""

from __future__ import annotations

import sys
import time

import pytest

STOP_BUDGET_SECONDS = 30.0


@pytest.fixture(autouse=True)
def no_trainer_threads_left():
    """Stop every live run's training thread when a test ends, and check that none is left.

    AppTests press Train and may end while a run still trains. Left alone, its
    thread would train for up to 30 s more (until it notices that nobody looks),
    taking CPU from the tests after it and making their timing depend on the
    order they ran in.
    """
    yield
    live_run = sys.modules.get("ui.live_run")
    if live_run is None:
        return
    live_run.stop_all()
    deadline = time.monotonic() + STOP_BUDGET_SECONDS
    while live_run.trainer_threads() and time.monotonic() < deadline:
        time.sleep(0.01)
    left = [t.name for t in live_run.trainer_threads()]
    assert not left, f"training threads still alive after the test: {left}"
