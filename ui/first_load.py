"""A spinner for the first time this server process loads something, not at every rerun after."""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from ui.language import t

_LOADED: set[Hashable] = set()
_LOCK = threading.Lock()


@contextmanager
def spinner_on_first_load(key: Hashable, message_key: str, **values: Any) -> Iterator[None]:
    """Around a cached load: message `message_key` with a spinner until `key` has loaded once.

    `st.spinner` starts a timer thread and sends the browser a message at every call, even
    when the cached call inside it answers at once: ~0.4 ms a call, ~1.5 ms beside a
    training thread, one or two a lab page's rerun (bench/README.md, "A classroom on one
    server", twentieth session). A load that raises is not counted as loaded. If the cache
    later drops the value (a full cache lets its oldest entries go), its reload shows no
    spinner: the page waits with Streamlit's running indicator only.
    """
    with _LOCK:
        loaded = key in _LOADED
    if loaded:
        yield
        return
    with st.spinner(t(message_key, **values)):
        yield
    with _LOCK:
        _LOADED.add(key)
