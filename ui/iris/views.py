"""The Iris lab's own views: live accuracy and confusion, the scatter, and why the course split fails."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from models import confusion_matrix, per_class_report, predict
from ui.figures.classification import confusion_matrix_figure
from ui.iris.figures import class_scatter_figure, pca_2d, per_class_figure, species_scatter_figure
from ui.state import remember
from ui.tabular import raw_values

PCA_VIEW = "2-D PCA of the chosen features"


def short_name(feature: str) -> str:
    """'petal length (cm)' -> 'petal length'."""
    return feature.replace(" (cm)", "")


def split_failure(run, correct: int, total: int) -> None:
    """Next to the accuracy: why the course split can't work, with this run's own counts."""
    ds = run.dataset
    names = ds.class_names
    train_counts = np.bincount(ds.y_train, minlength=len(names))
    valid_counts = np.bincount(ds.y_valid, minlength=len(names))
    missing = [n for n, c in zip(names, train_counts, strict=True) if c == 0]
    listing = ", ".join(f"{c} {n}" for n, c in zip(names, train_counts, strict=True))
    if not missing:
        return
    unseen = int(sum(valid_counts[i] for i, n in enumerate(names) if n in missing))
    st.error(
        f"**Why validation accuracy collapses ({correct}/{total}).** The iris file is sorted by species, "
        f"and the course split trains on its first {len(ds.y_train)} rows: {listing}. "
        f"The network has never seen a **{' or '.join(missing)}**, and softmax can only choose among the "
        f"classes it was trained to output, so all {unseen} {' / '.join(missing)} flowers in validation are "
        f"wrong however well it learns ({total - unseen}/{total} = {(total - unseen) / total:.0%} is the best "
        "it can do). The confusion matrix shows it: that row has nothing on the diagonal. "
        "This is not a network problem but a **data split** problem: shuffle before splitting "
        "(choose *Recommended* in the sidebar), keeping each class in both parts."
    )


def choice_key(key: str, options: list[str], default: str) -> str:
    """remember(key), but a remembered value that is not among `options` falls back to `default`."""
    remember(key, default)
    if st.session_state.get(key) not in options:
        st.session_state[key] = default
    return key


def scatter_ui(run, pred: np.ndarray) -> None:
    """Two chosen features (in cm) or a 2-D PCA, validation rows coloured by predicted class."""
    ds = run.dataset
    views = [*ds.feature_names, PCA_VIEW] if len(ds.feature_names) >= 2 else list(ds.feature_names)
    c1, c2 = st.columns(2)
    default_x = "petal length (cm)" if "petal length (cm)" in ds.feature_names else views[0]
    x_name = c1.selectbox("Horizontal axis", views, key=choice_key("iris_view_x", views, default_x))
    if x_name == PCA_VIEW:
        (p_train, p_valid), ratio = pca_2d(ds.X_train, ds.X_valid)
        fig = class_scatter_figure(
            p_valid[:, 0],
            p_valid[:, 1],
            pred,
            ds.y_valid,
            ds.class_names,
            f"PC 1 ({ratio[0]:.0%} of variance)",
            f"PC 2 ({ratio[1]:.0%})",
            background=(p_train[:, 0], p_train[:, 1]),
            title="Validation flowers in the 2-D PCA plane, coloured by predicted class",
        )
    else:
        others = [f for f in ds.feature_names if f != x_name] or [x_name]
        default_y = "petal width (cm)" if "petal width (cm)" in others else others[0]
        y_name = c2.selectbox(
            "Vertical axis", others, key=choice_key("iris_view_y", others, default_y)
        )
        i, j = ds.feature_names.index(x_name), ds.feature_names.index(y_name)
        raw_train, raw_valid = raw_values(ds, ds.X_train), raw_values(ds, ds.X_valid)
        fig = class_scatter_figure(
            raw_valid[:, i],
            raw_valid[:, j],
            pred,
            ds.y_valid,
            ds.class_names,
            x_name,
            y_name,
            background=(raw_train[:, i], raw_train[:, j]),
        )
    st.plotly_chart(fig, width="stretch")
    st.caption(
        "Colour = the class the network predicts; symbol = the true species "
        "(circle setosa, diamond versicolor, square virginica); red rings mark mistakes; "
        "grey dots are the training rows."
    )


def iris_views(run) -> None:
    """Validation accuracy, confusion matrix and the coloured scatter, redrawn live while training."""
    ds = run.dataset
    pred = predict(run.model, ds.X_valid)
    correct, total = int((pred == ds.y_valid).sum()), len(ds.y_valid)
    c1, c2 = st.columns([1, 3])
    c1.metric(
        "Validation accuracy",
        f"{correct / total:.1%}",
        help="Share of the validation flowers classified correctly.",
    )
    c1.caption(f"{correct} of {total} validation flowers right, after {run.epoch} epoch(s).")
    with c2:
        if ds.split == "course":
            split_failure(run, correct, total)
        elif run.done and correct / total >= 0.9:
            st.success(
                "Iris is nearly linearly separable: setosa is easy, and the few mistakes are "
                "versicolor/virginica flowers whose petals overlap (see the scatter)."
            )
    c1, c2 = st.columns([2, 3])
    cm = confusion_matrix(ds.y_valid, pred, len(ds.class_names))
    c1.plotly_chart(
        confusion_matrix_figure(cm, ds.class_names, "Confusion matrix (validation)"),
        width="stretch",
    )
    with c2:
        scatter_ui(run, pred)


def data_preview(ds) -> None:
    """Before training: the training flowers by species, on two of the chosen measurements."""
    names = ds.feature_names
    x_name = "petal length (cm)" if "petal length (cm)" in names else names[0]
    y_name = (
        "petal width (cm)"
        if "petal width (cm)" in names and x_name != "petal width (cm)"
        else (next((f for f in names if f != x_name), x_name))
    )
    raw = raw_values(ds, ds.X_train)
    i, j = names.index(x_name), names.index(y_name)
    st.plotly_chart(
        species_scatter_figure(
            raw[:, i],
            raw[:, j],
            ds.y_train,
            ds.class_names,
            x_name,
            y_name,
            title=f"The {len(ds.y_train)} training flowers by species",
        ),
        width="stretch",
    )
    petals = {x_name, y_name} == {"petal length (cm)", "petal width (cm)"}
    st.caption(
        (
            "On the petals, setosa stands apart and versicolor and virginica overlap a little. "
            if petals
            else ""
        )
        + "A species with 0 training flowers can never be predicted."
    )


def per_class_ui(run) -> None:
    """Precision and recall per species, as a table and bars (after or between training)."""
    ds = run.dataset
    report = per_class_report(ds.y_valid, predict(run.model, ds.X_valid), ds.class_names)
    st.subheader("Per-class precision and recall")
    c1, c2 = st.columns([2, 3])
    c1.dataframe(pd.DataFrame(report).round(3), hide_index=True, width="stretch")
    c1.caption(
        "**Precision**: of the flowers predicted as this class, the share that are. "
        "**Recall**: of the flowers of this class, the share found. A class the network never "
        "saw has recall 0."
    )
    c2.plotly_chart(per_class_figure(report), width="stretch")
