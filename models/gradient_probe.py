"""Why a network learns slowly, measured on its own weights: gradient sizes under two losses, sigmoid slopes.

The MNIST lab uses these to explain the slides' course recipe (784-500-500-10,
sigmoid, MSE on the softmax, SGD lr 0.1). Everything works on a copy, so a
run's own model and optimizer are never touched.
"""

from __future__ import annotations

import copy

import numpy as np
import torch

from models.builders import Network
from models.inspect import hidden_activations
from models.tasks import loss_function
from models.tensors import as_tensor, to_model_input


def gradient_norms(model: Network, X: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """First-layer gradient norm under MSE-on-softmax and under cross-entropy, same weights and batch.

    Works on a copy, so the run's own model and optimizer are untouched.
    """
    probe = copy.deepcopy(model).train()
    xb = to_model_input(as_tensor(X))
    yb = torch.as_tensor(np.asarray(y), dtype=torch.long)
    first = next(p for p in probe.parameters() if p.ndim >= 2)
    norms = {}
    for name in ("mse", "auto"):
        probe.zero_grad(set_to_none=True)
        loss_function("multiclass", name)(probe(xb), yb).backward()
        norms[name] = float(first.grad.norm())
    return norms


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
