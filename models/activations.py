"""The activation functions NN Lab teaches, in one name -> entry table.

The same table drives the builders (which `nn.Module` to insert), the
selectors in the UI (the names) and the activation lab (formula, closed-form
derivative). Keeping them together means a new activation shows up everywhere
at once, as in TensorFlow Playground's name -> factory tables.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from data.errors import CodedError


@dataclass(frozen=True)
class Activation:
    """One activation: how to build it, evaluate it, differentiate it and write it."""

    name: str
    module: Callable[..., nn.Module]
    fn: Callable[..., torch.Tensor]
    derivative: Callable[..., torch.Tensor]
    """Closed-form derivative, checked against autograd in the tests."""
    latex: str
    derivative_latex: str


def _sigmoid_d(x: torch.Tensor) -> torch.Tensor:
    s = torch.sigmoid(x)
    return s * (1 - s)


def _tanh_d(x: torch.Tensor) -> torch.Tensor:
    return 1 - torch.tanh(x) ** 2


def _relu_d(x: torch.Tensor) -> torch.Tensor:
    # The slides define f'(0) = 1 (x >= 0 branch); autograd uses 0 there.
    # Only the single point x = 0 differs, so tests skip it.
    return (x >= 0).to(x.dtype)


def _leaky_relu(x: torch.Tensor, alpha: float = 0.01) -> torch.Tensor:
    return nn.functional.leaky_relu(x, negative_slope=alpha)


def _leaky_relu_d(x: torch.Tensor, alpha: float = 0.01) -> torch.Tensor:
    return torch.where(x >= 0, torch.ones_like(x), torch.full_like(x, alpha))


def _softplus_d(x: torch.Tensor) -> torch.Tensor:
    return torch.sigmoid(x)


def _elu_d(x: torch.Tensor, alpha: float = 1.0) -> torch.Tensor:
    return torch.where(x > 0, torch.ones_like(x), alpha * torch.exp(x))


def _elu(x: torch.Tensor, alpha: float = 1.0) -> torch.Tensor:
    return nn.functional.elu(x, alpha=alpha)


def _gelu_d(x: torch.Tensor) -> torch.Tensor:
    # d/dx [x * Phi(x)] = Phi(x) + x * phi(x), with Phi/phi the normal CDF/PDF.
    cdf = 0.5 * (1 + torch.erf(x / math.sqrt(2)))
    pdf = torch.exp(-0.5 * x**2) / math.sqrt(2 * math.pi)
    return cdf + x * pdf


def _gaussian(x: torch.Tensor) -> torch.Tensor:
    return torch.exp(-(x**2))


def _gaussian_d(x: torch.Tensor) -> torch.Tensor:
    return -2 * x * torch.exp(-(x**2))


class Gaussian(nn.Module):
    """f(x) = exp(-x²): deck 003 lists it next to ReLU and sigmoid. A bump, not a step."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """exp(-x²), elementwise."""
        return _gaussian(x)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation(
            "relu",
            nn.ReLU,
            torch.relu,
            _relu_d,
            r"f(x) = \max(0, x)",
            r"f'(x) = \begin{cases} 1 & x \ge 0 \\ 0 & x < 0 \end{cases}",
        ),
        Activation(
            "leaky_relu",
            # 0.01 is PyTorch's default slope; the lab's slider overrides it.
            lambda alpha=0.01: nn.LeakyReLU(negative_slope=alpha),
            _leaky_relu,
            _leaky_relu_d,
            r"f(x) = \begin{cases} x & x \ge 0 \\ \alpha x & x < 0 \end{cases}",
            r"f'(x) = \begin{cases} 1 & x \ge 0 \\ \alpha & x < 0 \end{cases}",
        ),
        Activation(
            "sigmoid",
            nn.Sigmoid,
            torch.sigmoid,
            _sigmoid_d,
            r"f(x) = \frac{1}{1 + e^{-x}}",
            r"f'(x) = f(x)\,(1 - f(x)) \le \tfrac14",
        ),
        Activation(
            "tanh",
            nn.Tanh,
            torch.tanh,
            _tanh_d,
            r"f(x) = \frac{1 - e^{-2x}}{1 + e^{-2x}}",
            r"f'(x) = 1 - f(x)^2",
        ),
        Activation(
            "softplus",
            nn.Softplus,
            nn.functional.softplus,
            _softplus_d,
            r"f(x) = \ln(1 + e^{x})",
            r"f'(x) = \frac{1}{1 + e^{-x}}",
        ),
        Activation(
            "elu",
            lambda alpha=1.0: nn.ELU(alpha=alpha),
            _elu,
            _elu_d,
            r"f(x) = \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}",
            r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0 \end{cases}",
        ),
        Activation(
            "gelu",
            nn.GELU,
            nn.functional.gelu,
            _gelu_d,
            r"f(x) = x\,\Phi(x)",
            r"f'(x) = \Phi(x) + x\,\varphi(x)",
        ),
        Activation(
            "gaussian",
            Gaussian,
            _gaussian,
            _gaussian_d,
            r"f(x) = e^{-x^2}",
            r"f'(x) = -2x\,e^{-x^2}",
        ),
    ]
}

# GELU is shown in the activation lab but not offered for the exercises,
# whose slides compare the first six; deck 003 adds the Gaussian to ReLU and sigmoid.
BUILDER_ACTIVATIONS = ["relu", "leaky_relu", "sigmoid", "tanh", "softplus", "elu", "gaussian"]


def get_activation(name: str) -> Activation:
    """Return the table entry for `name`, with a readable error for unknown names."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        known = ", ".join(ACTIVATIONS)
        raise CodedError(
            "unknown_activation",
            f"Unknown activation {name!r}. Choose one of: {known}.",
            name=name,
            choices=known,
        ) from None
