"""Backpropagation step by step: a 2-2-1 network, every gradient by the chain rule."""

import streamlit as st

from lessons.backprop import autograd_gradients, backward, forward
from lessons.registry import lab
from ui.concepts.backprop.controls import loss_trace, setup_ui, weights_ui
from ui.concepts.backprop.views import derivation, overview, update_table
from ui.language import error_text, markdown
from ui.page_header import page_header

LAB = lab("backprop")

page_header(LAB)
markdown("backprop.intro")

setup = setup_ui()
markdown("backprop.weights_heading")
params = weights_ui()

try:
    fwd = forward(params, setup.x, setup.y, setup.activation, setup.output)
except ValueError as exc:
    st.error(error_text(exc))
    fwd = None
if fwd is not None:
    grads = backward(params, fwd, setup.activation)
    reference = autograd_gradients(params, setup.x, setup.y, setup.activation, setup.output)
    losses = loss_trace(setup, params, fwd.loss)

    overview(params, fwd, grads, losses)
    derivation(setup, params, fwd, grads)
    update_table(setup, params, fwd, grads, reference)
