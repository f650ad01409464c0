"""The "Inspect" view: confusion matrix, the model's worst mistakes, and what its first layer learned."""

from __future__ import annotations

import numpy as np
import streamlit as st
from torch import nn

from data import Dataset
from models import Network, confusion_matrix
from ui.figures.classification import confusion_matrix_figure
from ui.mnist.figures import DIGITS, enlarge, weights_figure
from ui.mnist.models import NOT_NUMBERS, ActiveModel, predictions_for
from ui.state import LabSession

GALLERY_SIZE = 24
MAX_UNITS = 32


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
        f"**Validation accuracy: {acc:.2%}** ({int((pred != y_true).sum()):,} of {len(y_true):,} wrong)"
    )
    cm = confusion_matrix(y_true, pred, 10)
    fig = confusion_matrix_figure(cm, DIGITS, "Confusion matrix on the validation set")
    fig.update_xaxes(
        dtick=1
    )  # digit labels look numeric to Plotly, which would skip every other one
    fig.update_yaxes(dtick=1)
    st.plotly_chart(fig, width="stretch", key="mnist_confusion")
    off = cm.copy()
    np.fill_diagonal(off, 0)
    t, p = np.unravel_index(off.argmax(), off.shape)
    if off[t, p]:
        st.caption(f"The most common mistake: a true **{t}** read as **{p}** ({off[t, p]} times).")


def gallery_ui(X: np.ndarray, y_true: np.ndarray, pred: np.ndarray, confidence: np.ndarray) -> None:
    """The most confident mistakes, each with true label, prediction and confidence."""
    choice = st.selectbox(
        "Show mistakes on",
        ["all digits"] + DIGITS,
        key="mnist_gallery_digit",
        format_func=lambda v: v if v == "all digits" else f"true digit {v}",
    )
    digit = None if choice == "all digits" else int(choice)
    idx = worst_mistakes(y_true, pred, confidence, digit)
    if not len(idx):
        st.success("No mistakes to show here.")
        return
    st.caption(
        "Most confident mistakes first. Some are the model's fault; some you would misread too."
    )
    images = [enlarge(X[i], 84) for i in idx]
    captions = [f"true {y_true[i]} → read {pred[i]} ({confidence[i]:.0%})" for i in idx]
    cols = st.columns(6)
    for k, (image, caption) in enumerate(zip(images, captions, strict=True)):
        cols[k % 6].image(image, caption=caption)


def weights_ui(model: Network) -> None:
    """First-layer weights as images (MLP units) or the CNN's first filters."""
    found = first_layer_tiles(model)
    if found is None:
        st.info("This model's first layer can't be drawn as images.")
        return
    tiles, kind = found
    if kind == "dense":
        shown = tiles[:MAX_UNITS]
        st.plotly_chart(
            weights_figure(
                shown, f"First-layer weights of {len(shown)} of {len(tiles)} hidden units"
            ),
            width="stretch",
            key="mnist_weights",
        )
        st.caption(
            "Each tile is one hidden unit's 784 weights laid out as the 28×28 image they multiply. "
            "Orange pixels push the unit up when there is ink there, blue ones push it down: "
            "many units look like blurry strokes or parts of digits."
        )
    else:
        st.plotly_chart(
            weights_figure(
                tiles, f"The {len(tiles)} filters of the first convolution", cols=8, tile_px=70
            ),
            width="stretch",
            key="mnist_weights",
        )
        st.caption(
            "Each tile is one k×k filter slid over the image. Orange = positive weight. Filters with "
            "orange on one side and blue on the other respond to edges in that direction."
        )


def inspect_view(
    active: ActiveModel | None, session: LabSession, dataset: Dataset, builtin: bool
) -> None:
    """Everything in the Inspect tab, for the active model on the dataset's validation set."""
    if active is None:
        return
    if active.source == "yours" and session.live.running:
        st.info("Training is running. Pause it, or let it finish, to inspect the model.")
        return
    st.caption(f"Inspecting: {active.description}")
    pred, conf = predictions_for(active, dataset.X_valid, builtin)
    if not np.isfinite(conf).all():
        st.error(NOT_NUMBERS)  # every "prediction" would be digit 0, a meaningless confusion matrix
        return
    y = np.asarray(dataset.y_valid)
    c1, c2 = st.columns([1, 1.2])
    with c1:
        confusion_ui(y, pred)
    with c2:
        weights_ui(active.model)
    st.markdown("**Misclassified validation digits**")
    gallery_ui(dataset.X_valid, y, pred, conf)
