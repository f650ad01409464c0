"""Several LiveRuns in one process share the training slots through ui.live_run's admission queue."""

from __future__ import annotations

import time

import pytest

import data
import ui.live_run as live_run
from models import ModelConfig, TrainConfig, TrainingRun
from models.admission import Admission
from tests.trainer_helpers import wait_for
from ui.live_run import LiveRun

pytestmark = pytest.mark.usefixtures("nobody_redraws")


@pytest.fixture(scope="module")
def iris():
    return data.load("iris")


@pytest.fixture
def one_slot(monkeypatch):
    """This process's queue with one slot (whatever the machine's cores), and no turns."""
    adm = Admission(capacity=1, turn_seconds=None)
    monkeypatch.setattr(live_run, "ADMISSION", adm)
    return adm


@pytest.fixture(scope="module")
def boston():
    return data.load("boston")


def _run(ds, epochs: int = 2000, **train) -> TrainingRun:
    mc = ModelConfig(input_shape=ds.input_shape, n_outputs=ds.n_outputs, task=ds.task, hidden=[8])
    train = {"batch_size": 1, "lr": 1e-3, "seed": 0, **train}
    return TrainingRun(ds, mc, TrainConfig(epochs=epochs, **train))


def _started(name: str, job) -> LiveRun:
    live = LiveRun(name)
    live.session_alive = lambda: True
    live.start(job)
    live.keep_training()
    return live


class Exploding:
    """A job whose first slice raises, standing in for any unexpected error in training."""

    done = False
    step = 0

    def advance(self, seconds=None, threads=None):
        raise RuntimeError("boom")


def test_runs_beyond_the_slots_wait_in_order_and_start_on_their_own(iris, one_slot):
    a = _started("a", _run(iris))
    wait_for(lambda: a.step > 0, "the first run training")
    b, c = _started("b", _run(iris)), _started("c", _run(iris))
    wait_for(lambda: (b.queue_position, c.queue_position) == (0, 1), "b and c queued")
    assert a.queue_position is None and b.step == 0 and c.step == 0
    a.keep_training()  # a redraw (a rerun) neither restarts a thread nor loses a place
    b.keep_training()
    assert (b.queue_position, c.queue_position) == (0, 1) and b.training_now

    a.pause()  # pausing frees the slot: b starts by itself
    wait_for(lambda: b.step > 0, "b training after a paused")
    assert c.queue_position == 0 and one_slot.holding == 1
    a.resume()
    a.keep_training()  # resuming queues again, at the back
    wait_for(lambda: a.queue_position == 1, "a queued behind c")

    b.reset()  # a reset frees it too
    wait_for(lambda: c.step > 0, "c training after b's reset")
    assert a.queue_position == 0
    c.stop()
    wait_for(lambda: a.queue_position is None and a.step > 0, "a training again after c stopped")
    a.pause()
    assert (one_slot.holding, one_slot.waiting) == (0, 0)


def test_finishing_diverging_and_failing_all_free_the_slot(iris, boston, one_slot):
    short = _started("short", _run(iris, epochs=2))
    absurd = _run(boston, epochs=3, optimizer="sgd", lr=1e6, batch_size=32)
    diverging = _started("diverging", absurd)
    failing = _started("failing", Exploding())
    last = _started("last", _run(iris))
    wait_for(lambda: short.step > 0 and short._job.done, "the short run finishing")
    wait_for(lambda: diverging._job.done, "the diverging run stopping")
    assert diverging._job.status == "diverged"
    wait_for(lambda: failing.error is not None, "the failing run's error")
    wait_for(lambda: last.step > 0, "the last run training after the three others")
    assert one_slot.holding == 1 and one_slot.waiting == 0
    last.pause()
    assert one_slot.holding == 0


def test_a_closed_tab_leaves_the_queue_and_frees_its_slot(iris, one_slot, monkeypatch):
    monkeypatch.setattr(live_run, "SESSION_GONE_SECONDS", 0.2)
    tabs = {"holder": True, "gone": True}
    holder = _started("holder", _run(iris))
    holder.session_alive = lambda: tabs["holder"]
    wait_for(lambda: holder.step > 0, "the holder training")
    gone, stays = _started("gone", _run(iris)), _started("stays", _run(iris))
    gone.session_alive = lambda: tabs["gone"]
    wait_for(lambda: stays.queue_position == 1, "two runs queued")

    tabs["gone"] = False  # its browser disconnected and did not come back
    wait_for(lambda: not gone.training_now, "the closed tab's thread ending")
    assert gone.queue_position is None and stays.queue_position == 0
    assert gone.running and gone.step == 0  # its run is kept: a reconnect would queue it again

    tabs["holder"] = False  # a training tab closed: its slot goes to the next in line
    wait_for(lambda: stays.step > 0, "the next run training after the holder's tab closed")
    # The slot is freed before the holder's thread has quite ended.
    wait_for(lambda: not holder.training_now, "the closed holder's thread ending")
    stays.pause()


def test_a_brief_disconnect_keeps_the_place(iris, one_slot):
    holder = _started("holder", _run(iris))
    wait_for(lambda: holder.step > 0, "the holder training")
    flicker = {"alive": True}
    waiting = _started("waiting", _run(iris))
    waiting.session_alive = lambda: flicker["alive"]
    wait_for(lambda: waiting.queue_position == 0, "the waiting run queued")
    flicker["alive"] = False  # a reload: shorter than SESSION_GONE_SECONDS
    time_gone = time.monotonic()
    wait_for(lambda: time.monotonic() - time_gone > 0.3, "a moment")
    flicker["alive"] = True
    assert waiting.queue_position == 0 and waiting.training_now
    holder.pause()
    wait_for(lambda: waiting.step > 0, "the waiting run training")
    waiting.pause()


def test_long_runs_take_turns_when_others_wait(iris, monkeypatch):
    adm = Admission(capacity=1, turn_seconds=0.3)
    monkeypatch.setattr(live_run, "ADMISSION", adm)
    first = _started("first", _run(iris))
    wait_for(lambda: first.step > 0, "the first run training")
    second = _started("second", _run(iris))
    wait_for(lambda: second.step > 0, "the second run's turn")
    wait_for(lambda: first.queue_position == 0, "the first run queued for its next turn")
    step = first.step
    wait_for(lambda: first.step > step, "the first run's next turn")
    assert not first._job.done and not second._job.done
    first.pause()
    second.pause()
    assert (adm.holding, adm.waiting) == (0, 0)
