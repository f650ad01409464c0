"""The "Your data" lab's views: live validation metrics with predicted-vs-actual or a confusion matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from models import confusion_matrix, per_class_report, predict, task_metrics
from ui.figures.classification import confusion_matrix_figure
from ui.figures.regression import (
    predicted_vs_actual_figure,
    residual_figure,
    residual_histogram_figure,
)
from ui.i18n import sentences
from ui.language import error_text, translator
from ui.your_data.figures import target_figure

REGRESSION_METRICS = (("rmse", ".3g"), ("mae", ".3g"), ("r2", ".3f"))
REPORT_COLUMNS = ("class", "precision", "recall", "f1", "support")


def notes_ui(ds) -> None:
    """The dataset's notes (rows left out, classes missing from training) in the session's language."""
    for note in ds.notes:
        st.info(error_text(note))


def regression_view(run, pred: np.ndarray) -> None:
    """Validation RMSE, MAE and R², and every validation row's prediction against its value."""
    ds, tr = run.dataset, translator()
    finite = bool(np.all(np.isfinite(pred)))
    m = task_metrics("regression", ds.y_valid, pred) if finite else {}
    cols = st.columns(len(REGRESSION_METRICS) + 1)
    for col, (name, fmt) in zip(cols, REGRESSION_METRICS, strict=False):
        value = m.get(name, float("nan"))
        col.metric(
            tr(f"your_data.metrics.{name}"),
            f"{value:{fmt}}",
            help=tr(f"your_data.metrics.{name}_help"),
        )
    cols[-1].metric(tr("your_data.metrics.epochs"), f"{run.epoch}")
    target = ds.options.get("target", "")
    st.plotly_chart(
        predicted_vs_actual_figure(ds.y_valid, {tr("your_data.network"): pred}, unit=target, tr=tr),
        width="stretch",
    )
    st.caption(tr("your_data.scatter_caption"))


def classification_view(run, pred: np.ndarray) -> None:
    """Validation accuracy and the confusion matrix over the table's own class names."""
    ds, tr = run.dataset, translator()
    correct, total = int((pred == ds.y_valid).sum()), len(ds.y_valid)
    c1, c2 = st.columns([1, 2])
    c1.metric(tr("your_data.metrics.accuracy"), f"{correct / total:.1%}")
    c1.caption(
        tr("your_data.metrics.accuracy_caption", correct=correct, total=total, epochs=run.epoch)
    )
    cm = confusion_matrix(ds.y_valid, pred, len(ds.class_names))
    c2.plotly_chart(
        confusion_matrix_figure(cm, ds.class_names, tr("your_data.confusion_title"), tr=tr),
        width="stretch",
    )


def your_data_views(run) -> None:
    """The live view for the run's task, redrawn while it trains."""
    pred = predict(run.model, run.dataset.X_valid)
    if run.dataset.task == "regression":
        regression_view(run, np.asarray(pred, dtype=float))
    else:
        classification_view(run, pred)
    notes_ui(run.dataset)


def data_preview(ds) -> None:
    """Before training: the target in the training and validation rows."""
    tr = translator()
    st.plotly_chart(
        target_figure(ds.y_train, ds.y_valid, ds.options.get("target", ""), ds.class_names, tr=tr),
        width="stretch",
    )
    caption = tr("your_data.figure.caption", train=len(ds.y_train), valid=len(ds.y_valid))
    if ds.task != "regression":  # a class the training rows lack: a regression has no classes
        caption = sentences(caption, tr("your_data.figure.caption_classes"))
    st.caption(caption)
    notes_ui(ds)


def results_ui(run) -> None:
    """After training: residual plots (regression), or precision and recall per class."""
    ds, tr = run.dataset, translator()
    pred = predict(run.model, ds.X_valid)
    st.subheader(tr("your_data.results.title"))
    if ds.task == "regression":
        pred = np.asarray(pred, dtype=float)
        if not np.all(np.isfinite(pred)):
            return
        target = ds.options.get("target", "")
        c1, c2 = st.columns([3, 2])
        c1.plotly_chart(
            residual_figure(ds.y_valid, {tr("your_data.network"): pred}, unit=target, tr=tr),
            width="stretch",
        )
        c2.plotly_chart(
            residual_histogram_figure(ds.y_valid, pred, unit=target, tr=tr), width="stretch"
        )
        st.caption(tr("your_data.results.residual_caption"))
        return
    report = pd.DataFrame(per_class_report(ds.y_valid, pred, ds.class_names)).round(3)
    st.dataframe(
        report.rename(columns={c: tr(f"your_data.results.{c}") for c in REPORT_COLUMNS}),
        hide_index=True,
        width="stretch",
    )
    st.caption(tr("your_data.results.per_class_caption"))
