"""Backpropagation step by step: a 2-2-1 network, every gradient by the chain rule."""

import pandas as pd
import streamlit as st

from lessons.activation_stats import LABELS
from lessons.backprop import (
    KINK_SLOPES,
    activation_slope,
    at_kink,
    autograd_gradients,
    backward,
    forward,
)
from lessons.registry import lab
from ui.concepts.backprop.controls import loss_trace, setup_ui, step_ui, weights_ui
from ui.concepts.backprop.figures import (
    backward_latex,
    forward_latex,
    loss_history_figure,
    network_figure,
    parameter_rows,
)
from ui.page_header import page_header

LAB = lab("backprop")

page_header(LAB)
st.markdown(
    "One training example, a network with 2 inputs, 2 hidden neurons and 1 output, and every "
    "number of one training step: the **forward** pass, the **loss**, each **gradient** by the "
    "chain rule (starting from the output, as the slides derive it), and the **update** "
    "w ← w − η ∂L/∂w. Press *Take one step* and watch the loss fall."
)


def overview(params, fwd, grads, losses) -> None:
    """The network diagram, the loss, the step buttons and the loss history."""
    left, right = st.columns([3, 2])
    left.plotly_chart(network_figure(params, fwd, grads), key="bp_network")
    left.caption(
        "Blue edges: positive weights, orange: negative; thicker = larger. "
        "Under each weight: its gradient ∂L/∂w for this step."
    )
    with right:
        st.metric(
            "Loss L",
            f"{fwd.loss:.6g}",
            delta=f"{fwd.loss - losses[-2]:.3g}" if len(losses) > 1 else None,
            delta_color="inverse",
        )
        step_ui()
        st.plotly_chart(loss_history_figure(losses), key="bp_losses")


def derivation(setup, params, fwd, grads) -> None:
    """Forward pass and backward pass, line by line, with the numbers plugged in."""
    st.subheader("1. Forward pass")
    for line in forward_latex(params, fwd, setup.activation, setup.output):
        st.latex(line)

    st.subheader("2. Backward pass (chain rule)")
    st.markdown(
        "Both output/loss pairs give the same starting point, ∂L/∂Z⁽²⁾ = ŷ − y (the slides' point: "
        "it holds for regression and classification alike). Then each layer passes the gradient back: "
        "the slides' ∂L/∂W = ∂L/∂Z · H and ∂L/∂B = ∂L/∂Z. With one example as a row vector, that "
        "product is written Hᵀ · ∂L/∂Z so the shapes match W."
    )
    for line in backward_latex(params, fwd, grads, activation_slope(setup.activation, fwd.Z1)):
        st.latex(line)


def update_table(setup, params, grads, reference) -> None:
    """The update rule, every parameter's gradient by hand and by autograd, and the new value."""
    st.subheader("3. Update")
    st.latex(
        rf"w \leftarrow w - \eta\,\frac{{\partial L}}{{\partial w}}, \qquad \eta = {setup.lr:g}"
    )
    rows = pd.DataFrame(parameter_rows(params, grads, reference, setup.lr))
    st.dataframe(rows, hide_index=True, key="bp_table")
    diff = grads.max_abs_difference(reference)
    if grads.max_relative_difference(reference) < 1e-9:
        st.success(
            f"The chain-rule gradients match torch.autograd (largest difference {diff:.1e})."
        )
    elif at_kink(setup.activation, fwd.Z1):
        name = LABELS[setup.activation]
        st.info(
            f"The chain rule and torch.autograd differ by {diff:.3g} because a hidden neuron sits "
            f"exactly on {name}'s kink, z = 0. There the slides take the slope as 1, PyTorch takes "
            f"it as {KINK_SLOPES[setup.activation]}. Nudge a weight or bias and they agree again."
        )
    else:
        st.warning(
            f"The chain rule and torch.autograd differ by {diff:.3g}, more than rounding explains. "
            "This is a bug in the lab: please report the weights that show it."
        )


setup = setup_ui()
st.markdown("**Weights and biases** (the step buttons write the updated values back here)")
params = weights_ui()

try:
    fwd = forward(params, setup.x, setup.y, setup.activation, setup.output)
except ValueError as exc:
    st.error(str(exc))
    fwd = None
if fwd is not None:
    grads = backward(params, fwd, setup.activation)
    reference = autograd_gradients(params, setup.x, setup.y, setup.activation, setup.output)
    losses = loss_trace(setup, params, fwd.loss)

    overview(params, fwd, grads, losses)
    derivation(setup, params, fwd, grads)
    update_table(setup, params, grads, reference)
