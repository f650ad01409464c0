"""An expander whose content is built and sent only while it is open.

A plain st.expander runs and sends its content at every rerun, open or not:
the Code view's highlighted script alone is ~1,900 elements in the page, laid
out again at each Train click and each run's end, and the model-file expander
serialized the model each time. Closed, this one sends nothing; opening it
reruns the page, which then draws the content (bench/README.md, "A classroom on
one server", eighth session).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st


@contextmanager
def lazy_expander(label: str, key: str) -> Iterator[bool]:
    """An expander that remembers whether it is open (in st.session_state[key]); yields that.

    Draw the content only when it yields True. The open state lives in the
    session, so it survives reruns and page switches like any widget's value.
    """
    box = st.expander(label, key=key, on_change="rerun")
    with box:
        yield bool(box.open)
