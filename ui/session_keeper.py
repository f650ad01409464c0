"""Keep a student's runs across a page reload (F5), which Streamlit treats as a new session.

Streamlit keeps a closed connection's session in memory for a while
(server.disconnectedSessionTTL, 2 minutes by default), but a reloaded page
never asks for it back: it gets a fresh, empty session. So each session gets
a random token, and a small script in each open tab keeps the tokens of the
browser's open tabs in the NNLAB_TAB cookie ("tok1.tok2"), refreshed every
REFRESH_SECONDS, on focus and as the page unloads, each token forgotten
CLAIM_SECONDS after its tab stopped refreshing it. The reloaded page's new
session takes over the first of those sessions that is no longer connected:
every run, kept run and control, the live training included. The old session
is then marked so that Streamlit never resumes it.

Nothing here is a shared cache: the table maps a token to one session's
state, only a browser holding that token can claim it, and a claimed entry is
gone. A session that is still connected is never taken over, and a tab opened
later than CLAIM_SECONDS after another one closed starts fresh (a shared
classroom computer's next student gets nothing of the last one's).
"""

from __future__ import annotations

import collections
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

from ui.hidden_script import hidden_script
from ui.language import RUN_TRANSLATOR_KEY

COOKIE = "NNLAB_TAB"
_TOKEN_KEY = "session_keeper::token"
_HIDDEN = "nnlab_tab_token"  # the container's key, hence its CSS class st-key-nnlab_tab_token
# Not carried over: the worker notice describes how this session began (ui/classroom.py),
# and the last run's Translator is resolved anew for this session's first run.
_NOT_KEPT = ("classroom::moved_from", "classroom::runs_at_notice", _TOKEN_KEY, RUN_TRANSLATOR_KEY)
# On a reload the old connection closes before the new page connects, so its session is
# normally disconnected, its last run stopped, already; this covers a slow close or stop.
ADOPT_WAIT_SECONDS = 1.0
# How long after its tab last named it a session can be claimed: a reload takes a second or two.
CLAIM_SECONDS = 30
REFRESH_SECONDS = 10  # an open tab names itself again this often (well within CLAIM_SECONDS)
MAX_TOKENS = 16  # at most this many tabs' tokens are read from one cookie

_LOG = logging.getLogger(__name__)
_LOCK = threading.Lock()
# token -> (session id, weak reference to that session's AppSession). Weak: once Streamlit
# drops a disconnected session, its state goes too.
_SESSIONS: dict[str, tuple[str, weakref.ref]] = {}
# Ids of sessions whose runs a reload took over, newest last (bounded: ids are never reused).
_TAKEN_OVER: collections.deque[str] = collections.deque(maxlen=1000)


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
    runtime = Runtime.instance()
    claimed = claim(_cookie_tokens(), ctx.session_id, runtime)
    if claimed is None:
        token = secrets.token_urlsafe(16)
    else:
        token, kept = claimed
        for key, value in kept.items():
            st.session_state[key] = value
            _follow_this_session(value)
    st.session_state[_TOKEN_KEY] = token
    session = runtime.get_app_session(ctx.session_id)
    if session is not None:
        register(token, ctx.session_id, session)


def tab_token_ui() -> None:
    """Draw the hidden script that stores this session's token in the tab's cookie.

    In the sidebar, in a container that CSS hides, so it takes no space;
    app.py draws it before the page, because some pages end with st.stop().
    """
    token = st.session_state.get(_TOKEN_KEY)
    if not token:
        return
    # localStorage is shared by the browser's tabs: {token: when its tab last named it}.
    script = (
        "<script>(function(){"
        f"window.__nnlabTab = {json.dumps(token)};"
        "if (window.__nnlabTabHooked) return;"
        "window.__nnlabTabHooked = true;"
        # A leaving tab stores minus the time, and the cookie marks its token with "~".
        "var name = function(e){"
        " var now = Date.now(), tabs = {};"
        " var leaving = !!e && (e.type === 'beforeunload' || e.type === 'pagehide');"
        " try { tabs = JSON.parse(localStorage.getItem('nnlabTabs') || '{}'); } catch (x) {}"
        f" for (var k in tabs) if (now - Math.abs(tabs[k]) > {CLAIM_SECONDS * 1000}) delete tabs[k];"
        " tabs[window.__nnlabTab] = leaving ? -now : now;"
        " try { localStorage.setItem('nnlabTabs', JSON.stringify(tabs)); } catch (x) {}"
        " var names = Object.keys(tabs).map(function(k){ return (tabs[k] < 0 ? '~' : '') + k; });"
        f" document.cookie = '{COOKIE}=' + names.join('.')"
        f" + '; Max-Age={CLAIM_SECONDS}; path=/; SameSite=Strict'; }};"
        "name();"
        f"setInterval(name, {REFRESH_SECONDS * 1000});"
        "['focus', 'beforeunload', 'pagehide'].forEach("
        "function(e){ window.addEventListener(e, name, true); });"
        "})();</script>"
    )
    hidden_script(_HIDDEN, script)


