"""Coded stops and device notes of a run: divergence, early stopping, a loaded model, no CUDA.

The UI words them from errors.<code>, as the errors in tests/test_error_codes.py.
"""

from __future__ import annotations

import torch

import data
import models
from data.errors import ERROR_CODES
from models import ModelConfig, TrainConfig, TrainingRun
from models.device import DEVICE_NOTES, resolve_device_code
from models.loaded_run import LOADED_REASON, loaded_run
from ui.i18n import Translator

IRIS, BOSTON = data.load("iris"), data.load("boston")


def _stop(run: TrainingRun, code: str) -> None:
    assert run.stop_code == code and set(run.stop_params) == set(ERROR_CODES[code])
    assert Translator("en")(f"errors.{code}", **run.stop_params) == run.stop_reason
    assert Translator("zh-TW")(f"errors.{code}", **run.stop_params) != run.stop_reason


def _run(lr: float, epochs: int, dataset=BOSTON, optimizer="sgd", **kw) -> TrainingRun:
    cfg = ModelConfig(dataset.input_shape, 1, "regression", hidden=(8,))
    return TrainingRun(dataset, cfg, TrainConfig(optimizer, lr, epochs=epochs, **kw)).advance()


def test_divergence_is_coded_with_where_it_happened():
    _stop(run := _run(1e6, 2), "diverged_initial")
    assert run.stop_params["epoch"] == 1 and run.stop_params["step"] > 1
    run = _run(1e-3, 1)
    assert run.status == "finished" and (run.stop_code, run.stop_params) == (None, {})
    for group in run.optimizer.param_groups:
        group["lr"] = 1e6
    run.extend(1)
    _stop(run.advance(), "diverged")
    assert run.stop_params["good_epoch"] == 1 and run.stop_params["epoch"] == 2
    b = BOSTON
    huge = data.Dataset("b", "regression", b.X_train, b.y_train * 1e30, b.X_valid, b.y_valid, [])
    _stop(run := _run(1e-3, 1, dataset=huge), "diverged_at_start")


def test_early_stopping_and_restoring_the_best_are_coded():
    _stop(run := _run(0.1, 12, optimizer="adam", early_stopping=1, batch_size=400), "early_stopped")
    assert run.stop_params["patience"] == 1 and run.stop_params["epoch"] < 12
    _stop(
        run := _run(0.1, 12, optimizer="adam", early_stopping=50, batch_size=400), "restored_best"
    )
    run.set_epochs(13)  # resuming clears the reason
    assert (run.stop_reason, run.stop_code, run.stop_params) == (None, None, {})


def test_a_loaded_model_and_a_cpu_fallback_are_coded():
    model = models.build_model(ModelConfig((4,), 3, "multiclass", hidden=(8,)))
    run = loaded_run(IRIS, model, {}, TrainConfig())
    assert run.stop_reason == LOADED_REASON
    _stop(run, "loaded_from_file")
    run = TrainingRun(IRIS, model.config, TrainConfig(device="cpu"))
    assert (run.device_code, run.device_note, run.device_params) == (None, None, {})
    if not torch.cuda.is_available():
        assert resolve_device_code("cuda")[1] == "device_no_cuda"
        run = TrainingRun(IRIS, model.config, TrainConfig(device="cuda"))
        assert run.device_code == "device_no_cuda"
        assert run.device_note == DEVICE_NOTES["device_no_cuda"]
