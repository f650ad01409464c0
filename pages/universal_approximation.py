"""Universal approximation: one hidden layer of N neurons fitting a 1-D function."""

import streamlit as st

from lessons.registry import lab
from lessons.universal_approximation import TARGETS, make_dataset, target_values
from ui.concepts.universal_approximation.compare import compare_panel
from ui.concepts.universal_approximation.controls import (
    COMPARE_SIZES,
    SPEC,
    model_config,
    network_ui,
    points_ui,
    target_ui,
)
from ui.concepts.universal_approximation.views import (
    X_PLOT,
    Problem,
    compare_view,
    live_fit_view,
    target_view,
)
from ui.controls import training_ui
from ui.language import error_text, markdown, t
from ui.page_header import page_header
from ui.state import lab_session
from ui.training_view import training_panel

LAB = lab("universal_approximation")

page_header(LAB)
markdown("ua.intro")
BIAS = t("ua.formula_bias")
st.latex(rf"F(x) = \sum_{{i=1}}^{{N}} \alpha_i\, \varphi(w_i x + b_i) \; (+\, \text{{{BIAS}}})")
markdown("ua.intro_after")

with st.sidebar:
    st.header(t("ua.sidebar.header"))
    target = target_ui()
    n_hidden, activation = network_ui()
    st.subheader(t("ua.sidebar.training"))
    train_config = training_ui(SPEC)

points = None
if target == "points":
    try:
        points = points_ui()
    except ValueError as exc:
        st.error(error_text(exc))
else:
    st.latex(TARGETS[target][0])
    if target == "step":
        st.caption(t("ua.step_caption"))

if target != "points" or points is not None:
    problem = Problem(
        make_dataset(target, seed=train_config.seed, points=points),
        None if target == "points" else target_values(target, X_PLOT),
        points_mode=points is not None,
    )
    points_key = None if points is None else tuple(map(tuple, points.round(6)))
    if not lab_session(LAB.key).live.has_run:
        target_view(problem)
    training_panel(
        LAB.key,
        problem.dataset,
        ("ua", target, points_key),
        model_config(n_hidden, activation),
        train_config,
        live_views=live_fit_view(problem),
    )

    st.subheader(t("ua.compare.heading"))
    markdown("ua.compare.intro", sizes=", ".join(map(str, COMPARE_SIZES)))
    compare_panel(
        problem.dataset,
        {n: model_config(n, activation) for n in COMPARE_SIZES},
        train_config,
        ("ua", target, points_key, activation, train_config),
        compare_view(problem),
    )
