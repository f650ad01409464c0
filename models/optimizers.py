"""Optimizers by name: the table the selectors and the trainer both use."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch

from data.errors import CodedError

# Momentum 0.9 is the textbook value (and Keras' usual choice); it is what
# "Momentum" means in the slides' SGD / Momentum / Adam comparison.
DEFAULT_MOMENTUM = 0.9

OptimizerFactory = Callable[..., torch.optim.Optimizer]

OPTIMIZERS: dict[str, OptimizerFactory] = {
    "sgd": lambda params, lr, weight_decay=0.0: torch.optim.SGD(
        params, lr=lr, weight_decay=weight_decay
    ),
    "momentum": lambda params, lr, weight_decay=0.0: torch.optim.SGD(
        params, lr=lr, momentum=DEFAULT_MOMENTUM, weight_decay=weight_decay
    ),
    # fused=True does the whole Adam update in one kernel per step: measured
    # 0.34 -> 0.10 ms per MNIST step on CPU (bench/epoch_speed.py --breakdown).
    "adam": lambda params, lr, weight_decay=0.0: torch.optim.Adam(
        params, lr=lr, weight_decay=weight_decay, fused=True
    ),
    "rmsprop": lambda params, lr, weight_decay=0.0: torch.optim.RMSprop(
        params, lr=lr, weight_decay=weight_decay
    ),
}

OPTIMIZER_LABELS = {
    "sgd": "SGD",
    "momentum": "SGD + Momentum",
    "adam": "Adam",
    "rmsprop": "RMSprop",
}


def make_optimizer(
    name: str, params: Iterable[torch.nn.Parameter], lr: float, weight_decay: float = 0.0
) -> torch.optim.Optimizer:
    """Build the optimizer called `name` (see OPTIMIZERS) over `params`."""
    if name not in OPTIMIZERS:
        known = ", ".join(OPTIMIZERS)
        raise CodedError(
            "unknown_optimizer",
            f"Unknown optimizer {name!r}. Choose one of: {known}.",
            name=name,
            choices=known,
        )
    if not lr > 0:
        raise CodedError("lr_not_positive", f"The learning rate must be positive, got {lr}.", lr=lr)
    return OPTIMIZERS[name](params, lr=lr, weight_decay=weight_decay)


def warm_up() -> None:
    """Build and step each optimizer once on a throwaway parameter.

    The first optimizer a process builds makes torch import torch._dynamo
    (its optimizers are wrapped to opt out of compilation), which takes about
    a second here. The app calls this in the background at start-up, so that
    second is not added to a student's first Train click.
    """
    weight = torch.nn.Parameter(torch.zeros(1))
    for name in OPTIMIZERS:
        optimizer = make_optimizer(name, [weight], lr=1e-3)
        weight.grad = torch.zeros(1)
        optimizer.step()
