"""MNIST lab: train an MLP or a CNN on handwritten digits, draw your own, and look inside the model."""

import streamlit as st

from lessons.registry import lab
from ui.language import t
from ui.mnist.controls import mnist_controls_ui
from ui.mnist.data import mnist_data_ui
from ui.mnist.draw import draw_view
from ui.mnist.inspect import inspect_view
from ui.mnist.live import live_estimate
from ui.mnist.models import active_model, model_choice_ui
from ui.mnist.views import after_training, data_preview, page_intro, tabs_ui
from ui.page_header import page_header
from ui.state import lab_session
from ui.training_view import after_training_ui, training_panel

LAB = lab("mnist")

page_header(LAB)
page_intro()
with st.sidebar:
    st.header(t("mnist.data.header"))
    dataset, dataset_key = mnist_data_ui()
    model_config, train_config = mnist_controls_ui(dataset)

session = lab_session(LAB.key)
choice = model_choice_ui(session)
draw_tab, train_tab, inspect_tab = tabs_ui()
with draw_tab:
    draw_view()
with train_tab:
    # Rendered even when hidden: its fragment keeps training while the student draws.
    training_panel(
        LAB.key,
        dataset,
        dataset_key,
        model_config,
        train_config,
        live_views=live_estimate,
        preview=data_preview,
    )
    after_training_ui(session, after_training)
if inspect_tab.open:  # scoring 10,000 digits only when someone looks
    with inspect_tab:
        inspect_view(
            active_model(session, choice), session, dataset, builtin=dataset_key[1] == "builtin"
        )
