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
        f"{valid_accuracy:.1%} on validation after the last epoch"
        if valid_accuracy is not None
        else "no epoch finished yet"
    )
    layer_text = "; ".join(
        f"layer {r['layer']}: mean slope {r['mean_slope']:.3f}, "
        f"{r['saturated']:.0%} of units saturated"
        for r in slopes
    )
    with st.container(border=True):
        st.markdown("#### Why the course recipe barely learns")
        st.markdown(
            f"""
Where it stands: {acc} (guessing gets 10%). Measured on your model's current weights and
{len(yb)} training digits:

- **Saturating sigmoids.** A sigmoid's slope is at most 0.25 (at its middle) and near 0 once a unit
  saturates, so every layer the error passes back through shrinks it at least fourfold: sixteenfold
  through both. Here: {layer_text or "no sigmoid layers"}.
- **MSE on a softmax.** The squared error is multiplied by the softmax's own slope, which is tiny when
  every output sits near 0.1 (the start) or is saturated. The same batch with **cross-entropy** would push
  the first layer **{ratio:,.0f}×** harder (first-layer gradient norm {norms["auto"]:.2g} vs
  {norms["mse"]:.2g} with MSE).
- **A small step on a small gradient.** Plain SGD moves each weight by lr × gradient = 0.1 × that tiny
  number, with no momentum to build up speed.

**Try:** switch off *Use MSE on the probabilities* (cross-entropy), or pick ReLU, or Adam. Each one
alone helps; the *Fast MLP* preset does all three.
"""
        )
