"""Figures for the universal-approximation lab (pure: no streamlit)."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons.universal_approximation import Contributions
from ui.concepts.layout import series_color, style
from ui.i18n import ENGLISH, Translator
from ui.palette import BLACK, BLUE, ORANGE

TARGET_STYLE = dict(color=BLACK, width=2, dash="dash")


def _target_traces(
    x, target, X_train, y_train, points_mode: bool, tr: Translator
) -> list[go.Scatter]:
    traces = []
    if points_mode:
        traces.append(
            go.Scatter(
                x=X_train,
                y=y_train,
                mode="markers",
                name=tr("ua.figures.your_points"),
                marker=dict(size=11, color=ORANGE, line=dict(color=BLACK, width=1)),
            )
        )
    else:
        traces.append(
            go.Scatter(
                x=X_train,
                y=y_train,
                mode="markers",
                name=tr("ua.figures.samples"),
                marker=dict(size=4, color="rgba(0,0,0,0.25)"),
            )
        )
        traces.append(go.Scatter(x=x, y=target, name=tr("ua.figures.target"), line=TARGET_STYLE))
    return traces


def fit_figure(
    x: np.ndarray,
    target: np.ndarray | None,
    X_train: np.ndarray,
    y_train: np.ndarray,
    prediction: np.ndarray | None = None,
    points_mode: bool = False,
    tr: Translator = ENGLISH,
) -> go.Figure:
    """The target (or the user's points) and, once trained, the network's F(x)."""
    fig = go.Figure(_target_traces(x, target, X_train, y_train, points_mode, tr))
    if prediction is not None:
        fig.add_trace(
            go.Scatter(
                x=x, y=prediction, name=tr("ua.figures.network"), line=dict(color=BLUE, width=3)
            )
        )
    fig.update_xaxes(title_text="x")
    fig.update_yaxes(title_text="y")
    return style(fig, tr("ua.figures.fit_title"), height=380)


def units_figure(
    contrib: Contributions, max_units: int = 16, tr: Translator = ENGLISH
) -> go.Figure:
    """Each hidden unit's term α_i φ(w_i x + b_i), and their sum plus bias = F(x).

    With many units only the `max_units` largest terms get their own line; the
    rest are summed into one grey "other units" line so the sum still adds up.
    """
    fig = go.Figure()
    shown = contrib.strongest(max_units)
    for k, i in enumerate(sorted(shown)):
        fig.add_trace(
            go.Scatter(
                x=contrib.x,
                y=contrib.terms[i],
                name=tr("ua.figures.unit", i=i + 1),
                # Seven colours, then the same seven dotted: every unit stays distinguishable.
                line=dict(color=series_color(k), width=1.5, dash="solid" if k < 7 else "dot"),
                hovertemplate=tr(
                    "ua.figures.unit_hover",
                    i=i + 1,
                    alpha=contrib.alpha[i],
                    w=contrib.w[i],
                    b=contrib.b[i],
                ),
            )
        )
    rest = np.setdiff1d(np.arange(len(contrib.terms)), shown)
    if len(rest):
        fig.add_trace(
            go.Scatter(
                x=contrib.x,
                y=contrib.terms[rest].sum(axis=0),
                name=tr("ua.figures.other_units", n=len(rest)),
                line=dict(color="gray", width=1.5),
            )
        )
    fig.add_trace(
        go.Scatter(
            x=contrib.x,
            y=contrib.total,
            name=tr("ua.figures.sum"),
            line=dict(color=BLACK, width=3),
        )
    )
    fig.update_xaxes(title_text="x")
    fig.update_yaxes(title_text="αᵢ φ(wᵢ x + bᵢ)")
    return style(
        fig,
        tr("ua.figures.units_title"),
        height=380,
        legend=dict(orientation="v", y=1, x=1.02, yanchor="top", xanchor="left"),
    )


def compare_figure(
    x: np.ndarray,
    target: np.ndarray | None,
    X_train: np.ndarray,
    y_train: np.ndarray,
    fits: list[tuple[int, np.ndarray, float]],
    points_mode: bool = False,
    tr: Translator = ENGLISH,
) -> go.Figure:
    """Small multiples of F(x) for several hidden-layer sizes: fits = [(N, F(x), valid loss)]."""
    cols = min(3, max(1, len(fits)))
    rows = max(1, math.ceil(len(fits) / cols))
    fig = make_subplots(
        rows=rows,
        cols=cols,
        shared_xaxes=True,
        shared_yaxes=True,
        subplot_titles=[tr("ua.figures.panel", n=n, loss=loss) for n, _, loss in fits],
        vertical_spacing=0.12,
        horizontal_spacing=0.04,
    )
    for k, (_, pred, _) in enumerate(fits):
        r, c = divmod(k, cols)
        for trace in _target_traces(x, target, X_train, y_train, points_mode, tr):
            trace.showlegend = k == 0
            fig.add_trace(trace, row=r + 1, col=c + 1)
        fig.add_trace(
            go.Scatter(
                x=x,
                y=pred,
                name=tr("ua.figures.network"),
                showlegend=k == 0,
                line=dict(color=BLUE, width=2.5),
            ),
            row=r + 1,
            col=c + 1,
        )
    style(fig, height=260 * rows + 90)
    # Legend under the panels: on top it would cover the subplot titles.
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.08, xanchor="left", x=0))
    return fig
