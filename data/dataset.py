"""The one container every loader returns and every lab consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

Task = Literal["regression", "binary", "multiclass"]


@dataclass
class Dataset:
    """Train/validation arrays plus what a model needs to know about them.

    Representation rules (the trainer and `models.predict_proba` rely on them):
    - tabular X is float32 of shape (N, features), already standardized with
      statistics fitted on the training rows only;
    - MNIST X is uint8 of shape (N, 28, 28) with 0 = background and 255 = ink;
      it is converted to float per batch, never as a whole;
    - y is int64 class indices for classification (0/1 for binary) and
      float32 of shape (N,) for regression.
    """

    name: str
    task: Task
    X_train: np.ndarray
    y_train: np.ndarray
    X_valid: np.ndarray
    y_valid: np.ndarray
    feature_names: list[str]
    class_names: list[str] | None = None
    split: str = "recommended"
    # Standardization fitted on the training rows (None where not applied):
    # lets a lab turn raw user input into the model's representation.
    feature_mean: np.ndarray | None = None
    feature_std: np.ndarray | None = None
    notes: list[str] = field(default_factory=list)
    """Warnings a lab should show next to the results (e.g. a misleading split)."""
    options: dict = field(default_factory=dict)
    """The data.load options that made it (features, n_train, ...), so a run can name its data."""

    @property
    def input_shape(self) -> tuple[int, ...]:
        """Shape of one example, e.g. (4,) for Iris or (28, 28) for MNIST."""
        return tuple(self.X_train.shape[1:])

    @property
    def n_outputs(self) -> int:
        """Width of the model's last layer: classes, or 1 for regression and binary."""
        if self.task == "multiclass":
            return len(self.class_names or []) or int(self.y_train.max()) + 1
        return 1

    def standardize(self, X_raw: np.ndarray) -> np.ndarray:
        """Apply the training-split standardization to raw feature rows."""
        X = np.asarray(X_raw, dtype=np.float32)
        if self.feature_mean is None or self.feature_std is None:
            return X
        return ((X - self.feature_mean) / self.feature_std).astype(np.float32)
