"""Backpropagation by hand for a 2-2-1 network, as the slides derive it.

Notation follows slide 004: Z = H W + B, H = G(Z), with W of shape
(inputs, units). For one example x (2,) and target y:

    Z1 = x W1 + b1,  H1 = G(Z1),  Z2 = H1 W2 + b2,  ŷ = out(Z2)

The output/loss pairs are chosen so that ∂L/∂Z2 = ŷ − y, the slides' claim for
every task: a linear output with L = ½(ŷ − y)², or a sigmoid output with
binary cross-entropy. Everything is computed in float64 torch tensors without
autograd; `autograd_gradients` is the independent check.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import torch

from data.errors import CodedError
from models.activations import get_activation

# Activations with a kink at z = 0, and the slope PyTorch's autograd takes there.
# The slides' closed forms (x >= 0 branch) take 1, so exactly at 0 the two disagree.
KINK_SLOPES = {"relu": "0", "leaky_relu": "α"}

OUTPUTS = {
    "linear": "Linear output, L = ½(ŷ − y)²",
    "sigmoid": "Sigmoid output, binary cross-entropy",
}
PARAM_NAMES = ("W1", "b1", "W2", "b2")


@dataclass(frozen=True)
class Params:
    """The network's weights: W1 (2, 2), b1 (2,), W2 (2, 1), b2 (1,)."""

    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray

    @classmethod
    def from_flat(cls, values) -> Params:
        """Build from 9 numbers in the order w11 w12 w21 w22 b1 b2 v1 v2 c."""
        v = np.asarray(values, dtype=float)
        if v.shape != (9,):
            raise CodedError(
                "backprop_param_count",
                f"A 2-2-1 network has 9 parameters, got {v.size}.",
                count=int(v.size),
            )
        return cls(v[:4].reshape(2, 2), v[4:6].copy(), v[6:8].reshape(2, 1), v[8:9].copy())

    def flat(self) -> np.ndarray:
        """The 9 parameters in `from_flat` order."""
        return np.concatenate([np.ravel(getattr(self, n)) for n in PARAM_NAMES])


@dataclass(frozen=True)
class Forward:
    """Every value of the forward pass for one example."""

    x: np.ndarray
    y: float
    Z1: np.ndarray
    H1: np.ndarray
    Z2: np.ndarray
    y_hat: float
    loss: float


@dataclass(frozen=True)
class Gradients:
    """∂L/∂(everything), named after what they differentiate."""

    Z2: np.ndarray
    W2: np.ndarray
    b2: np.ndarray
    H1: np.ndarray
    Z1: np.ndarray
    W1: np.ndarray
    b1: np.ndarray

    def max_abs_difference(self, other: Gradients) -> float:
        """Largest absolute difference between two sets of parameter gradients."""
        return max(float(np.max(np.abs(getattr(self, n) - getattr(other, n)))) for n in PARAM_NAMES)

    def max_relative_difference(self, other: Gradients) -> float:
        """max_abs_difference divided by `other`'s largest gradient (or by 1 if that is smaller).

        Large weights make large gradients, whose last float64 digits differ
        between two correct computations; this measures agreement in digits.
        """
        scale = max(float(np.max(np.abs(getattr(other, n)))) for n in PARAM_NAMES)
        return self.max_abs_difference(other) / max(1.0, scale)


def _t(a) -> torch.Tensor:
    return torch.as_tensor(np.asarray(a, dtype=float), dtype=torch.float64)


def _check(activation: str, output: str, y: float) -> None:
    get_activation(activation)
    if output not in OUTPUTS:
        choices = ", ".join(OUTPUTS)
        raise CodedError(
            "unknown_output",
            f"Unknown output {output!r}. Choose one of: {choices}.",
            name=output,
            choices=choices,
        )
    if output == "sigmoid" and not 0.0 <= y <= 1.0:
        raise CodedError(
            "sigmoid_target_range",
            f"With a sigmoid output the target is a probability, so it must lie between 0 and 1 (got {y}).",
            value=y,
        )


def _loss(Z2: torch.Tensor, y: float, output: str) -> torch.Tensor:
    if output == "linear":
        return 0.5 * (Z2 - y) ** 2
    # BCE written on the logit (as BCEWithLogitsLoss does) stays finite and
    # keeps ∂L/∂Z2 = σ(Z2) − y exactly even when the sigmoid saturates.
    return torch.nn.functional.binary_cross_entropy_with_logits(
        Z2, torch.full_like(Z2, y), reduction="none"
    )


