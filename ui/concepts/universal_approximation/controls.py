"""Widgets for the universal-approximation lab."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import streamlit as st

from lessons.registry import controls
from lessons.universal_approximation import (
    DEFAULT_POINTS,
    DOMAIN,
    TARGET_LABELS,
    TARGETS,
    Y_LIMIT,
    check_points,
)
from models import BUILDER_ACTIVATIONS, ModelConfig
from ui.concepts.universal_approximation.point_pad import point_pad_ui
from ui.controls import ACTIVATION_LABELS, RESTART, restart_help
from ui.i18n import ENGLISH, Translator, catalogue
from ui.language import markdown, t, translator
from ui.state import remember

SPEC = controls("universal_approximation")
# Session keys of the placed points: the table's base points, and how many times the pad
# replaced them (part of the table's key, POINTS_TABLE + "_" + generation).
POINTS_BASE = "ua_points_base"
POINTS_GENERATION = "ua_points_generation"
POINTS_TABLE = "ua_points"
# The numbers the table showed on the latest run. Streamlit drops a table's edits while
# another page is shown; coming back, the table starts from these instead.
POINTS_TYPED = "ua_points_typed"
# The pad's y axis spans ±PAD_Y_HALF, wider only when a typed point lies outside it. The
# targets live within about ±1.5; on an axis as tall as the checks allow (±Y_LIMIT) they
# sat on the x axis and one pixel was 0.8 in y.
PAD_Y_HALF = 3.0
# The sizes the "more neurons" comparison trains, each to the end.
COMPARE_SIZES = [1, 2, 4, 8, 16, 32]


def pad_y_range(points: np.ndarray) -> tuple[float, float]:
    """The pad's y range: ±PAD_Y_HALF, or wide enough (to a whole number) for every finite point's y."""
    ys = np.abs(points[:, 1][np.isfinite(points[:, 1])]) if len(points) else np.array([])
    half = (
        PAD_Y_HALF
        if not len(ys) or ys.max() <= PAD_Y_HALF
        else min(Y_LIMIT, float(np.ceil(ys.max() * 1.1)))
    )
    return -half, half


def target_label(name: str, tr: Translator = ENGLISH) -> str:
    """A target's name in `tr`'s language (lessons' TARGET_LABELS for one the catalogue lacks)."""
    key = f"ua.targets.{name}"
    return tr(key) if key in catalogue("en") else TARGET_LABELS.get(name, name)


def target_ui() -> str:
    """Which function to fit: one of TARGETS, or "points" for the student's own."""
    options = [*TARGETS, "points"]
    return st.radio(
        t("ua.controls.target") + RESTART,
        options,
        format_func=functools.partial(target_label, tr=translator()),
        horizontal=True,
        key=remember("ua_target", "sin"),
        help=restart_help(),
    )


def network_ui() -> tuple[int, str]:
    """N (hidden neurons) and the activation φ; the network always has one hidden layer."""
    n = st.slider(
        t("ua.controls.neurons") + RESTART,
        1,
        64,
        key=remember("ua_neurons", 8),
        help=restart_help(),
    )
    act = st.selectbox(
        t("ua.controls.activation") + RESTART,
        BUILDER_ACTIVATIONS,
        format_func=ACTIVATION_LABELS.get,
        key=remember("ua_activation", "tanh"),
        help=restart_help(),
    )
    return int(n), act


def model_config(n: int, activation: str) -> ModelConfig:
    """Linear(1, N) → φ → Linear(N, 1): the theorem's F(x) plus an output bias."""
    return ModelConfig(
        input_shape=(1,), n_outputs=1, task="regression", hidden=[n], activation=activation
    )


def points_ui() -> np.ndarray:
    """Point pad and editable table of the same (x, y) points; returns them checked and sorted.

    Raises ValueError with a sentence (from check_points) when they can't be fitted.
    """
    markdown("ua.points.intro", x0=DOMAIN[0], x1=DOMAIN[1], y0=-Y_LIMIT, y1=Y_LIMIT)
    # The one copy of the points is what the table holds: its base (changed only by the
    # pad) plus the student's typed edits. A pad change becomes a new base, shown by a
    # fresh table (new key): the old table's edits are relative to the old base, and
    # applying them to the new one would edit the wrong rows.
    base = st.session_state.setdefault(POINTS_BASE, DEFAULT_POINTS.copy())
    generation = st.session_state.get(POINTS_GENERATION, 0)
    typed = st.session_state.get(POINTS_TYPED)
    if (
        f"{POINTS_TABLE}_{generation}" not in st.session_state
        and typed is not None
        and not np.array_equal(typed, base, equal_nan=True)
    ):
        base = st.session_state[POINTS_BASE] = (
            typed  # back from another page: the edits, not the base
        )
        generation = st.session_state[POINTS_GENERATION] = generation + 1
    pad_column, table_column = st.columns([3, 2])
    with table_column:
        edited = st.data_editor(
            pd.DataFrame(base, columns=["x", "y"]),
            num_rows="dynamic",
            key=f"{POINTS_TABLE}_{generation}",
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
    table = st.session_state[POINTS_TYPED] = _as_numbers(edited)
    with pad_column:
        placed = point_pad_ui("ua_pad", DOMAIN, pad_y_range(table), table, tr=translator())
    if not np.array_equal(placed, table, equal_nan=True):
        st.session_state[POINTS_BASE] = st.session_state[POINTS_TYPED] = placed
        st.session_state[POINTS_GENERATION] = generation + 1
        st.rerun()  # the table was drawn, earlier in this run, with the old points
    return check_points(edited.to_numpy())


def _as_numbers(frame: pd.DataFrame) -> np.ndarray:
    # An empty cell is None in an object column; NaN lets the pad skip that row.
    return frame.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float).reshape(-1, 2)
