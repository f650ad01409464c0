"""Widgets for the universal-approximation lab."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from lessons.universal_approximation import (
    DEFAULT_POINTS,
    DOMAIN,
    TARGET_LABELS,
    TARGETS,
    Y_LIMIT,
    check_points,
)
from models import BUILDER_ACTIVATIONS, ModelConfig
from ui.controls import ACTIVATION_LABELS, RESTART, RESTART_HELP, ControlSpec
from ui.state import remember

SPEC = ControlSpec(
    lab="ua",
    optimizer="adam",
    lr=1e-2,
    batch_sizes=[8, 16, 32, 64, 128, 256],
    batch_size=32,
    epochs=(10, 3000, 500),
)
# The sizes the "more neurons" comparison trains, each to the end.
COMPARE_SIZES = [1, 2, 4, 8, 16, 32]


def target_ui() -> str:
    """Which function to fit: one of TARGETS, or "points" for the student's own."""
    options = [*TARGETS, "points"]
    return st.radio(
        "Function to fit" + RESTART,
        options,
        format_func=TARGET_LABELS.get,
        horizontal=True,
        key=remember("ua_target", "sin"),
        help=RESTART_HELP,
    )


def network_ui() -> tuple[int, str]:
    """N (hidden neurons) and the activation φ; the network always has one hidden layer."""
    n = st.slider(
        "Hidden neurons N" + RESTART, 1, 64, key=remember("ua_neurons", 8), help=RESTART_HELP
    )
    act = st.selectbox(
        "Activation φ" + RESTART,
        BUILDER_ACTIVATIONS,
        format_func=ACTIVATION_LABELS.get,
        key=remember("ua_activation", "tanh"),
        help=RESTART_HELP,
    )
    return int(n), act


def model_config(n: int, activation: str) -> ModelConfig:
    """Linear(1, N) → φ → Linear(N, 1): the theorem's F(x) plus an output bias."""
    return ModelConfig(
        input_shape=(1,), n_outputs=1, task="regression", hidden=[n], activation=activation
    )


def points_ui() -> np.ndarray:
    """Editable table of (x, y) points; returns them checked and sorted, or raises ValueError."""
    st.markdown(
        f"**Your points** — add, edit or delete rows. Keep x between {DOMAIN[0]:g} and "
        f"{DOMAIN[1]:g}, and y between {-Y_LIMIT:g} and {Y_LIMIT:g}."
    )
    frame = pd.DataFrame(DEFAULT_POINTS, columns=["x", "y"])
    edited = st.data_editor(
        frame,
        num_rows="dynamic",
        key="ua_points",
        hide_index=True,
        column_config={
            "x": st.column_config.NumberColumn(
                min_value=DOMAIN[0], max_value=DOMAIN[1], format="plain"
            ),
            "y": st.column_config.NumberColumn(
                min_value=-Y_LIMIT, max_value=Y_LIMIT, format="plain"
            ),
        },
    )
    return check_points(edited.to_numpy())
