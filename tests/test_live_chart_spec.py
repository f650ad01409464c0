"""ui.live_chart.spec: what the light live chart is told to draw is what the Plotly figure shows."""

from __future__ import annotations

import json
import math

import numpy as np
import plotly.graph_objects as go
import pytest

from ui.figures.compare import Curves, compare_loss_figure
from ui.figures.training import MAX_MARKERS, loss_figure, metric_figure, step_loss_figure
from ui.live_chart.spec import NotALineChart, chart_spec
from ui.palette import TRAIN_COLOR, VALID_COLOR


def _rows(n: int) -> list[dict]:
    return [
        dict(
            epoch=i + 1,
            train_loss=1 / (i + 1),
            valid_loss=None if i == 1 else 2 / (i + 1),
            train_accuracy=0.5 + i / (4 * n),
            valid_accuracy=float("nan") if i == 2 else 0.4,
        )
        for i in range(n)
    ]


def test_the_loss_chart_keeps_titles_lines_and_looks():
    fig = loss_figure(_rows(5))
    spec = chart_spec(fig)
    assert (spec["title"], spec["x_title"], spec["y_title"]) == (
        fig.layout.title.text,
        fig.layout.xaxis.title.text,
        fig.layout.yaxis.title.text,
    )
    assert spec["height"] == fig.layout.height and spec["y_range"] is None
    train, valid = spec["lines"]
    assert (train["name"], train["color"], train["dash"]) == ("training", TRAIN_COLOR, "solid")
    assert (valid["name"], valid["color"], valid["dash"]) == ("validation", VALID_COLOR, "dash")
    assert train["markers"] and valid["markers"] and valid["symbol"] == "diamond"
    assert train["x"] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert train["y"] == pytest.approx([1, 1 / 2, 1 / 3, 1 / 4, 1 / 5])


def test_missing_and_non_finite_values_become_gaps_and_the_spec_is_strict_json():
    spec = chart_spec(loss_figure(_rows(5)))
    assert spec["lines"][1]["y"][1] is None  # valid_loss missing in epoch 2
    acc = chart_spec(metric_figure(_rows(5), "classification"))
    assert acc["lines"][1]["y"][2] is None  # NaN accuracy in epoch 3
    assert acc["y_range"] == [0, 1.02]
    json.dumps(spec, allow_nan=False)  # NaN would be invalid JSON in the browser
    json.dumps(acc, allow_nan=False)


def test_long_runs_drop_markers_as_the_plotly_figure_does():
    spec = chart_spec(loss_figure(_rows(MAX_MARKERS + 1)))
    assert not any(line["markers"] for line in spec["lines"])


def test_the_step_chart_keeps_the_faint_raw_curve_under_the_smoothed_one():
    spec = chart_spec(step_loss_figure([1.0, 0.5, 0.25, 0.3]))
    raw, smooth = spec["lines"]
    assert raw["opacity"] == pytest.approx(0.3) and raw["width"] == 1
    assert smooth["opacity"] == 1.0 and smooth["y"][0] == pytest.approx(1.0)
    assert all(math.isfinite(v) for v in smooth["y"])


def test_an_empty_step_chart_has_no_lines_but_keeps_its_titles():
    spec = chart_spec(step_loss_figure([]))
    assert spec["lines"] == [] and spec["title"]


def test_compared_runs_keep_their_own_colours_and_labels():
    runs = [
        Curves("run 1", "#111111", _rows(3)),
        Curves("run 2", "#222222", _rows(4), current=True),
    ]
    spec = chart_spec(compare_loss_figure(runs))
    assert [line["color"] for line in spec["lines"]] == ["#111111"] * 2 + ["#222222"] * 2
    assert spec["lines"][0]["name"].startswith("run 1")
    assert spec["lines"][2]["width"] > spec["lines"][0]["width"]  # the current run is bolder


def test_a_figure_with_another_kind_of_trace_is_refused_with_its_place():
    fig = go.Figure([go.Scatter(x=[1], y=[1]), go.Heatmap(z=[[1, 2], [3, 4]])])
    with pytest.raises(NotALineChart) as err:
        chart_spec(fig)
    assert (err.value.index, err.value.trace_type) == (1, "heatmap")


def test_values_are_sent_to_six_significant_digits():
    spec = chart_spec(loss_figure(_rows(3)))
    assert spec["lines"][0]["y"][2] == 0.333333  # 1/3
    assert len(json.dumps(spec["lines"][0]["y"])) < 40


def test_numbers_round_like_six_significant_digits_at_every_magnitude():
    from ui.live_chart.spec import DIGITS, _numbers

    rng = np.random.default_rng(3)
    for scale in (1e-300, 1e-30, 1e-17, 1e-5, 1.0, 1e3, 1e17, 1e30, 1e300):
        x = rng.normal(size=2000) * scale
        x[::97], x[::101], x[::103] = np.nan, np.inf, 0.0
        want = [float(f"{v:.{DIGITS}g}") if np.isfinite(v) else None for v in x.tolist()]
        assert _numbers(x) == want, scale
    assert _numbers([0.1234565, 123456.5, 2.5, -0.0]) == [0.123456, 123456.0, 2.5, -0.0]
