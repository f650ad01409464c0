"""Figures for regressors: predicted against actual (with the y = x line) and residuals."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ui.i18n import ENGLISH, Translator
from ui.palette import BLACK, OKABE_ITO, ORANGE

GRAY = "gray"

# Network first, then one colour per baseline.
SERIES_COLORS = [OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[2], OKABE_ITO[3]]
SERIES_SYMBOLS = ["circle", "x", "diamond", "square"]


def _series(predictions: dict[str, np.ndarray]) -> list[tuple[str, np.ndarray, str, str]]:
    return [
        (
            name,
            np.asarray(p, dtype=float).ravel(),
            SERIES_COLORS[i % len(SERIES_COLORS)],
            SERIES_SYMBOLS[i % len(SERIES_SYMBOLS)],
        )
        for i, (name, p) in enumerate(predictions.items())
    ]


def predicted_vs_actual_figure(
    y_true: np.ndarray,
    predictions: dict[str, np.ndarray],
    unit: str | None = None,
    title: str | None = None,
    *,
    tr: Translator = ENGLISH,
) -> go.Figure:
    """One marker per validation row for each model in `predictions` (name -> values), and y = x.

    Points on the dashed diagonal are perfect predictions; points above it are over-estimates.
    """
    unit = unit or tr("plots.regression.unit")
    y = np.asarray(y_true, dtype=float).ravel()
    series = _series(predictions)
    values = [y] + [p for _, p, _, _ in series if len(p)]
    finite = np.concatenate([v[np.isfinite(v)] for v in values]) if values else np.array([0.0])
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    pad = 0.04 * (hi - lo or 1.0)
    lo, hi = lo - pad, hi + pad
    traces = [
        dict(
            type="scatter",
            x=[lo, hi],
            y=[lo, hi],
            mode="lines",
            name=tr("plots.regression.diagonal"),
            line=dict(color=GRAY, dash="dash"),
            hoverinfo="skip",
        )
    ]
    for i, (name, p, color, symbol) in enumerate(series):
        if not len(
            p
        ):  # a model with no predictions yet keeps its colour, so the others keep theirs
            continue
        traces.append(
            dict(
                type="scatter",
                x=y,
                y=p,
                mode="markers",
                name=name,
                marker=dict(
                    color=color,
                    symbol=symbol,
                    size=8 if i == 0 else 6,
                    opacity=0.85 if i == 0 else 0.5,
                    line=dict(color=BLACK, width=0.5) if i == 0 else None,
                ),
                hovertemplate=tr("plots.regression.hover_actual", name=name),
            )
        )
    # Equal scales (so y = x is the diagonal); the plot area shrinks to a square instead of
    # the x range growing to fill a wide column. Layout given whole: this is redrawn live, and
    # update_layout's keyword paths cost more than the rest of the figure.
    return go.Figure(
        data=traces,
        layout=dict(
            title=dict(text=title or tr("plots.regression.title")),
            height=430,
            margin=dict(l=10, r=10, t=40, b=10),
            xaxis=dict(
                title=dict(text=tr("plots.regression.actual", unit=unit)),
                range=[lo, hi],
                constrain="domain",
            ),
            yaxis=dict(
                title=dict(text=tr("plots.regression.predicted", unit=unit)),
                range=[lo, hi],
                scaleanchor="x",
                scaleratio=1,
                constrain="domain",
            ),
            legend=dict(orientation="h", y=-0.18),
        ),
    )


def residual_figure(
    y_true: np.ndarray,
    predictions: dict[str, np.ndarray],
    unit: str | None = None,
    title: str | None = None,
    *,
    tr: Translator = ENGLISH,
) -> go.Figure:
    """Residual plot: a good model leaves a shapeless band around 0; a curve or funnel is a pattern it missed."""
    unit = unit or tr("plots.regression.unit")
    y = np.asarray(y_true, dtype=float).ravel()
    fig = go.Figure()
    fig.add_hline(y=0, line=dict(color=GRAY, dash="dash"))
    for i, (name, p, color, symbol) in enumerate(_series(predictions)):
        fig.add_scatter(
            x=p,
            y=y - p,
            mode="markers",
            name=name,
            marker=dict(
                color=color, symbol=symbol, size=8 if i == 0 else 6, opacity=0.85 if i == 0 else 0.5
            ),
            hovertemplate=tr("plots.regression.hover_residual", name=name),
        )
    fig.update_layout(
        title=title or tr("plots.regression.residual_title"),
        height=380,
        margin=dict(l=10, r=10, t=40, b=10),
        xaxis_title=tr("plots.regression.predicted", unit=unit),
        yaxis_title=tr("plots.regression.residual", unit=unit),
        legend=dict(orientation="h", y=-0.22),
    )
    return fig


def residual_histogram_figure(
    y_true: np.ndarray,
    y_pred: np.ndarray,
    unit: str | None = None,
    *,
    tr: Translator = ENGLISH,
) -> go.Figure:
    """Histogram of the network's residuals: centred on 0 and narrow is what we want."""
    unit = unit or tr("plots.regression.unit")
    r = np.asarray(y_true, dtype=float).ravel() - np.asarray(y_pred, dtype=float).ravel()
    fig = go.Figure(
        go.Histogram(x=r, nbinsx=30, marker_color=ORANGE, name=tr("plots.regression.residuals"))
    )
    fig.add_vline(x=0, line=dict(color=GRAY, dash="dash"))
    fig.update_layout(
        title=tr("plots.regression.histogram_title"),
        height=300,
        margin=dict(l=10, r=10, t=40, b=10),
        xaxis_title=tr("plots.regression.residual", unit=unit),
        yaxis_title=tr("plots.regression.rows"),
        showlegend=False,
    )
    return fig
