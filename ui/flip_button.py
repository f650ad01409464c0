"""A button that turns into its opposite where it stands: Pause into Resume, Pin into Unpin.

The first click's rerun draws the opposite button in the same place within a
tenth of a second, so the second click of a double click lands on it and
undid the first: a double click on Pause resumed the run. So each side has a
key of its own (a click still on its way for the side that is gone finds no
button: Streamlit drops it), and a click within DOUBLE_CLICK_SECONDS of the
button's last turn is the double click's second half, and does nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import streamlit as st

# Windows' default double-click interval (GNOME's is 0.4 s). A student who means to
# undo a click does it later than this; one who double-clicks does it sooner.
DOUBLE_CLICK_SECONDS = 0.5
_TURNED = "flip_button_turned::"


def flip_button(
    place: Any, key: str, side: str, label: str, action: Callable[[], object], **kwargs: Any
) -> bool:
    """Draw side `side` of the two-sided button `key` in `place` (st or a column).

    Its widget key is f"{key}_{side}". A click runs `action()`, unless it comes
    within DOUBLE_CLICK_SECONDS of the last click that turned this button.
    Other keyword arguments go to st.button. Returns st.button's value.
    """
    return place.button(label, key=f"{key}_{side}", on_click=_clicked, args=(key, action), **kwargs)


def _clicked(key: str, action: Callable[[], object]) -> None:
    turned = st.session_state.get(_TURNED + key)
    if turned is not None and time.monotonic() - turned < DOUBLE_CLICK_SECONDS:
        return
    action()
    # From the end of the action, which is when the opposite side is drawn.
    st.session_state[_TURNED + key] = time.monotonic()
