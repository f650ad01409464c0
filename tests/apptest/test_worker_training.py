"""AppTest: on a server with several training slots, a lab's run trains in a worker process."""

from __future__ import annotations

import pytest

import ui.live_run as live_run
from models import TrainingRun
from models.admission import Admission
from models.train_process import PROCESS_ENV
from tests.apptest.helpers import (
    charts,
    lab_session,
    long_xor_run,
    open_page,
    progress_text,
    rerun_until,
    set_widget,
    train_to_end,
)
from ui.i18n import ENGLISH

pytestmark = pytest.mark.usefixtures("workers_stopped_after")


@pytest.fixture
def two_slots(monkeypatch):
    """A server with two training slots: runs train in worker processes unless told otherwise."""
    monkeypatch.delenv(PROCESS_ENV, raising=False)
    monkeypatch.setattr(live_run, "ADMISSION", Admission(capacity=2, turn_seconds=None))

    def never_here(*args, **kwargs):
        raise AssertionError("the session's own copy of the run was trained")

    # The worker process has its own TrainingRun class: only the server's copy is blocked.
    monkeypatch.setattr(TrainingRun, "advance", never_here)


def test_a_run_trains_in_a_worker_and_the_page_shows_it_to_the_end(two_slots):
    at = open_page("xor", lang="en")
    set_widget(at, "xor_epochs", 300)
    at.run()
    status = train_to_end(at, "xor")
    assert status.startswith(ENGLISH("common.status.finished")), status
    live = lab_session(at, "xor").live
    assert live.error is None
    with live.borrow() as run:
        assert run.status == "finished" and run.epoch == 300 == len(run.history.epochs)
        assert len(run.history.step_loss) == run.step > 0
    assert charts(at), "the after-training views"
    assert live_run.WORKERS.pids(), "no worker process trained the run"


def test_pause_and_resume_bring_the_run_back_and_hand_it_out_again(two_slots):
    at = open_page("xor", lang="en")
    long_xor_run(at)  # still training at the pause: the worker trains on a core of its own
    at.button(key="xor_train").click()
    at.run()
    live = lab_session(at, "xor").live
    rerun_until(at, lambda: live.step > 0, "a first step from the worker")
    at.button(key="xor_pause").click()
    at.run()
    assert not live.running and not live.training_now
    with live.borrow() as run:
        paused_at = (run.step, len(run.history.step_loss))
        assert paused_at[0] == paused_at[1]  # the full state came back: nothing half-sent
    assert progress_text(at).startswith(ENGLISH("common.status.paused")), progress_text(at)
    at.button(key="xor_train").click()  # now Resume
    at.run()
    rerun_until(at, lambda: live.step > paused_at[0], "training on after Resume")
    live.pause()
    assert live.error is None
