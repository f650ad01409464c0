"""models.TrainingRun: a loss that stops being a number ends the run cleanly, with the last good weights."""

from __future__ import annotations

import math

import pytest
import torch

import data
from models import TrainConfig, TrainingRun
from tests.trainer_helpers import (
    Recorder,
    same_state,
)
from tests.trainer_helpers import model_config as _model_config
from tests.trainer_helpers import state as _state


@pytest.fixture(scope="module")
def boston():
    return data.load("boston")


def test_absurd_learning_rate_diverges_and_restores_the_initial_weights(boston):
    recorder = Recorder()
    cfg = _model_config(boston, hidden=[32])
    run = TrainingRun(
        boston,
        cfg,
        TrainConfig(optimizer="sgd", lr=1e6, batch_size=32, epochs=3),
        callbacks=[recorder],
    )
    initial = _state(run.model)
    run.advance()
    assert run.status == "diverged" and run.done
    assert "learning rate" in run.stop_reason and "initial values" in run.stop_reason
    assert all(torch.isfinite(v).all() for v in run.model.state_dict().values())
    assert same_state(_state(run.model), initial)
    assert run.history.step_loss and all(math.isfinite(v) for v in run.history.step_loss)
    assert recorder.events[0] == "begin" and recorder.events.count("end") == 1
    assert run.progress == 1.0
    with pytest.raises(RuntimeError, match="smaller learning rate"):
        run.extend(1)
    assert run.advance() is run and run.status == "diverged"  # advancing a finished run is a no-op


@pytest.mark.parametrize("slicing", [None, 0.05])
def test_divergence_found_by_a_flush_in_mid_epoch_ends_the_run_cleanly(boston, slicing):
    """Batch 1 gives 400 steps an epoch, so NaN turns up at a flush inside the epoch, not at its end."""
    run = TrainingRun(
        boston,
        _model_config(boston, hidden=[32]),
        TrainConfig(optimizer="sgd", lr=1e6, batch_size=1, epochs=2),
    )
    while not run.done:
        run.advance(seconds=slicing)
    assert run.status == "diverged" and run.epoch == 0
    assert run.step < 400 and "learning rate" in run.stop_reason
    assert all(torch.isfinite(v).all() for v in run.model.state_dict().values())


def test_a_loss_that_is_not_finite_before_any_update_blames_the_data_not_the_learning_rate(boston):
    huge = data.Dataset(
        name="boston",
        task="regression",
        X_train=boston.X_train.copy(),
        y_train=boston.y_train * 1e30,
        X_valid=boston.X_valid,
        y_valid=boston.y_valid,
        feature_names=boston.feature_names,
    )
    run = TrainingRun(
        huge, _model_config(huge, hidden=[8]), TrainConfig(optimizer="adam", lr=1e-3, epochs=2)
    )
    initial = _state(run.model)
    run.advance()
    assert run.status == "diverged" and run.step >= 1
    assert (
        "very first batch" in run.stop_reason
        and "learning rate is not the cause" in run.stop_reason
    )
    assert same_state(_state(run.model), initial)


def test_a_validation_loss_lost_after_the_first_update_blames_the_learning_rate():
    # XOR's 4 points are one batch: its loss is finite, but the one update with lr 1e20 makes
    # the validation loss NaN. It used to be told the data, not the learning rate, was the cause.
    xor = data.load("xor")
    cfg = _model_config(xor, hidden=[8])
    run = TrainingRun(xor, cfg, TrainConfig(optimizer="adam", lr=1e20, epochs=2)).advance()
    assert run.status == "diverged" and math.isfinite(run.history.step_loss[0])
    assert run.stop_code == "diverged_initial" and run.stop_params["step"] == 1
    assert "not the cause" not in run.stop_reason and "too high" in run.stop_reason


def test_divergence_after_good_epochs_restores_the_last_good_epoch(boston):
    cfg = _model_config(boston, hidden=[32])
    run = TrainingRun(boston, cfg, TrainConfig(optimizer="sgd", lr=1e-3, batch_size=32, epochs=2))
    run.advance()
    assert run.status == "finished"
    good = _state(run.model)
    for group in run.optimizer.param_groups:
        group["lr"] = 1e6
    run.extend(2)
    run.advance()
    assert run.status == "diverged"
    assert "end of epoch 2" in run.stop_reason and "learning rate" in run.stop_reason
    assert same_state(_state(run.model), good)
    assert run.optimizer.param_groups[0]["lr"] == 1e-3  # the optimizer state is restored too
    assert all(math.isfinite(v) for v in run.history.step_loss)
    assert all(math.isfinite(r["valid_loss"]) for r in run.history.epochs)


def test_divergence_found_at_an_epoch_end_leaves_a_finite_history(boston):
    # Full-batch SGD at lr 100: step 1's loss is finite (it is computed before the update), the
    # update blows the weights up, and only the validation pass at the end of epoch 2 sees inf.
    # Found by this suite: that epoch's row (valid_loss=inf, no valid_rmse) stays in the history
    # although its weights were thrown away; a mid-epoch divergence adds no row.
    recorder = Recorder()
    cfg = _model_config(boston, hidden=[32])
    run = TrainingRun(
        boston,
        cfg,
        TrainConfig(optimizer="sgd", lr=100, batch_size=400, epochs=6),
        callbacks=[recorder],
    )
    run.advance()
    assert run.status == "diverged" and "end of epoch 1" in run.stop_reason
    assert same_state(_state(run.model), recorder.weights[0])
    assert all(math.isfinite(v) for v in run.history.step_loss)
    assert all(math.isfinite(v) for row in run.history.epochs for v in row.values()), (
        run.history.epochs
    )
    assert len(run.history.epochs) == len(recorder.rows) == 1
