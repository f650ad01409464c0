"""models.TrainingRun / models.train: learning, slicing, determinism, stopping, metrics."""

from __future__ import annotations

import itertools
import math
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from sklearn import metrics as skm

import data
import models
from models import Callback, ModelConfig, TrainConfig, TrainingRun
from tests.trainer_helpers import (
    Recorder,
    rows_without_timing,
    same_state,
)
from tests.trainer_helpers import model_config as _model_config
from tests.trainer_helpers import state as _state


@pytest.fixture(scope="module")
def iris():
    return data.load("iris")


@pytest.fixture(scope="module")
def boston():
    return data.load("boston")


@pytest.fixture(scope="module")
def xor():
    return data.load("xor")


# --------------------------------------------------------------------------- learning


def test_xor_learns_to_100_percent(xor):
    # 4 points, one full batch per epoch. Over seeds 0-19 this config reaches 100% by epoch 27
    # at the latest, so 100 epochs leave a wide margin.
    cfg = _model_config(xor, hidden=[8], activation="tanh")
    run = models.train(
        xor, cfg, TrainConfig(optimizer="adam", lr=0.05, batch_size=4, epochs=100, seed=0)
    )
    assert run.status == "finished" and run.stop_reason is None
    assert run.epoch == 100 and run.step == 100 and len(run.history.step_loss) == 100
    last = run.history.latest()
    assert last["valid_accuracy"] == 1.0 and last["train_accuracy"] == 1.0
    assert last["valid_loss"] < 0.05
    assert models.predict(run.model, xor.X_valid).tolist() == [0, 1, 1, 0]


def test_iris_reaches_93_percent_on_the_recommended_split(iris):
    assert iris.split == "recommended"
    cfg = _model_config(iris, hidden=[16])
    run = models.train(iris, cfg, TrainConfig(lr=0.02, batch_size=16, epochs=20, seed=0))
    assert run.history.latest()["valid_accuracy"] >= 0.93
    assert run.history.epochs[-1]["train_loss"] < run.history.epochs[0]["train_loss"]


def test_boston_beats_the_training_mean_predictor(boston):
    mean_rmse = float(np.sqrt(np.mean((boston.y_valid - boston.y_train.mean()) ** 2)))
    cfg = _model_config(boston, hidden=[32])
    run = models.train(boston, cfg, TrainConfig(lr=0.01, batch_size=32, epochs=15, seed=0))
    last = run.history.latest()
    # The mean predictor has RMSE ~8.5 ($1000s) and R² <= 0; the network reaches ~3.7 in 15 epochs.
    assert last["valid_rmse"] < 0.6 * mean_rmse
    assert last["valid_r2"] > 0.6


def test_mnist_subset_mlp_and_cnn_train_on_uint8_images():
    ds = data.load("mnist", n_train=600, n_valid=300)
    assert ds.X_train.dtype == np.uint8
    mlp = models.train(
        ds, _model_config(ds, hidden=[64]), TrainConfig(batch_size=32, epochs=3, seed=0)
    )
    assert mlp.history.latest()["valid_accuracy"] > 0.6  # chance is 0.1
    cnn = models.train(
        ds, _model_config(ds, kind="cnn", hidden=[32]), TrainConfig(batch_size=32, epochs=1)
    )
    row = cnn.history.latest()
    assert math.isfinite(row["valid_loss"]) and row["valid_loss"] < math.log(
        10
    )  # better than uniform
    assert cnn.history.step_loss[-1] < cnn.history.step_loss[0]


def test_gathering_batches_in_blocks_changes_nothing_but_speed(monkeypatch):
    """Blocks of one batch, of a few batches, and of the whole epoch train identically."""
    import models.trainer as trainer_module

    ds = data.load("mnist", n_train=300, n_valid=100)
    tc = TrainConfig(batch_size=32, epochs=2, seed=3)  # 300 = 9 full batches + 12 left over
    runs = []
    for block_bytes in (1, 3 * 32 * 784 * 4, 2**30):
        monkeypatch.setattr(trainer_module, "_BLOCK_BYTES", block_bytes)
        runs.append(models.train(ds, _model_config(ds, hidden=[16]), tc))
    for run in runs[1:]:
        assert run.history.step_loss == runs[0].history.step_loss
        assert same_state(_state(run.model), _state(runs[0].model))
        assert rows_without_timing(run) == rows_without_timing(runs[0])
    assert len(runs[0].history.step_loss) == 2 * 10


# Divergence: tests/test_models_divergence.py.


# --------------------------------------------------------------------------- slicing and determinism

# Dropout and BatchNorm so that the RNG and running statistics are part of the state;
# batch 23 on Iris' 70 training rows leaves a batch of one, which BatchNorm must skip.
SLICED_TC = dict(optimizer="adam", lr=0.01, batch_size=23, epochs=6, seed=3)


