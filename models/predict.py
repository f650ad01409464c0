"""Prediction on data in the dataset's own representation (numpy in, numpy out)."""

from __future__ import annotations

import numpy as np
import torch

from models.builders import evaluation_model
from models.tasks import predictions, probabilities
from models.tensors import as_tensor, to_model_input

_BATCH = 2048


def _logits(model: torch.nn.Module, X: np.ndarray) -> torch.Tensor:
    # The copy (for a model in training mode) is made outside inference mode:
    # parameters cloned inside it would be inference tensors.
    return _eval_logits(evaluation_model(model), X)


@torch.inference_mode()
def _eval_logits(model: torch.nn.Module, X: np.ndarray) -> torch.Tensor:
    X = np.asarray(X)
    single = X.ndim == len(model.config.input_shape)
    if single:  # one example, e.g. a 28x28 drawing from data.digits.canvas_to_mnist
        X = X[None]
    device = next(model.parameters()).device
    t = as_tensor(X)
    return torch.cat(
        [
            model(to_model_input(t[i : i + _BATCH]).to(device)).cpu()
            for i in range(0, len(t), _BATCH)
        ]
    )


def predict_proba(model: torch.nn.Module, X: np.ndarray) -> np.ndarray:
    """(N, classes) probabilities for a classifier built by models.build_model.

    X is what data.load gives (standardized floats, or uint8 images); a single
    example without the batch axis is accepted too.
    """
    return probabilities(model.config.task, _logits(model, X)).numpy()


def predict(model: torch.nn.Module, X: np.ndarray) -> np.ndarray:
    """Predicted values (regression) or class indices (classification), shape (N,)."""
    return predictions(model.config.task, _logits(model, X)).numpy()
