"""Layout and colours every concept-lab figure shares."""

from __future__ import annotations

import plotly.graph_objects as go

from ui.palette import BLACK, BLUE, GREEN, ORANGE, PURPLE, SKY, VERMILLION

# Okabe-Ito without yellow, which is too faint for lines on white.
SERIES = [BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, BLACK]


def series_color(i: int) -> str:
    """The i-th line colour (cycles after seven)."""
    return SERIES[i % len(SERIES)]


def style(fig: go.Figure, title: str = "", height: int = 380, **layout) -> go.Figure:
    """Apply the labs' common layout: white template, tight margins, legend on top."""
    fig.update_layout(
        template="plotly_white",
        title=title or None,
        height=height,
        margin=dict(l=10, r=10, t=60 if title else 30, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        **layout,
    )
    return fig
