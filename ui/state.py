"""Per-session state, typed: each lab's run lives in st.session_state, never in a shared cache.

Every lab gets one LabSession (`lab_session(key)`), whose fields are all
named here; a lab with state of its own keeps it in its own dataclass through
`session_object`. Streamlit deletes a widget's value when its page is not
shown, so `remember()` keeps a shadow copy of each widget's value and puts it
back when the page is drawn again: a student who visits another page and
comes back finds every control as they left it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.session_state_proxy import get_session_state

from ui.coach.memo import CoachMemo
from ui.compare.book import CompareBook
from ui.language import language
from ui.live_run import LiveRun
from ui.paced_views import ViewsModel

T = TypeVar("T")


@dataclass
class RedrawClock:
    """How long a redraw of the live charts takes, and when the last one began (for pacing)."""

    draw_seconds: float = 0.0
    last_start: float | None = None


@dataclass
class LabSession:
    """One lab's training state for one browser session."""

    live: LiveRun
    signature: tuple | None = None
    """The settings the current run was started with, to spot changed controls."""
    uploaded: bool = False
    """The current run was loaded from a model file, not trained here."""
    upload_id: str | None = None
    """The uploaded file last adopted, so a rerun does not load it again."""
    upload_message: tuple[str, Any] | None = None
    """("ok", ui.model_files.UploadOutcome) or ("error", the ModelFileError) of the last upload."""
    pending_upload: Any = None
    """A read model file (ui.model_files.PendingUpload) that the next run adopts."""
    redraw: RedrawClock = field(default_factory=RedrawClock)
    views_model: ViewsModel = field(default_factory=ViewsModel)
    """The model copy the lab's own views draw from while the run trains (ui.paced_views)."""
    full_run: bool = False
    """True while the page itself (not the live fragment's timer) draws the charts."""
    compare: CompareBook = field(default_factory=CompareBook)
    """The lab's kept runs, pins and chart picks (ui/compare/)."""
    coach: CoachMemo = field(default_factory=CoachMemo)
    """What the coach last found for the run, and when (ui/coach/)."""

    @property
    def key(self) -> str:
        """The lab's key: its widget-key prefix and its thread's name."""
        return self.live.name


def session_object(key: str, factory: Callable[[], T]) -> T:
    """This session's object stored under `key`, made by `factory()` on first use."""
    if key not in st.session_state:
        st.session_state[key] = factory()
    return st.session_state[key]


def lab_session(key: str) -> LabSession:
    """This session's LabSession for the lab whose state key is `key`, created on first use."""
    return session_object(f"lab_session::{key}", lambda: LabSession(LiveRun(key)))


_SHADOW = "remember::"
_NEXT_RUN = "remember/next_run::"  # values for set_before_next_run; not under _SHADOW
# {widget key: the language its labels were last sent in}; not under _SHADOW, whose keys are widgets'.
_LABELS_LANGUAGE = "remember/labels_language"


def _in_fragment_run() -> bool:
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def _browser_sent(key: str) -> bool:
    """True if the browser's request for this run carried widget `key`'s value.

    Reads Streamlit's session state internals (pinned version); should they
    move, it answers False and remember() re-sends every value, as it did before.
    It asks about the widget id of the last run: a widget whose id changes under
    the same key (Streamlit counts a slider's bounds and step in it) is a new
    widget, which Streamlit starts at its default. Keep such bounds fixed per key
    (or put them in the key, as the convolution lab's window slider does).
    """
    try:
        state = get_session_state()._state
        widget_id = state._key_id_mapper.get_id_from_key(key, None)
        return widget_id is not None and widget_id in state._new_widget_state.states
    except AttributeError:
        return False


def _relabelled(key: str) -> bool:
    """True if widget `key` was last drawn in another language (call on full runs only).

    A selectbox or radio sends back the label it shows, so on the run after a
    language switch the browser's value is an old-language label, which the
    widget cannot match among its new ones: its value has to be sent again.
    """
    lang = language()
    drawn_in = st.session_state.setdefault(_LABELS_LANGUAGE, {})
    changed = drawn_in.get(key, lang) != lang
    drawn_in[key] = lang
    return changed


def remember(key: str, default: Any = None) -> str:
    """Keep widget `key`'s value across page switches; returns the key.

    Call as `st.slider(..., key=remember("xor_lr", 0.03))`. The value the
    widget has in this run is copied to a shadow key that survives page
    switches, and put back when Streamlit has dropped the widget's own.
    Nothing else is needed: every interaction reruns the script, and so
    passes through here with the new value.
    """
    shadow = _SHADOW + key
    if _NEXT_RUN + key in st.session_state:  # set_before_next_run: before the widget exists
        st.session_state[key] = st.session_state[shadow] = st.session_state.pop(_NEXT_RUN + key)
    full_run = not _in_fragment_run()
    relabelled = full_run and _relabelled(key)
    if key not in st.session_state:
        if shadow in st.session_state:
            st.session_state[key] = st.session_state[shadow]
        elif default is not None:
            st.session_state[key] = default
    elif full_run and (relabelled or not _browser_sent(key)):
        # Re-assert the value, so the widget's message carries it explicitly.
        # Otherwise a widget that the browser first mounts in a later run (on a
        # cold server the first run is slow, and a click can start a second one
        # before the sidebar is drawn) shows its minimum, and the next
        # interaction sends that minimum back as the student's choice.
        # Not when the browser sent the widget's value with this run, in the
        # labels it still shows: it has it already, and a run that a newer move
        # interrupts would send the old value back over that move. Not in
        # fragment runs either: a live chart's fragment reruns about once a second.
        try:
            st.session_state[key] = st.session_state[key]
        except StreamlitAPIException:
            pass  # the widget is already drawn in this run (remember() called twice)
    if key in st.session_state:
        st.session_state[shadow] = st.session_state[key]
    return key


def remember_choice(key: str, options: Sequence, default: Any) -> str:
    """remember(key) for a choice among `options` (one, or a list for a multiselect).

    A value not among them is replaced before the widget is drawn: by the value the
    widget last had in a full run, if that one is, else by `default`; a list keeps
    its members that are. A remembered value can be gone from the options (another
    file's columns), and after a language switch a selectbox's value can be a label
    in the old language: a redraw the browser asked for before it had the new labels
    sends the old one back, and Streamlit keeps what it cannot match as the value.
    """
    shadow = _SHADOW + key
    for name in (key, shadow):
        if name not in st.session_state:
            continue
        value = st.session_state[name]
        if isinstance(value, list):
            if any(v not in options for v in value):
                st.session_state[name] = [v for v in value if v in options]
        elif value not in options:
            last = st.session_state.get(shadow) if name == key else None
            st.session_state[name] = last if last in options else default
    return remember(key, default)


def remembered(key: str, default: Any = None) -> Any:
    """The value widget `key` had at the end of the last full run that drew it (remember's copy)."""
    return st.session_state.get(_SHADOW + key, default)


def set_before_next_run(key: str, value: Any) -> None:
    """Give remembered widget `key` the value `value` in the next run, before it is drawn.

    For a widget already drawn in this run, whose value Streamlit no longer lets us set.
    """
    st.session_state[_NEXT_RUN + key] = value


def remember_value(key: str, value: Any) -> None:
    """Set widget `key` (and its shadow) to `value` before the widget is drawn in this run."""
    st.session_state[key] = value
    st.session_state[_SHADOW + key] = value
