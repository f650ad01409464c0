"""Pure figure builders of the live training view: loss per epoch and per step, the task metric."""

import numpy as np
import pytest

from ui.figures.training import (
    MAX_MARKERS,
    MAX_POINTS,
    column,
    ema,
    loss_figure,
    metric_figure,
    step_loss_figure,
    thin,
)
from ui.i18n import Translator


def _reference_ema(values, smoothing):
    """The definition, one value at a time (as TensorBoard writes it)."""
    out, avg = [], 0.0
    for i, x in enumerate(values):
        avg = smoothing * avg + (1 - smoothing) * x
        out.append(avg / (1 - smoothing ** (i + 1)))
    return np.array(out)


@pytest.mark.parametrize("smoothing", [0.0, 0.5, 0.9, 0.99])
def test_ema_matches_its_definition(smoothing):
    values = np.random.default_rng(0).random(2000) * 3
    assert np.allclose(
        ema(values, smoothing), _reference_ema(values, smoothing), rtol=1e-12, atol=1e-12
    )


def test_ema_starts_at_the_first_value_and_handles_an_empty_history():
    assert ema([4.0, 2.0], 0.9)[0] == pytest.approx(4.0)  # bias correction: no pull towards 0
    assert len(ema([], 0.9)) == 0


def test_thin_keeps_the_ends_and_at_most_max_points():
    idx = thin(10_000)
    assert len(idx) <= MAX_POINTS and idx[0] == 0 and idx[-1] == 9_999
    assert np.all(np.diff(idx) > 0)
    assert np.array_equal(thin(50), np.arange(50))


def _rows(n, task="multiclass"):
    rows = []
    for e in range(1, n + 1):
        row = {"epoch": e, "train_loss": 1 / e, "valid_loss": 1.1 / e}
        if task == "regression":
            row.update(valid_rmse=3 / e, valid_mae=2 / e)
        else:
            row.update(train_accuracy=1 - 1 / (e + 1), valid_accuracy=1 - 1.2 / (e + 2))
        rows.append(row)
    return rows


def test_loss_figure_draws_both_losses_and_the_previous_run_dotted():
    fig = loss_figure(_rows(5), previous=_rows(3))
    names = [t.name for t in fig.data]
    assert names == ["previous run (valid)", "training", "validation"]
    assert fig.data[0].line.dash == "dot"
    assert list(fig.data[2].y) == pytest.approx([1.1 / e for e in range(1, 6)])
    assert fig.layout.title.text == "Loss per epoch"


def test_long_runs_drop_the_per_epoch_markers():
    assert loss_figure(_rows(MAX_MARKERS)).data[0].mode == "lines+markers"
    assert loss_figure(_rows(MAX_MARKERS + 1)).data[0].mode == "lines"


def test_step_loss_figure_thins_long_runs_but_keeps_the_raw_curve_and_the_last_step():
    losses = list(np.linspace(2, 0.1, 30_000))
    fig = step_loss_figure(losses)
    raw, smooth = fig.data
    assert raw.name == "raw" and raw.opacity < 1 and smooth.name.startswith("smoothed")
    assert len(raw.x) <= MAX_POINTS and raw.x[-1] == 30_000 and raw.y[-1] == pytest.approx(0.1)
    assert step_loss_figure([]).data == ()


def test_metric_figure_shows_accuracy_or_regression_errors():
    acc = metric_figure(_rows(4), "multiclass")
    assert acc.layout.title.text == "Accuracy per epoch" and tuple(acc.layout.yaxis.range) == (
        0,
        1.02,
    )
    reg = metric_figure(_rows(4, "regression"), "regression")
    assert [t.name for t in reg.data] == ["validation RMSE", "validation MAE"]
    assert list(reg.data[0].y) == pytest.approx([3 / e for e in range(1, 5)])


def test_a_missing_value_is_a_gap_and_columns_are_arrays():
    rows = [
        {"epoch": 1, "train_loss": 0.9, "valid_loss": 1.0},
        {"epoch": 2, "train_loss": 0.5},
        {"epoch": 3, "train_loss": 0.4, "valid_loss": None},
    ]
    assert np.array_equal(column(rows, "valid_loss"), [1.0, np.nan, np.nan], equal_nan=True)
    fig = loss_figure(rows)
    # Arrays travel as binary and skip plotly's per-element validation at every redraw.
    assert all(isinstance(t.x, np.ndarray) and isinstance(t.y, np.ndarray) for t in fig.data)
    assert list(fig.data[0].y) == [0.9, 0.5, 0.4]
    assert (fig.layout.title.text, fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == (
        "Loss per epoch",
        "epoch",
        "loss",
    )


def test_an_empty_step_chart_says_why_only_when_asked():
    assert not step_loss_figure([]).layout.annotations  # before a first run: bare, as drawn live
    noted = step_loss_figure([], tr=Translator("zh-TW"), note=True)
    assert [a.text for a in noted.layout.annotations] == [
        Translator("zh-TW")("training_charts.no_steps")
    ]
    assert not step_loss_figure([0.5, 0.4], note=True).layout.annotations  # steps: nothing to say
