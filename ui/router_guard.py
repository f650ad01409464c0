"""Make sure `app.py`'s st.navigation router runs, even when the first visit is a page URL.

Streamlit still supports the old "pages/ folder" multipage mode. It decides
once per server process, from whether a pages/ folder exists, and only
st.navigation switches it off. So if the very first request after start is
a lab's URL rather than /, Streamlit runs that page's file directly (no router: no
sections, no wide layout), and stays in that mode for every later session.
NN Lab must keep its pages in pages/, so instead the first page script that
runs in that mode switches it off and reruns, which goes through app.py.
"""

from __future__ import annotations

import streamlit as st


def ensure_router() -> None:
    """Leave Streamlit's legacy pages/-folder mode, rerunning through app.py if we were in it."""
    # PagesManager is internal; if a future Streamlit moves it, the router
    # still works for visits that start at "/", so failing soft is right.
    try:
        from streamlit.runtime.pages_manager import PagesManager
        from streamlit.runtime.scriptrunner import get_script_run_ctx
    except ImportError:
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if get_script_run_ctx() is not None:
            st.rerun()
