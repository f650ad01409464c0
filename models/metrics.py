"""Metrics: accuracy, RMSE, MAE and R² in numpy; the confusion matrix and per-class report by sklearn.

The trainer scores the validation split after every epoch, so the per-epoch
metrics are a few numpy reductions: scikit-learn's versions check their
inputs on every call, which cost 26% of a headless Boston run and 37% of an
Iris run (bench/README.md, "Per-epoch metrics"). tests/test_metrics.py holds
them equal to scikit-learn's, edge cases included, as micrograd is held to torch.
"""

from __future__ import annotations

import numpy as np
from sklearn import metrics as skm


def classification_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """{'accuracy': ...}: the share of rows whose label is predicted right (sklearn's accuracy_score)."""
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    if y_true.shape != y_pred.shape or not len(y_true):
        raise ValueError(
            f"accuracy needs as many predictions as labels, at least one: "
            f"got {len(y_true)} labels and {len(y_pred)} predictions"
        )
    return {"accuracy": float(np.mean(y_true == y_pred))}


def _columns(y: np.ndarray) -> np.ndarray:
    """`y` as float64 (rows, outputs): a 1-D target is one output, as in scikit-learn."""
    y = np.asarray(y, dtype=np.float64)
    return y.reshape(-1, 1) if y.ndim == 1 else y


def regression_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """{'rmse', 'mae', 'r2'} in the target's own units (e.g. $1000s for Boston).

    Each is averaged over the outputs with equal weights, as scikit-learn's
    default `multioutput="uniform_average"` does. R² of a constant target is
    1.0 if predicted exactly and 0.0 otherwise (scikit-learn's `force_finite`),
    and NaN with fewer than two rows, where it is not defined.
    """
    y_true, y_pred = _columns(y_true), _columns(y_pred)
    if y_true.shape != y_pred.shape or not len(y_true):
        raise ValueError(
            f"regression metrics need targets and predictions of one shape, at least one row: "
            f"got {y_true.shape} and {y_pred.shape}"
        )
    error = y_true - y_pred
    residual = np.sum(error**2, axis=0)
    total = np.sum((y_true - y_true.mean(axis=0)) ** 2, axis=0)
    if len(y_true) < 2:
        r2 = float("nan")
    else:
        per_output = np.where(total > 0, 1 - residual / np.where(total > 0, total, 1), 0.0)
        per_output[(total == 0) & (residual == 0)] = 1.0
        r2 = float(np.mean(per_output))
    return {
        "rmse": float(np.mean(np.sqrt(residual / len(y_true)))),
        "mae": float(np.mean(np.mean(np.abs(error), axis=0))),
        "r2": r2,
    }


def task_metrics(task: str, y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """The metric set for a task: accuracy for classification, RMSE/MAE/R² for regression."""
    if task == "regression":
        return regression_metrics(y_true, y_pred)
    return classification_metrics(y_true, y_pred)


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """(n_classes, n_classes) counts; rows are true classes, columns predicted ones."""
    return skm.confusion_matrix(y_true, y_pred, labels=list(range(n_classes)))


def per_class_report(y_true: np.ndarray, y_pred: np.ndarray, class_names: list[str]) -> list[dict]:
    """Precision, recall, F1 and support per class, as a list of rows."""
    p, r, f, s = skm.precision_recall_fscore_support(
        y_true, y_pred, labels=list(range(len(class_names))), zero_division=0
    )
    return [
        {
            "class": name,
            "precision": float(p[i]),
            "recall": float(r[i]),
            "f1": float(f[i]),
            "support": int(s[i]),
        }
        for i, name in enumerate(class_names)
    ]
