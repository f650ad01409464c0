"""Keep a student's runs across a page reload (F5), which Streamlit treats as a new session.

Streamlit keeps a closed connection's session in memory for a while
(server.disconnectedSessionTTL, 2 minutes by default) but a reloaded page
never asks for it back: it gets a fresh, empty session. So each session gets
a random token, and a small script in the page writes it to the NNLAB_TAB
cookie, again as the page unloads (so of two tabs, the one reloading names
itself; focus, a click or a key press do the same). The reloaded page's new session finds the token in its cookies and,
if the session it names is no longer connected, takes over that session's
values: every run, kept run and control, the live training included.

Nothing here is a shared cache: the table maps a token to one session's
state, only the browser holding that token can claim it, and a claimed or
expired entry is gone. A session that is still connected (another tab of
the same browser) is never taken over.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
import weakref
from typing import Any

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

COOKIE = "NNLAB_TAB"
_TOKEN_KEY = "session_keeper::token"
_HIDDEN = "nnlab_tab_token"  # the container's key, hence its CSS class st-key-nnlab_tab_token
# Not carried over: the worker notice describes how this session began (ui/classroom.py).
_NOT_KEPT = ("classroom::moved_from", _TOKEN_KEY)
# On a reload the old connection closes before the new page connects, so its session is
# normally disconnected already; this covers a slow close without delaying a second tab long.
ADOPT_WAIT_SECONDS = 1.0

_LOG = logging.getLogger(__name__)
_LOCK = threading.Lock()
# token -> (session id, weak reference to that session's AppSession). Weak: once Streamlit
# drops a disconnected session, its state goes too.
_SESSIONS: dict[str, tuple[str, weakref.ref]] = {}


def keep_across_reloads() -> None:
    """On a session's first run, take over the runs of the session this tab had before a reload.

    Call at the top of app.py, before anything reads st.session_state; later
    runs of the session return at once. Without a token to claim, or should
    Streamlit's session internals change, the session starts fresh.
    """
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None or not Runtime.exists():
        return  # AppTest and bare runs: no browser, no reload
    if _TOKEN_KEY in st.session_state:
        return
    token = _cookie_token()
    if token is None or not _adopt(token, ctx.session_id):
        token = secrets.token_urlsafe(16)
    st.session_state[_TOKEN_KEY] = token
    _register(token, ctx.session_id)


def tab_token_ui() -> None:
    """Draw the hidden script that stores this session's token in the tab's cookie.

    In the sidebar, in a container that CSS hides, so it takes no space;
    app.py draws it before the page, because some pages end with st.stop().
    """
    token = st.session_state.get(_TOKEN_KEY)
    if not token:
        return
    script = (
        "<script>(function(){"
        f"window.__nnlabTab = {json.dumps(token)};"
        "var write = function(){"
        f" document.cookie = '{COOKIE}=' + window.__nnlabTab + '; path=/; SameSite=Strict'; }};"
        "write();"
        "if (!window.__nnlabTabHooked) {"
        " window.__nnlabTabHooked = true;"
        " ['beforeunload', 'pagehide', 'focus', 'pointerdown', 'keydown'].forEach("
        "function(e){ window.addEventListener(e, write, true); }); }"
        "})();</script>"
    )
    # Its layout wrapper too: an empty wrapper would still take a gap in the sidebar.
    hide = f"<style>div:has(> .st-key-{_HIDDEN}) {{display: none;}}</style>"
    with st.sidebar, st.container(key=_HIDDEN):
        st.html(hide + script, unsafe_allow_javascript=True)


def _cookie_token() -> str | None:
    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # no request behind this run
        return None
    return token if token and len(token) <= 64 else None


def _register(token: str, session_id: str) -> None:
    session = Runtime.instance().get_app_session(session_id)
    if session is None:
        return
    with _LOCK:
        _prune()
        _SESSIONS[token] = (session_id, weakref.ref(session))


def _prune() -> None:
    """Drop entries whose session state is gone (called under _LOCK)."""
    for token in [t for t, (_, ref) in _SESSIONS.items() if ref() is None]:
        del _SESSIONS[token]


def _adopt(token: str, new_session_id: str) -> bool:
    """Copy the values of `token`'s disconnected session into this one; False if there is none."""
    runtime = Runtime.instance()
    with _LOCK:
        entry = _SESSIONS.get(token)
    if entry is None or entry[0] == new_session_id:
        return False
    old_id, ref = entry
    deadline = time.monotonic() + ADOPT_WAIT_SECONDS
    while runtime.is_active_session(old_id):
        if time.monotonic() > deadline:
            return False  # another tab of this browser is still open: it keeps its own
        time.sleep(0.05)
    with _LOCK:
        if _SESSIONS.get(token) is not entry:
            return False  # a racing reload claimed it first
        del _SESSIONS[token]
    old_session = ref()
    if old_session is None:
        return False
    try:
        kept = kept_values(old_session.session_state)
    except (AttributeError, KeyError, TypeError):  # Streamlit internals moved: start fresh
        _LOG.warning("Could not carry a reloaded tab's session over", exc_info=True)
        return False
    for key, value in kept.items():
        st.session_state[key] = value
        _follow_this_session(value)
    return True


def kept_values(state: Any) -> dict[str, Any]:
    """The values of a Streamlit SessionState worth carrying to a new session.

    Everything user code stored, and no widget's own value: a widget's value
    is not ours to set (buttons and uploaders refuse it), and ui.state.remember
    keeps a shadow copy of each control that matters, which is carried.
    """
    widget_keys = state._key_id_mapper  # user keys that belong to widgets
    return {
        key: value
        for key, value in state.filtered_state.items()
        if key not in widget_keys and key not in _NOT_KEPT
    }


def _follow_this_session(value: Any) -> None:
    """Tell a carried live run that its browser session is now this one."""
    live = getattr(value, "live", None)
    follow = getattr(live, "follow_session", None)
    if callable(follow):
        follow()
