"""Figures for the activation lab: curves with derivatives, and gradients through layers."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons.activation_stats import LAB_ORDER, LABELS
from ui.concepts.layout import SERIES, series_color, style
from ui.i18n import ENGLISH, Translator


def _color(name: str) -> str:
    return series_color(_index(name))


def _index(name: str) -> int:
    return LAB_ORDER.index(name) if name in LAB_ORDER else 0


def _dash(name: str, first: str = "solid", again: str = "dot") -> str:
    """`first` for the activations with a colour of their own, `again` for those that reuse one.

    There are eight activations and seven line colours (ui.concepts.layout.SERIES): GELU
    shares Sigmoid's blue, and only its line style tells them apart.
    """
    return first if _index(name) < len(SERIES) else again


def activation_figure(
    curves: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]], tr: Translator = ENGLISH
) -> go.Figure:
    """Two panels: f(x) on the left, f'(x) on the right, one colour per activation.

    curves maps an activation name to (x, f(x), f'(x)). The derivative panel
    marks 0.25, sigmoid's largest slope.
    """
    titles = (tr("activations.curves.function_title"), tr("activations.curves.derivative_title"))
    fig = make_subplots(rows=1, cols=2, subplot_titles=titles)
    for name, (x, y, dy) in curves.items():
        color, label = _color(name), LABELS.get(name, name)
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                name=label,
                legendgroup=name,
                line=dict(color=color, width=2, dash=_dash(name)),
            ),
            row=1,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=dy,
                name=label,
                legendgroup=name,
                showlegend=False,
                line=dict(color=color, width=2, dash=_dash(name, "dash", "dashdot")),
            ),
            row=1,
            col=2,
        )
    fig.add_hline(
        y=0.25,
        line=dict(color="gray", dash="dot"),
        row=1,
        col=2,
        annotation_text=tr("activations.curves.sigmoid_max"),
        annotation_position="top left",
    )
    fig.update_xaxes(title_text=tr("activations.curves.x_axis"))
    # Legend under the panels: on top it would cover the subplot titles.
    return style(
        fig, height=460, legend=dict(orientation="h", yanchor="top", y=-0.15, xanchor="left", x=0)
    )


def layer_gradient_figure(
    grads: dict[str, np.ndarray], bound: float = 0.25, tr: Translator = ENGLISH
) -> go.Figure:
    """Gradient size after passing back through l layers, log scale, one line per activation.

    grads maps a name to g with g[l] = |∂h_L/∂h_(L-l)|. A dotted line shows
    bound**l: with bound = 0.25·|w|, sigmoid's best case in a chain of weight w. Exact zeros (a dead ReLU) cannot sit on a
    log axis, so those points are left out and the legend says so.
    """
    fig = go.Figure()
    depth = max((len(g) - 1 for g in grads.values()), default=0)
    layers = np.arange(depth + 1)
    for name, g in grads.items():
        g = np.asarray(g, dtype=float)
        shown = np.where(g > 0, g, np.nan)
        dead = tr("activations.vanishing.reaches_zero") if np.any(g == 0) else ""
        label = LABELS.get(name, name) + dead
        fig.add_trace(
            go.Scatter(
                x=layers[: len(g)],
                y=shown,
                name=label,
                mode="lines+markers",
                line=dict(color=_color(name), width=2, dash=_dash(name)),
                marker=dict(size=5, symbol=_dash(name, "circle", "diamond")),
            )
        )
    fig.add_trace(
        go.Scatter(
            x=layers,
            y=bound**layers,
            name=tr("activations.vanishing.bound", bound=bound),
            line=dict(color="gray", dash="dot"),
        )
    )
    fig.update_yaxes(
        type="log", title_text=tr("activations.vanishing.y_axis"), exponentformat="power"
    )
    fig.update_xaxes(title_text=tr("activations.vanishing.x_axis"), dtick=max(1, depth // 10))
    return style(fig, height=420)
