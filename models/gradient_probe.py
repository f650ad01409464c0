"""Why a sigmoid network learns slowly, measured on its own weights: how saturated each layer is.

The MNIST lab uses these to explain the slides' course recipe (784-500-500-10,
sigmoid, MSE on the softmax, SGD lr 0.1). Everything works on a copy, so a
run's own model and optimizer are never touched.
"""

from __future__ import annotations

import numpy as np

from models.builders import Network
from models.inspect import hidden_activations


def sigmoid_slopes(model: Network, X: np.ndarray) -> list[dict[str, float]]:
    """Per hidden layer: the mean sigmoid slope h(1-h) (at most 0.25) and the share of saturated units."""
    rows = []
    for i, h in enumerate(hidden_activations(model, X), start=1):
        slope = h * (1 - h)
        rows.append(
            {
                "layer": i,
                "mean_slope": float(slope.mean()),
                "saturated": float((slope < 0.05).mean()),
            }
        )
    return rows
