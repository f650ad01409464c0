"""Iris lab: 4 measurements → 3 species with softmax + cross-entropy, and why the course split fails."""

import streamlit as st

from data.tabular import IRIS_FEATURES
from lessons.registry import lab
from ui.controls import hyperparameter_ui, split_ui
from ui.datasets import load_dataset
from ui.iris.views import data_preview, feature_labels, iris_views, per_class_ui
from ui.language import markdown, t
from ui.page_header import page_header
from ui.tabular import feature_ui, no_features_stop
from ui.training_view import after_training_ui, training_panel

LAB = lab("iris")

page_header(LAB)
markdown("iris.intro")
with st.sidebar:
    st.header(t("iris.data_header"))
    split = split_ui(LAB.key)
    features = feature_ui(
        LAB.key, list(IRIS_FEATURES), help=t("iris.features_help"), format_func=feature_labels()
    )
if not features:
    no_features_stop()
with st.sidebar:
    dataset = load_dataset(LAB.dataset, split=split, features=features)
    model_config, train_config = hyperparameter_ui(LAB.controls, dataset)

session = training_panel(
    LAB.key,
    dataset,
    (LAB.name, split, features),
    model_config,
    train_config,
    live_views=iris_views,
    preview=data_preview,
)
after_training_ui(session, per_class_ui)
