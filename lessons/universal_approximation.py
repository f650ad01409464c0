"""Universal approximation: 1-D targets and the per-unit terms α_i φ(w_i x + b_i).

The slides' theorem says F(x) = Σ_i α_i φ(w_i x + b_i) can get as close as we
like to any continuous f on an interval. A one-hidden-layer nn.Sequential
(Linear(1, N), activation, Linear(N, 1)) is exactly that F plus an output bias,
so its weights can be read back as the theorem's α_i, w_i, b_i.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from data.dataset import Dataset
from data.errors import CodedError

# The data sets' names begin with it, then the curve's: "universal approximation: sin(x)".
DATASET_NAME = "universal approximation"
DOMAIN = (-2.0, 2.0)
# Largest |y| a placed point may have. The named targets stay within ±4; a y of
# 1e30 overflowed the float32 loss on the first step, so the run could never
# start. Refusing it here says why in the lab's own words, before Train.
Y_LIMIT = 100.0

TARGETS: dict[str, tuple[str, Callable[[np.ndarray], np.ndarray]]] = {
    "sin": (r"f(x) = \sin(\pi x)", lambda x: np.sin(np.pi * x)),
    "abs": (r"f(x) = |x|", np.abs),
    "step": (
        r"f(x) = \begin{cases} 1 & x \ge 0 \\ 0 & x < 0 \end{cases}",
        lambda x: (x >= 0).astype(float),
    ),
    "polynomial": (r"f(x) = x^3 - 2x", lambda x: x**3 - 2 * x),
}
TARGET_LABELS = {
    "sin": "sin",
    "abs": "|x|",
    "step": "step",
    "polynomial": "polynomial",
    "points": "my points",
}

# A few points to start "my points" with: a bump the student can reshape.
DEFAULT_POINTS = np.array(
    [[-1.8, 0.0], [-1.0, 0.5], [-0.3, 1.5], [0.3, 1.2], [1.0, -0.5], [1.8, 0.2]]
)


def target_values(name: str, x: np.ndarray) -> np.ndarray:
    """f(x) for a named target in TARGETS."""
    if name not in TARGETS:
        choices = ", ".join(TARGETS)
        raise CodedError(
            "unknown_target",
            f"Unknown target {name!r}. Choose one of: {choices}.",
            name=name,
            choices=choices,
        )
    return np.asarray(TARGETS[name][1](np.asarray(x, dtype=float)), dtype=float)


def check_points(points) -> np.ndarray:
    """Validate user-placed (x, y) points: at least 2, finite, x inside DOMAIN and distinct, |y| ≤ Y_LIMIT.

    Returns them as a float array of shape (n, 2), sorted by x.
    """
    try:
        pts = np.asarray(points, dtype=float).reshape(-1, 2)
    except (TypeError, ValueError):
        raise CodedError(
            "points_not_numbers",
            "Every point needs a number for x and for y; one of the cells is not a number.",
        ) from None
    if len(pts) < 2:
        raise CodedError("points_too_few", "Place at least two points for the network to fit.")
    if not np.all(np.isfinite(pts)):
        raise CodedError(
            "points_empty_cells",
            "Every point needs a number for both x and y; fill in or delete the empty cells.",
        )
    lo, hi = DOMAIN
    if pts[:, 0].min() < lo or pts[:, 0].max() > hi:
        raise CodedError("points_x_range", f"Keep every x between {lo:g} and {hi:g}.", lo=lo, hi=hi)
    if np.abs(pts[:, 1]).max() > Y_LIMIT:
        raise CodedError(
            "points_y_range",
            f"Keep every y between {-Y_LIMIT:g} and {Y_LIMIT:g}. Much larger targets overflow "
            "the network's 32-bit numbers, or need thousands of epochs to reach.",
            limit=Y_LIMIT,
        )
    if len(np.unique(pts[:, 0])) < len(pts):
        raise CodedError(
            "points_same_x",
            "Two points share the same x. A function has one y for each x: move or delete one.",
        )
    return pts[np.argsort(pts[:, 0])]


def make_dataset(
    target: str, n_train: int = 256, seed: int = 0, points=None, n_valid: int = 200
) -> Dataset:
    """A regression Dataset sampling `target` on DOMAIN, or fitting the user's `points`.

    Training x are random (seeded); validation x is an even grid, so the
    validation loss measures the fit over the whole interval. With target
    "points", the points are both the training and the validation set: there
    is no underlying function to generalize to.
    """
    if target == "points":
        pts = check_points(DEFAULT_POINTS if points is None else points)
        X, y = pts[:, :1], pts[:, 1]
        X_valid, y_valid = X, y
    else:
        rng = np.random.default_rng(seed)
        X = rng.uniform(*DOMAIN, size=(n_train, 1))
        y = target_values(target, X[:, 0])
        X_valid = np.linspace(*DOMAIN, n_valid)[:, None]
        y_valid = target_values(target, X_valid[:, 0])
    return Dataset(
        name=f"{DATASET_NAME}: {TARGET_LABELS.get(target, target)}",
        task="regression",
        X_train=X.astype(np.float32),
        y_train=y.astype(np.float32),
        X_valid=X_valid.astype(np.float32),
        y_valid=y_valid.astype(np.float32),
        feature_names=["x"],
    )


@dataclass(frozen=True)
class Contributions:
    """The theorem's terms read from a trained network, evaluated on x."""

    x: np.ndarray
    terms: np.ndarray
    """terms[i] = α_i φ(w_i x + b_i), shape (N, len(x))."""
    bias: float
    """The output layer's bias (a constant the theorem folds into the sum)."""
    alpha: np.ndarray
    w: np.ndarray
    b: np.ndarray

    @property
    def total(self) -> np.ndarray:
        """F(x) = Σ_i α_i φ(w_i x + b_i) + bias: what the network outputs."""
        return self.terms.sum(axis=0) + self.bias

    def strongest(self, k: int) -> np.ndarray:
        """Indices of the k units with the largest contribution (max |term| over x)."""
        return np.argsort(-np.abs(self.terms).max(axis=1))[:k]


def hidden_layers(model: nn.Module) -> tuple[nn.Linear, nn.Module, nn.Linear]:
    """Split a Linear(1, N) → activation → Linear(N, 1) model into its three parts."""
    layers = list(model.children()) if isinstance(model, nn.Sequential) else []
    linears = [m for m in layers if isinstance(m, nn.Linear)]
    if (
        len(layers) != 3
        or len(linears) != 2
        or linears[0].in_features != 1
        or linears[1].out_features != 1
    ):
        raise ValueError(
            f"Universal approximation reads Linear(1, N) → activation → Linear(N, 1); got {model}."
        )
    return layers[0], layers[1], layers[2]


def unit_contributions(model: nn.Module, x: np.ndarray) -> Contributions:
    """Evaluate every hidden unit's α_i φ(w_i x + b_i) on x."""
    first, act, last = hidden_layers(model)
    xt = torch.as_tensor(np.asarray(x, dtype=np.float32)).reshape(-1, 1)
    with torch.no_grad():
        hidden = act(first(xt))  # (len(x), N): φ(w_i x + b_i)
        alpha = last.weight[0]  # (N,)
        terms = (hidden * alpha).T.numpy().astype(float)
        return Contributions(
            x=np.asarray(x, dtype=float),
            terms=terms,
            bias=float(last.bias[0]),
            alpha=alpha.numpy().astype(float),
            w=first.weight[:, 0].numpy().astype(float),
            b=first.bias.numpy().astype(float),
        )
