"""Tell a student whose run was lost with the server session that held it.

Two ways a tab finds itself in a fresh session on reconnect:
- Behind the classroom's load balancer, its server process stopped.
  deploy/classroom.py starts each NN Lab process with NNLAB_WORKER=<its name>, and
  HAProxy keeps every browser on one process by cookie. When that process stops,
  HAProxy sends the reconnect to another one, which has never seen the student.
  HAProxy's NNLAB_HOME cookie, set only when a WebSocket opens, still names the
  old process on the first such reconnect, so the new one can say so.
- Any tab, one process or many: Streamlit's page asks, on reconnecting, to resume
  its session by id (the third entry of the WebSocket's Sec-WebSocket-Protocol
  header). A server that no longer has that session (another process, a restart,
  or a tab away longer than Streamlit keeps a closed session) starts a fresh
  one. This covers a browser's other tabs too: the cookie is the whole browser's,
  and the first tab to reconnect renames it.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui.language import t
from ui.session_keeper import request_cookie, taken_over
from ui.state import LabSession

WORKER_ENV = "NNLAB_WORKER"  # the same names as deploy/classroom.py's
COOKIE = "NNLAB_HOME"  # set by deploy/haproxy.cfg on the WebSocket's answer only
_MOVED = "classroom::moved_from"
_SINCE = "classroom::runs_at_notice"  # each lab's run counter when the notice began
STOPPED, LOST = "stopped", "lost"  # the two notices: classroom.moved, classroom.reconnected


def moved_from(me: str | None, cookie: str | None) -> str | None:
    """The worker a browser came from if it is not this one (`me`), else None."""
    if not me or not cookie or cookie == me:
        return None
    return cookie


def resumed_elsewhere(
    protocol_header: str | None,
    session_id: str | None,
    moved_on: Callable[[str], bool] | None = None,
) -> bool:
    """True if a tab's WebSocket asked to resume a session other than `session_id`.

    The page names its old session when it reconnects ("streamlit, <xsrf>, <old id>");
    a server that resumed it runs it under that same id. Not when `moved_on(old id)`: a
    reload in another tab took that session's runs (ui.session_keeper.taken_over).
    """
    entries = [entry.strip() for entry in (protocol_header or "").split(",")]
    old = entries[2] if len(entries) >= 3 else ""
    return bool(old) and old != session_id and not (moved_on is not None and moved_on(old))


def _why_lost() -> str | None:
    if moved_from(os.environ.get(WORKER_ENV), request_cookie(COOKIE)):
        return STOPPED
    ctx = get_script_run_ctx()
    headers = st.context.headers
    protocol = headers.get("Sec-Websocket-Protocol")
    if ctx is not None and resumed_elsewhere(protocol, ctx.session_id, taken_over):
        return LOST
    return None


def _generations() -> dict[str, int]:
    """Each lab's run counter in this session (ui.live_run.LiveRun.generation)."""
    return {
        session.key: session.live.generation
        for session in list(st.session_state.to_dict().values())
        if isinstance(session, LabSession)
    }


def _trained_again(before: dict[str, int]) -> bool:
    """True once a run started since `before` has stopped training (ended, paused or loaded)."""
    return any(
        isinstance(session, LabSession)
        and session.live.generation != before.get(session.key, 0)
        and session.live.has_run
        and not session.live.running
        for session in list(st.session_state.to_dict().values())
    )


def worker_notice() -> None:
    """On a session's first run: warn if this tab's earlier session, and its run, are gone.

    The warning stays until a run the student started since has stopped training
    (so it is read beside the new run, then leaves); a reload drops it too.
    """
    if _MOVED not in st.session_state:
        st.session_state[_MOVED] = why = _why_lost()
        st.session_state[_SINCE] = _generations() if why else {}  # read only while it shows
    why = st.session_state[_MOVED]
    if why and _trained_again(st.session_state.get(_SINCE, {})):
        st.session_state[_MOVED] = why = None
    if why:
        st.warning(t("classroom.moved" if why == STOPPED else "classroom.reconnected"))
