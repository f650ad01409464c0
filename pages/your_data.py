"""Your data: upload a CSV, choose the target and the features, train on it like any other lab."""

import streamlit as st

from lessons.registry import lab
from ui.controls import hyperparameter_ui
from ui.language import markdown, t
from ui.page_header import page_header
from ui.training_view import after_training_ui, training_panel
from ui.your_data.controls import (
    choice_ui,
    scaled_model_config,
    table_dataset_ui,
    target_scale_caption,
)
from ui.your_data.preview import table_preview_ui
from ui.your_data.upload import table_upload_ui
from ui.your_data.views import data_preview, results_ui, your_data_views

LAB = lab("your_data")

page_header(LAB)
markdown("your_data.intro")
table = table_upload_ui()
if table.frame is None:
    st.info(t("your_data.no_table"))
    st.stop()
table_preview_ui(table)
with st.sidebar:
    st.header(t("your_data.data_header"))
    choice = choice_ui(table)
dataset = table_dataset_ui(table, choice)
with st.sidebar:
    model_config, train_config = hyperparameter_ui(LAB.controls, dataset)
    # A regression learns its target standardized and still predicts in the target's units.
    model_config = scaled_model_config(model_config, dataset)
    target_scale_caption(model_config)

session = training_panel(
    LAB.key,
    dataset,
    (LAB.name, table.digest, choice),
    model_config,
    train_config,
    live_views=your_data_views,
    preview=data_preview,
)
after_training_ui(session, results_ui)
