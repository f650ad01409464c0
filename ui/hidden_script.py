"""A script for the page that takes no room: in the sidebar, in a container that CSS hides."""

from __future__ import annotations

import streamlit as st


def hidden_script(key: str, script: str) -> None:
    """Run `script` (a `<script>` element) in the page, in a hidden sidebar container keyed `key`.

    Streamlit sends style-only HTML where it takes no space, but HTML with a script is an
    element of its own, with a gap around it; its keyed container, and that container's
    layout wrapper, are hidden by CSS. Scripts run once each time the element is mounted,
    so `script` should guard itself against running twice in one page.
    """
    # Its layout wrapper too: an empty wrapper would still take a gap in the sidebar.
    hide = f"<style>div:has(> .st-key-{key}) {{display: none;}}</style>"
    with st.sidebar, st.container(key=key):
        st.html(hide + script, unsafe_allow_javascript=True)
