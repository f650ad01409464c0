"""XOR: the four truth-table points, or noisy clouds around them."""

from __future__ import annotations

import numpy as np

from .dataset import Dataset

CORNERS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
LABELS = np.array([0, 1, 1, 0], dtype=np.int64)


def _cloud(
    n_per_corner: int, noise: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    X = np.repeat(CORNERS, n_per_corner, axis=0)
    y = np.repeat(LABELS, n_per_corner)
    X = X + rng.normal(0.0, noise, size=X.shape)
    order = rng.permutation(len(y))
    return X[order].astype(np.float32), y[order]


def load_xor(
    split: str = "recommended", seed: int = 0, n_per_corner: int = 0, noise: float = 0.0
) -> Dataset:
    """XOR in the raw plane (not standardized: the boundary plot uses these coordinates).

    n_per_corner=0: train and valid are the 4 truth-table points.
    n_per_corner=N: N points per corner with Gaussian noise of std `noise`,
    labelled by their corner; valid is an independent cloud of the same size.
    """
    if (
        isinstance(n_per_corner, bool)
        or not isinstance(n_per_corner, int | np.integer)
        or n_per_corner < 0
    ):
        raise ValueError(f"n_per_corner must be a whole number >= 0, got {n_per_corner!r}.")
    try:
        noise = float(noise)
    except (TypeError, ValueError):
        raise ValueError(f"noise must be a number >= 0, got {noise!r}.") from None
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a number >= 0, got {noise!r}.")
    if n_per_corner == 0:
        X_train, y_train = CORNERS.copy(), LABELS.copy()
        X_valid, y_valid = CORNERS.copy(), LABELS.copy()
    else:
        # Separate seed streams so the validation cloud is independent of training.
        X_train, y_train = _cloud(int(n_per_corner), noise, np.random.default_rng([seed, 0]))
        X_valid, y_valid = _cloud(int(n_per_corner), noise, np.random.default_rng([seed, 1]))
    return Dataset(
        name="xor",
        task="binary",
        X_train=X_train,
        y_train=y_train,
        X_valid=X_valid,
        y_valid=y_valid,
        feature_names=["x1", "x2"],
        class_names=["0", "1"],
        split=split,
    )
