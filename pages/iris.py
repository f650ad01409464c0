"""Iris lab: 4 measurements → 3 species with softmax + cross-entropy, and why the course split fails."""

import streamlit as st

from data.tabular import IRIS_FEATURES
from lessons.registry import lab
from ui.controls import hyperparameter_ui, split_ui
from ui.datasets import load_dataset
from ui.iris.views import data_preview, iris_views, per_class_ui
from ui.page_header import page_header
from ui.tabular import feature_ui, no_features_stop
from ui.training_view import after_training_ui, training_panel

LAB = lab("iris")

page_header(LAB)
st.markdown(
    "The slides' exercise: **4 inputs** (sepal and petal length and width) → hidden ReLU layer(s) → "
    "**3 outputs**, one per species. A softmax turns the 3 outputs into probabilities and the loss is "
    "**cross-entropy**. 70 flowers train, 80 validate. Press **Train**, then try the **course split** "
    "(the slides' first 70 rows) and watch validation accuracy collapse."
)
with st.sidebar:
    st.header("Iris data")
    split = split_ui(LAB.key)
    features = feature_ui(
        LAB.key, list(IRIS_FEATURES), help="The slides use all four measurements."
    )
if not features:
    no_features_stop()
with st.sidebar:
    dataset = load_dataset(LAB.dataset, split=split, features=features)
    model_config, train_config = hyperparameter_ui(LAB.controls, dataset)

if split == "course":
    st.warning(
        "**Course split selected:** the first 70 rows train. Look at the class counts before you "
        "train; the result explains what goes wrong."
    )
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
