"""models.train_process: a run trained in a worker process, in slices and hand-backs, is the same run."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import threading
import time

import pytest
import torch

import data
from data.errors import CodedError
from models import ModelConfig, TrainConfig, TrainingRun, run_transfer, train_process
from models.run_transfer import ProgressReader, apply_progress, load_full_state
from models.train_process import PROCESS_ENV, TrainingProcessLost, TrainWorker, enabled
from tests.trainer_helpers import rows_without_timing, same_state, state, wait_for


@pytest.fixture(scope="module")
def worker():
    w = TrainWorker()
    w.start()
    yield w
    w.stop()


def _run(ds, **train) -> TrainingRun:
    mc = ModelConfig(input_shape=ds.input_shape, n_outputs=ds.n_outputs, task=ds.task, hidden=[16])
    return TrainingRun(ds, mc, TrainConfig(**{"batch_size": 32, "seed": 1, **train}))


def _progress(worker: TrainWorker, run: TrainingRun, until) -> list[str]:
    """Apply the worker's progress to `run`, asking again after each, until `until(kinds)`."""
    kinds: list[str] = []

    def arrived() -> bool:
        for kind, progress in worker.messages(timeout=0.05):
            apply_progress(run, progress)
            kinds.append(kind)
            if kind == "progress":
                worker.want()
        return until(kinds) or run.done

    worker.want()
    wait_for(arrived, "the worker's progress")
    return kinds


def _train_in(worker: TrainWorker, run: TrainingRun) -> int:
    """Train `run` to its end in `worker`, giving it back at each first progress; the visits.

    The worker trains in slices of 1 ms, so a visit is a few steps. With 10 ms slices and three
    messages a visit, a fast host finished the MNIST run below within its first visit.
    """
    visits = 0
    while not run.done:
        assert worker.take(run)
        worker.train(1, 0.001)
        _progress(worker, run, lambda kinds: len(kinds) >= 1)
        for _, progress in worker.stop_training():
            apply_progress(run, progress)
        load_full_state(run, worker.give_back())
        visits += 1
    return visits


@pytest.mark.parametrize(
    "name, options, train",
    [
        ("boston", {}, {"epochs": 40, "early_stopping": 3}),
        ("mnist", {"n_train": 2000}, {"epochs": 4, "augment": True}),
    ],
    ids=["boston with early stopping", "mnist with augmentation"],
)
def test_a_run_trained_in_a_worker_with_hand_backs_equals_one_trained_here(
    worker, name, options, train
):
    ds = data.load(name, **options)
    here = _run(ds, **train)
    here.advance()
    there = _run(ds, **train)
    visits = _train_in(worker, there)
    assert visits > 1  # the run did cross the process boundary mid-way
    assert there.status == here.status and there.stop_code == here.stop_code
    assert rows_without_timing(there) == rows_without_timing(here)
    assert there.history.step_loss == here.history.step_loss
    assert same_state(state(there.model), state(here.model))
    assert there.step == here.step and there.samples_seen == here.samples_seen


def test_progress_keeps_the_copy_here_in_step_while_the_worker_trains(worker):
    ds = data.load("iris")
    run = _run(ds, epochs=500, batch_size=1)
    assert worker.take(run)
    worker.train(1, 0.02)
    _progress(worker, run, lambda _: run.epoch >= 3)
    assert len(run.history.epochs) == run.epoch and run.step > 0
    assert len(run.history.step_loss) == run.step
    for _, progress in worker.stop_training():
        apply_progress(run, progress)
    seen = (run.epoch, run.step, state(run.model))
    load_full_state(run, worker.give_back())
    # The last progress before "stopped" was the whole of it: nothing trained after.
    assert (run.epoch, run.step) == seen[:2] and same_state(state(run.model), seen[2])
    assert not same_state(seen[2], state(_run(ds, epochs=500, batch_size=1).model))


def test_a_stopped_workers_last_progress_carries_the_weights_of_its_last_step(monkeypatch):
    monkeypatch.setattr(run_transfer, "MODEL_EVERY_SECONDS", 3600.0)  # however slow this machine
    run = _run(data.load("iris"), epochs=5, batch_size=1)
    reader = ProgressReader(run)
    run.advance(max_steps=3)
    reader.read()
    run.advance(max_steps=2)
    # Within MODEL_EVERY_SECONDS and the same epoch, a progress read leaves the weights out...
    assert "model" not in reader.read()
    run.advance(max_steps=1)
    # ...but the one sent when training stops has them: its counters and weights match.
    sent = reader.read(whole=True)["model"]
    assert same_state(sent, state(run.model))


def test_planned_epochs_reach_a_training_worker_and_it_says_when_the_run_ends(worker):
    run = _run(data.load("iris"), epochs=100_000, batch_size=1)
    assert worker.take(run)
    worker.train(1, 0.02)
    _progress(worker, run, lambda _: run.epoch >= 1)
    worker.set_epochs(run.epoch + 1)  # the worker may be further on: it stops after its epoch
    kinds = _progress(worker, run, lambda kinds: "ended" in kinds)
    assert "ended" in kinds
    assert run.status == "finished" and run.epoch == run.train_config.epochs < 1000
    worker.want()  # a request still on its way when the run is given back is passed over
    load_full_state(run, worker.give_back())
    assert run.status == "finished"
    assert worker.take(_run(data.load("iris"), epochs=1))
    worker.give_back()


