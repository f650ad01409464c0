"""Controls the two tabular labs (Iris, Boston housing) share: which features the network gets."""

from __future__ import annotations

import numpy as np
import streamlit as st

from ui.controls import RESTART, RESTART_HELP
from ui.state import remember


def feature_ui(
    lab: str, all_features: list[str], default: list[str] | None = None, help: str | None = None
) -> tuple[str, ...]:
    """A multiselect of input features; returns the chosen ones in the dataset's column order.

    The column order (not the click order) keeps one dataset per set of features,
    so picking the same features in another order does not start a new run.
    """
    chosen = st.multiselect(
        "Features" + RESTART,
        all_features,
        key=remember(f"{lab}_features", list(default or all_features)),
        help=(help + " " if help else "") + RESTART_HELP,
    )
    return tuple(f for f in all_features if f in chosen)


def no_features_stop() -> None:
    """Tell the student a network needs at least one input, then stop the page."""
    st.error("Choose at least one feature in the sidebar: a network needs at least one input.")
    st.stop()


def raw_values(dataset, X: np.ndarray) -> np.ndarray:
    """Undo the training-split standardization, back to the features' own units (cm, rooms, ...)."""
    X = np.asarray(X, dtype=np.float64)
    if dataset.feature_mean is None or dataset.feature_std is None:
        return X
    return X * dataset.feature_std + dataset.feature_mean
