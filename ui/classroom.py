"""Behind the classroom's load balancer: tell a student whose server process stopped what happened.

deploy/classroom.py starts each NN Lab process with NNLAB_WORKER=<its name>,
and HAProxy keeps every browser on one process by cookie. When that process
stops, HAProxy sends the browser's reconnect to another one, which has never
seen the student: Streamlit silently starts a fresh session there, and the
run is gone. HAProxy's NNLAB_HOME cookie, set only when a WebSocket opens,
still names the old process on that reconnect, so the new one can say so.
"""

from __future__ import annotations

import os

import streamlit as st

from ui.language import t
from ui.session_keeper import request_cookie

WORKER_ENV = "NNLAB_WORKER"  # the same names as deploy/classroom.py's
COOKIE = "NNLAB_HOME"  # set by deploy/haproxy.cfg on the WebSocket's answer only
_MOVED = "classroom::moved_from"


def moved_from(me: str | None, cookie: str | None) -> str | None:
    """The worker a browser came from if it is not this one (`me`), else None."""
    if not me or not cookie or cookie == me:
        return None
    return cookie


def worker_notice() -> None:
    """Once per session, on its first run: warn if the browser's previous server process is gone.

    The warning stays for the session's runs; a reload (a new session whose
    cookie names this process) drops it.
    """
    if _MOVED not in st.session_state:
        cookie = request_cookie(COOKIE)
        st.session_state[_MOVED] = moved_from(os.environ.get(WORKER_ENV), cookie)
    previous = st.session_state[_MOVED]
    if previous:
        st.warning(t("classroom.moved", worker=previous, here=os.environ.get(WORKER_ENV)))
