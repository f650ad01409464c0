"""The "Your data" lab's own figure: the target in the training and validation rows (pure Plotly)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ui.i18n import ENGLISH, Translator
from ui.palette import TRAIN_COLOR, VALID_COLOR


def target_figure(
    y_train: np.ndarray,
    y_valid: np.ndarray,
    target: str,
    class_names: list[str] | None = None,
    *,
    tr: Translator = ENGLISH,
) -> go.Figure:
    """Rows per class (classification) or a histogram of the target (regression), train and validation.

    A class with no training rows, or validation values far outside the
    training range, shows here before any training.
    """
    parts = (
        (tr("your_data.figure.train"), y_train, TRAIN_COLOR),
        (tr("your_data.figure.valid"), y_valid, VALID_COLOR),
    )
    fig = go.Figure()
    if class_names is not None:
        for name, y, color in parts:
            counts = np.bincount(np.asarray(y, dtype=np.int64), minlength=len(class_names))
            fig.add_bar(x=list(class_names), y=counts, name=name, marker_color=color)
        fig.update_layout(barmode="group", xaxis_type="category")
        y_title = tr("your_data.figure.rows")
    else:
        for name, y, color in parts:
            fig.add_histogram(
                x=np.asarray(y, dtype=float), name=name, marker_color=color, opacity=0.7
            )
        fig.update_layout(barmode="overlay")
        y_title = tr("your_data.figure.rows")
    fig.update_layout(
        title=tr("your_data.figure.title", target=target),
        xaxis_title=target,
        yaxis_title=y_title,
        height=340,
        margin=dict(l=10, r=10, t=40, b=10),
        legend=dict(orientation="h", y=-0.25),
    )
    return fig
