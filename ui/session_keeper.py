"""Keep a student's runs across a page reload (F5), which Streamlit treats as a new session.

Streamlit keeps a closed connection's session in memory for a while
(server.disconnectedSessionTTL, 2 minutes by default), but a reloaded page
never asks for it back: it gets a fresh, empty session. So each session gets
a random token, and a small script in the page writes it to the NNLAB_TAB
cookie as the page unloads, for 30 seconds, and deletes the cookie when a
page loads. The reloaded page's new session finds the token in its cookies
and, if the session it names is no longer connected, takes over that
session's values: every run, kept run and control, the live training
included. The old session is then marked so that Streamlit never resumes it.

Nothing here is a shared cache: the table maps a token to one session's
state, only the browser holding that token can claim it, and a claimed entry
is gone. A session that is still connected is never taken over, and a tab
opened later than 30 s after another one closed starts fresh (a shared
classroom computer's next student gets nothing of the last one's).
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
# normally disconnected, its last run stopped, already; this covers a slow close or stop.
ADOPT_WAIT_SECONDS = 1.0
# How long after a page unloads its session can be claimed: a reload takes a second or two.
CLAIM_SECONDS = 30

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
        # Loaded: nothing is left to claim, and no other tab may claim this one's token.
        f"document.cookie = '{COOKIE}=; Max-Age=0; path=/; SameSite=Strict';"
        "if (!window.__nnlabTabHooked) {"
        " window.__nnlabTabHooked = true;"
        " var leave = function(){ document.cookie ="
        f" '{COOKIE}=' + window.__nnlabTab + '; Max-Age={CLAIM_SECONDS}; path=/; SameSite=Strict'; }};"
        " window.addEventListener('beforeunload', leave, true);"
        " window.addEventListener('pagehide', leave, true); }"
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
    old_session = ref()
    if old_session is None:
        return False
    # The old session must be disconnected and its last script run over: its state is
    # not locked, and a run still ending writes to it while we copy.
    deadline = time.monotonic() + ADOPT_WAIT_SECONDS
    while runtime.is_active_session(old_id) or _still_running(old_session):
        if time.monotonic() > deadline:
            return False  # still open in another tab, or still running: it keeps its own
        time.sleep(0.05)
    with _LOCK:
        if _SESSIONS.get(token) is not entry:
            return False  # a racing reload claimed it first
        del _SESSIONS[token]
    try:
        kept = kept_values(old_session.session_state)
    except Exception:  # Streamlit internals moved, or the state changed under us: start fresh
        _LOG.warning("Could not carry a reloaded tab's session over", exc_info=True)
        with _LOCK:
            _SESSIONS.setdefault(token, entry)
        return False
    # Streamlit could otherwise resume the old session on a reconnect from its old tab (a
    # network blip), and two sessions would share one run.
    runtime.mark_session_nonresumable(old_id)
    for key, value in kept.items():
        st.session_state[key] = value
        _follow_this_session(value)
    return True


def _still_running(session: Any) -> bool:
    """True while Streamlit runs a script of `session` (its state may still change)."""
    state = getattr(session, "_state", None)
    return getattr(state, "name", "") == "APP_IS_RUNNING"


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
