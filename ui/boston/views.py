"""The Boston lab's own views: live metrics against linear regression, and the baselines comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from data.tabular import boston_raw
from lessons.registry import controls
from models import predict, task_metrics
from models.baselines import regression_baselines
from ui.controls import RESTART, RESTART_HELP
from ui.figures.regression import (
    predicted_vs_actual_figure,
    residual_figure,
    residual_histogram_figure,
)
from ui.state import remember

_, _, ALL_FEATURES = boston_raw()
PATIENCES = [0, 10, 20, 30, 50, 100]
NETWORK = "Neural network"
ETHICS_B = (
    "**Why B is off by default.** B = 1000 (Bk − 0.63)², where Bk is the share of Black residents of the "
    "town. The original 1978 study built a parabola into the column on purpose, assuming that prices fall "
    "as the share of Black residents rises until a 'self-segregation' effect raises them again: a racist "
    "assumption coded into the feature itself. scikit-learn removed this dataset in version 1.2 for that "
    "reason. The slides use all 13 columns; you can add B back to reproduce them, but we recommend leaving "
    "it out (data/README.md has the details)."
)
FEATURE_HELP = {
    "CRIM": "crime rate per person",
    "ZN": "share of large residential lots",
    "INDUS": "share of industry",
    "CHAS": "1 if on the Charles River",
    "NOX": "nitric oxide concentration",
    "RM": "rooms per dwelling",
    "AGE": "share built before 1940",
    "DIS": "distance to 5 job centres",
    "RAD": "highway access index",
    "TAX": "property tax rate",
    "PTRATIO": "pupils per teacher",
    "B": "see the ethics note",
    "LSTAT": "% lower-status population",
}


@st.cache_data(show_spinner="Fitting the baselines…", max_entries=64)
def baselines(key: tuple, _dataset) -> dict:
    """Linear regression and gradient boosting on the run's own split; cached per (split, features)."""
    return {b.name: {"pred": b.predictions, **b.metrics} for b in regression_baselines(_dataset)}


def baselines_for(ds) -> dict:
    return baselines((ds.split, tuple(ds.feature_names), len(ds.y_train)), ds)


def early_stopping_ui() -> int | None:
    """Patience in epochs (None = off): stop when validation loss stops improving, keep the best weights."""
    patience = st.select_slider(
        "Early stopping: patience (epochs)" + RESTART,
        PATIENCES,
        key=remember("boston_patience", controls("boston").early_stopping),
        format_func=lambda v: "off" if v == 0 else str(v),
        help="Stop when the validation loss has not improved for this many epochs and restore the best "
        "weights. The best epoch is picked on the validation rows, so its score is slightly optimistic. "
        + RESTART_HELP,
    )
    return patience or None


def network_metrics(run) -> tuple[np.ndarray, dict]:
    ds = run.dataset
    pred = predict(run.model, ds.X_valid)
    if not np.all(np.isfinite(pred)):
        return pred, {"rmse": float("nan"), "mae": float("nan"), "r2": float("nan")}
    return pred, task_metrics("regression", ds.y_valid, pred)


def boston_views(run, show_linear: bool = True) -> None:
    """Validation RMSE/MAE/R² next to linear regression, and predicted against actual, redrawn live."""
    ds = run.dataset
    pred, m = network_metrics(run)
    base = baselines_for(ds)
    linear = base["Linear regression"]
    c = st.columns(4)
    c[0].metric(
        "Validation RMSE",
        f"{m['rmse']:.2f}",
        f"{m['rmse'] - linear['rmse']:+.2f} vs linear",
        delta_color="inverse",
        help="Root mean squared error, in $1000s: a typical miss, big misses weigh more.",
    )
    c[1].metric(
        "Validation MAE",
        f"{m['mae']:.2f}",
        f"{m['mae'] - linear['mae']:+.2f} vs linear",
        delta_color="inverse",
        help="Mean absolute error, in $1000s: the average miss.",
    )
    c[2].metric(
        "Validation R²",
        f"{m['r2']:.3f}",
        f"{m['r2'] - linear['r2']:+.3f} vs linear",
        help="Share of the price variance explained: 1 is perfect, 0 is 'always guess the mean'.",
    )
    c[3].metric("Epochs", f"{run.epoch}", help="Completed epochs of this run.")
    for note in ds.notes:
        st.info(note)
    shown = {NETWORK: pred}
    if show_linear:
        shown["Linear regression"] = linear["pred"]
    st.plotly_chart(predicted_vs_actual_figure(ds.y_valid, shown), width="stretch")
    st.caption(
        "Each point is one validation house. On the dashed line y = x the prediction is exact; "
        "above it the model over-prices, below it under-prices."
    )


def data_preview(ds) -> None:
    """Before training: the score to beat, linear regression's predictions on the validation houses."""
    linear = baselines_for(ds)["Linear regression"]
    st.plotly_chart(
        predicted_vs_actual_figure(
            ds.y_valid,
            {NETWORK: [], "Linear regression": linear["pred"]},
            title="The baseline to beat: linear regression",
        ),
        width="stretch",
    )
    st.caption(
        f"A straight-line model on the same features and rows: validation RMSE {linear['rmse']:.2f}, "
        f"R² {linear['r2']:.3f}. Can the network do better?"
    )


def comparison_ui(run) -> None:
    """The network next to the baselines (same split, same rows) and the residual plots."""
    ds = run.dataset
    pred, m = network_metrics(run)
    base = baselines_for(ds)
    st.subheader("The network against classical baselines")
    rows = [{"model": NETWORK, "RMSE ($1000s)": m["rmse"], "MAE ($1000s)": m["mae"], "R²": m["r2"]}]
    rows += [
        {"model": name, "RMSE ($1000s)": b["rmse"], "MAE ($1000s)": b["mae"], "R²": b["r2"]}
        for name, b in base.items()
    ]
    c1, c2 = st.columns([2, 3])
    c1.dataframe(pd.DataFrame(rows).round(3), hide_index=True, width="stretch")
    linear, boost = base["Linear regression"]["rmse"], base["Gradient boosting"]["rmse"]
    if not np.isfinite(m["rmse"]):
        verdict = "The network's predictions are not finite numbers; train again with a smaller learning rate."
    elif m["rmse"] < linear:
        verdict = (
            f"The network beats linear regression by {linear - m['rmse']:.2f} (RMSE, $1000s): "
            "its hidden layers capture bends that a straight-line model cannot, "
            "such as price rising faster than linearly with the number of rooms. "
        )
        verdict += (
            "It also beats gradient boosting here."
            if m["rmse"] <= boost
            else f"Gradient boosting, a strong tree ensemble for small tables, is still {m['rmse'] - boost:.2f} better."
        )
    else:
        verdict = (
            "The network does **not** beat linear regression yet. Train longer, raise the learning rate "
            "a notch, or widen the hidden layers; a network that can't beat a straight line is underfitting."
        )
    c2.markdown(verdict)
    c2.caption(
        "All three models are fitted on the same training rows, with the same standardization "
        "(fitted on the training rows only), and scored on the same validation rows."
    )
    c1, c2 = st.columns([3, 2])
    c1.plotly_chart(residual_figure(ds.y_valid, {NETWORK: pred}), width="stretch")
    c2.plotly_chart(residual_histogram_figure(ds.y_valid, pred), width="stretch")
    st.caption(
        "A good model leaves a shapeless band around 0. Values are capped at $50k in this data set, "
        "so the most expensive houses often sit below the line: the model can't know the true price."
    )
