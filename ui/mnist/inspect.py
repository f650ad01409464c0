"""The "Inspect" view: confusion matrix, the model's worst mistakes, and what its first layer learned."""

from __future__ import annotations

import numpy as np
import streamlit as st
from torch import nn

import data
from data import Dataset
from lessons.robustness import CHECK_N, RedrawnSet, Robustness, robustness, shared_redrawn_set
from models import Network, confusion_matrix
from ui.figures.classification import confusion_matrix_figure
from ui.language import md, t, translator
from ui.mnist.figures import DIGITS, enlarge, weights_figure
from ui.mnist.models import ActiveModel, load_pretrained, predictions_for, validation_predictions
from ui.state import LabSession

GALLERY_SIZE = 24
ALL = "all digits"  # the gallery picker's option value for every digit (shown translated)
MAX_UNITS = 32
# Re-drawn validation digits for the robustness check: 500 take ~1.5 s once per process
# (bench/robustness.py uses 2,000 for the shipped models' figures).
REDRAWN_N = CHECK_N  # the same digits the coach scores (models/diagnose_robustness.py)
REDRAWN_SEED = 0
_ROBUSTNESS_KEY = "mnist_robustness"  # (model version, Robustness) of the session's own model


def worst_mistakes(
    y_true: np.ndarray,
    pred: np.ndarray,
    confidence: np.ndarray,
    true_digit: int | None = None,
    n: int = GALLERY_SIZE,
) -> np.ndarray:
    """Indices of misclassified examples, most confident mistakes first (optionally of one true digit)."""
    wrong = pred != y_true
    if true_digit is not None:
        wrong &= y_true == true_digit
    idx = np.flatnonzero(wrong)
    return idx[np.argsort(-confidence[idx], kind="stable")][:n]


def first_layer_tiles(model: Network) -> tuple[np.ndarray, str] | None:
    """The first layer's weights as images: (units, 28, 28) for an MLP, (filters, k, k) for a CNN."""
    for layer in model:
        if isinstance(layer, nn.Conv2d):
            w = layer.weight.detach().cpu().numpy()  # (out, in=1, k, k)
            return w[:, 0], "conv"
        if isinstance(layer, nn.Linear):
            w = layer.weight.detach().cpu().numpy()  # (units, 784)
            if w.shape[1] != 28 * 28:
                return None
            return w.reshape(-1, 28, 28), "dense"
    return None


def confusion_ui(y_true: np.ndarray, pred: np.ndarray) -> None:
    """Confusion matrix and overall accuracy on the validation set."""
    acc = float((pred == y_true).mean())
    st.markdown(
        t(
            "mnist.inspect.accuracy",
            acc=acc,
            wrong=int((pred != y_true).sum()),
            total=len(y_true),
        )
    )
    cm = confusion_matrix(y_true, pred, 10)
    tr = translator()
    fig = confusion_matrix_figure(cm, DIGITS, tr("mnist.inspect.confusion_title"), tr=tr)
    # Digit labels look numeric to Plotly, which would skip every other one.
    fig.update_xaxes(dtick=1)
    fig.update_yaxes(dtick=1)
    st.plotly_chart(fig, width="stretch", key="mnist_confusion")
    off = cm.copy()
    np.fill_diagonal(off, 0)
    true, read = np.unravel_index(off.argmax(), off.shape)
    if off[true, read]:
        st.caption(t("mnist.inspect.common_mistake", true=true, read=read, count=off[true, read]))


def gallery_ui(X: np.ndarray, y_true: np.ndarray, pred: np.ndarray, confidence: np.ndarray) -> None:
    """The most confident mistakes, each with true label, prediction and confidence."""
    tr = translator()  # format_func may be called after this run (AppTest does)
    choice = st.selectbox(
        t("mnist.inspect.show_mistakes"),
        [ALL] + DIGITS,
        key="mnist_gallery_digit",
        format_func=lambda v: (
            tr("mnist.inspect.all_digits") if v == ALL else tr("mnist.inspect.true_digit", digit=v)
        ),
    )
    digit = None if choice == ALL else int(choice)
    idx = worst_mistakes(y_true, pred, confidence, digit)
    if not len(idx):
        st.success(t("mnist.inspect.no_mistakes"))
        return
    st.caption(t("mnist.inspect.gallery_caption"))
    images = [enlarge(X[i], 84) for i in idx]
    captions = [
        t("mnist.inspect.mistake", true=y_true[i], read=pred[i], confidence=confidence[i])
        for i in idx
    ]
    # A row of columns at a time: one set of six columns stacked each column on its own, and a
    # caption that wraps to two lines pushed its column's next digits out of line with the rest.
    for start in range(0, len(images), 6):
        shown = images[start : start + 6], captions[start : start + 6]
        for col, image, caption in zip(st.columns(6), *shown, strict=False):  # a last row: fewer
            col.image(image, caption=caption)


