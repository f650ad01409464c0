"""Per-session state: each lab's run lives in st.session_state, never in a shared cache.

Streamlit deletes a widget's value when its page is not shown, so a student
who visits another page and comes back would find every slider reset.
`remember()` copies widget values into plain session keys (which survive
page switches) and puts them back before the widget is drawn again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx

from models import TrainingRun


@dataclass
class LabState:
    """One lab's training state for one browser session."""

    run: TrainingRun | None = None
    running: bool = False
    """True while the student wants training to continue (Train pressed, not paused)."""
    signature: tuple | None = None
    """The settings the current run was started with, to spot changed controls."""
    previous_history: Any = None
    """History of the run this one replaced, drawn faintly for comparison."""
    extras: dict[str, Any] = field(default_factory=dict)


def lab_state(lab: str) -> LabState:
    """This session's LabState for `lab`, created on first use."""
    key = f"lab_state::{lab}"
    if key not in st.session_state:
        st.session_state[key] = LabState()
    return st.session_state[key]


_SHADOW = "remember::"


def _in_fragment_run() -> bool:
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def remember(key: str, default: Any = None) -> str:
    """Restore widget `key` from its shadow copy before the widget is drawn; return the key.

    Call as `st.slider(..., key=remember("xor_lr"))`; `save_widgets()` (run by
    every page at the end) stores the values back. Without this, switching
    pages resets the widget to its default.
    """
    shadow = _SHADOW + key
    if key not in st.session_state:
        if shadow in st.session_state:
            st.session_state[key] = st.session_state[shadow]
        elif default is not None:
            st.session_state[key] = default
    elif not _in_fragment_run():
        # Re-assert the value, so the widget's message carries it explicitly
        # every full run. Otherwise a widget that the browser first mounts in a
        # later run (on a cold server the first run is slow, and a click can
        # start a second one before the sidebar is drawn) shows its minimum,
        # and the next interaction sends that minimum back as the student's
        # choice. Not in fragment runs: a live chart's fragment reruns every
        # 0.1 s, and re-sending there would undo a pick made while it ran.
        try:
            st.session_state[key] = st.session_state[key]
        except StreamlitAPIException:
            pass  # the widget is already drawn in this run (remember() called twice)
    st.session_state.setdefault("remembered_keys", set()).add(key)
    return key


def save_widgets() -> None:
    """Copy every remembered widget value to its shadow key (call at the end of a page)."""
    for key in st.session_state.get("remembered_keys", set()):
        if key in st.session_state:
            st.session_state[_SHADOW + key] = st.session_state[key]