def forward(
    params: Params, x, y: float, activation: str = "sigmoid", output: str = "linear"
) -> Forward:
    """Run the network forward on one example and return every intermediate value."""
    _check(activation, output, y)
    G = get_activation(activation).fn
    x_t = _t(x)
    Z1 = x_t @ _t(params.W1) + _t(params.b1)
    H1 = G(Z1)
    Z2 = H1 @ _t(params.W2) + _t(params.b2)
    y_hat = Z2 if output == "linear" else torch.sigmoid(Z2)
    loss = _loss(Z2, y, output)
    return Forward(
        x_t.numpy(), float(y), Z1.numpy(), H1.numpy(), Z2.numpy(), float(y_hat[0]), float(loss[0])
    )


def at_kink(activation: str, Z1) -> bool:
    """True when a hidden pre-activation sits exactly on the activation's kink (z = 0)."""
    return activation in KINK_SLOPES and bool(np.any(np.asarray(Z1) == 0))


def activation_slope(activation: str, Z1) -> np.ndarray:
    """G'(Z1): the hidden activation's closed-form slope at each pre-activation."""
    return get_activation(activation).derivative(_t(Z1)).numpy()


def backward(params: Params, fwd: Forward, activation: str = "sigmoid") -> Gradients:
    """Every gradient by the chain rule, layer by layer from the output back.

    ∂L/∂Z2 = ŷ − y; ∂L/∂W2 = H1ᵀ ∂L/∂Z2; ∂L/∂b2 = ∂L/∂Z2;
    ∂L/∂H1 = ∂L/∂Z2 W2ᵀ; ∂L/∂Z1 = ∂L/∂H1 ⊙ G'(Z1); ∂L/∂W1 = xᵀ ∂L/∂Z1; ∂L/∂b1 = ∂L/∂Z1.
    """
    dZ2 = np.array([fwd.y_hat - fwd.y])
    dW2 = np.outer(fwd.H1, dZ2)
    dH1 = dZ2 @ params.W2.T
    dZ1 = dH1 * activation_slope(activation, fwd.Z1)
    dW1 = np.outer(fwd.x, dZ1)
    return Gradients(Z2=dZ2, W2=dW2, b2=dZ2.copy(), H1=dH1, Z1=dZ1, W1=dW1, b1=dZ1.copy())


def update(params: Params, grads: Gradients, lr: float) -> Params:
    """One gradient-descent step: w ← w − η ∂L/∂w for every parameter."""
    return replace(params, **{n: getattr(params, n) - lr * getattr(grads, n) for n in PARAM_NAMES})


@dataclass(frozen=True)
class Step:
    """One training iteration: the parameters used, the pass forward and the gradients."""

    params: Params
    forward: Forward
    grads: Gradients


def train(
    params: Params,
    x,
    y: float,
    lr: float,
    steps: int,
    activation: str = "sigmoid",
    output: str = "linear",
) -> list[Step]:
    """Run `steps` iterations of forward → backward → update; returns one Step per iteration."""
    history = []
    for _ in range(steps):
        fwd = forward(params, x, y, activation, output)
        grads = backward(params, fwd, activation)
        history.append(Step(params, fwd, grads))
        params = update(params, grads, lr)
    return history


def autograd_gradients(
    params: Params, x, y: float, activation: str = "sigmoid", output: str = "linear"
) -> Gradients:
    """The same gradients from torch.autograd: the trusted reference for `backward`."""
    _check(activation, output, y)
    leaves = {n: _t(getattr(params, n)).requires_grad_(True) for n in PARAM_NAMES}
    Z1 = _t(x) @ leaves["W1"] + leaves["b1"]
    Z1.retain_grad()
    H1 = get_activation(activation).fn(Z1)
    H1.retain_grad()
    Z2 = H1 @ leaves["W2"] + leaves["b2"]
    Z2.retain_grad()
    _loss(Z2, y, output).sum().backward()
    got = {n: leaves[n].grad.numpy() for n in PARAM_NAMES}
    return Gradients(Z2=Z2.grad.numpy(), H1=H1.grad.numpy(), Z1=Z1.grad.numpy(), **got)


def gradient_names() -> list[str]:
    """Field names of Gradients, in the order backprop computes them."""
    return [f.name for f in fields(Gradients)]
