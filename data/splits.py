"""Seeded train/validation index splits and train-only standardization."""

from __future__ import annotations

import numpy as np

SPLITS = ("recommended", "course")


def check_split(split: str) -> str:
    """Return `split` if it is a known split name, else raise ValueError."""
    if split not in SPLITS:
        raise ValueError(f"Unknown split {split!r}; choose one of {', '.join(SPLITS)}.")
    return split


def shuffle_split(n: int, n_train: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random (train, valid) row indices with exactly `n_train` training rows."""
    order = np.random.default_rng(seed).permutation(n)
    return order[:n_train], order[n_train:]


def stratified_split(y: np.ndarray, n_train: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random (train, valid) indices keeping class proportions in both parts.

    Each class gets its proportional share of the training rows (largest
    remainders get the leftovers) so the total is exactly `n_train`; every
    class with at least two rows keeps at least one row on each side.
    """
    y = np.asarray(y)
    n = len(y)
    if not 0 < n_train < n:
        raise ValueError(f"n_train must be between 1 and {n - 1}, got {n_train}.")
    rng = np.random.default_rng(seed)
    classes, counts = np.unique(y, return_counts=True)
    exact = counts * n_train / n
    take = np.floor(exact).astype(int)
    # Hand the leftover rows to the classes that lost the most to rounding.
    for i in np.argsort(-(exact - take), kind="stable")[: n_train - take.sum()]:
        take[i] += 1
    train, valid = [], []
    for cls, k in zip(classes, take, strict=True):
        idx = rng.permutation(np.flatnonzero(y == cls))
        train.append(idx[:k])
        valid.append(idx[k:])
    # Shuffle across classes so the first rows are not all one class.
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(valid))


def fit_standardizer(X_train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-column mean and std of the training rows, as float32.

    Constant columns get std 1 so they standardize to 0 instead of NaN.
    """
    X = np.asarray(X_train, dtype=np.float64)
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    std = np.where(std < 1e-12, 1.0, std)
    return mean.astype(np.float32), std.astype(np.float32)


def apply_standardizer(X: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """Standardize rows with previously fitted statistics, returning float32."""
    return ((np.asarray(X, dtype=np.float64) - mean) / std).astype(np.float32)