def request_cookie(name: str) -> str | None:
    """The browser's cookie `name` on this session's connection; None without one or a request."""
    try:
        return st.context.cookies.get(name)
    except Exception:  # no request behind this run (AppTest, bare runs)
        return None


def _cookie_tokens() -> list[str]:
    """The tokens the browser's NNLAB_TAB cookie names, "~" before those of leaving tabs."""
    value = request_cookie(COOKIE) or ""
    return [t for t in value.split(".") if 0 < len(t.lstrip("~")) <= 64][:MAX_TOKENS]


def register(token: str, session_id: str, session: Any) -> None:
    """Let a later session that brings `token` claim `session` (a Streamlit AppSession)."""
    with _LOCK:
        _prune()
        _SESSIONS[token] = (session_id, weakref.ref(session))


def _prune() -> None:
    """Drop entries whose session state is gone (called under _LOCK)."""
    for token in [t for t, (_, ref) in _SESSIONS.items() if ref() is None]:
        del _SESSIONS[token]


def claim(
    tokens: list[str], new_session_id: str, runtime: Any
) -> tuple[str, dict[str, Any]] | None:
    """(token, values) of the first of `tokens`' sessions that can be taken over, claimed once.

    `runtime` is Streamlit's Runtime (is_active_session, mark_session_nonresumable).
    A session still connected (an open tab), or still running a script, is not
    taken. One whose tab was leaving ("~token": it unloaded, as a reloading tab
    does) is waited for up to ADOPT_WAIT_SECONDS, since it may take a moment to
    close; another open tab is not. None: nothing to take.
    """
    deadline = time.monotonic() + ADOPT_WAIT_SECONDS
    while True:
        busy = False
        # Leaving tabs first: a reloading tab's own session before another tab's dropped one.
        for name in sorted(tokens, key=lambda n: not n.startswith("~")):
            token, leaving = name.lstrip("~"), name.startswith("~")
            with _LOCK:
                entry = _SESSIONS.get(token)
            old_session = entry[1]() if entry is not None else None
            if old_session is None or entry[0] == new_session_id:
                continue
            if runtime.is_active_session(entry[0]) or _still_running(old_session):
                busy = busy or leaving
                continue
            kept = _take(token, entry, old_session, runtime)
            if kept is not None:
                return token, kept
        if not busy or time.monotonic() > deadline:
            return None
        time.sleep(0.05)


def _take(token: str, entry: tuple, old_session: Any, runtime: Any) -> dict[str, Any] | None:
    """Claim `token`'s entry and read its session's values (None if another claim won or reading failed)."""
    with _LOCK:
        if _SESSIONS.get(token) is not entry:
            return None  # a racing reload claimed it first
        del _SESSIONS[token]
    try:
        kept = kept_values(old_session.session_state)
    except Exception:  # Streamlit internals moved, or the state changed under us: start fresh
        _LOG.warning("Could not carry a reloaded tab's session over", exc_info=True)
        with _LOCK:
            _SESSIONS.setdefault(token, entry)
        return None
    # Streamlit could otherwise resume the old session on a reconnect from its old tab (a
    # network blip), and two sessions would share one run.
    runtime.mark_session_nonresumable(entry[0])
    with _LOCK:
        _TAKEN_OVER.append(entry[0])
    return kept


def taken_over(session_id: str) -> bool:
    """True if `session_id`'s runs went to another tab of the browser (a reload took them over).

    Its own tab, reconnecting, is then refused its session on purpose: its run lives on there.
    """
    with _LOCK:
        return session_id in _TAKEN_OVER


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
