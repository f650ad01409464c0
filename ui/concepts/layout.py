"""Layout and colours every concept-lab figure shares."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from ui.palette import BLACK, BLUE, GREEN, ORANGE, PURPLE, SKY, VERMILLION

# Okabe-Ito without yellow, which is too faint for lines on white.
SERIES = [BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, BLACK]


def series_color(i: int) -> str:
    """The i-th line colour (cycles after seven)."""
    return SERIES[i % len(SERIES)]


# Plotly validates a template named in update_layout by deep-copying it through its validators:
# 11-14 ms a figure, up to two fifths of a concept page's rerun (bench/README.md, "Concept pages").
WHITE = pio.templates["plotly_white"]


def white_template(fig: go.Figure) -> go.Figure:
    """Give `fig` Plotly's registered "plotly_white" template, as `template="plotly_white"` does.

    Set without validation, as Plotly sets its own default template on every new figure:
    the registered template is valid already, and only its JSON is copied into the figure.
    """
    layout = fig.layout
    layout._validate = False
    try:
        layout.template = WHITE
    finally:
        layout._validate = fig._validate
    return fig


def style(fig: go.Figure, title: str = "", height: int = 380, **layout) -> go.Figure:
    """Apply the labs' common layout: white template, tight margins, legend on top.

    Keyword arguments override those defaults (e.g. a legend on the right, or another template).
    """
    if "template" not in layout:
        white_template(fig)
    shown = [t for t in fig.data if t.showlegend is not False]
    legend_on_top = (
        "legend" not in layout
        and fig.layout.showlegend is not False
        and (len(shown) > 1 or any(t.showlegend for t in fig.data))
    )
    settings = dict(
        # A title above a legend row: the title at the very top, the legend under it (with the
        # title in the margin's middle, as Plotly places it, the two touched).
        title=dict(text=title, y=1, yref="container", yanchor="top", pad=dict(t=10))
        if title
        else None,
        height=height,
        margin=dict(l=10, r=10, t=(85 if legend_on_top else 60) if title else 30, b=10),
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
