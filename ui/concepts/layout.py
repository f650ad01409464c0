"""Layout and colours every concept-lab figure shares."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ui.palette import BLACK, BLUE, GREEN, ORANGE, PURPLE, SKY, VERMILLION

# Okabe-Ito without yellow, which is too faint for lines on white.
SERIES = [BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, BLACK]


def series_color(i: int) -> str:
    """The i-th line colour (cycles after seven)."""
    return SERIES[i % len(SERIES)]


def style(fig: go.Figure, title: str = "", height: int = 380, **layout) -> go.Figure:
    """Apply the labs' common layout: white template, tight margins, legend on top.

    Keyword arguments override those defaults (e.g. a legend on the right).
    """
    settings = dict(
        template="plotly_white",
        title=title or None,
        height=height,
        margin=dict(l=10, r=10, t=60 if title else 30, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
    )
    fig.update_layout(**{**settings, **layout})
    return fig


def latex_number(v: float, digits: int = 4) -> str:
    """A number for LaTeX: up to `digits` significant digits, with a proper minus sign."""
    return f"{float(v):.{digits}g}".replace("e", r"\mathrm{e}")


def latex_matrix(m, digits: int = 4) -> str:
    """A 1-D or 2-D array as a LaTeX bmatrix (1-D arrays become a row)."""
    a = np.atleast_2d(np.asarray(m, dtype=float))
    rows = r" \\ ".join(" & ".join(latex_number(v, digits) for v in row) for row in a)
    return r"\begin{bmatrix}" + rows + r"\end{bmatrix}"