def _sliced_model_config(iris) -> ModelConfig:
    return _model_config(iris, hidden=[16, 8], batchnorm=True, dropout=0.3)


@pytest.fixture(scope="module")
def one_shot(iris):
    return models.train(iris, _sliced_model_config(iris), TrainConfig(**SLICED_TC))


@pytest.mark.parametrize("slicing", ["max_steps=1", "seconds=0.001"])
def test_sliced_training_equals_one_shot_training(iris, one_shot, slicing, monkeypatch):
    if slicing == "seconds=0.001":
        # A clock that moves 1 ms per reading: every slice ends after its first step, on any host
        # (the whole run takes ~20 ms, so a real clock gives a fast host a single slice).
        ticks = itertools.count(1)
        clock = SimpleNamespace(perf_counter=lambda: next(ticks) / 1000)
        monkeypatch.setattr(models.trainer, "time", clock)
    run = TrainingRun(iris, _sliced_model_config(iris), TrainConfig(**SLICED_TC))
    torch.manual_seed(12345)
    slices = 0
    while not run.done:
        if slicing == "max_steps=1":
            run.advance(max_steps=1)
        else:
            run.advance(seconds=0.001)
        slices += 1
        # Unrelated use of the global RNG between slices (a UI drawing, another lab...)
        # must not leak into the run's dropout masks.
        torch.rand(7)
        torch.randn(3, 3)
    assert slices == 6 * 4  # one batch a slice (the skipped batch of one too): really cut up
    assert run.status == one_shot.status == "finished"
    assert run.step == one_shot.step == 6 * 3  # 3 steps per epoch: the batch of one is skipped
    assert same_state(_state(run.model), _state(one_shot.model))
    assert run.history.step_loss == one_shot.history.step_loss
    assert rows_without_timing(run) == rows_without_timing(one_shot)


def test_throughput_counts_the_epoch_under_way(xor, monkeypatch):
    # A clock that moves 1 ms a reading: every step takes exactly 1 ms of training time.
    ticks = itertools.count(1)
    monkeypatch.setattr(
        models.trainer, "time", SimpleNamespace(perf_counter=lambda: next(ticks) / 1000)
    )
    run = TrainingRun(xor, _model_config(xor), TrainConfig(epochs=3, batch_size=1, seed=0))
    per_epoch = len(xor.y_train)
    run.advance(max_steps=2)  # inside the first epoch: it used to read 0
    assert run.epoch == 0 and run.samples_per_sec == pytest.approx(1000)
    run.advance(max_steps=per_epoch)  # two steps into the second: it used to count those
    assert run.epoch == 1 and run.samples_seen == per_epoch + 2  # samples over one epoch's time
    assert run.samples_per_sec == pytest.approx(1000)
    run.advance()
    assert run.done and run.samples_per_sec == pytest.approx(1000)


def test_throughput_counts_the_steps_of_an_epoch_a_divergence_discarded(boston, monkeypatch):
    ticks = itertools.count(1)  # 1 ms a reading, as above: one sample a millisecond at batch 1
    monkeypatch.setattr(
        models.trainer, "time", SimpleNamespace(perf_counter=lambda: next(ticks) / 1000)
    )
    tc = TrainConfig(epochs=5, batch_size=1, lr=50.0, optimizer="sgd", seed=0)
    run = TrainingRun(boston, _model_config(boston), tc)
    run.advance()
    assert run.status == "diverged" and run.samples_seen > 0
    # Its samples stayed counted while its seconds went with the discarded epoch: it read 0.
    assert run.samples_per_sec == pytest.approx(1000)


def test_pausing_from_a_callback_and_resuming_equals_one_shot(iris, one_shot):
    class PauseEachEpoch(Callback):
        def on_epoch_end(self, run, row):
            run.pause()

    run = TrainingRun(
        iris, _sliced_model_config(iris), TrainConfig(**SLICED_TC), callbacks=[PauseEachEpoch()]
    )
    calls = 0
    while not run.done:
        run.advance()
        calls += 1
        torch.rand(5)
    assert calls == 6
    assert same_state(_state(run.model), _state(one_shot.model))
    assert rows_without_timing(run) == rows_without_timing(one_shot)


def test_training_leaves_the_global_rng_alone(iris):
    torch.manual_seed(99)
    before = torch.get_rng_state()
    models.train(iris, _sliced_model_config(iris), TrainConfig(**{**SLICED_TC, "epochs": 1}))
    assert torch.equal(torch.get_rng_state(), before)


