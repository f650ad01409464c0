"""The XOR lab's own views: its data controls, the live decision boundary, and whether it solved XOR."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from lessons.control_ranges import XOR_CORNER, XOR_NOISE
from models import predict_proba
from models.inspect import hidden_activations, plane_grid
from ui.controls import RESTART
from ui.figures.classification import (
    data_points_figure,
    decision_boundary_figure,
    hidden_units_figure,
)
from ui.language import t, translator
from ui.paced_views import paced_figure
from ui.state import remember

PLANE = (-0.5, 1.5)


def xor_data_ui() -> tuple[int, float]:
    """The 4 truth-table points, or a noisy cloud around each corner."""
    cloud = st.toggle(t("xor.cloud") + RESTART, key=remember("xor_cloud", False))
    if not cloud:
        return 0, 0.0
    n = st.slider(t("xor.per_corner") + RESTART, *XOR_CORNER, key=remember("xor_n", 25))
    low, high, step = XOR_NOISE
    noise = st.slider(
        t("xor.noise") + RESTART, low, high, step=step, key=remember("xor_noise", 0.15)
    )
    return n, noise


def boundary_views(run) -> None:
    """Decision boundary, hidden-unit maps and the truth table, redrawn live."""
    ds, tr = run.dataset, translator()
    xs, ys, grid = plane_grid(PLANE, PLANE, 60)

    def boundary():
        prob = predict_proba(run.model, grid)[:, 1].reshape(len(ys), len(xs))
        return decision_boundary_figure(xs, ys, prob, ds.X_train, ds.y_train, tr=tr)

    c1, c2 = st.columns([3, 2])
    c1.plotly_chart(paced_figure(run, "xor.boundary", boundary), width="stretch")
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    p = paced_figure(run, "xor.corners", lambda: predict_proba(run.model, corners)[:, 1])
    c2.markdown(f"**{tr('xor.truth_table')}**")
    c2.dataframe(
        pd.DataFrame(
            {
                "x₁": [0, 0, 1, 1],
                "x₂": [0, 1, 0, 1],
                "XOR": [0, 1, 1, 0],
                "P(1)": p.round(3),
                tr("xor.predicted"): (p > 0.5).astype(int),
            }
        ),
        hide_index=True,
        width="stretch",
    )
    units = paced_figure(
        run,
        "xor.hidden_units",
        lambda: hidden_units_figure(xs, ys, hidden_activations(run.model, grid), tr=tr),
    )
    st.plotly_chart(units, width="stretch")


def data_preview(ds) -> None:
    """Before training: the points to separate, on the plane the boundary will fill."""
    st.plotly_chart(
        data_points_figure(ds.X_train, ds.y_train, PLANE, tr=translator()), width="stretch"
    )
    st.caption(t("xor.no_line"))


def solved_note(run) -> None:
    """After training, say so when all four XOR cases come out right (the coach says why when not)."""
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    p = predict_proba(run.model, corners)[:, 1]
    if ((p > 0.5).astype(int) == [0, 1, 1, 0]).all():
        st.success(t("xor.solved"))
