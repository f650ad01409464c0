"""The backprop lab's views: the network and its loss, the chain-rule derivation, the update table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lessons.activation_stats import LABELS
from lessons.backprop import (
    KINK_SLOPES,
    activation_slope,
    at_kink,
)
from ui.concepts.backprop.controls import step_ui
from ui.concepts.backprop.figures import (
    backward_latex,
    forward_latex,
    loss_history_figure,
    network_figure,
    parameter_rows,
)
from ui.language import markdown, t, translator


def overview(params, fwd, grads, losses) -> None:
    """The network diagram, the loss, the step buttons and the loss history."""
    left, right = st.columns([3, 2])
    left.plotly_chart(network_figure(params, fwd, grads), key="bp_network")
    left.caption(t("backprop.network_caption"))
    with right:
        st.metric(
            t("backprop.loss_metric"),
            f"{fwd.loss:.6g}",
            delta=f"{fwd.loss - losses[-2]:.3g}" if len(losses) > 1 else None,
            delta_color="inverse",
        )
        step_ui()
        st.plotly_chart(loss_history_figure(losses, tr=translator()), key="bp_losses")


def derivation(setup, params, fwd, grads) -> None:
    """Forward pass and backward pass, line by line, with the numbers plugged in."""
    st.subheader(t("backprop.forward_heading"))
    for line in forward_latex(params, fwd, setup.activation, setup.output):
        st.latex(line)

    st.subheader(t("backprop.backward_heading"))
    markdown("backprop.backward_text")
    for line in backward_latex(params, fwd, grads, activation_slope(setup.activation, fwd.Z1)):
        st.latex(line)


def update_table(setup, params, fwd, grads, reference) -> None:
    """The update rule, every parameter's gradient by hand and by autograd, and the new value."""
    st.subheader(t("backprop.update_heading"))
    st.latex(
        rf"w \leftarrow w - \eta\,\frac{{\partial L}}{{\partial w}}, \qquad \eta = {setup.lr:g}"
    )
    rows = pd.DataFrame(parameter_rows(params, grads, reference, setup.lr, tr=translator()))
    st.dataframe(rows, hide_index=True, key="bp_table")
    diff = grads.max_abs_difference(reference)
    if grads.max_relative_difference(reference) < 1e-9:
        st.success(t("backprop.check.match", diff=diff))
    elif at_kink(setup.activation, fwd.Z1):
        st.info(
            t(
                "backprop.check.kink",
                diff=diff,
                name=LABELS[setup.activation],
                slope=KINK_SLOPES[setup.activation],
            )
        )
    else:
        st.warning(t("backprop.check.bug", diff=diff))
