"""A smaller training set for MNIST and Boston, so overfitting shows within a minute."""

from __future__ import annotations

import streamlit as st

from ui.controls import RESTART
from ui.language import translator
from ui.state import remember

# The last size is the whole training split (None to data.load). 500 digits
# with 256 hidden units overfit after about ten epochs of Adam; 100 Boston
# rows do so within a few hundred epochs.
SUBSET_SIZES = {
    "mnist": (500, 1000, 2000, 5000, 10_000, 60_000),
    "boston": (50, 100, 200, 400),
}


def subset_ui(lab_key: str) -> int | None:
    """The training-set size slider; returns n_train for data.load, or None for all of it."""
    sizes = SUBSET_SIZES[lab_key]
    tr = translator()
    n = st.select_slider(
        tr("experiment.subset.label") + RESTART,
        sizes,
        key=remember(f"{lab_key}_n_train", sizes[-1]),
        help=tr("experiment.subset.help", n=sizes[-1]),
    )
    return None if n == sizes[-1] else int(n)
