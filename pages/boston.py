"""Boston housing lab: 13 features → 1 price with MSE, against linear-regression and boosting baselines."""

import dataclasses

import streamlit as st

from lessons.registry import lab
from ui.boston.views import (
    ALL_FEATURES,
    ETHICS_B,
    FEATURE_HELP,
    boston_views,
    comparison_ui,
    data_preview,
    early_stopping_ui,
)
from ui.controls import hyperparameter_ui, split_ui
from ui.datasets import load_dataset
from ui.page_header import page_header
from ui.state import remember
from ui.tabular import feature_ui, no_features_stop
from ui.training_view import after_training_ui, training_panel

LAB = lab("boston")

page_header(LAB)
st.markdown(
    "The slides' exercise: **13 features** of a neighbourhood → hidden layers → **1 output**, the median "
    "house price in $1000s. Regression needs no output activation (ŷ = Z) and the loss is the **mean "
    "squared error**. Features are standardized with the training rows' mean and spread only. After "
    "training, compare the network's predictions with the actual prices and with a linear regression."
)
with st.sidebar:
    st.header("Boston data")
    split = split_ui(LAB.key)
    features = feature_ui(
        LAB.key,
        ALL_FEATURES,
        default=[f for f in ALL_FEATURES if f != "B"],
        help="The slides use all 13; B is left out by default (see below). "
        + "; ".join(f"{k}: {v}" for k, v in FEATURE_HELP.items())
        + ".",
    )
    with st.expander("Ethics note on the B column", expanded="B" in features):
        st.markdown(ETHICS_B)
if not features:
    no_features_stop()
with st.sidebar:
    dataset = load_dataset(LAB.dataset, split=split, features=features)
    model_config, train_config = hyperparameter_ui(LAB.controls, dataset)
    train_config = dataclasses.replace(train_config, early_stopping=early_stopping_ui())
    st.subheader("Plots")
    show_linear = st.toggle(
        "Plot linear regression's predictions too",
        key=remember("boston_show_linear", True),
        help="Next to the network's, in the predicted-against-actual plot.",
    )

session = training_panel(
    LAB.key,
    dataset,
    (LAB.name, split, features),
    model_config,
    train_config,
    live_views=lambda run: boston_views(run, show_linear),
    preview=data_preview,
)
after_training_ui(session, comparison_ui)
