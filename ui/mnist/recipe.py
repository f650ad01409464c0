"""Why the slides' course recipe barely learns: where it stands, and its sigmoids' slopes measured.

The recipe (784-500-500-10, sigmoid, MSE on the softmax, SGD lr 0.1) is the
old Keras example. What holds it back (vanishing gradients, MSE on the
softmax, a tiny step) is the coach's to say, with a button per fix
(ui/coach/, models.diagnose); this box adds the one measurement the coach
does not show: each hidden layer's mean sigmoid slope and saturated share on
a batch of real digits.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from models import Network
from models.gradient_probe import sigmoid_slopes
from ui.language import markdown, t

BATCH = 256


def recipe_explainer(
    model: Network, X: np.ndarray, y: np.ndarray, valid_accuracy: float | None
) -> None:
    """The "why does it barely learn" box: the accuracy, and this model's own sigmoid slopes.

    `y` is unused since the coach measures the gradients; kept so callers need not change.
    """
    Xb = X[:BATCH]
    slopes = sigmoid_slopes(model, Xb)
    acc = (
        t("mnist.recipe.accuracy", acc=valid_accuracy)
        if valid_accuracy is not None
        else t("mnist.recipe.no_epoch")
    )
    layer_text = t("mnist.recipe.layer_separator").join(
        t(
            "mnist.recipe.layer",
            layer=r["layer"],
            slope=r["mean_slope"],
            saturated=r["saturated"],
        )
        for r in slopes
    )
    with st.container(border=True):
        st.markdown(t("mnist.recipe.title"))
        markdown(
            "mnist.recipe.body",
            acc=acc,
            n=len(Xb),
            layers=layer_text or t("mnist.recipe.no_sigmoid"),
        )
