"""ui.live_run.LiveRun: the only way to a training model is a still borrow or an inference copy."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import numpy as np
import pytest
import torch

import data
import models
import ui.live_run as live_run_module
from models import ModelConfig, RunGroup, TrainConfig, TrainingRun, predict, predict_proba
from models.inspect import hidden_activations
from models.threads import live_threads
from models.train_process import PROCESS_ENV
from tests.trainer_helpers import BUDGET_SECONDS, same_state, state, wait_for
from ui.live_run import LiveRun, trainer_threads

pytestmark = pytest.mark.usefixtures("nobody_redraws", "workers_stopped_after")


@pytest.fixture(scope="module")
def iris():
    return data.load("iris")


def _run(ds, epochs: int = 2000, **model) -> TrainingRun:
    mc = ModelConfig(input_shape=ds.input_shape, n_outputs=ds.n_outputs, task=ds.task, **model)
    return TrainingRun(ds, mc, TrainConfig(epochs=epochs, batch_size=1, lr=1e-3, seed=0))


def _training(live: LiveRun, run: TrainingRun) -> LiveRun:
    live.start(run)
    live.keep_training()
    wait_for(lambda: live.step > 0, "a first training step")
    return live


def test_predicting_during_training_leaves_the_live_models_training_flag_untouched(iris):
    run = _run(iris, hidden=[32], dropout=0.5)
    live_model = run.model
    passes: list[str] = []  # the thread of each forward pass of the live model itself
    # deepcopy copies hooks too: count only the live model's own forward passes.
    run.model.register_forward_pre_hook(
        lambda module, args: (
            passes.append(threading.current_thread().name) if module is live_model else None
        )
    )
    live = _training(LiveRun("test-predict"), run)
    for _ in range(20):
        with live.borrow() as borrowed:
            predict(borrowed.model, iris.X_valid)
            predict_proba(borrowed.model, iris.X_valid)
            hidden_activations(borrowed.model, iris.X_valid)
            assert borrowed.model.training
        predict(live.inference_copy(), iris.X_valid)
    steps = live.step
    wait_for(lambda: live.step > steps, "training after the predictions")
    live.pause()
    # Every forward pass of the live model was the trainer's: predicting went through eval
    # copies and never ran the live model, nor switched it to eval, even for a moment.
    assert passes and set(passes) == {"nnlab-trainer-test-predict"}
    with live.borrow() as borrowed:
        assert borrowed.model.training


def test_predict_reads_a_model_in_training_mode_through_an_eval_copy(iris):
    run = _run(iris, hidden=[16], dropout=0.5, batchnorm=True)
    run.advance(max_steps=20)
    model = run.model
    assert model.training
    before = state(model)
    calls = []
    model.register_forward_pre_hook(
        lambda module, args: calls.append(module.training) if module is model else None
    )
    got = predict_proba(model, iris.X_valid)
    assert model.training and not calls and same_state(state(model), before)
    np.testing.assert_array_equal(got, predict_proba(models.inference_copy(model), iris.X_valid))


def test_a_borrowed_run_is_read_only_and_unusable_after_its_block(iris):
    live = LiveRun("test-borrow")
    live.start(_run(iris, epochs=1, hidden=[4]), running=False)
    with live.borrow() as run:
        assert run.epoch == 0 and run.model is not None
        with pytest.raises(AttributeError, match="read-only"):
            run.status = "finished"
    with pytest.raises(RuntimeError, match="after its with-block"):
        run.model  # noqa: B018  (the read itself must fail)
    live.reset()
    with live.borrow() as nothing:
        assert nothing is None
    assert not live.has_run and live.inference_copy() is None


def test_pause_stops_the_thread_and_the_run_stays_put(iris):
    live = _training(LiveRun("test-pause"), _run(iris, hidden=[8]))
    live.pause()
    assert not live.running and not live.training_now and not trainer_threads()
    steps = live.step
    time.sleep(0.2)
    assert live.step == steps
    live.resume()
    live.keep_training()
    wait_for(lambda: live.step > steps, "training after Resume")
    live.stop()
    assert not trainer_threads()


def test_a_run_nobody_looks_at_stops_training_and_the_next_redraw_goes_on(iris, monkeypatch):
    monkeypatch.setattr(live_run_module, "IDLE_STOP_SECONDS", 2.0)  # 30 s in the app
    live = _training(LiveRun("test-idle"), _run(iris, hidden=[8]))  # ~140,000 steps: minutes
    wait_for(lambda: not live.training_now, "the thread stopping with no redraw for 2 s")
    # The run is kept, still wanted: a closed tab's run waits for its page to come back.
    assert live.running and live.has_run and live.error is None and not trainer_threads()
    steps = live.step
    live.keep_training()  # the page's next redraw
    wait_for(lambda: live.step > steps, "training again after a redraw")
    live.pause()


@pytest.mark.parametrize("in_process", [True, False], ids=["worker process", "thread"])
def test_changing_epochs_mid_run_goes_through_the_lock_and_ends_at_the_new_count(
    iris, monkeypatch, in_process
):
    monkeypatch.setenv(PROCESS_ENV, "1" if in_process else "0")
    live = _training(LiveRun("test-epochs"), _run(iris, epochs=2000, hidden=[8]))
    with live.borrow() as run:  # the lock is re-entrant: a borrower may change epochs
        at = run.epoch
        live.set_epochs(1)
    wait_for(lambda: not live.training_now, "the run stopping at the new epoch count")
    with live.borrow() as run:
        assert run.done and run.status == "finished"
        # Never fewer than are done; the epoch under way is finished first.
        assert run.epoch == run.train_config.epochs >= max(1, at)
        if not in_process:  # here the borrow held the run itself still
            assert run.epoch <= at + 1
        else:  # the worker was up to two slices ahead of the copy the borrow showed
            assert run.epoch < 2000


def test_a_live_run_trains_to_the_same_weights_as_headless(iris):
    ds = iris
    mc = ModelConfig(input_shape=ds.input_shape, n_outputs=3, task=ds.task, hidden=[8])
    tc = TrainConfig(epochs=15, batch_size=4, lr=1e-2, seed=3)
    live = LiveRun("test-same")
    live.start(TrainingRun(ds, mc, tc))
    live.keep_training()
    wait_for(lambda: not live.training_now, "the live run finishing")
    headless = models.train(ds, mc, tc)
    with live.borrow() as run:
        assert run.status == "finished"
        assert same_state(state(run.model), state(headless.model))


def test_a_run_group_trains_on_the_same_engine_each_run_as_if_alone(iris):
    ds = iris
    tc = TrainConfig(epochs=5, batch_size=8, lr=1e-2, seed=1)
    configs = {
        n: ModelConfig(input_shape=ds.input_shape, n_outputs=3, task=ds.task, hidden=[n])
        for n in (1, 4, 16)
    }
    live = LiveRun("test-group")
    live.start(RunGroup({n: TrainingRun(ds, mc, tc) for n, mc in configs.items()}))
    live.keep_training()
    wait_for(lambda: not live.training_now, "the group finishing")
    with live.borrow() as group:
        assert group.done and group.epoch == 5
        for n, mc in configs.items():
            alone = models.train(ds, mc, tc)
            assert same_state(state(group.runs[n].model), state(alone.model))


def test_an_error_inside_training_is_kept_for_the_page_and_stops_the_run(iris):
    run = _run(iris, hidden=[4])

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    run.advance = broken
    live = LiveRun("test-error")
    live.start(run)
    live.keep_training()
    wait_for(lambda: live.error is not None, "the error being recorded")
    wait_for(lambda: not live.training_now, "the thread ending")
    assert not live.running and str(live.error) == "boom"
    live.resume()
    assert live.error is None and live.running


def test_the_clock_read_while_the_trainer_stops_it_is_read_whole(monkeypatch):
    """A redraw reads `seconds` at the very moment the trainer's thread stops the clock."""
    live = LiveRun("test-clock")
    live._clock = (2.0, 100.0)  # trained 2 s before; this thread's training began at t = 100
    pausing = []

    def now() -> float:
        # The trainer ends its slice (and pauses the clock) between the redraw's two reads.
        if not pausing:
            pausing.append(1)
            live._pause_clock()
        return 101.0

    monkeypatch.setattr(
        live_run_module, "time", SimpleNamespace(perf_counter=now, monotonic=time.monotonic)
    )
    assert live.seconds == 3.0
    assert live._clock == (3.0, None) and live.seconds == 3.0


