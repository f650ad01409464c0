"""NN Lab entry point: `streamlit run app.py`.

This file is only the router: it lists the labs of lessons.registry in their
sections, in the session's language (ui.language), with the language switch
in the sidebar. Every page lives in `pages/` and every piece of shared
Streamlit code in `ui/`; the engine (`data/`, `models/`, `lessons/`) never
imports streamlit.
"""

from pathlib import Path

import streamlit as st

from lessons.registry import sections
from ui.classroom import worker_notice
from ui.connection_words import connection_ui
from ui.keyboard_focus import keyboard_focus_ui
from ui.language import language_ui, t
from ui.page_header import section_key
from ui.page_style import page_style, stop_button_words
from ui.session_keeper import keep_across_reloads, tab_token_ui
from ui.warmup import warm_up_in_background

# The tab icon ships with the app: a ":material/...:" icon is fetched from fonts.gstatic.com.
FAVICON = Path(__file__).parent / "ui" / "assets" / "favicon.svg"
st.set_page_config(page_title="NN Lab", page_icon=FAVICON, layout="wide")
keep_across_reloads()  # first, before anything reads st.session_state: a reload keeps its runs
page_style()

language_ui()
stop_button_words()
connection_ui()  # when the server stops answering: NN Lab's words, and a rerun on its return
keyboard_focus_ui()  # Enter on Train, then on Pause: the focus stays in the row of buttons
worker_notice()  # behind deploy/classroom.py's HAProxy: says so if this browser's process stopped
PAGES = {
    t(section_key(section)): [
        st.Page(lab.page, title=t(f"labs.{lab.name}.title"), icon=lab.icon, default=lab.default)
        for lab in labs
    ]
    for section, labs in sections().items()
}

warm_up_in_background()
# .streamlit/config.toml sets client.showSidebarNavigation = false so that a
# fresh server never shows Streamlit's legacy pages/-folder list: because
# pages/ exists, a new server's first script runs list every file in it until
# this file reaches st.navigation (a second or more, torch imports first).
# st.navigation(position="sidebar") obeys the same option, so it is turned
# back on here, every run, right before the router draws its sidebar.
st.set_option("client.showSidebarNavigation", True)
# expanded=True lists every lab: collapsed, Streamlit adds its own "View N more",
# which it does not translate.
tab_token_ui()  # the hidden script that names this tab's session in a cookie, for a reload
st.navigation(PAGES, expanded=True).run()
