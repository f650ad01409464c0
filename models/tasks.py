"""The slides' output-layer table: each task's loss and how to read its output.

| task       | output activation | loss (default)      |
|------------|-------------------|---------------------|
| regression | none (identity)   | MSELoss             |
| binary     | sigmoid           | BCEWithLogitsLoss   |
| multiclass | softmax           | CrossEntropyLoss    |

Models output logits; the sigmoid/softmax live inside the loss, which is
numerically safer than applying them first (log-sum-exp trick).
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch.nn import functional as F

from data.errors import CodedError
from models.config import LOSSES

LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]

LOSS_NAMES = {
    ("regression", "auto"): "MSELoss",
    ("binary", "auto"): "BCEWithLogitsLoss",
    ("multiclass", "auto"): "CrossEntropyLoss",
    ("regression", "mse"): "MSELoss",
    ("binary", "mse"): "MSE on sigmoid output",
    ("multiclass", "mse"): "MSE on softmax output vs one-hot",
}
OUTPUT_ACTIVATIONS = {"regression": "identity", "binary": "sigmoid", "multiclass": "softmax"}


def _regression(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return F.mse_loss(logits.squeeze(1), y)


def _binary(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return F.binary_cross_entropy_with_logits(logits.squeeze(1), y)


def _multiclass(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return F.cross_entropy(logits, y)


def _binary_mse(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return F.mse_loss(torch.sigmoid(logits.squeeze(1)), y)


def _multiclass_mse(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    # The old Keras recipe: softmax output, squared error against one-hot.
    # Its gradient vanishes when the softmax saturates, which is the lesson.
    one_hot = F.one_hot(y, logits.shape[1]).to(logits.dtype)
    return F.mse_loss(torch.softmax(logits, dim=1), one_hot)


_LOSSES: dict[tuple[str, str], LossFn] = {
    ("regression", "auto"): _regression,
    ("binary", "auto"): _binary,
    ("multiclass", "auto"): _multiclass,
    ("regression", "mse"): _regression,
    ("binary", "mse"): _binary_mse,
    ("multiclass", "mse"): _multiclass_mse,
}


def loss_function(task: str, loss: str = "auto") -> LossFn:
    """Return loss(logits, y) for a task; `loss="mse"` forces squared error on the outputs."""
    if loss not in LOSSES:
        choices = ", ".join(LOSSES)
        raise CodedError(
            "unknown_loss",
            f"Unknown loss {loss!r}. Choose one of: {choices}.",
            loss=loss,
            choices=choices,
        )
    if (task, loss) not in _LOSSES:
        raise CodedError(
            "unknown_task",
            f"Unknown task {task!r}: expected regression, binary or multiclass.",
            task=task,
        )
    return _LOSSES[(task, loss)]


def target_dtype(task: str) -> torch.dtype:
    """dtype the loss expects for y: class indices for multiclass, floats otherwise."""
    return torch.long if task == "multiclass" else torch.float32


def probabilities(task: str, logits: torch.Tensor) -> torch.Tensor:
    """Turn logits into (N, classes) probabilities: softmax, or [1-p, p] for binary."""
    if task == "multiclass":
        return torch.softmax(logits, dim=1)
    if task == "binary":
        p = torch.sigmoid(logits.squeeze(1))
        return torch.stack([1 - p, p], dim=1)
    raise ValueError("Regression models predict numbers, not class probabilities: use predict().")


def predictions(task: str, logits: torch.Tensor) -> torch.Tensor:
    """Predicted class indices (classification) or values (regression), shape (N,)."""
    if task == "multiclass":
        return logits.argmax(dim=1)
    if task == "binary":
        return (logits.squeeze(1) > 0).long()
    return logits.squeeze(1)
