"""models.baselines: sklearn regressors on a Dataset's own split; the bench's network = the page's defaults."""

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.metrics import root_mean_squared_error

import data
from lessons.registry import controls
from models.baselines import BASELINES, fit_baseline, regression_baselines

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def boston():
    return data.load("boston")


def test_linear_baseline_is_plain_sklearn_on_the_same_rows(boston):
    result = fit_baseline(boston, "linear")
    ref = LinearRegression().fit(boston.X_train, boston.y_train).predict(boston.X_valid)
    assert result.predictions.shape == (len(boston.y_valid),)
    np.testing.assert_allclose(result.predictions, ref, rtol=1e-4, atol=1e-3)
    assert result.metrics["rmse"] == pytest.approx(
        root_mean_squared_error(boston.y_valid, ref), rel=1e-4
    )
    assert set(result.metrics) == {"rmse", "mae", "r2"}
    assert result.name == "Linear regression"


def test_boosting_beats_linear_and_is_reproducible(boston):
    linear, boost = regression_baselines(boston)
    assert [linear.key, boost.key] == ["linear", "gradient_boosting"]
    assert boost.metrics["rmse"] < linear.metrics["rmse"]
    again = fit_baseline(boston, "gradient_boosting")
    np.testing.assert_array_equal(again.predictions, boost.predictions)


def test_bad_requests_get_clear_errors(boston):
    with pytest.raises(ValueError, match="Unknown baseline"):
        fit_baseline(boston, "forest")
    with pytest.raises(ValueError, match="multiclass"):
        fit_baseline(data.load("iris"), "linear")
    assert set(BASELINES) == {"linear", "gradient_boosting", "hist_gradient_boosting"}


def _page_spec() -> dict:
    return dataclasses.asdict(controls("boston"))


def test_the_bench_trains_the_pages_default_network():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "boston_bench", ROOT / "bench" / "boston_baselines.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    page = _page_spec()
    lo, hi, layers = page["layers"]
    assert bench.NETWORK == {
        "hidden": [page["neurons"][2]] * layers,
        "activation": page["activation"],
    }
    t = bench.TRAINING
    assert (t["optimizer"], t["lr"], t["batch_size"], t["epochs"], t["weight_decay"]) == (
        page["optimizer"],
        page["lr"],
        page["batch_size"],
        page["epochs"][2],
        page["weight_decay"],
    )
    assert page["early_stopping"] == t["early_stopping"]
