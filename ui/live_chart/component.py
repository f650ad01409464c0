"""The live line chart: a training curve drawn on a canvas by a Streamlit component, not by Plotly.

A redraw sends the chart's spec (ui.live_chart.spec) and repaints one canvas;
Plotly rebuilt and laid out every chart's SVG at every redraw, which cost the
browser most of a lab page's redraw (bench/README.md, "A lighter renderer").
"""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from ui.live_chart.spec import chart_spec

HERE = Path(__file__).parent
COMPONENT_NAME = "nnlab_live_line_chart"


# Its JS and CSS ship beside this file; registered once, when ui.live_chart is imported.
_CHART = st.components.v2.component(
    COMPONENT_NAME,
    js=(HERE / "line_chart.js").read_text(encoding="utf-8"),
    css=(HERE / "line_chart.css").read_text(encoding="utf-8"),
    # In the page's own DOM, so tests and the classroom bench find the chart's title.
    isolate_styles=False,
)


def live_line_chart(fig: go.Figure | dict, key: str) -> None:
    """Draw `fig`'s line traces on the light canvas chart; `key` keeps the chart across redraws.

    `fig` may also be a spec chart_spec already made, for a chart drawn unchanged at every rerun.
    """
    _CHART(data=fig if isinstance(fig, dict) else chart_spec(fig), key=key)