def test_the_thread_policy_leaves_a_core_for_the_browser_and_shares_the_rest():
    assert live_threads(1, cores=2) == 1
    assert live_threads(1, cores=8) == 7
    assert live_threads(3, cores=8) == 2
    assert live_threads(30, cores=8) == 1
    assert live_threads(0, cores=1) == 1


def test_each_trainer_thread_sets_the_policys_thread_count(iris):
    seen = []
    run = _run(iris, hidden=[8])
    original = run.advance

    def recording(*args, **kwargs):
        seen.append((kwargs.get("threads"), torch.get_num_threads()))
        return original(*args, **kwargs)

    run.advance = recording
    live = _training(LiveRun("test-threads"), run)
    live.stop()
    expected = live_threads(1)
    assert seen and all(cap == expected == now for cap, now in seen)


def test_a_thread_that_outlives_its_stop_does_not_train_beside_the_next_one(iris, monkeypatch):
    # A stop waits STOP_JOIN_SECONDS (30 s) for its thread. When a slice takes longer, a Resume
    # starts a new thread; the old one used to see the shared stop cleared and train on too.
    monkeypatch.setattr(live_run_module, "STOP_JOIN_SECONDS", 0.05)
    run = _run(iris, hidden=[4])
    slow, inside = threading.Event(), threading.Event()
    advance = run.advance

    def first_slice_slow(*args, **kwargs):
        if not slow.is_set():  # an evaluation that outlasts the stop's wait
            inside.set()
            slow.wait(timeout=BUDGET_SECONDS)
        return advance(*args, **kwargs)

    run.advance = first_slice_slow
    live = LiveRun("test-outlived")
    live.start(run)
    live.keep_training()
    wait_for(inside.is_set, "the first slice")
    old = live._thread
    live.pause()  # the join gives up while the slice goes on
    assert old.is_alive() and not live.training_now
    live.resume()
    live.keep_training()
    new = live._thread
    slow.set()
    wait_for(lambda: not old.is_alive(), "the outlived thread ending after its slice")
    steps = live.step
    wait_for(lambda: live.step > steps, "the new thread training")
    assert new.is_alive() and trainer_threads() == [new]
    live.stop()
    assert not trainer_threads()
