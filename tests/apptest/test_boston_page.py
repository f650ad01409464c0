"""AppTests for the Boston lab: metrics against the baselines, B's ethics note, divergence, slider ends."""

import pytest

from tests.apptest.helpers import (
    charts,
    open_page,
    progress_text,
    push_sliders,
    set_widget,
    texts,
    train_to_end,
)


def test_loads_without_b_by_default():
    at = open_page("boston")
    features = next(m for m in at.multiselect if m.key == "boston_features").value
    assert len(features) == 12 and "B" not in features
    # The defaults bench/boston_baselines.py measured: weight decay 1e-4, early stopping after 30.
    assert at.select_slider(key="boston_wd").value == pytest.approx(1e-4)
    assert at.select_slider(key="boston_patience").value == 30
    assert any("MSELoss" in m for m in texts(at, "markdown"))
    assert any("Why B is off by default" in m for m in texts(at, "markdown"))


def test_before_training_linear_regression_is_shown_as_the_baseline_to_beat():
    at = open_page("boston")
    assert charts(at) == [
        {
            "title": "The baseline to beat: linear regression",
            "traces": ["y = x (perfect)", "Linear regression"],
        }
    ]
    caption = next(c for c in texts(at, "caption") if "straight-line model" in c)
    set_widget(at, "boston_epochs", 5)
    at.run()
    train_to_end(at, "boston")
    table = next(df.value for df in at.dataframe if "RMSE ($1000s)" in df.value.columns)
    linear = table.set_index("model").loc["Linear regression", "RMSE ($1000s)"]
    assert (
        f"validation RMSE {linear:.2f}," in caption
    )  # the same baseline the results compare against


def test_short_run_shows_rmse_next_to_baselines():
    at = open_page("boston")
    set_widget(at, "boston_epochs", 10)
    set_widget(at, "boston_patience", 0)
    at.run()
    assert train_to_end(at, "boston").startswith("Finished · epoch 10/10")
    labels = {m.label for m in at.metric}
    assert {"Validation RMSE", "Validation MAE", "Validation R²"} <= labels
    table = next(df.value for df in at.dataframe if "RMSE ($1000s)" in df.value.columns)
    assert list(table["model"]) == ["Neural network", "Linear regression", "Gradient boosting"]
    assert (table["RMSE ($1000s)"] > 0).all()
    # loss, error per epoch, step loss, predicted vs actual, residuals, residual histogram
    assert len(at.get("plotly_chart")) == 6


def test_b_column_and_course_split_carry_their_notes():
    at = open_page("boston")
    features = next(m for m in at.multiselect if m.key == "boston_features")
    features.set_value([*features.value, "B"])
    set_widget(at, "boston_split", "course")
    set_widget(at, "boston_epochs", 10)
    at.run()
    train_to_end(at, "boston")
    infos = texts(at, "info")
    assert any("racist assumption" in i for i in infos)
    assert any("first 400 rows train" in i for i in infos)


def test_divergence_stops_with_an_explanation():
    at = open_page("boston")
    set_widget(at, "boston_optimizer", "sgd")
    set_widget(at, "boston_lr", 10.0)
    at.run()
    assert train_to_end(at, "boston").startswith("Diverged")
    err = next(e for e in texts(at, "error") if "diverged" in e)
    assert "learning rate" in err and "restored" in err


@pytest.mark.parametrize("end", ["min", "max"])
def test_sliders_at_their_ends_never_raise(end):
    at = open_page("boston")
    moved = push_sliders(at, end)
    assert "Early stopping: patience (epochs) ↻" in moved
    set_widget(at, "boston_epochs", 10)
    at.run()
    at.button(key="boston_train").click().run()
    at.run()
    assert not at.exception
    assert progress_text(at)
    at.button(key="boston_reset").click().run()  # stop its background trainer
    assert not at.exception
