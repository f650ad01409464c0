"""Figures for classifiers: decision boundaries, hidden units, confusion matrices."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ui.i18n import ENGLISH, Translator
from ui.palette import BLUE, DIVERGING, ORANGE, SEQUENTIAL

CLASS_SYMBOLS = ["circle", "x", "diamond", "square", "triangle-up"]


def decision_boundary_figure(
    xs: np.ndarray,
    ys: np.ndarray,
    prob: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    title: str | None = None,
    *,
    tr: Translator = ENGLISH,
) -> go.Figure:
    """Heatmap of P(class 1) on a grid (prob shaped (len(ys), len(xs))), the 0.5 contour, and the points."""
    # Traces and layout given whole: the live view redraws this a few times a second (see subplot_grid).
    traces = [
        dict(
            type="heatmap",
            x=xs,
            y=ys,
            z=prob,
            zmin=0,
            zmax=1,
            colorscale=DIVERGING,
            colorbar=dict(title="P(1)"),
        ),
        dict(
            type="contour",
            x=xs,
            y=ys,
            z=prob,
            contours=dict(start=0.5, end=0.5, coloring="none"),
            line=dict(color="black", width=2),
            showscale=False,
            name="P = 0.5",
            hoverinfo="skip",
        ),
    ]
    layout = _plane_layout(title or tr("plots.boundary.title"))
    return go.Figure(data=traces + _class_points(X, y, tr), layout=layout)


def data_points_figure(
    X: np.ndarray,
    y: np.ndarray,
    plane: tuple[float, float] | None = None,
    title: str | None = None,
    *,
    tr: Translator = ENGLISH,
) -> go.Figure:
    """The two classes' points on the input plane, styled as on the decision boundary (shown before training).

    With `plane` (lo, hi), both axes span it (widened to any point outside), the
    square the boundary heatmap will fill, so the view does not jump when training starts.
    """
    layout = _plane_layout(title or tr("plots.boundary.data_title"))
    if plane is not None and len(X):
        pad = 0.05 * (plane[1] - plane[0])
        lo, hi = min(plane[0], float(X.min()) - pad), max(plane[1], float(X.max()) + pad)
        layout["xaxis"]["range"] = [lo, hi]
        layout["yaxis"]["range"] = [lo, hi]
    return go.Figure(data=_class_points(X, y, tr), layout=layout)


def _class_points(X: np.ndarray, y: np.ndarray, tr: Translator) -> list[dict]:
    traces = []
    for cls, color in ((0, BLUE), (1, ORANGE)):
        mask = y == cls
        traces.append(
            dict(
                type="scatter",
                x=X[mask, 0],
                y=X[mask, 1],
                mode="markers",
                name=tr("plots.boundary.class", cls=cls),
                marker=dict(
                    color=color,
                    symbol=CLASS_SYMBOLS[cls],
                    size=11,
                    line=dict(color="black", width=1.5),
                ),
            )
        )
    return traces


def _plane_layout(title: str) -> dict:
    # Fixed margins with the axes' automargin off, as on the training charts: measuring the
    # tick labels to grow the margins made every live redraw of the boundary cost the browser
    # more (bench/README.md, "Live training loop", twenty-fifth session). 50 px fit the
    # plane's 4-character ticks ("-0.5") and an axis title; the legend's y, a fraction of the
    # plot's height, is set for these: at -0.15 it overlapped the x title. The colour bar
    # and the legend still push the margins when they need more.
    return dict(
        title=dict(text=title),
        height=420,
        margin=dict(l=50, r=10, t=40, b=50),
        # The plane stays square by narrowing the plot (constrain="domain"), not by widening
        # the x range past the boundary's grid, which left white strips on both sides.
        xaxis=dict(title=dict(text="x₁"), automargin=False, constrain="domain"),
        yaxis=dict(
            title=dict(text="x₂"),
            scaleanchor="x",
            scaleratio=1,
            automargin=False,
            constrain="domain",
        ),
        legend=dict(orientation="h", y=-0.22),
    )


def subplot_grid(
    n_rows: int, n_cols: int, h_spacing: float, v_spacing: float
) -> tuple[dict, list[tuple[str, str]]]:
    """Axes for an n_rows x n_cols grid, laid out as plotly's make_subplots lays them (row 1 on top).

    Returns (layout entries, one (xaxis ref, yaxis ref) per cell, row by row).
    make_subplots took 60-80 ms for a 4x8 grid; the live hidden-unit maps
    are redrawn a few times a second while the run waits for them.
    """
    width = (1 - h_spacing * (n_cols - 1)) / n_cols
    height = (1 - v_spacing * (n_rows - 1)) / n_rows
    layout, refs = {}, []
    for i in range(n_rows):
        bottom = (n_rows - 1 - i) * (
            height + v_spacing
        )  # from the bottom, so the last row starts at exactly 0
        for j in range(n_cols):
            k = i * n_cols + j + 1
            suffix = "" if k == 1 else str(k)
            left = j * (width + h_spacing)
            layout[f"xaxis{suffix}"] = dict(domain=[left, left + width], anchor=f"y{suffix}")
            layout[f"yaxis{suffix}"] = dict(
                domain=[bottom, min(1.0, bottom + height)], anchor=f"x{suffix}"
            )
            refs.append((f"x{suffix}", f"y{suffix}"))
    return layout, refs


def hidden_units_figure(
    xs: np.ndarray,
    ys: np.ndarray,
    activations: list[np.ndarray],
    max_units: int = 8,
    *,
    tr: Translator = ENGLISH,
) -> go.Figure:
    """One small heatmap per hidden unit: its activation over the input plane (TF Playground style).

    `activations` holds one (len(ys)*len(xs), units) array per hidden layer; one row per layer.
    """
    n_rows = max(1, len(activations))
    n_cols = max(1, min(max_units, max((a.shape[1] for a in activations), default=1)))
    layout, refs = subplot_grid(n_rows, n_cols, h_spacing=0.02, v_spacing=0.12)
    traces, titles = [], []
    for i, acts in enumerate(activations):
        for j in range(min(n_cols, acts.shape[1])):
            x_ref, y_ref = refs[i * n_cols + j]
            traces.append(
                dict(
                    type="heatmap",
                    x=xs,
                    y=ys,
                    z=acts[:, j].reshape(len(ys), len(xs)),
                    colorscale=SEQUENTIAL,
                    showscale=False,
                    xaxis=x_ref,
                    yaxis=y_ref,
                    hovertemplate="x₁=%{x:.2f}<br>x₂=%{y:.2f}<br>h=%{z:.3f}<extra></extra>",
                )
            )
            x_axis, y_axis = layout["xaxis" + x_ref[1:]], layout["yaxis" + y_ref[1:]]
            titles.append(
                dict(
                    text=tr("plots.hidden.unit", layer=i + 1, unit=j + 1),
                    x=sum(x_axis["domain"]) / 2,
                    y=y_axis["domain"][1],
                    xref="paper",
                    yref="paper",
                    xanchor="center",
                    yanchor="bottom",
                    showarrow=False,
                    font=dict(size=16),
                )
            )
    for axis in layout.values():
        axis["showticklabels"] = False
        axis["automargin"] = False  # nothing to measure: no tick labels (see _plane_layout)
    layout.update(
        # The unit titles stand in the top margin under the figure's title: 72 px keep
        # them apart (at 40 px they overlapped, with CJK glyphs more than Latin ones).
        height=140 * n_rows + 92,
        margin=dict(l=10, r=10, t=72, b=10),
        annotations=titles,
        title=dict(text=tr("plots.hidden.title")),
    )
    return go.Figure(data=traces, layout=layout)


def confusion_matrix_figure(
    cm: np.ndarray,
    class_names: list[str],
    title: str | None = None,
    *,
    tr: Translator = ENGLISH,
) -> go.Figure:
    """Counts with true classes as rows and predicted as columns, numbers printed in each cell."""
    fig = go.Figure(
        go.Heatmap(
            z=cm,
            x=class_names,
            y=class_names,
            colorscale="Blues",
            text=cm,
            texttemplate="%{text}",
            showscale=False,
            hovertemplate=tr("plots.confusion.hover"),
        )
    )
    fig.update_layout(
        title=title or tr("plots.confusion.title"),
        xaxis_title=tr("plots.confusion.predicted"),
        yaxis_title=tr("plots.confusion.true"),
        height=380,
        margin=dict(l=10, r=10, t=40, b=10),
    )
    fig.update_yaxes(autorange="reversed")
    return fig
