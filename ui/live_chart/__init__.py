"""The light renderer for live training curves: a canvas chart redrawn in place (see component)."""

from ui.live_chart.component import live_line_chart
from ui.live_chart.spec import NotALineChart, chart_spec

__all__ = ["NotALineChart", "chart_spec", "live_line_chart"]
