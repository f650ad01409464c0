"""Optimizers on a loss surface: SGD, Momentum and Adam walking the same landscape."""

import streamlit as st

from lessons.registry import lab
from ui.concepts.optimizers.controls import (
    explanation,
    optimizer_ui,
    paths_for,
    replay_ui,
    surface_name,
    surface_note,
)
from ui.concepts.optimizers.figures import loss_curves_figure, paths_figure
from ui.language import markdown, t, translator
from ui.page_header import page_header

LAB = lab("optimizers")

page_header(LAB)
markdown("optimizers.intro")

settings = optimizer_ui()
surface = settings.surface
tr = translator()
st.latex(surface.formula)
st.caption(surface_note(surface, tr))

if not settings.learning_rates:
    st.info(t("optimizers.pick_one"))
else:
    paths = paths_for(settings)
    upto = replay_ui(settings.steps)
    figure = paths_figure(surface, paths, upto, tr=tr, surface_name=surface_name(surface.name, tr))
    st.plotly_chart(figure, key="opt_paths")
    for path in paths:
        if path.diverged:
            st.warning(explanation(path, tr))
        else:
            st.caption(explanation(path, tr))
    st.plotly_chart(loss_curves_figure(paths, tr=tr), key="opt_losses")
