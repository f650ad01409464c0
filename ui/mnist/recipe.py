"""Why the slides' course recipe barely learns, shown with numbers measured on the student's own model.

The recipe (784-500-500-10, sigmoid, MSE on the softmax, SGD lr 0.1) is the
old Keras example. Three things starve it of gradient, and each is measured
here on a batch of real digits rather than asserted:
1. sigmoid derivatives are at most 0.25, and smaller once units saturate;
2. MSE on a softmax multiplies the error by the softmax's own slope, tiny
   when the outputs sit near 0.1 each or saturate;
3. plain SGD takes that small gradient times 0.1 and nothing more.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from models import Network
from models.gradient_probe import gradient_norms, sigmoid_slopes
from ui.language import markdown, t

BATCH = 256


def recipe_explainer(
    model: Network, X: np.ndarray, y: np.ndarray, valid_accuracy: float | None
) -> None:
    """The "why does it barely learn" box, with this model's own measured numbers."""
    Xb, yb = X[:BATCH], y[:BATCH]
    norms = gradient_norms(model, Xb, yb)
    slopes = sigmoid_slopes(model, Xb)
    ratio = norms["auto"] / max(norms["mse"], 1e-12)
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
            n=len(yb),
            layers=layer_text or t("mnist.recipe.no_sigmoid"),
            ratio=ratio,
            auto=norms["auto"],
            mse=norms["mse"],
            mse_toggle=t("common.use_mse"),
            fast_mlp=t("mnist.presets.fast_mlp.name"),
        )
