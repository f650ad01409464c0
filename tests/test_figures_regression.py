"""Pure figure builders of the Boston and Iris labs: the y = x line, residuals, coloured scatter, PCA."""

import numpy as np
import pytest

from ui.figures.regression import (
    predicted_vs_actual_figure,
    residual_figure,
    residual_histogram_figure,
)
from ui.i18n import Translator
from ui.iris.figures import class_scatter_figure, pca_2d, per_class_figure, species_scatter_figure

ZH = Translator("zh-TW")

Y = np.array([10.0, 20.0, 30.0, 50.0])
PRED = np.array([12.0, 18.0, 33.0, 41.0])


def test_predicted_vs_actual_has_the_diagonal_and_one_trace_per_model():
    fig = predicted_vs_actual_figure(Y, {"Neural network": PRED, "Linear regression": PRED - 1})
    diag, net, lin = fig.data
    assert diag.name.startswith("y = x")
    assert list(diag.x) == list(diag.y)  # the line is y = x...
    assert (
        diag.x[0] <= min(Y.min(), PRED.min() - 1) and diag.x[1] >= Y.max()
    )  # ...spanning every point
    assert (net.name, lin.name) == ("Neural network", "Linear regression")
    np.testing.assert_array_equal(net.x, Y)
    np.testing.assert_array_equal(net.y, PRED)
    assert "$1000s" in fig.layout.xaxis.title.text and fig.layout.yaxis.scaleanchor == "x"


def test_a_model_without_predictions_is_left_out_and_the_others_keep_their_colours():
    both = predicted_vs_actual_figure(Y, {"Neural network": PRED, "Linear regression": PRED - 1})
    alone = predicted_vs_actual_figure(Y, {"Neural network": [], "Linear regression": PRED - 1})
    assert [t.name for t in alone.data] == ["y = x (perfect)", "Linear regression"]
    assert alone.data[1].marker.color == both.data[2].marker.color != both.data[1].marker.color


def test_species_scatter_counts_each_species_and_shows_a_missing_one_as_zero():
    species = np.array([0, 0, 1, 1, 1])
    fig = species_scatter_figure(
        np.arange(5.0),
        np.arange(5.0) * 2,
        species,
        ["setosa", "versicolor", "virginica"],
        "petal length (cm)",
        "petal width (cm)",
    )
    assert [t.name for t in fig.data] == ["setosa (2)", "versicolor (3)", "virginica (0)"]
    np.testing.assert_array_equal(fig.data[1].x, [2.0, 3.0, 4.0])
    np.testing.assert_array_equal(fig.data[1].y, [4.0, 6.0, 8.0])
    assert fig.layout.xaxis.title.text == "petal length (cm)"


def test_non_finite_predictions_do_not_break_the_axes():
    fig = predicted_vs_actual_figure(Y, {"net": np.array([np.nan, 1.0, np.inf, 2.0])})
    lo, hi = fig.layout.xaxis.range
    assert np.isfinite([lo, hi]).all() and lo < 1.0 and hi > 50.0


def test_residuals_are_actual_minus_predicted():
    fig = residual_figure(Y, {"Neural network": PRED})
    (net,) = fig.data
    np.testing.assert_array_equal(net.x, PRED)
    np.testing.assert_allclose(net.y, Y - PRED)
    hist = residual_histogram_figure(Y, PRED)
    np.testing.assert_allclose(hist.data[0].x, Y - PRED)


def test_class_scatter_colours_by_prediction_and_rings_mistakes():
    x, y = np.arange(5.0), np.arange(5.0)
    pred, true = np.array([0, 1, 2, 2, 0]), np.array([0, 1, 1, 2, 2])
    fig = class_scatter_figure(
        x, y, pred, true, ["setosa", "versicolor", "virginica"], "a", "b", background=(x, y)
    )
    names = [t.name for t in fig.data]
    assert names == [
        "training rows",
        "predicted setosa",
        "predicted versicolor",
        "predicted virginica",
        "misclassified (2)",
    ]
    assert list(fig.data[3].customdata) == [
        "versicolor",
        "virginica",
    ]  # true classes of predicted virginica
    np.testing.assert_array_equal(fig.data[-1].x, [2.0, 4.0])
    # Redrawn live: fixed margins, its short numeric ticks not measured (ui.iris.figures).
    assert fig.layout.xaxis.automargin is False and fig.layout.yaxis.automargin is False
    assert fig.layout.margin.l >= 60 and fig.layout.margin.b >= 60  # room for ticks and titles
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("a", "b")


