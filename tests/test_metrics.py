"""models.metrics: the per-epoch metrics in numpy equal scikit-learn's, edge cases included."""

import math

import numpy as np
import pytest
from sklearn import metrics as skm

from models.metrics import classification_metrics, regression_metrics, task_metrics


def _sklearn_regression(y_true, y_pred) -> dict[str, float]:
    return {
        "rmse": skm.root_mean_squared_error(y_true, y_pred),
        "mae": skm.mean_absolute_error(y_true, y_pred),
        "r2": skm.r2_score(y_true, y_pred),
    }


@pytest.mark.parametrize("shape", [(102,), (40, 1), (37, 3)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_regression_metrics_equal_sklearn_on_random_targets(shape, dtype):
    rng = np.random.default_rng(sum(shape))
    y_true = (rng.normal(22, 9, shape)).astype(dtype)
    y_pred = (y_true + rng.normal(0, 4, shape)).astype(dtype)
    ours, theirs = regression_metrics(y_true, y_pred), _sklearn_regression(y_true, y_pred)
    assert ours.keys() == theirs.keys()
    for key, value in theirs.items():
        assert ours[key] == pytest.approx(value, rel=1e-5), key
        assert isinstance(ours[key], float)


def test_regression_metrics_of_exact_predictions():
    y = np.array([1.0, 2.0, 4.0])
    assert regression_metrics(y, y) == {"rmse": 0.0, "mae": 0.0, "r2": 1.0}


@pytest.mark.parametrize(
    "y_true, y_pred",
    [
        ([5.0, 5.0, 5.0], [5.0, 5.0, 5.0]),  # constant target, predicted exactly: R² 1
        ([5.0, 5.0, 5.0], [4.0, 5.0, 6.0]),  # constant target, missed: R² 0, not -inf
        ([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]], [[1.5, 5.0], [2.0, 5.0], [2.0, 6.0]]),
        ([1.0, 2.0, 3.0], [30.0, -20.0, 9.0]),  # worse than the mean: R² below 0
    ],
)
def test_regression_metrics_follow_sklearn_at_the_edges(y_true, y_pred):
    ours = regression_metrics(np.array(y_true), np.array(y_pred))
    for key, value in _sklearn_regression(y_true, y_pred).items():
        assert ours[key] == pytest.approx(value, rel=1e-9, abs=1e-12), key


def test_r2_of_one_row_is_not_a_number_as_in_sklearn():
    ours = regression_metrics(np.array([3.0]), np.array([2.0]))
    assert math.isnan(ours["r2"])
    assert ours["rmse"] == ours["mae"] == 1.0


@pytest.mark.parametrize(
    "y_true, y_pred", [([1.0, 2.0], [1.0, 2.0, 3.0]), ([], []), ([[1.0, 2.0]], [[1.0]])]
)
def test_regression_metrics_refuse_mismatched_or_empty_inputs_with_the_shapes(y_true, y_pred):
    with pytest.raises(ValueError, match=r"\("):
        regression_metrics(np.array(y_true), np.array(y_pred))


@pytest.mark.parametrize("n_classes", [2, 3, 10])
def test_accuracy_equals_sklearn(n_classes):
    rng = np.random.default_rng(n_classes)
    y_true = rng.integers(0, n_classes, 150)
    y_pred = np.where(rng.random(150) < 0.7, y_true, rng.integers(0, n_classes, 150))
    assert classification_metrics(y_true, y_pred) == {
        "accuracy": skm.accuracy_score(y_true, y_pred)
    }


def test_accuracy_compares_float_labels_with_integer_predictions():
    # A binary task's targets are float 0/1 and its predictions integer classes.
    y_true = np.array([0.0, 1.0, 1.0, 0.0], dtype=np.float32)
    y_pred = np.array([0, 1, 0, 0])
    assert classification_metrics(y_true, y_pred)["accuracy"] == 0.75
    assert skm.accuracy_score(y_true, y_pred) == 0.75


def test_accuracy_refuses_mismatched_lengths_with_the_counts():
    with pytest.raises(ValueError, match="3 labels and 2 predictions"):
        classification_metrics(np.array([0, 1, 1]), np.array([0, 1]))


def test_task_metrics_picks_the_set_by_task():
    y = np.array([0, 1, 1])
    assert task_metrics("binary", y, y) == {"accuracy": 1.0}
    assert task_metrics("multiclass", y, y) == {"accuracy": 1.0}
    assert set(task_metrics("regression", y, y)) == {"rmse", "mae", "r2"}
