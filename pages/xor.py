"""XOR lab: the slides' 2-3-1 network, its decision boundary, and its honest failures."""

import streamlit as st

from lessons.registry import lab
from ui.controls import hyperparameter_ui
from ui.datasets import load_dataset
from ui.language import markdown, t
from ui.page_header import page_header
from ui.training_view import training_panel
from ui.xor.views import boundary_views, data_preview, solved_note, xor_data_ui

LAB = lab("xor")

page_header(LAB)
markdown("xor.intro")
with st.sidebar:
    st.header(t("xor.data_header"))
    n_per_corner, noise = xor_data_ui()
    dataset = load_dataset(LAB.dataset, n_per_corner=n_per_corner, noise=noise)
    model_config, train_config = hyperparameter_ui(LAB.controls, dataset)

session = training_panel(
    LAB.key,
    dataset,
    (LAB.name, n_per_corner, noise),
    model_config,
    train_config,
    live_views=boundary_views,
    preview=data_preview,
)
with session.live.borrow() as run:
    if run is not None and run.done:
        solved_note(run)
