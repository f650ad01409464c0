"""Figures of a run's history: loss per epoch, loss per step, the task metric."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from scipy.signal import lfilter

from ui.i18n import ENGLISH, Translator
from ui.palette import GREEN, TRAIN_COLOR, VALID_COLOR

# Plotly slows down past a few thousand points per trace; long runs are
# thinned to this many for drawing (the history itself keeps every step).
# A chart is ~600 px wide, so more points would not show anyway.
MAX_POINTS = 600
# Per-epoch curves get a marker per epoch up to this many epochs, then plain
# lines: redrawing thousands of SVG markers a few times a second took the
# browser most of a CPU core during long runs (bench/README.md).
MAX_MARKERS = 60


def _mode(n: int) -> str:
    return "lines+markers" if n <= MAX_MARKERS else "lines"


def _figure(
    traces: list[dict], title: str, x: str, y: str, y_range: list[float] | None = None
) -> go.Figure:
    """One chart of line traces (plain dicts), its layout given whole.

    These charts are rebuilt at every live redraw while the run waits, so they
    skip plotly's convenience calls: update_layout(xaxis_title=...) parses each
    keyword's path and took ~2 ms a chart, against ~0.5 ms for the same layout
    passed as a dict (the figure is identical).

    The margins are fixed and the axes' automargin is off: the browser then
    lays the chart out once instead of measuring every tick label to grow the
    margins, and redrawing the three training charts cost it ~20% less CPU
    (bench/README.md, "Live training loop"). 60 px on the left fit a 5-character
    tick label and the axis title; 80 px below fit the x labels, title and legend.
    """
    layout = dict(
        title=dict(text=title),
        xaxis=dict(title=dict(text=x), automargin=False),
        yaxis=dict(title=dict(text=y), automargin=False),
        height=300,
        margin=dict(l=60, r=10, t=40, b=80),
        legend=dict(orientation="h", y=-0.32),
    )
    if y_range is not None:
        layout["yaxis"]["range"] = y_range
    return go.Figure(data=[dict(type="scatter", **t) for t in traces], layout=layout)


def ema(values: list[float] | np.ndarray, smoothing: float) -> np.ndarray:
    """Exponential moving average with bias correction (as TensorBoard smooths curves).

    avg_i = s * avg_(i-1) + (1 - s) * x_i, divided by 1 - s^(i+1). As a linear
    filter it runs in C: the whole history is re-smoothed at every redraw, and
    a Python loop over 30,000 MNIST steps took ~10 ms of it.
    """
    v = np.asarray(values, dtype=float)
    if len(v) == 0:
        return v
    avg = lfilter([1 - smoothing], [1, -smoothing], v)
    return avg / (1 - smoothing ** np.arange(1, len(v) + 1))


def thin(n: int, max_points: int = MAX_POINTS) -> np.ndarray:
    """Indices of at most `max_points` evenly spread points out of n, always keeping the last."""
    if n <= max_points:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, max_points).round().astype(int))


def column(rows: list[dict], key: str) -> np.ndarray:
    """One per-epoch value as a float array; a missing value becomes NaN (a gap in the line).

    Figures get arrays, not lists: plotly validates a list element by element
    in Python (~7 ms for two 1000-point curves, at every redraw, while the run
    waits) and sends an array as compact binary.
    """
    return np.array([r.get(key) for r in rows], dtype=float)


def loss_figure(
    epochs: list[dict], previous: list[dict] | None = None, tr: Translator = ENGLISH
) -> go.Figure:
    """Training and validation loss per epoch; `previous` (another run's rows) drawn dotted."""
    traces = []
    if previous:
        traces.append(
            dict(
                x=column(previous, "epoch"),
                y=column(previous, "valid_loss"),
                name=tr("training_charts.previous_run"),
                line=dict(color="gray", dash="dot"),
            )
        )
    x, mode = column(epochs, "epoch"), _mode(len(epochs))
    traces.append(
        dict(
            x=x,
            y=column(epochs, "train_loss"),
            name=tr("training_charts.training"),
            mode=mode,
            line=dict(color=TRAIN_COLOR),
        )
    )
    traces.append(
        dict(
            x=x,
            y=column(epochs, "valid_loss"),
            name=tr("training_charts.validation"),
            mode=mode,
            line=dict(color=VALID_COLOR, dash="dash"),
            marker=dict(symbol="diamond"),
        )
    )
    return _figure(
        traces,
        tr("training_charts.loss_title"),
        tr("training_charts.epoch"),
        tr("training_charts.loss"),
    )


def step_loss_figure(
    step_loss: list[float], smoothing: float = 0.9, tr: Translator = ENGLISH, note: bool = False
) -> go.Figure:
    """Per-step training loss: the raw curve faint, an EMA-smoothed curve on top.

    `note`: the run has epochs but no steps (a model from a file): the empty chart
    says why instead of showing bare axes.
    """
    traces = []
    if step_loss:
        idx = thin(len(step_loss))
        smooth = ema(step_loss, smoothing) if smoothing > 0 else np.asarray(step_loss)
        raw = np.asarray(step_loss)
        traces.append(
            dict(
                x=idx + 1,
                y=raw[idx],
                name=tr("training_charts.raw"),
                line=dict(color=TRAIN_COLOR, width=1),
                opacity=0.3,
            )
        )
        traces.append(
            dict(
                x=idx + 1,
                y=smooth[idx],
                name=tr("training_charts.smoothed", smoothing=smoothing),
                line=dict(color=TRAIN_COLOR),
            )
        )
    fig = _figure(
        traces,
        tr("training_charts.step_loss_title"),
        tr("training_charts.step"),
        tr("training_charts.loss"),
    )
    if note and not step_loss:
        fig.add_annotation(
            text=tr("training_charts.no_steps"), showarrow=False, xref="paper", yref="paper"
        )
        fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
        fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False)
    return fig


def metric_figure(epochs: list[dict], task: str, tr: Translator = ENGLISH) -> go.Figure:
    """Accuracy per epoch (classification) or validation RMSE/MAE per epoch (regression)."""
    x, mode = column(epochs, "epoch"), _mode(len(epochs))
    if task == "regression":
        return _figure(
            [
                dict(
                    x=x,
                    y=column(epochs, "valid_rmse"),
                    name=tr("training_charts.valid_rmse"),
                    mode=mode,
                    line=dict(color=VALID_COLOR),
                ),
                dict(
                    x=x,
                    y=column(epochs, "valid_mae"),
                    name=tr("training_charts.valid_mae"),
                    mode=mode,
                    line=dict(color=GREEN, dash="dash"),
                ),
            ],
            tr("training_charts.error_title"),
            tr("training_charts.epoch"),
            tr("training_charts.error_axis"),
        )
    return _figure(
        [
            dict(
                x=x,
                y=column(epochs, "train_accuracy"),
                name=tr("training_charts.training"),
                mode=mode,
                line=dict(color=TRAIN_COLOR),
            ),
            dict(
                x=x,
                y=column(epochs, "valid_accuracy"),
                name=tr("training_charts.validation"),
                mode=mode,
                line=dict(color=VALID_COLOR, dash="dash"),
                marker=dict(symbol="diamond"),
            ),
        ],
        tr("training_charts.accuracy_title"),
        tr("training_charts.epoch"),
        tr("training_charts.accuracy"),
        y_range=[0, 1.02],
    )
