"""A line chart's drawing spec: what the live chart component needs of a plotly figure, as JSON.

The figure builders (ui.figures.training, ui.figures.compare) stay the one
place a training chart is defined; the light renderer reads their line traces
and layout instead of having builders of its own.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import plotly.graph_objects as go

# Plotly's default chart height, used when a figure does not set one.
DEFAULT_HEIGHT = 450


class NotALineChart(ValueError):
    """A figure holds a trace the light renderer cannot draw (only scatter lines and markers)."""

    def __init__(self, trace_type: str, index: int):
        super().__init__(f"trace {index} is a {trace_type!r}; only 'scatter' traces can be drawn")
        self.trace_type = trace_type
        self.index = index


# Significant digits sent per value: a 300 px chart shows no more, the hover box shows 4,
# and full precision made a 600-step chart's message ~3x larger.
DIGITS = 6
_EXACT_POWERS = 22  # 10**22 is the largest power of ten a double holds exactly


def _numbers(values: Any) -> list[float | None]:
    """Finite floats to DIGITS significant digits, None where a value is missing or not finite.

    Rounded as round(v * 10^d) / 10^d with d decimals, in numpy: a quotient of two exact
    numbers is the double nearest the decimal, so it prints as `f"{v:.6g}"` would. That holds
    while 10^d is exact (|d| <= 22); other values take the formatting route. A Python loop
    over each value cost ~1.5 ms per 1,800 numbers at every redraw; this ~0.15 ms.
    """
    if values is None:
        return []
    v = np.asarray(values, dtype=float).ravel()
    finite = np.isfinite(v)
    magnitude = np.floor(np.log10(np.where(finite & (v != 0), np.abs(v), 1.0)))
    decimals = (DIGITS - 1 - magnitude).astype(int)
    exact = np.abs(decimals) <= _EXACT_POWERS
    scale = 10.0 ** np.clip(np.abs(decimals), 0, _EXACT_POWERS)
    up = decimals >= 0
    with np.errstate(over="ignore", invalid="ignore"):  # np.where computes both branches
        rounded = np.where(up, np.round(v * scale) / scale, np.round(v / scale) * scale)
    out: list[float | None] = rounded.tolist()
    if not (finite.all() and exact.all()):
        for i in np.flatnonzero(~(finite & exact)).tolist():
            x = float(v[i])
            out[i] = float(f"{x:.{DIGITS}g}") if math.isfinite(x) else None
    return out


def _text(title: Any) -> str:
    """A layout title's text, whether plotly holds it as a title object or not at all."""
    return (getattr(title, "text", None) or "") if title is not None else ""


def chart_spec(fig: go.Figure) -> dict[str, Any]:
    """The JSON the live chart component draws: title, axis titles, y range, height and the lines.

    Each line keeps its name, x and y (None for gaps), colour, dash, width,
    opacity and whether it has markers. Raises NotALineChart for any trace
    that is not a scatter.
    """
    layout = fig.layout
    lines = []
    for i, trace in enumerate(fig.data):
        if trace.type != "scatter":
            raise NotALineChart(trace.type, i)
        line = trace.line
        lines.append(
            {
                "name": trace.name or "",
                "x": _numbers(trace.x),
                "y": _numbers(trace.y),
                "color": line.color,
                "dash": line.dash or "solid",
                "width": line.width if line.width is not None else 2,
                "opacity": trace.opacity if trace.opacity is not None else 1.0,
                "markers": "markers" in (trace.mode or "lines"),
                "symbol": (trace.marker.symbol or "circle") if trace.marker else "circle",
            }
        )
    y_range = layout.yaxis.range
    return {
        "title": _text(layout.title),
        "x_title": _text(layout.xaxis.title),
        "y_title": _text(layout.yaxis.title),
        "y_range": list(y_range) if y_range is not None else None,
        "height": layout.height or DEFAULT_HEIGHT,
        "lines": lines,
    }
