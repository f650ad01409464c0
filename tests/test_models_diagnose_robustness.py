"""The coach's robustness_gap: a finished digit model that reads re-drawn digits worse than MNIST's own."""

from __future__ import annotations

from types import SimpleNamespace
from unittest import mock

import numpy as np

from lessons.robustness import Robustness
from models import History, ModelConfig, TrainConfig, build_model, diagnose
from models.diagnose import Finding


def digit_run(augment: bool = False, status: str = "finished") -> SimpleNamespace:
    """A finished 28x28 digit run with two healthy epochs (the scoring itself is stubbed)."""
    cfg = ModelConfig(input_shape=(28, 28), n_outputs=10, task="multiclass", hidden=(8,))
    rows = [
        {"epoch": 1, "train_loss": 0.5, "valid_loss": 0.5, "valid_accuracy": 0.9},
        {"epoch": 2, "train_loss": 0.3, "valid_loss": 0.35, "valid_accuracy": 0.93},
    ]
    return SimpleNamespace(
        history=History(step_loss=[0.5, 0.3], epochs=rows),
        status=status,
        done=status == "finished",
        stop_code=None,
        stop_params={},
        model_config=cfg,
        train_config=TrainConfig(epochs=2, augment=augment),
        dataset=SimpleNamespace(
            X_valid=np.zeros((10, 28, 28), np.uint8), y_valid=np.zeros(10, np.int64)
        ),
        model=build_model(cfg),
    )


def _scored(clean: float, redrawn: float):
    result = Robustness(clean_accuracy=clean, redrawn_accuracy=redrawn, n=500, by_thickness={})
    return (
        mock.patch("lessons.robustness.robustness", return_value=result),
        mock.patch("models.diagnose_robustness._redrawn", return_value=None),
    )


def _codes(run, clean: float, redrawn: float) -> list[str]:
    first, second = _scored(clean, redrawn)
    with first, second:
        return [f.code for f in diagnose(run)]


def robustness_example() -> Finding:
    """One robustness_gap finding (for the catalogue's contract in test_models_diagnose)."""
    first, second = _scored(0.98, 0.95)
    with first, second:
        [finding] = [f for f in diagnose(digit_run()) if f.code == "robustness_gap"]
    return finding


def test_a_gap_of_three_points_suggests_augmentation_with_the_numbers():
    finding = robustness_example()
    assert finding.evidence == {"clean_pct": 98.0, "redrawn_pct": 95.0, "n": 500}
    assert finding.suggestion == {"augment": True}
    assert not finding.is_problem  # advice: the run itself is healthy


def test_no_advice_under_a_point_for_augmented_runs_or_while_training():
    assert "robustness_gap" not in _codes(digit_run(), 0.98, 0.975)
    assert "robustness_gap" not in _codes(digit_run(augment=True), 0.98, 0.90)
    assert "robustness_gap" not in _codes(digit_run(status="running"), 0.98, 0.90)