def test_same_seed_is_identical_and_different_seeds_differ(iris, one_shot):
    again = models.train(iris, _sliced_model_config(iris), TrainConfig(**SLICED_TC))
    assert same_state(_state(again.model), _state(one_shot.model))
    assert again.history.step_loss == one_shot.history.step_loss
    assert rows_without_timing(again) == rows_without_timing(one_shot)

    other = models.train(iris, _sliced_model_config(iris), TrainConfig(**{**SLICED_TC, "seed": 4}))
    assert not same_state(_state(other.model), _state(one_shot.model))
    assert other.history.step_loss != one_shot.history.step_loss


# --------------------------------------------------------------------------- stopping, extending, progress


@pytest.fixture(scope="module")
def noisy_xor():
    # Overlapping clouds: a 64-64 network overfits them within a few epochs.
    return data.load("xor", n_per_corner=50, noise=0.6)


def test_early_stopping_stops_and_restores_the_best_weights(noisy_xor):
    patience = 5
    recorder = Recorder()
    cfg = _model_config(noisy_xor, hidden=[64, 64])
    run = models.train(
        noisy_xor,
        cfg,
        TrainConfig(lr=0.01, batch_size=16, epochs=200, early_stopping=patience),
        callbacks=[recorder],
    )
    assert run.status == "early_stopped"
    assert run.epoch < 200
    best = run.history.best("valid_loss")
    assert run.epoch == best["epoch"] + patience  # stopped exactly `patience` epochs after the best
    assert 1 < best["epoch"] < run.epoch  # a non-trivial case: neither the first nor the last epoch
    assert f"epoch {best['epoch']}" in run.stop_reason
    # The model now holds the best epoch's weights: the ones recorded at that epoch's end...
    assert same_state(_state(run.model), recorder.weights[best["epoch"] - 1])
    # ...and scores exactly the best row's validation loss again.
    assert run.evaluate()["loss"] == best["valid_loss"]
    assert run.evaluate()["loss"] < run.history.latest()["valid_loss"]


def test_finished_run_with_early_stopping_patience_left_restores_best(noisy_xor):
    # Training ends (epochs exhausted) before the patience runs out: best weights still win.
    cfg = _model_config(noisy_xor, hidden=[64, 64])
    run = models.train(
        noisy_xor, cfg, TrainConfig(lr=0.01, batch_size=16, epochs=13, early_stopping=50)
    )
    best = run.history.best("valid_loss")
    assert run.status == "finished"
    assert best["epoch"] < 13  # the last epochs were worse: restoring is needed
    assert "Restored" in run.stop_reason and f"epoch {best['epoch']}" in run.stop_reason
    assert run.evaluate()["loss"] == best["valid_loss"]


def test_extend_resumes_a_finished_run_as_if_trained_longer(iris):
    cfg = _model_config(iris, hidden=[16], dropout=0.2)
    run = models.train(iris, cfg, TrainConfig(lr=0.01, batch_size=16, epochs=3))
    assert run.status == "finished" and run.epoch == 3
    run.extend(2)
    assert run.status == "running" and not run.done
    run.advance()
    assert run.status == "finished" and run.epoch == 5 and len(run.history.epochs) == 5
    straight = models.train(iris, cfg, TrainConfig(lr=0.01, batch_size=16, epochs=5))
    assert same_state(_state(run.model), _state(straight.model))
    assert rows_without_timing(run) == rows_without_timing(straight)


def test_progress_goes_from_0_to_1_without_going_back(iris):
    # Regression test: right after an epoch ended, the old epoch's position used to be counted
    # again, so progress jumped ahead by almost a whole epoch and fell back when the next began.
    run = TrainingRun(iris, _model_config(iris, hidden=[8]), TrainConfig(batch_size=32, epochs=3))
    assert run.progress == 0.0
    seen = [run.progress]
    while not run.done:
        run.advance(max_steps=1)
        seen.append(run.progress)
        if not run.done and run._order is None:  # just after an epoch ended
            assert run.progress == pytest.approx(run.epoch / 3), (
                f"progress {run.progress} after epoch {run.epoch}"
            )
    assert seen[-1] == 1.0
    assert all(b >= a for a, b in zip(seen, seen[1:], strict=False)), (
        f"progress went backwards: {seen}"
    )
    run.extend(2)  # 3 of now 5 epochs are done
    assert run.progress == pytest.approx(3 / 5)


# --------------------------------------------------------------------------- callbacks and history


def test_callbacks_are_called_in_order(iris):
    recorder = Recorder()
    run = models.train(
        iris, _model_config(iris, hidden=[8]), TrainConfig(epochs=4), callbacks=[recorder]
    )
    assert recorder.events == ["begin"] + ["epoch"] * 4 + ["end"]
    assert recorder.rows == run.history.epochs


