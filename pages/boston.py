"""Boston housing lab: 13 features → 1 price with MSE, against linear-regression and boosting baselines."""

import dataclasses

import streamlit as st

from lessons.registry import lab
from ui.boston.views import (
    ALL_FEATURES,
    boston_views,
    comparison_ui,
    data_preview,
    early_stopping_ui,
    feature_help,
)
from ui.controls import hyperparameter_ui, split_ui
from ui.datasets import load_dataset
from ui.language import markdown, t
from ui.page_header import page_header
from ui.state import remember
from ui.subset import subset_ui
from ui.tabular import feature_ui, no_features_stop
from ui.training_view import after_training_ui, training_panel

LAB = lab("boston")

page_header(LAB)
markdown("boston.intro")
with st.sidebar:
    st.header(t("boston.data_header"))
    split = split_ui(LAB.key)
    features = feature_ui(
        LAB.key,
        ALL_FEATURES,
        default=[f for f in ALL_FEATURES if f != "B"],
        help=feature_help(),
    )
    with st.expander(t("boston.ethics_title"), expanded="B" in features):
        markdown("boston.ethics_b")
if not features:
    no_features_stop()
with st.sidebar:
    n_train = subset_ui(LAB.key)
    dataset = load_dataset(LAB.dataset, split=split, features=features, n_train=n_train)
    model_config, train_config = hyperparameter_ui(LAB.controls, dataset)
    train_config = dataclasses.replace(train_config, early_stopping=early_stopping_ui())
    st.subheader(t("boston.plots"))
    show_linear = st.toggle(
        t("boston.show_linear"),
        key=remember("boston_show_linear", True),
        help=t("boston.show_linear_help"),
    )

session = training_panel(
    LAB.key,
    dataset,
    (LAB.name, split, features, n_train),
    model_config,
    train_config,
    live_views=lambda run: boston_views(run, show_linear),
    preview=data_preview,
)
after_training_ui(session, comparison_ui)
