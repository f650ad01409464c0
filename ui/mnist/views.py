"""The MNIST page's data preview and what it shows after training."""

from __future__ import annotations

import numpy as np
import streamlit as st

from ui.live_run import BorrowedRun
from ui.mnist.controls import is_course_recipe
from ui.mnist.figures import examples_figure
from ui.mnist.recipe import recipe_explainer


def data_preview(ds) -> None:
    """Before training: the first training image of each digit, as the network gets them."""
    y = np.asarray(ds.y_train)
    found = [(c, int(np.argmax(y == c))) for c in range(len(ds.class_names)) if (y == c).any()]
    st.plotly_chart(
        examples_figure(
            ds.X_train[[i for _, i in found]],
            [ds.class_names[c] for c, _ in found],
            title=f"One of each digit, from {len(y):,} training images",
        ),
        width="stretch",
    )
    h, w = ds.input_shape[-2:]
    st.caption(
        f"Each is {h}×{w} grey levels: the network reads {h * w} numbers and answers with "
        f"{len(ds.class_names)} scores, one per digit."
    )


def after_training(run: BorrowedRun) -> None:
    """Under the training panel: where the new model went, and the course recipe's explanation."""
    if run.step == 0:
        return
    last = run.history.latest()
    if run.done and last and "valid_accuracy" in last:
        st.success(
            f"Your model reads {last['valid_accuracy']:.1%} of the validation digits correctly. "
            "It now reads your drawings in **Draw** and is the one shown in **Inspect**."
        )
    if is_course_recipe(run.model_config, run.train_config):
        ds = run.dataset
        recipe_explainer(
            run.model,
            ds.X_train,
            np.asarray(ds.y_train),
            last.get("valid_accuracy") if last else None,
        )
