"""ui.live_run with training in a worker process: the run trains there, and the copy here is the run."""

from __future__ import annotations

import os
import signal
import time

import pytest

import data
from models import ModelConfig, TrainConfig, TrainingRun
from models.admission import Admission
from models.train_process import PROCESS_ENV
from tests.trainer_helpers import rows_without_timing, same_state, state, wait_for
from ui import live_run
from ui.live_run import LiveRun

pytestmark = pytest.mark.usefixtures("nobody_redraws", "workers_stopped_after")


@pytest.fixture(autouse=True)
def in_process(monkeypatch):
    monkeypatch.setenv(PROCESS_ENV, "1")


@pytest.fixture(scope="module")
def iris():
    return data.load("iris")


def _run(ds, epochs: int = 60, batch_size: int = 4) -> TrainingRun:
    mc = ModelConfig(input_shape=ds.input_shape, n_outputs=ds.n_outputs, task=ds.task, hidden=[8])
    return TrainingRun(ds, mc, TrainConfig(epochs=epochs, batch_size=batch_size, seed=3))


def test_the_run_trains_in_the_worker_and_never_here(iris, monkeypatch):
    def here(*args, **kwargs):
        raise AssertionError("the server's copy of the run was trained")

    monkeypatch.setattr(TrainingRun, "advance", here)
    live = LiveRun("test-worker-trains")
    live.start(_run(iris, epochs=5000, batch_size=1))
    live.keep_training()
    wait_for(lambda: live.step > 0, "a first step, reported by the worker")
    wait_for(lambda: live.latest_epoch()[0] >= 2, "two epochs, reported by the worker")
    live.pause()
    assert live.error is None
    with live.borrow() as run:
        assert len(run.history.epochs) == run.epoch >= 2


def test_a_live_run_with_pauses_ends_as_one_trained_headless(iris):
    headless = _run(iris, epochs=150, batch_size=1)  # 10,500 steps: many worker slices
    headless.advance()
    live = LiveRun("test-worker-pauses")
    live.start(_run(iris, epochs=150, batch_size=1))
    pauses = 0
    while live.running:
        steps = live.step
        live.keep_training()
        wait_for(lambda s=steps: live.step > s or not live.training_now, "a slice in the worker")
        live.pause()  # the run comes back from the worker, whole
        pauses += 1
        live.resume()
    assert pauses > 1
    with live.borrow() as run:
        assert run.status == "finished"
        assert rows_without_timing(run) == rows_without_timing(headless)
        assert run.history.step_loss == headless.history.step_loss
        assert same_state(state(run.model), state(headless.model))


def test_a_borrow_sees_the_run_still_while_the_worker_trains_on(iris):
    live = LiveRun("test-worker-borrow")
    live.start(_run(iris, epochs=5000, batch_size=1))
    live.keep_training()
    wait_for(lambda: live.step > 0, "a first step")
    with live.borrow() as run:
        before = (run.step, len(run.history.step_loss), state(run.model))
        time.sleep(3 * live_run.WORKER_SLICE_SECONDS)  # a borrower that takes its time
        assert (run.step, len(run.history.step_loss)) == before[:2]
        assert same_state(state(run.model), before[2])
    wait_for(lambda: live.step > before[0], "training on after the borrow")
    live.pause()


def test_a_lost_worker_is_the_runs_error_and_resume_goes_on_in_a_new_one(iris, monkeypatch):
    close = LiveRun._close

    def slow_close(remote):  # the thread's clean-up takes its time, as on a loaded server
        time.sleep(0.5)
        close(remote)

    # A Resume clicked as soon as the error shows must not be undone by that clean-up.
    monkeypatch.setattr(LiveRun, "_close", staticmethod(slow_close))
    live = LiveRun("test-worker-lost")
    live.start(_run(iris, epochs=5000, batch_size=1))
    live.keep_training()
    wait_for(lambda: live.step > 0, "a first step")
    worker_pids = live_run.WORKERS.pids()
    assert worker_pids, "no worker process found"
    for pid in worker_pids:  # the lent one among them
        os.kill(pid, signal.SIGKILL)
    wait_for(lambda: live.error is not None and not live.running, "the lost worker reported")
    assert live.error.code == "training_process_lost"
    steps = live.step
    assert steps > 0  # the run as last reported is kept
    live.resume()
    live.keep_training()
    wait_for(lambda: live.step > steps, "training on in a new worker")
    live.pause()
    assert live.error is None


def test_reset_while_the_worker_trains_returns_the_worker_and_forgets_the_run(iris):
    live = LiveRun("test-worker-reset")
    live.start(_run(iris, epochs=5000, batch_size=1))
    live.keep_training()
    wait_for(lambda: live.step > 0, "a first step")
    live.reset()
    assert not live.has_run and not live.training_now and live.error is None
    # The worker came back to the pool, whole: the next run trains in it.
    live.start(_run(iris, epochs=5000, batch_size=1))
    live.keep_training()
    wait_for(lambda: live.step > 0, "the next run's first step")
    live.pause()
    assert live.error is None


def test_runs_taking_turns_move_in_and_out_of_one_worker(iris, monkeypatch):
    monkeypatch.setattr(live_run, "ADMISSION", Admission(capacity=1, turn_seconds=0.3))
    lives = [LiveRun(f"test-worker-turns-{i}") for i in range(2)]
    for live in lives:
        live.start(_run(iris, epochs=5000, batch_size=1))
        live.keep_training()
    # Each has trained after a turn of the other's: the one slot's worker changed hands.
    wait_for(lambda: all(live.step > 0 for live in lives), "both runs trained")
    first = [live.step for live in lives]
    wait_for(
        lambda: all(live.step > step for live, step in zip(lives, first, strict=True)),
        "both runs trained again, after the other's turn",
    )
    for live in lives:
        live.pause()
        assert live.error is None
        with live.borrow() as run:
            assert len(run.history.step_loss) == run.step  # every hand-back was whole
    # The worker went back to the pool before the slot went: the next run took it, and no
    # second worker was started beside it.
    assert len(live_run.WORKERS.pids()) == 1