def test_pca_is_fitted_on_the_training_rows():
    rng = np.random.default_rng(0)
    X_train, X_valid = rng.normal(size=(30, 4)), rng.normal(size=(10, 4))
    (p_train, p_valid), ratio = pca_2d(X_train, X_valid)
    assert p_train.shape == (30, 2) and p_valid.shape == (10, 2)
    np.testing.assert_allclose(p_train.mean(axis=0), 0, atol=1e-9)  # centred on the training rows
    assert 0 < ratio[1] <= ratio[0] < 1
    with pytest.raises(ValueError, match="two features"):
        pca_2d(X_train[:, :1])


def test_per_class_bars_show_precision_and_recall():
    report = [
        {"class": "a", "precision": 1.0, "recall": 0.5},
        {"class": "b", "precision": 0.0, "recall": 0.0},
    ]
    fig = per_class_figure(report)
    assert [t.name for t in fig.data] == ["precision", "recall"]
    assert list(fig.data[1].y) == [0.5, 0.0]


def test_regression_figures_in_zh_tw_keep_their_numbers_and_name_their_unit():
    fig = predicted_vs_actual_figure(Y, {"神經網路": PRED}, tr=ZH)
    assert fig.layout.title.text == ZH("plots.regression.title")
    assert fig.layout.xaxis.title.text == "實際值（千美元）"
    assert fig.layout.yaxis.title.text == "預測值（千美元）"
    assert [t.name for t in fig.data] == ["y = x（完全正確）", "神經網路"]
    assert fig.data[1].hovertemplate == "神經網路<br>實際 %{x:.1f}<br>預測 %{y:.1f}<extra></extra>"
    residuals = residual_figure(Y, {"神經網路": PRED}, tr=ZH)
    assert residuals.layout.yaxis.title.text == "實際值 − 預測值（千美元）"
    assert "%{y:.1f}" in residuals.data[0].hovertemplate
    hist = residual_histogram_figure(Y, PRED, tr=ZH)
    assert (hist.layout.title.text, hist.layout.yaxis.title.text) == (
        ZH("plots.regression.histogram_title"),
        ZH("plots.regression.rows"),
    )
    # A unit passed in wins over the language's.
    assert predicted_vs_actual_figure(Y, {}, unit="kUSD").layout.xaxis.title.text == "actual (kUSD)"


def test_iris_figures_in_zh_tw():
    x, y = np.arange(5.0), np.arange(5.0)
    pred, true = np.array([0, 1, 2, 2, 0]), np.array([0, 1, 1, 2, 2])
    names = ["setosa", "versicolor", "virginica"]
    fig = class_scatter_figure(
        x, y, pred, true, names, "花瓣長度（cm）", "b", background=(x, y), tr=ZH
    )
    assert [t.name for t in fig.data] == [
        "訓練資料",
        "預測為 setosa",
        "預測為 versicolor",
        "預測為 virginica",
        ZH("iris.figures.misclassified", n=2),
    ]
    assert "花瓣長度（cm）=%{x:.2f}" in fig.data[1].hovertemplate
    assert fig.layout.title.text == ZH("iris.figures.scatter_title")
    species = species_scatter_figure(x, y, np.array([0, 0, 1, 1, 1]), names, "a", "b", tr=ZH)
    assert species.layout.title.text == ZH("iris.figures.species_title")
    bars = per_class_figure([{"class": "a", "precision": 1.0, "recall": 0.5}], tr=ZH)
    assert [t.name for t in bars.data] == ["精確率", "召回率"]
    assert bars.layout.yaxis.title.text == "分數"
