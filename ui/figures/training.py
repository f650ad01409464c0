"""Figures of a run's history: loss per epoch, loss per step, the task metric."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from scipy.signal import lfilter

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


def _layout(fig: go.Figure, title: str, x: str, y: str, height: int = 300) -> go.Figure:
    fig.update_layout(
        title=title, xaxis_title=x, yaxis_title=y, height=height,
        margin=dict(l=10, r=10, t=40, b=10), legend=dict(orientation="h", y=-0.25),
    )
    return fig


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


def loss_figure(epochs: list[dict], previous: list[dict] | None = None) -> go.Figure:
    """Training and validation loss per epoch; `previous` (another run's rows) drawn dotted."""
    fig = go.Figure()
    if previous:
        x = [r["epoch"] for r in previous]
        fig.add_scatter(x=x, y=[r["valid_loss"] for r in previous], name="previous run (valid)",
                        line=dict(color="gray", dash="dot"))
    x = [r["epoch"] for r in epochs]
    fig.add_scatter(x=x, y=[r["train_loss"] for r in epochs], name="training", mode=_mode(len(x)),
                    line=dict(color=TRAIN_COLOR))
    fig.add_scatter(x=x, y=[r["valid_loss"] for r in epochs], name="validation", mode=_mode(len(x)),
                    line=dict(color=VALID_COLOR, dash="dash"), marker=dict(symbol="diamond"))
    return _layout(fig, "Loss per epoch", "epoch", "loss")


def step_loss_figure(step_loss: list[float], smoothing: float = 0.9) -> go.Figure:
    """Per-step training loss: the raw curve faint, an EMA-smoothed curve on top."""
    fig = go.Figure()
    if step_loss:
        idx = thin(len(step_loss))
        smooth = ema(step_loss, smoothing) if smoothing > 0 else np.asarray(step_loss)
        raw = np.asarray(step_loss)
        fig.add_scatter(x=idx + 1, y=raw[idx], name="raw", line=dict(color=TRAIN_COLOR, width=1), opacity=0.3)
        fig.add_scatter(x=idx + 1, y=smooth[idx], name=f"smoothed ({smoothing:g})", line=dict(color=TRAIN_COLOR))
    return _layout(fig, "Training loss per step", "step", "loss")


def metric_figure(epochs: list[dict], task: str) -> go.Figure:
    """Accuracy per epoch (classification) or validation RMSE/MAE per epoch (regression)."""
    fig = go.Figure()
    x = [r["epoch"] for r in epochs]
    if task == "regression":
        fig.add_scatter(x=x, y=[r.get("valid_rmse") for r in epochs], name="validation RMSE",
                        mode=_mode(len(x)), line=dict(color=VALID_COLOR))
        fig.add_scatter(x=x, y=[r.get("valid_mae") for r in epochs], name="validation MAE",
                        mode=_mode(len(x)), line=dict(color=GREEN, dash="dash"))
        return _layout(fig, "Validation error per epoch", "epoch", "error (target units)")
    fig.add_scatter(x=x, y=[r.get("train_accuracy") for r in epochs], name="training",
                    mode=_mode(len(x)), line=dict(color=TRAIN_COLOR))
    fig.add_scatter(x=x, y=[r.get("valid_accuracy") for r in epochs], name="validation",
                    mode=_mode(len(x)), line=dict(color=VALID_COLOR, dash="dash"), marker=dict(symbol="diamond"))
    fig.update_yaxes(range=[0, 1.02])
    return _layout(fig, "Accuracy per epoch", "epoch", "accuracy")
