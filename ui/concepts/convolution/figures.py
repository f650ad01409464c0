"""Figures for the convolution lab: number grids with a highlighted window, and image rows."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ui.concepts.layout import style
from ui.i18n import ENGLISH, Translator
from ui.palette import BLUE, DIVERGING, ORANGE, VERMILLION

# Light blues for inputs, light oranges for outputs: the numbers stay readable on every cell.
INPUT_SCALE = [[0.0, "#FFFFFF"], [1.0, "#9CC9E8"]]
OUTPUT_SCALE = [[0.0, "#FFFFFF"], [1.0, "#F5C77E"]]
PADDING_COLOR = "#E0E0E0"


def _fmt(v: float) -> str:
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.2f}"


def _rect(
    fig: go.Figure, r0: int, c0: int, h: int, w: int, color: str, width: int = 3, **kw
) -> None:
    fig.add_shape(
        type="rect",
        x0=c0 - 0.5,
        x1=c0 + w - 0.5,
        y0=r0 - 0.5,
        y1=r0 + h - 0.5,
        line=dict(color=color, width=width),
        **kw,
    )


def grid_figure(
    values: np.ndarray,
    title: str = "",
    window: tuple[int, int, int, int] | None = None,
    padding: int = 0,
    winners: np.ndarray | None = None,
    output: bool = False,
    height: int | None = None,
    tr: Translator = ENGLISH,
) -> go.Figure:
    """A grid of numbers drawn as a table-like heatmap, row 1 at the top.

    window = (row, col, height, width) outlines the cells under the filter;
    `padding` greys the outer zero rows/columns; `winners` (a boolean mask)
    outlines the cells that win their max-pooling window, as the slides mark
    them in red.
    """
    values = np.asarray(values, dtype=float)
    n_rows, n_cols = values.shape
    text = [[_fmt(v) for v in row] for row in values]
    fig = go.Figure(
        go.Heatmap(
            z=values,
            text=text,
            texttemplate="%{text}",
            textfont=dict(size=14),
            colorscale=OUTPUT_SCALE if output else INPUT_SCALE,
            showscale=False,
            xgap=1,
            ygap=1,
            hovertemplate=tr("convolution.figures.grid_hover"),
            x=np.arange(n_cols),
            y=np.arange(n_rows),
        )
    )
    if padding:
        # Grey bands over the zero padding, drawn under the numbers. The side bands stop at the
        # top and bottom ones: overlapping, the corners were a darker grey than the sides.
        inner = (padding, padding, n_rows - 2 * padding, n_cols - 2 * padding)
        for r0, c0, h, w in [
            (0, 0, padding, n_cols),
            (n_rows - padding, 0, padding, n_cols),
            (padding, 0, n_rows - 2 * padding, padding),
            (padding, n_cols - padding, n_rows - 2 * padding, padding),
        ]:
            fig.add_shape(
                type="rect",
                x0=c0 - 0.5,
                x1=c0 + w - 0.5,
                y0=r0 - 0.5,
                y1=r0 + h - 0.5,
                fillcolor=PADDING_COLOR,
                opacity=0.6,
                line_width=0,
                layer="above",
            )
        _rect(fig, *inner, color="gray", width=1)
    if winners is not None:
        for r, c in zip(*np.nonzero(winners), strict=True):
            _rect(fig, int(r), int(c), 1, 1, VERMILLION, width=3)
    if window is not None:
        _rect(fig, *window, color=BLUE if not output else ORANGE, width=4)
    cell = 34
    fig.update_xaxes(visible=False, range=[-0.5, n_cols - 0.5], constrain="domain")
    fig.update_yaxes(
        visible=False, autorange="reversed", scaleanchor="x", scaleratio=1, constrain="domain"
    )
    style(fig, title, height=height or max(160, cell * n_rows + (70 if title else 40)))
    fig.update_layout(showlegend=False, margin=dict(l=5, r=5, b=5))
    return fig


def products_figure(window: np.ndarray, kernel: np.ndarray, tr: Translator = ENGLISH) -> go.Figure:
    """The window's values times the filter's weights, cell by cell, with each product."""
    window, kernel = np.asarray(window, float), np.asarray(kernel, float)
    products = window * kernel
    text = [
        [f"{_fmt(a)}×{_fmt(w)}<br><b>{_fmt(p)}</b>" for a, w, p in zip(ra, rw, rp, strict=True)]
        for ra, rw, rp in zip(window, kernel, products, strict=True)
    ]
    fig = grid_figure(products, output=True, height=max(160, 60 * len(window) + 40), tr=tr)
    fig.update_traces(text=text, textfont=dict(size=13))
    return fig


def images_figure(images: list[tuple[str, np.ndarray]], tr: Translator = ENGLISH) -> go.Figure:
    """Images side by side. Non-negative ones in grayscale (ink dark on white);
    signed ones (edge filters) on a diverging scale centred on 0, so "no edge" is white.
    """
    fig = make_subplots(rows=1, cols=len(images), subplot_titles=[t for t, _ in images])
    for i, (_, img) in enumerate(images, start=1):
        img = np.asarray(img, float)
        signed = img.min() < 0
        fig.add_trace(
            go.Heatmap(
                z=img,
                colorscale=DIVERGING if signed else "gray_r",
                zmid=0 if signed else None,
                showscale=False,
                hovertemplate=tr("convolution.figures.image_hover"),
            ),
            row=1,
            col=i,
        )
        fig.update_yaxes(autorange="reversed", scaleanchor=f"x{i}", row=1, col=i)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return style(fig, height=300)
