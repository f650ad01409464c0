"""Metrics from scikit-learn, never hand-written: accuracy, confusion matrix, RMSE, MAE, R²."""

from __future__ import annotations

import numpy as np
import sklearn
from sklearn import metrics as skm

# The trainer calls these once per epoch; on 4-point XOR an epoch is ~0.1 ms,
# and sklearn's argument validation would cost ten times that.
_FAST = {"skip_parameter_validation": True}


def classification_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """{'accuracy': ...} for integer class labels."""
    with sklearn.config_context(**_FAST):
        return {"accuracy": float(skm.accuracy_score(y_true, y_pred))}


def regression_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """{'rmse', 'mae', 'r2'} in the target's own units (e.g. $1000s for Boston)."""
    with sklearn.config_context(**_FAST):
        return {
            "rmse": float(skm.root_mean_squared_error(y_true, y_pred)),
            "mae": float(skm.mean_absolute_error(y_true, y_pred)),
            "r2": float(skm.r2_score(y_true, y_pred)),
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
