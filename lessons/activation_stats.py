"""Activation curves, their autograd derivatives and the vanishing-gradient product.

Everything here reads `models.activations.ACTIVATIONS`, so the lab shows the
same functions the builders insert into real networks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import torch

from data.errors import CodedError
from models.activations import ACTIVATIONS, get_activation

# Activations whose table entry takes a slope/scale parameter `alpha`.
# ELU keeps its default alpha = 1: the issue gives the slider to leaky ReLU only.
ALPHA_ACTIVATIONS = ("leaky_relu",)

# The order the lab lists them in: the slides' table first, then the extras.
LAB_ORDER = ["sigmoid", "tanh", "relu", "leaky_relu", "softplus", "elu", "gaussian", "gelu"]

LABELS = {
    "sigmoid": "Sigmoid",
    "tanh": "Tanh",
    "relu": "ReLU",
    "leaky_relu": "Leaky ReLU",
    "softplus": "Softplus",
    "elu": "ELU",
    "gelu": "GELU",
    "gaussian": "Gaussian",
}


def activation_function(name: str, alpha: float = 0.01) -> Callable[[torch.Tensor], torch.Tensor]:
    """Return f(x) for activation `name`, with `alpha` applied where the entry takes one."""
    entry = get_activation(name)
    if name in ALPHA_ACTIVATIONS:
        return lambda x: entry.fn(x, alpha)
    return entry.fn


def closed_form_derivative(
    name: str, alpha: float = 0.01
) -> Callable[[torch.Tensor], torch.Tensor]:
    """Return the table's hand-written f'(x) for `name` (the formula the slides print)."""
    entry = get_activation(name)
    if name in ALPHA_ACTIVATIONS:
        return lambda x: entry.derivative(x, alpha)
    return entry.derivative


def autograd_curve(
    name: str, lo: float = -5.0, hi: float = 5.0, n: int = 401, alpha: float = 0.01
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sample f on [lo, hi] and differentiate it with torch.autograd.

    Returns (x, f(x), f'(x)) as float64 numpy arrays. Each f(x_i) depends only
    on x_i, so the gradient of sum(f(x)) is exactly f'(x_i) at every point.
    """
    if not hi > lo:
        raise CodedError(
            "range_order",
            f"The range must go from a smaller to a larger number, got {lo} to {hi}.",
            lo=lo,
            hi=hi,
        )
    x = torch.linspace(lo, hi, n, dtype=torch.float64, requires_grad=True)
    y = activation_function(name, alpha)(x)
    (dy,) = torch.autograd.grad(y.sum(), x)
    return x.detach().numpy(), y.detach().numpy(), dy.numpy()


@functools.lru_cache(maxsize=64)
def max_derivative(name: str, lo: float = -10.0, hi: float = 10.0, alpha: float = 0.01) -> float:
    """Largest f'(x) on [lo, hi], found on a fine grid with autograd (cached: pages ask often)."""
    _, _, dy = autograd_curve(name, lo, hi, n=20001, alpha=alpha)
    return float(dy.max())


def chain_gradients(
    name: str, depth: int = 10, x0: float = 1.0, weight: float = 1.0, alpha: float = 0.01
) -> np.ndarray:
    """Gradient reaching each layer of a 1-neuron-wide chain h_l = f(weight * h_{l-1}).

    Returns g of length depth + 1 with g[l] = |d h_depth / d h_(depth - l)|:
    g[0] = 1 at the output, g[depth] at the input. By the chain rule
    g[l] = prod of |weight * f'(z)| over the last l layers, which is why a
    derivative that never exceeds 0.25 (sigmoid) makes it vanish.
    """
    if depth < 1:
        raise CodedError(
            "chain_depth", f"The chain needs at least one layer, got {depth}.", depth=depth
        )
    hs = [torch.tensor(float(x0), dtype=torch.float64, requires_grad=True)]
    f = activation_function(name, alpha)
    for _ in range(depth):
        hs.append(f(weight * hs[-1]))
    # grad w.r.t. every intermediate h in one backward pass; reversed so g[0]
    # is the output layer itself.
    grads = torch.autograd.grad(hs[-1], hs[:-1], allow_unused=True)
    back = [abs(float(g)) if g is not None else 0.0 for g in grads]
    return np.array([1.0, *reversed(back)])


def all_chain_gradients(
    depth: int = 10, x0: float = 1.0, weight: float = 1.0, alpha: float = 0.01
) -> dict[str, np.ndarray]:
    """`chain_gradients` for every activation in LAB_ORDER."""
    return {name: chain_gradients(name, depth, x0, weight, alpha) for name in LAB_ORDER}


def formula_rows() -> list[dict[str, str]]:
    """The slides' table: name, LaTeX formula and LaTeX derivative for each activation."""
    rows = []
    for name in LAB_ORDER:
        entry = ACTIVATIONS[name]
        rows.append(
            {
                "name": name,
                "label": LABELS[name],
                "latex": entry.latex,
                "derivative_latex": entry.derivative_latex,
            }
        )
    return rows
