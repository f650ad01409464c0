"""The Boston lab's own views: live metrics against linear regression, and the baselines comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from data.tabular import BOSTON_B_NOTE, BOSTON_COURSE_NOTE, boston_raw
from lessons.control_ranges import PATIENCES
from lessons.registry import controls
from models import predict, task_metrics
from models.baselines import regression_baselines
from ui.controls import RESTART, restart_help
from ui.figures.regression import (
    predicted_vs_actual_figure,
    residual_figure,
    residual_histogram_figure,
)
from ui.first_load import spinner_on_first_load
from ui.language import error_text, t, translator
from ui.paced_views import paced_figure
from ui.state import remember

_, _, ALL_FEATURES = boston_raw()
# The network's key among the compared models (the baselines have models.baselines' keys).
NETWORK = "network"
# The data set's notes (data/tabular.py's English text) -> their catalogue keys.
NOTE_KEYS = {BOSTON_COURSE_NOTE: "boston.notes.course", BOSTON_B_NOTE: "boston.notes.b"}
TABLE_COLUMNS = ("rmse", "mae", "r2")


def model_name(key: str) -> str:
    """A compared model's display name: "network", "linear", "gradient_boosting" -> its name."""
    return t(f"boston.models.{key}")


def feature_help() -> str:
    """The feature picker's help: what each of the 13 columns means, and why B is left out."""
    items = t("boston.feature_help.separator").join(
        t("boston.feature_help.item", name=f, text=t(f"boston.columns.{f}")) for f in ALL_FEATURES
    )
    return t("boston.feature_help.text", items=items)


def note_text(note) -> str:
    """One of the data set's notes in the session's language (its own text when unknown)."""
    key = NOTE_KEYS.get(str(note))
    return t(key) if key else error_text(note)


@st.cache_data(show_spinner=False, max_entries=64)
def baselines(key: tuple, _dataset) -> dict:
    """Linear regression and gradient boosting on the run's own split; cached per (split, features).

    Keyed by the baselines' keys ("linear", "gradient_boosting"): numbers only, the same in every language.
    """
    return {b.key: {"pred": b.predictions, **b.metrics} for b in regression_baselines(_dataset)}


def baselines_for(ds) -> dict:
    """The scikit-learn baselines fitted on this split and feature set (cached; a spinner while fitting)."""
    key = (ds.split, tuple(ds.feature_names), len(ds.y_train))
    with spinner_on_first_load(("boston_baselines", key), "boston.fitting_baselines"):
        return baselines(key, ds)


def early_stopping_ui() -> int | None:
    """Patience in epochs (None = off): stop when validation loss stops improving, keep the best weights."""
    off = t("boston.patience.off")  # held, not looked up: a format_func may run outside the run
    patience = st.select_slider(
        t("boston.patience.label") + RESTART,
        PATIENCES,
        key=remember("boston_patience", controls("boston").early_stopping),
        format_func=lambda v: off if v == 0 else str(v),
        help=t("boston.patience.help") + " " + restart_help(),
    )
    return patience or None


def network_metrics(run) -> tuple[np.ndarray, dict]:
    """The run's validation predictions and their RMSE, MAE and R² (NaN once the run diverged)."""
    ds = run.dataset
    pred = predict(run.model, ds.X_valid)
    if not np.all(np.isfinite(pred)):
        return pred, {"rmse": float("nan"), "mae": float("nan"), "r2": float("nan")}
    return pred, task_metrics("regression", ds.y_valid, pred)


def boston_views(run, show_linear: bool = True) -> None:
    """Validation RMSE/MAE/R² next to linear regression, and predicted against actual, redrawn live."""
    ds, tr = run.dataset, translator()
    pred, m = paced_figure(run, "boston.metrics", lambda: network_metrics(run))
    linear = baselines_for(ds)["linear"]
    c = st.columns(4)
    for col, name, fmt, inverse in (
        (c[0], "rmse", ".2f", True),
        (c[1], "mae", ".2f", True),
        (c[2], "r2", ".3f", False),
    ):
        col.metric(
            tr(f"boston.metrics.{name}"),
            f"{m[name]:{fmt}}",
            tr("boston.metrics.delta", delta=f"{m[name] - linear[name]:+{fmt}}"),
            delta_color="inverse" if inverse else "normal",
            help=tr(f"boston.metrics.{name}_help"),
        )
    c[3].metric(tr("boston.metrics.epochs"), f"{run.epoch}", help=tr("boston.metrics.epochs_help"))
    for note in ds.notes:
        st.info(note_text(note))
    shown = {model_name(NETWORK): pred}
    if show_linear:
        shown[model_name("linear")] = linear["pred"]
    scatter = paced_figure(
        run,
        ("boston.predicted", show_linear),
        lambda: predicted_vs_actual_figure(ds.y_valid, shown, tr=tr),
    )
    st.plotly_chart(scatter, width="stretch")
    st.caption(tr("boston.scatter_caption"))


def data_preview(ds) -> None:
    """Before training: the score to beat, linear regression's predictions on the validation houses."""
    tr = translator()
    linear = baselines_for(ds)["linear"]
    st.plotly_chart(
        predicted_vs_actual_figure(
            ds.y_valid,
            {model_name(NETWORK): [], model_name("linear"): linear["pred"]},
            title=tr("boston.preview.title"),
            tr=tr,
        ),
        width="stretch",
    )
    st.caption(tr("boston.preview.caption", rmse=linear["rmse"], r2=linear["r2"]))


def _verdict(m: dict, linear: float, boost: float) -> str:
    """What the comparison says when the network beats the straight line ("" otherwise).

    A network that does not beat it (or whose predictions are not numbers) is
    the coach's to explain, with a button that tries the fix (ui/coach/).
    """
    if not np.isfinite(m["rmse"]) or m["rmse"] >= linear:
        return ""
    verdict = t("boston.verdict.beats_linear", diff=linear - m["rmse"])
    if m["rmse"] <= boost:
        return verdict + t("boston.verdict.beats_boosting")
    return verdict + t("boston.verdict.behind_boosting", diff=m["rmse"] - boost)


def comparison_ui(run) -> None:
    """The network next to the baselines (same split, same rows) and the residual plots."""
    ds, tr = run.dataset, translator()
    pred, m = network_metrics(run)
    base = baselines_for(ds)
    st.subheader(tr("boston.comparison.title"))
    column = {"model": tr("boston.comparison.model")} | {
        c: tr(f"boston.comparison.{c}") for c in TABLE_COLUMNS
    }
    rows = [
        {column["model"]: model_name(key), **{column[c]: values[c] for c in TABLE_COLUMNS}}
        for key, values in [(NETWORK, m), *base.items()]
    ]
    c1, c2 = st.columns([2, 3])
    c1.dataframe(pd.DataFrame(rows).round(3), hide_index=True, width="stretch")
    verdict = _verdict(m, base["linear"]["rmse"], base["gradient_boosting"]["rmse"])
    if verdict:
        c2.markdown(verdict)
    c2.caption(tr("boston.comparison.same_rows"))
    c1, c2 = st.columns([3, 2])
    c1.plotly_chart(
        residual_figure(ds.y_valid, {model_name(NETWORK): pred}, tr=tr), width="stretch"
    )
    c2.plotly_chart(residual_histogram_figure(ds.y_valid, pred, tr=tr), width="stretch")
    st.caption(tr("boston.comparison.residual_caption"))