def weights_ui(model: Network) -> None:
    """First-layer weights as images (MLP units) or the CNN's first filters."""
    found = first_layer_tiles(model)
    if found is None:
        st.info(t("mnist.inspect.no_images"))
        return
    tiles, kind = found
    if kind == "dense":
        shown = tiles[:MAX_UNITS]
        title = t("mnist.inspect.dense_title", shown=len(shown), total=len(tiles))
        st.plotly_chart(weights_figure(shown, title), width="stretch", key="mnist_weights")
        st.caption(md("mnist.inspect.dense_caption"), unsafe_allow_html=True)
    else:
        title = t("mnist.inspect.conv_title", n=len(tiles))
        st.plotly_chart(
            weights_figure(tiles, title, cols=8, tile_px=70), width="stretch", key="mnist_weights"
        )
        st.caption(md("mnist.inspect.conv_caption"), unsafe_allow_html=True)


def redrawn_digits() -> RedrawnSet:
    """REDRAWN_N built-in validation digits re-drawn as on the pad: the coach's set, once per process."""
    mnist = data.load("mnist")
    return shared_redrawn_set(mnist.X_valid, mnist.y_valid, REDRAWN_N, REDRAWN_SEED)


def _labels(model: Network):
    return lambda X: validation_predictions(model, X)[0]


@st.cache_resource(show_spinner=False)
def _pretrained_robustness(kind: str) -> Robustness:
    return robustness(_labels(load_pretrained(kind)[0]), redrawn_digits())


def model_robustness(active: ActiveModel) -> Robustness:
    """The active model's clean and re-drawn accuracy, computed once per model version."""
    if active.source != "yours":
        return _pretrained_robustness(active.source)
    cached = st.session_state.get(_ROBUSTNESS_KEY)
    if cached is None or cached[0] != active.version:
        cached = (active.version, robustness(_labels(active.model), redrawn_digits()))
        st.session_state[_ROBUSTNESS_KEY] = cached
    return cached[1]


def robustness_ui(active: ActiveModel) -> None:
    """Accuracy on the same digits as MNIST gives them and as other hands draw them."""
    st.markdown(t("mnist.robustness.title"))
    with st.spinner(t("mnist.robustness.computing", n=REDRAWN_N)):
        result = model_robustness(active)
    c1, c2 = st.columns(2)
    c1.metric(t("mnist.robustness.clean"), f"{result.clean_accuracy:.1%}")
    c2.metric(
        t("mnist.robustness.redrawn"),
        f"{result.redrawn_accuracy:.1%}",
        delta=t("mnist.robustness.delta", points=-100 * result.gap),
    )
    st.caption(md("mnist.robustness.caption", n=result.n), unsafe_allow_html=True)


def inspect_view(
    active: ActiveModel | None, session: LabSession, dataset: Dataset, builtin: bool
) -> None:
    """Everything in the Inspect tab, for the active model on the dataset's validation set."""
    if active is None:
        return
    if active.source == "yours" and session.live.running:
        st.info(t("mnist.inspect.training"))
        return
    st.caption(t("mnist.inspect.inspecting", description=active.description))
    pred, conf = predictions_for(active, dataset.X_valid, builtin)
    if not np.isfinite(conf).all():
        st.error(
            t("mnist.models.not_numbers")
        )  # every "prediction" would be digit 0, a meaningless confusion matrix
        return
    y = np.asarray(dataset.y_valid)
    c1, c2 = st.columns([1, 1.2])
    with c1:
        confusion_ui(y, pred)
    with c2:
        weights_ui(active.model)
    robustness_ui(active)
    st.markdown(t("mnist.inspect.mistakes"))
    gallery_ui(dataset.X_valid, y, pred, conf)