def test_the_worker_trains_its_own_copy_never_the_tensors_here(worker):
    # multiprocessing's own pickler would move the model into shared memory, where the
    # worker's training would change the server's copy in the middle of a borrow.
    run = _run(data.load("iris"), epochs=50, batch_size=1)
    weights, order = state(run.model), run._shuffle_gen.get_state().clone()
    assert worker.take(run)
    worker.train(1, 0.02)
    worker.want()
    wait_for(lambda: worker.messages(timeout=0.05), "a progress message")
    assert same_state(state(run.model), weights)
    assert torch.equal(run._shuffle_gen.get_state(), order)
    worker.stop_training()
    worker.give_back()


def test_a_dataset_is_sent_to_a_worker_once(worker):
    ds = data.load("xor")
    for _ in range(3):
        assert worker.take(_run(ds, epochs=1))
        worker.give_back()
    held = worker._call("datasets")
    assert len(held) == len(set(held)) and len(held) <= 3
    assert worker._token_for(ds) == held[-1]


def test_a_run_that_cannot_be_pickled_stays_here(worker):
    run = _run(data.load("xor"), epochs=1)
    run.model.register_forward_hook(lambda module, args, out: None)
    assert worker.take(run) is False
    # The worker is still in order: the next run goes in.
    assert worker.take(_run(data.load("xor"), epochs=1))
    worker.give_back()


def test_an_error_in_the_worker_comes_back_as_the_same_error(worker):
    run = _run(data.load("iris"), epochs=5)
    # A table cannot be augmented: the worker's TrainingRun refuses it, with the code and numbers.
    run.train_config = dataclasses.replace(run.train_config, augment=True)
    with pytest.raises(CodedError) as caught:
        worker.take(run)
    assert caught.value.code == "augment_needs_images"
    assert caught.value.params == {"shape": (4,)}
    assert worker.alive
    assert worker.take(_run(data.load("iris"), epochs=1))  # and it goes on serving
    worker.give_back()
    held = worker._call("datasets")  # the iris it kept before refusing the run is known here
    assert list(worker._sent) == held


def test_a_killed_worker_is_reported_and_a_new_one_takes_the_next_run():
    worker = TrainWorker()
    try:
        run = _run(data.load("iris"), epochs=1000, batch_size=1)
        assert worker.take(run)
        os.kill(worker.pid, signal.SIGKILL)
        with pytest.raises(TrainingProcessLost) as caught:
            worker.train(1, 0.05)
            worker.messages(timeout=30)
        assert caught.value.code == "training_process_lost"
        assert caught.value.params["exitcode"] == -signal.SIGKILL
        assert not worker.alive
        assert worker.take(run)  # started again, with the dataset sent anew
        worker.train(1, 0.05)
        _progress(worker, run, lambda _: run.step > 0)
        worker.stop_training()
        worker.give_back()
    finally:
        worker.stop()


def test_a_worker_started_from_two_threads_at_once_runs_one_process(monkeypatch):
    # The server's warm-up starts the pool while a first Train click's thread takes a worker.
    real_popen, started = subprocess.Popen, []

    def slow_popen(*args, **kwargs):
        time.sleep(0.3)  # widen the moment between "not alive" and the process existing
        process = real_popen(*args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(train_process.subprocess, "Popen", slow_popen)
    worker = TrainWorker()
    both = threading.Barrier(2)

    def start() -> None:
        both.wait()
        worker.start()

    threads = [threading.Thread(target=start) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert len(started) == 1
        assert worker.take(_run(data.load("xor"), epochs=1))  # the one process answers
        worker.give_back()
    finally:
        worker.stop()
        for process in started:
            process.wait(timeout=10)


def test_runs_go_to_workers_on_servers_with_several_slots_unless_told(monkeypatch):
    monkeypatch.delenv(PROCESS_ENV, raising=False)
    assert not enabled(1) and enabled(2) and enabled(7)
    monkeypatch.setenv(PROCESS_ENV, "1")
    assert enabled(1)
    monkeypatch.setenv(PROCESS_ENV, "0")
    assert not enabled(4)


def test_ctrl_c_in_the_terminal_leaves_the_worker_to_its_server(worker):
    # The worker shares the server's process group: the server, not the signal, ends it.
    assert worker.take(_run(data.load("xor"), epochs=1))
    os.kill(worker.pid, signal.SIGINT)
    load_full_state(_run(data.load("xor"), epochs=1), worker.give_back())
    assert worker.alive


def test_a_remote_runs_worker_goes_back_to_the_pool_once_even_if_closed_twice():
    from types import SimpleNamespace

    from models.remote_run import RemoteRun

    class Pool:
        def __init__(self) -> None:
            self.returned: list[object] = []

        def give_back(self, worker) -> None:
            self.returned.append(worker)

    class LostWorker:
        def give_back(self):
            raise TrainingProcessLost("training_process_lost", "gone", exitcode=-9)

    pool, worker = Pool(), LostWorker()
    run = SimpleNamespace(train_config=SimpleNamespace(epochs=1))
    remote = RemoteRun(pool, worker, run, threading.RLock())
    with pytest.raises(TrainingProcessLost):
        remote.close()  # the state could not come back, but the worker still returns
    remote.close()  # e.g. the trainer thread's clean-up after a close in its loop
    assert pool.returned == [worker]  # in the pool once: never lent to two runs at a time
