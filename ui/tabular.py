"""Controls the two tabular labs (Iris, Boston housing) share: which features the network gets."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from ui.controls import RESTART, restart_help
from ui.language import t
from ui.state import remember


def feature_ui(
    lab: str,
    all_features: list[str],
    default: list[str] | None = None,
    help: str | None = None,
    format_func: Callable[[str], str] = str,
) -> tuple[str, ...]:
    """A multiselect of input features; returns the chosen ones in the dataset's column order.

    The column order (not the click order) keeps one dataset per set of features,
    so picking the same features in another order does not start a new run.
    The options are the dataset's column names in every language; `format_func` shows them.
    """
    chosen = st.multiselect(
        t("common.features") + RESTART,
        all_features,
        format_func=format_func,
        key=remember(f"{lab}_features", list(default or all_features)),
        help=(help + " " if help else "") + restart_help(),
    )
    return tuple(f for f in all_features if f in chosen)


def no_features_stop() -> None:
    """Tell the student a network needs at least one input, then stop the page."""
    st.error(t("common.no_features"))
    st.stop()


def raw_values(dataset, X: np.ndarray) -> np.ndarray:
    """Undo the training-split standardization, back to the features' own units (cm, rooms, ...)."""
    X = np.asarray(X, dtype=np.float64)
    if dataset.feature_mean is None or dataset.feature_std is None:
        return X
    return X * dataset.feature_std + dataset.feature_mean
