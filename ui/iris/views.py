"""The Iris lab's own views: live accuracy and confusion, the scatter, the per-class report."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from models import confusion_matrix, per_class_report, predict
from ui.figures.classification import confusion_matrix_figure
from ui.i18n import Translator
from ui.iris.figures import class_scatter_figure, pca_2d, per_class_figure, species_scatter_figure
from ui.language import translator
from ui.paced_views import paced_figure
from ui.state import remember
from ui.tabular import raw_values

PCA_VIEW = "2-D PCA of the chosen features"
# The dataset's column names (option values in every language) -> their catalogue keys.
FEATURE_KEYS = {
    "sepal length (cm)": "sepal_length",
    "sepal width (cm)": "sepal_width",
    "petal length (cm)": "petal_length",
    "petal width (cm)": "petal_width",
    PCA_VIEW: "pca",
}
REPORT_COLUMNS = ("class", "precision", "recall", "f1", "support")


def short_name(feature: str) -> str:
    """'petal length (cm)' -> 'petal length'."""
    return feature.replace(" (cm)", "")


def feature_label(feature: str, tr: Translator) -> str:
    """A feature's (or the PCA view's) name in `tr`'s language: 'petal length (cm)' -> 花瓣長度（cm）."""
    key = FEATURE_KEYS.get(feature)
    return feature if key is None else tr(f"iris.feature.{key}")


def feature_labels() -> Callable[[str], str]:
    """A format_func showing features in this run's language.

    It holds the run's Translator rather than looking the language up when called:
    Streamlit (and AppTest) may call a format_func outside the script run.
    """
    return partial(feature_label, tr=translator())


def choice_key(key: str, options: list[str], default: str) -> str:
    """remember(key), but a remembered value that is not among `options` falls back to `default`."""
    remember(key, default)
    if st.session_state.get(key) not in options:
        st.session_state[key] = default
    return key


def scatter_ui(run, pred: np.ndarray) -> None:
    """Two chosen features (in cm) or a 2-D PCA, validation rows coloured by predicted class."""
    ds, tr = run.dataset, translator()
    views = [*ds.feature_names, PCA_VIEW] if len(ds.feature_names) >= 2 else list(ds.feature_names)
    labels = feature_labels()
    c1, c2 = st.columns(2)
    default_x = "petal length (cm)" if "petal length (cm)" in ds.feature_names else views[0]
    x_name = c1.selectbox(
        tr("iris.scatter.x_axis"),
        views,
        format_func=labels,
        key=choice_key("iris_view_x", views, default_x),
    )
    if x_name == PCA_VIEW:
        choice: tuple = (PCA_VIEW,)

        def fig():
            (p_train, p_valid), ratio = pca_2d(ds.X_train, ds.X_valid)
            return class_scatter_figure(
                p_valid[:, 0],
                p_valid[:, 1],
                pred,
                ds.y_valid,
                ds.class_names,
                tr("iris.scatter.pc1", ratio=ratio[0]),
                tr("iris.scatter.pc2", ratio=ratio[1]),
                background=(p_train[:, 0], p_train[:, 1]),
                title=tr("iris.scatter.pca_title"),
                tr=tr,
            )

    else:
        others = [f for f in ds.feature_names if f != x_name] or [x_name]
        default_y = "petal width (cm)" if "petal width (cm)" in others else others[0]
        y_name = c2.selectbox(
            tr("iris.scatter.y_axis"),
            others,
            format_func=labels,
            key=choice_key("iris_view_y", others, default_y),
        )
        i, j = ds.feature_names.index(x_name), ds.feature_names.index(y_name)
        choice = (x_name, y_name)

        def fig():
            raw_train, raw_valid = raw_values(ds, ds.X_train), raw_values(ds, ds.X_valid)
            return class_scatter_figure(
                raw_valid[:, i],
                raw_valid[:, j],
                pred,
                ds.y_valid,
                ds.class_names,
                feature_label(x_name, tr),
                feature_label(y_name, tr),
                background=(raw_train[:, i], raw_train[:, j]),
                tr=tr,
            )

    st.plotly_chart(paced_figure(run, ("iris.scatter", *choice), fig), width="stretch")
    st.caption(tr("iris.scatter.caption"))


def iris_views(run) -> None:
    """Validation accuracy, confusion matrix and the coloured scatter, redrawn live while training."""
    ds, tr = run.dataset, translator()
    pred = paced_figure(run, "iris.pred", lambda: predict(run.model, ds.X_valid))
    correct, total = int((pred == ds.y_valid).sum()), len(ds.y_valid)
    c1, c2 = st.columns([1, 3])
    c1.metric(
        tr("iris.accuracy.label"),
        f"{correct / total:.1%}",
        help=tr("iris.accuracy.help"),
    )
    c1.caption(tr("iris.accuracy.caption", correct=correct, total=total, epochs=run.epoch))
    # Why the course split collapses is the coach's to say (class_missing, ui/coach/).
    if run.done and correct / total >= 0.9:
        c2.success(tr("iris.accuracy.separable"))
    c1, c2 = st.columns([2, 3])
    confusion = paced_figure(
        run,
        "iris.confusion",
        lambda: confusion_matrix_figure(
            confusion_matrix(ds.y_valid, pred, len(ds.class_names)),
            ds.class_names,
            tr("iris.confusion_title"),
            tr=tr,
        ),
    )
    c1.plotly_chart(confusion, width="stretch")
    with c2:
        scatter_ui(run, pred)


def data_preview(ds) -> None:
    """Before training: the training flowers by species, on two of the chosen measurements."""
    tr = translator()
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
            feature_label(x_name, tr),
            feature_label(y_name, tr),
            title=tr("iris.preview.title", n=len(ds.y_train)),
            tr=tr,
        ),
        width="stretch",
    )
    petals = {x_name, y_name} == {"petal length (cm)", "petal width (cm)"}
    st.caption((tr("iris.preview.petals") if petals else "") + tr("iris.preview.unseen"))


def per_class_ui(run) -> None:
    """Precision and recall per species, as a table and bars (after or between training)."""
    ds, tr = run.dataset, translator()
    report = per_class_report(ds.y_valid, predict(run.model, ds.X_valid), ds.class_names)
    st.subheader(tr("iris.per_class.title"))
    c1, c2 = st.columns([2, 3])
    table = pd.DataFrame(report).round(3)
    table = table.rename(columns={c: tr(f"iris.per_class.{c}") for c in REPORT_COLUMNS})
    c1.dataframe(table, hide_index=True, width="stretch")
    c1.caption(tr("iris.per_class.caption"))
    c2.plotly_chart(per_class_figure(report, tr=tr), width="stretch")
