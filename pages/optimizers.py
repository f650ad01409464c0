"""Optimizers on a loss surface: SGD, Momentum and Adam walking the same landscape."""

import streamlit as st

from lessons.registry import lab
from ui.concepts.optimizers.controls import optimizer_ui, paths_for, replay_ui
from ui.concepts.optimizers.figures import loss_curves_figure, paths_figure
from ui.page_header import page_header

LAB = lab("optimizers")

page_header(LAB)
st.markdown(
    "Training is a walk downhill on the loss surface. Here the surface has only two "
    "parameters, (x, y), so the whole walk fits on a map. Each path is a real `torch.optim` "
    "optimizer stepping on a 2-element tensor: w ← w − η ∂L/∂w for SGD, plus a running "
    "velocity for Momentum, plus per-parameter step sizes for Adam."
)

settings = optimizer_ui()
surface = settings.surface
st.latex(surface.formula)
st.caption(surface.note)

if not settings.learning_rates:
    st.info("Pick at least one optimizer.")
else:
    paths = paths_for(settings)
    upto = replay_ui(settings.steps)
    st.plotly_chart(paths_figure(surface, paths, upto), key="opt_paths")
    for path in paths:
        if path.diverged:
            st.warning(path.explanation())
        else:
            st.caption(path.explanation())
    st.plotly_chart(loss_curves_figure(paths), key="opt_losses")
