"""Looking inside a trained network: hidden-layer outputs and prediction grids."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from models.builders import evaluation_model
from models.tensors import as_tensor, to_model_input


def plane_grid(
    xlim: tuple[float, float], ylim: tuple[float, float], n: int = 80
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An n×n grid over a 2-D input plane: (xs, ys, points of shape (n*n, 2))."""
    xs = np.linspace(*xlim, n, dtype=np.float32)
    ys = np.linspace(*ylim, n, dtype=np.float32)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([gx.ravel(), gy.ravel()])


_NOT_ACTIVATIONS = (nn.Linear, nn.BatchNorm1d, nn.Dropout, nn.Flatten, nn.Unflatten)


def hidden_activations(model: nn.Sequential, X: np.ndarray) -> list[np.ndarray]:
    """Each hidden layer's output H = G(Z) for inputs X (eval mode), one (N, units) array per layer.

    A layer's output is taken after its activation function, i.e. what the
    next layer sees (dropout is off in eval mode). The model's own mode is
    never changed: a model in training mode is read through an eval copy.
    """
    return _hidden_activations(evaluation_model(model), X)


@torch.inference_mode()
def _hidden_activations(model: nn.Sequential, X: np.ndarray) -> list[np.ndarray]:
    h = to_model_input(as_tensor(np.asarray(X)))
    outputs = []
    for layer in model:
        h = layer(h)
        # Dropout is the identity in eval mode, so the activation's output is H.
        if not isinstance(layer, _NOT_ACTIVATIONS) and h.ndim == 2:
            outputs.append(h.numpy().copy())
    return outputs


def dead_units(activations: np.ndarray) -> np.ndarray:
    """Boolean mask of units that output 0 for every input: 'dead' ReLUs that no longer learn."""
    return np.all(activations <= 0, axis=0)