def test_callbacks_end_with_on_train_end_when_stopping_early(noisy_xor):
    # on_train_end must be the last call (a UI finalizes its charts there), also on an early stop.
    recorder = Recorder()
    cfg = _model_config(noisy_xor, hidden=[64, 64])
    run = models.train(
        noisy_xor,
        cfg,
        TrainConfig(lr=0.01, batch_size=16, epochs=200, early_stopping=5),
        callbacks=[recorder],
    )
    assert run.status == "early_stopped"
    assert recorder.events == ["begin"] + ["epoch"] * run.epoch + ["end"]


CLASSIFICATION_KEYS = {
    "epoch",
    "train_loss",
    "train_accuracy",
    "valid_loss",
    "valid_accuracy",
    "seconds",
    "eval_seconds",
    "samples_per_sec",
}
REGRESSION_KEYS = {
    "epoch",
    "train_loss",
    "valid_loss",
    "valid_rmse",
    "valid_mae",
    "valid_r2",
    "seconds",
    "eval_seconds",
    "samples_per_sec",
}


@pytest.mark.parametrize(
    ("name", "keys"),
    [("iris", CLASSIFICATION_KEYS), ("boston", REGRESSION_KEYS), ("xor", CLASSIFICATION_KEYS)],
)
def test_history_rows_have_the_documented_keys(name, keys, iris, boston, xor):
    ds = {"iris": iris, "boston": boston, "xor": xor}[name]
    run = models.train(ds, _model_config(ds, hidden=[8]), TrainConfig(epochs=2))
    assert [r["epoch"] for r in run.history.epochs] == [1, 2]
    for row in run.history.epochs:
        assert set(row) == keys
        assert all(isinstance(v, int | float) and math.isfinite(v) for v in row.values())
        assert row["seconds"] > 0 and row["samples_per_sec"] > 0
        assert row["samples_per_sec"] == pytest.approx(len(ds.X_train) / row["seconds"])
    assert run.train_seconds == pytest.approx(sum(run.history.column("seconds")))
    assert run.samples_seen == 2 * len(ds.X_train)
    assert len(run.history.step_loss) == run.step == 2 * run.steps_per_epoch
    assert run.history.to_dict()["epochs"] == run.history.epochs


def test_classification_metrics_equal_sklearn_on_the_predictions(iris):
    run = models.train(
        iris, _model_config(iris, hidden=[16]), TrainConfig(lr=0.01, batch_size=16, epochs=5)
    )
    row = run.history.latest()
    pred = models.predict(run.model, iris.X_valid)
    proba = models.predict_proba(run.model, iris.X_valid)
    assert row["valid_accuracy"] == skm.accuracy_score(iris.y_valid, pred)
    assert row["valid_loss"] == pytest.approx(
        skm.log_loss(iris.y_valid, proba, labels=[0, 1, 2]), rel=1e-5
    )
    train = run.evaluate("train")
    assert train["accuracy"] == skm.accuracy_score(
        iris.y_train, models.predict(run.model, iris.X_train)
    )
    assert run.evaluate("valid", limit=10)["accuracy"] == skm.accuracy_score(
        iris.y_valid[:10], pred[:10]
    )


def test_regression_metrics_equal_sklearn_on_the_predictions(boston):
    run = models.train(boston, _model_config(boston, hidden=[16]), TrainConfig(lr=0.01, epochs=3))
    row = run.history.latest()
    pred = models.predict(run.model, boston.X_valid)
    assert pred.shape == boston.y_valid.shape
    assert row["valid_rmse"] == pytest.approx(
        skm.root_mean_squared_error(boston.y_valid, pred), rel=1e-5
    )
    assert row["valid_mae"] == pytest.approx(
        skm.mean_absolute_error(boston.y_valid, pred), rel=1e-5
    )
    assert row["valid_r2"] == pytest.approx(skm.r2_score(boston.y_valid, pred), rel=1e-5)
    assert row["valid_loss"] == pytest.approx(row["valid_rmse"] ** 2, rel=1e-5)  # MSELoss


def test_evaluate_restores_the_training_mode(iris):
    run = TrainingRun(
        iris, _model_config(iris, hidden=[8], batchnorm=True, dropout=0.5), TrainConfig(epochs=1)
    )
    run.model.train()
    run.evaluate()
    assert run.model.training
    run.model.eval()
    run.evaluate()
    assert not run.model.training


@pytest.mark.parametrize(
    "bad",
    [
        {"batch_size": 0},
        {"epochs": -1},
        {"optimizer": "lbfgs"},
        {"lr": 0.0},
        {"loss": "hinge"},
        {"device": "tpu"},
    ],
)
def test_bad_train_configs_are_value_errors(iris, bad):
    with pytest.raises(ValueError):
        TrainingRun(iris, _model_config(iris, hidden=[8]), TrainConfig(**bad))
