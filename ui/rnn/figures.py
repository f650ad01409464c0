"""Pure figure builders of the RNN lab: the gradient through time, states over time, the wave.

Each takes numbers and `tr` (ui.i18n.Translator) and returns a go.Figure;
nothing here reads a run or the session.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ui.i18n import ENGLISH, Translator
from ui.palette import BLUE, ORANGE

GREY_LINE = "#999999"  # what the network reads or did before: faint, behind the live curve

_MARGIN = dict(l=60, r=10, t=40, b=60)


def gradient_time_figure(
    current: np.ndarray | None, at_init: np.ndarray | None, tr: Translator = ENGLISH
) -> go.Figure:
    """|∂L/∂h_t| against t on a log scale: the network now, and (dashed) at initialization."""
    fig = go.Figure()
    for values, key, style in (
        (at_init, "rnn.figures.gradient.at_init", dict(color=GREY_LINE, dash="dash")),
        (current, "rnn.figures.gradient.now", dict(color=BLUE)),
    ):
        if values is None:
            continue
        # Exactly 0 cannot sit on a log axis; the smallest float32 shows it at the floor instead.
        shown = np.maximum(np.asarray(values, dtype=float), 1e-38)
        fig.add_trace(
            go.Scatter(
                x=np.arange(1, len(shown) + 1),
                y=shown,
                # The starting network's line is dashed, as the caption says; markers on
                # its short steps would cover the dashes and read as dots.
                mode="lines+markers" if len(shown) <= 40 and key.endswith(".now") else "lines",
                name=tr(key),
                line=style,
            )
        )
    fig.update_layout(
        title=dict(text=tr("rnn.figures.gradient.title")),
        xaxis=dict(title=dict(text=tr("rnn.figures.gradient.x"))),
        yaxis=dict(title=dict(text=tr("rnn.figures.gradient.y")), type="log", exponentformat="e"),
        height=320,
        margin=_MARGIN,
        legend=dict(orientation="h", y=-0.3),
    )
    return fig


def state_heatmap_figure(states: np.ndarray, title_key: str, tr: Translator = ENGLISH) -> go.Figure:
    """One sequence's states over time: a column per step t, a row per unit, -1 … 1 in colour."""
    states = np.asarray(states, dtype=float)
    limit = max(1.0, float(np.abs(states).max())) if states.size else 1.0
    fig = go.Figure(
        go.Heatmap(
            z=states.T,
            x=np.arange(1, states.shape[0] + 1),
            y=np.arange(1, states.shape[1] + 1),
            zmin=-limit,
            zmax=limit,
            colorscale="RdBu",
            colorbar=dict(thickness=12),
        )
    )
    fig.update_layout(
        title=dict(text=tr(title_key)),
        xaxis=dict(title=dict(text=tr("rnn.figures.states.x"))),
        yaxis=dict(title=dict(text=tr("rnn.figures.states.y"))),
        height=300,
        margin=_MARGIN,
    )
    return fig


def continuation_figure(
    window: np.ndarray, truth: np.ndarray, predicted: np.ndarray, tr: Translator = ENGLISH
) -> go.Figure:
    """The wave the network reads, then its own continuation against the true wave."""
    t_window = np.arange(1, len(window) + 1)
    t_next = np.arange(len(window) + 1, len(window) + len(truth) + 1)
    fig = go.Figure(
        [
            go.Scatter(
                x=t_window,
                y=window,
                mode="lines",
                name=tr("rnn.figures.wave.input"),
                line=dict(color=GREY_LINE),
            ),
            go.Scatter(
                x=t_next,
                y=truth,
                mode="lines",
                name=tr("rnn.figures.wave.truth"),
                line=dict(color=BLUE),
            ),
            go.Scatter(
                x=t_next,
                y=predicted,
                mode="lines+markers",
                name=tr("rnn.figures.wave.predicted"),
                line=dict(color=ORANGE, dash="dot"),
                marker=dict(size=4),
            ),
        ]
    )
    fig.update_layout(
        title=dict(text=tr("rnn.figures.wave.title")),
        xaxis=dict(title=dict(text=tr("rnn.figures.wave.x"))),
        yaxis=dict(title=dict(text=tr("rnn.figures.wave.y")), range=[-1.8, 1.8]),
        height=320,
        margin=_MARGIN,
        legend=dict(orientation="h", y=-0.3),
    )
    return fig


def sequences_figure(
    X: np.ndarray,
    y: np.ndarray,
    name: str,
    task: str,
    tr: Translator = ENGLISH,
    count: int = 3,
) -> go.Figure:
    """A few training sequences (their first feature) step by step, each named with its target.

    `name` is the sequences' dataset (its title), `task` its kind: a class reads 0 or 1.
    """
    fig = go.Figure()
    for i in range(min(count, len(X))):
        target = f"{y[i]:.0f}" if task == "binary" else f"{y[i]:.2f}"
        fig.add_trace(
            go.Scatter(
                x=np.arange(1, X.shape[1] + 1),
                y=X[i, :, 0],
                mode="lines+markers",
                marker=dict(size=4),
                name=tr("rnn.figures.data.trace", number=i + 1, target=target),
            )
        )
    fig.update_layout(
        title=dict(text=tr(f"rnn.figures.data.title_{name}")),
        xaxis=dict(title=dict(text=tr("rnn.figures.data.x"))),
        yaxis=dict(title=dict(text=tr("rnn.figures.data.y"))),
        height=320,
        margin=_MARGIN,
        legend=dict(orientation="h", y=-0.3),
    )
    return fig
