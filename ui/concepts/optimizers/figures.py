"""Figures for the optimizer lab: paths on a contour map, and loss per step."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons.loss_surfaces import Surface
from lessons.optimizer_paths import OptimizerPath
from models.optimizers import OPTIMIZERS
from ui.concepts.layout import series_color, style
from ui.i18n import ENGLISH, Translator
from ui.palette import BLACK, SEQUENTIAL


def optimizer_color(name: str) -> str:
    """A fixed colour per optimizer, so SGD looks the same on every surface."""
    names = list(OPTIMIZERS)
    return series_color(names.index(name) if name in names else len(names))


def _contour_values(surface: Surface, Z: np.ndarray) -> tuple[np.ndarray, str]:
    if surface.log_contours:
        return np.log10(1 + Z - Z.min()), "log₁₀(1 + L)"
    return Z, "L"


def paths_figure(
    surface: Surface,
    paths: list[OptimizerPath],
    upto: int | None = None,
    grid: int = 120,
    tr: Translator = ENGLISH,
    surface_name: str | None = None,
) -> go.Figure:
    """One contour panel per optimizer, side by side on the same surface and start.

    `upto` shows only the first `upto` steps of each path (to replay it).
    The window stays the surface's own even when a path runs off it. `surface_name` is the
    surface's name as the page shows it (the title of an empty figure).
    """
    xs, ys, Z = surface.grid(grid)
    values, label = _contour_values(surface, Z)
    n = max(1, len(paths))
    fig = make_subplots(
        rows=1,
        cols=n,
        shared_yaxes=True,
        # Room between panels, so that one panel's last x tick and the next one's first do not
        # read as one number ("4 −4").
        horizontal_spacing=0.05,
        subplot_titles=[tr("optimizers.figures.panel", name=p.label, lr=p.lr) for p in paths]
        or [surface_name or surface.name],
    )
    for col in range(1, n + 1):
        fig.add_trace(
            go.Contour(
                x=xs,
                y=ys,
                z=values,
                colorscale=SEQUENTIAL,
                ncontours=25,
                showscale=col == n,
                colorbar=dict(title=dict(text=label)),
                opacity=0.75,
                line=dict(width=0.5),
                hovertemplate="x=%{x:.2f}, y=%{y:.2f}<extra></extra>",
            ),
            row=1,
            col=col,
        )
        mx, my = zip(*surface.minima, strict=True)
        fig.add_trace(
            go.Scatter(
                x=mx,
                y=my,
                mode="markers",
                marker=dict(symbol="star", size=14, color="white", line=dict(color=BLACK, width=1)),
                name=tr("optimizers.figures.minimum"),
                showlegend=col == 1,
                hoverinfo="skip",
            ),
            row=1,
            col=col,
        )
    for col, path in enumerate(paths, start=1):
        pts = path.points if upto is None else path.points[: upto + 1]
        color = optimizer_color(path.optimizer)
        fig.add_trace(
            go.Scatter(
                x=pts[:, 0],
                y=pts[:, 1],
                mode="lines+markers",
                name=path.label,
                line=dict(color=color, width=2),
                marker=dict(size=4, color=color),
                hovertemplate=tr("optimizers.figures.path_hover"),
                customdata=np.arange(len(pts)),
            ),
            row=1,
            col=col,
        )
        fig.add_trace(
            go.Scatter(
                x=pts[:1, 0],
                y=pts[:1, 1],
                mode="markers",
                name=tr("optimizers.figures.start"),
                showlegend=col == 1,
                marker=dict(symbol="circle-open", size=12, color=BLACK, line=dict(width=2)),
                hoverinfo="skip",
            ),
            row=1,
            col=col,
        )
    fig.update_xaxes(range=list(surface.x_range), title_text="x")
    fig.update_yaxes(range=list(surface.y_range))
    for col in range(1, n + 1):
        # One unit of x as long as one unit of y: the bowl is drawn round and the
        # valley as narrow as it really is (stretched panels hid both). Plotly
        # widens the y range to fit rather than shrinking the panel, which keeps
        # each subplot title just above its panel.
        fig.update_xaxes(
            scaleanchor="y" if col == 1 else f"y{col}",
            scaleratio=1,
            constrain="domain",
            row=1,
            col=col,
        )
    # The y axes too give up room rather than widen their range: a widened range left white
    # bands above and below the surface, where a diverging path was drawn on nothing.
    fig.update_yaxes(constrain="domain")
    fig.update_yaxes(title_text="y", row=1, col=1)
    style(fig, height=460)
    # Legend under the panels: on top it would cover the subplot titles.
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.18, xanchor="left", x=0))
    return fig


def loss_curves_figure(paths: list[OptimizerPath], tr: Translator = ENGLISH) -> go.Figure:
    """Loss after each step, all optimizers on one chart (log scale when every loss is positive)."""
    fig = go.Figure()
    positive = all(np.all(p.losses > 0) for p in paths)
    for path in paths:
        fig.add_trace(
            go.Scatter(
                x=np.arange(len(path.losses)),
                y=path.losses,
                name=path.label,
                line=dict(color=optimizer_color(path.optimizer), width=2),
            )
        )
    fig.update_xaxes(title_text=tr("optimizers.figures.step"))
    fig.update_yaxes(
        title_text=tr("optimizers.figures.loss"),
        type="log" if positive and paths else "linear",
        exponentformat="power",
    )
    return style(fig, height=320)
