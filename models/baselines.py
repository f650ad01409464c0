"""Classical baselines for the regression lab, fitted with scikit-learn on a Dataset's own split.

A network's validation RMSE means little alone; next to a linear regression
(the floor any network should beat) and a gradient-boosted tree ensemble (a
strong off-the-shelf model for small tables) it tells a student how good it
really is. Both are fitted on exactly the training rows the network saw, with
the same (training-only) standardization, and scored on the same validation rows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from models.metrics import regression_metrics

BASELINES = {
    "linear": "Linear regression",
    "gradient_boosting": "Gradient boosting",
    "hist_gradient_boosting": "Histogram gradient boosting",
}


@dataclass
class BaselineResult:
    """One fitted baseline: its validation predictions and metrics (RMSE, MAE, R²)."""

    key: str
    name: str
    predictions: np.ndarray
    metrics: dict[str, float]
    fit_seconds: float


def _estimator(key: str, seed: int):
    # Imported here: sklearn.ensemble costs ~0.5 s to import, and most pages never need it.
    if key == "linear":
        from sklearn.linear_model import LinearRegression

        return LinearRegression()
    if key == "gradient_boosting":
        from sklearn.ensemble import GradientBoostingRegressor

        return GradientBoostingRegressor(random_state=seed)
    if key == "hist_gradient_boosting":
        from sklearn.ensemble import HistGradientBoostingRegressor

        return HistGradientBoostingRegressor(random_state=seed)
    raise ValueError(f"Unknown baseline {key!r}; choose one of {', '.join(BASELINES)}.")


def fit_baseline(dataset, key: str = "linear", seed: int = 0) -> BaselineResult:
    """Fit baseline `key` on dataset's training rows; score it on its validation rows."""
    if dataset.task != "regression":
        raise ValueError(
            f"Baselines here are regressors; the {dataset.name} dataset is {dataset.task}."
        )
    est = _estimator(key, seed)
    t0 = time.perf_counter()
    est.fit(
        np.asarray(dataset.X_train, dtype=np.float64), np.asarray(dataset.y_train, dtype=np.float64)
    )
    seconds = time.perf_counter() - t0
    pred = est.predict(np.asarray(dataset.X_valid, dtype=np.float64)).astype(np.float32)
    return BaselineResult(
        key, BASELINES[key], pred, regression_metrics(dataset.y_valid, pred), seconds
    )


def regression_baselines(
    dataset, keys: tuple[str, ...] = ("linear", "gradient_boosting"), seed: int = 0
) -> list[BaselineResult]:
    """Several baselines on the same split, in the order given."""
    return [fit_baseline(dataset, key, seed) for key in keys]
