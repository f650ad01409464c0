"""Whether the student's browser tab is hidden, so that a live run redraws rarely while nobody looks.

A small component, mounted once per page run by app.py, reports the tab's
visibility. While the tab is hidden, ui.live_view redraws a training run every
HIDDEN_REDRAW_SECONDS instead of every second: each redraw holds the trainer
while the server draws, and the browser still runs the page's scripts for it
(bench/README.md, "Live training loop"). The component sits outside every
fragment, so a change reruns the whole page: when the student comes back, that
rerun interrupts the live fragment's wait and draws the run at once.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

KEY = "nnlab_tab_visibility"
# Reports on mount (only a change reaches the server) and on every visibilitychange.
_JS = """
export default function ({ setStateValue }) {
  const report = () => setStateValue("hidden", document.visibilityState === "hidden");
  report();
  document.addEventListener("visibilitychange", report);
  return () => document.removeEventListener("visibilitychange", report);
}
"""
# ui.page_style hides the element that holds this marker: the detector takes no space.
MARKER = "nnlab-tab-visibility"

_DETECTOR = st.components.v2.component(
    "nnlab_tab_visibility", html=f'<span class="{MARKER}"></span>', js=_JS, isolate_styles=False
)


def _changed() -> None:
    """Nothing to do on a change: the rerun it causes is what redraws the run."""


def tab_visibility_ui() -> None:
    """Mount the detector on this page run (app.py; once, outside any fragment)."""
    _DETECTOR(key=KEY, default={"hidden": False}, on_hidden_change=_changed)


def tab_hidden() -> bool:
    """True once the tab reported itself hidden; False before any report, and outside a browser."""
    state: Any = st.session_state.get(KEY)
    if state is None:
        return False
    value = state.get("hidden") if hasattr(state, "get") else getattr(state, "hidden", None)
    return bool(value)
