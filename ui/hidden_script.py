"""Things for the page that take no room: in the sidebar, in a container that CSS hides."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st


@contextmanager
def hidden_container(key: str) -> Iterator[None]:
    """`with hidden_container(key):` what is drawn inside goes in a hidden sidebar container.

    HTML with a script, or a fragment, is an element of its own, with a gap around it; the
    container keyed `key`, and its layout wrapper, are hidden by CSS.
    """
    # Its layout wrapper too: an empty wrapper would still take a gap in the sidebar.
    hide = f"<style>div:has(> .st-key-{key}) {{display: none;}}</style>"
    with st.sidebar, st.container(key=key):
        st.html(hide)
        yield


def hidden_script(key: str, script: str) -> None:
    """Run `script` (a `<script>` element) in the page, in a hidden sidebar container keyed `key`.

    Scripts run once each time the element is mounted, so `script` should guard itself
    against running twice in one page.
    """
    with hidden_container(key):
        st.html(script, unsafe_allow_javascript=True)
