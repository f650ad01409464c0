"""The MNIST page's tabs, its data preview and what it shows after training."""

from __future__ import annotations

import numpy as np
import streamlit as st

from ui.i18n import LANGUAGES, Translator
from ui.language import markdown, t
from ui.live_run import BorrowedRun
from ui.mnist.controls import is_course_recipe
from ui.mnist.figures import examples_figure
from ui.mnist.recipe import recipe_explainer
from ui.state import remember, remembered

TABS = ("draw", "train", "inspect")
TAB_KEY = "mnist_tab"


def page_intro() -> None:
    """The paragraph under the page's title."""
    markdown("mnist.intro")


def tabs_ui():
    """The Draw / Train / Inspect tabs, staying on the same tab across page switches and languages.

    A stateful st.tabs' value is its label, and the labels are part of its
    identity; after a language switch the stored label is the old language's,
    so it is mapped to the same tab's label in the new language first. Streamlit
    drops the tab's value when another page is drawn: a teacher back from another
    page mid-run found the Draw tab, not the training curves, so it is remembered.
    """
    labels = [t(f"mnist.tabs.{name}") for name in TABS]
    if TAB_KEY not in st.session_state and remembered(TAB_KEY) is not None:
        st.session_state[TAB_KEY] = remembered(TAB_KEY)
    shown = st.session_state.get(TAB_KEY)
    if shown is not None and shown not in labels:
        for language in LANGUAGES:
            theirs = [Translator(language)(f"mnist.tabs.{name}") for name in TABS]
            if shown in theirs:
                st.session_state[TAB_KEY] = labels[theirs.index(shown)]
                break
    return st.tabs(labels, key=remember(TAB_KEY), on_change="rerun")


def data_preview(ds) -> None:
    """Before training: the first training image of each digit, as the network gets them."""
    y = np.asarray(ds.y_train)
    found = [(c, int(np.argmax(y == c))) for c in range(len(ds.class_names)) if (y == c).any()]
    st.plotly_chart(
        examples_figure(
            ds.X_train[[i for _, i in found]],
            [ds.class_names[c] for c, _ in found],
            title=t("mnist.figures.preview_title", n=len(y)),
        ),
        width="stretch",
    )
    h, w = ds.input_shape[-2:]
    st.caption(
        t("mnist.figures.preview_caption", h=h, w=w, pixels=h * w, classes=len(ds.class_names))
    )


def after_training(run: BorrowedRun) -> None:
    """Under the training panel: where the new model went, and the course recipe's explanation."""
    if run.step == 0:
        return
    last = run.history.latest()
    if run.done and last and "valid_accuracy" in last:
        st.success(t("mnist.live.trained", acc=last["valid_accuracy"]))
    if is_course_recipe(run.model_config, run.train_config):
        ds = run.dataset
        recipe_explainer(
            run.model,
            ds.X_train,
            np.asarray(ds.y_train),
            last.get("valid_accuracy") if last else None,
        )
