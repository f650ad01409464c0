"""2-D loss surfaces for the optimizer lab: name -> Surface table.

Each surface is a torch function of a 2-vector, so a real torch.optim
optimizer can walk on it, and it also evaluates elementwise on whole grids for
the contour plot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from data.errors import CodedError


@dataclass(frozen=True)
class Surface:
    """A loss L(x, y) with the window to draw it in and where paths start."""

    name: str
    formula: str
    """LaTeX of L(x, y)."""
    fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    start: tuple[float, float]
    minima: tuple[tuple[float, float], ...]
    log_contours: bool = False
    """Rosenbrock's values span six orders of magnitude: draw its contours on log(1 + L)."""
    note: str = ""
    suggested_lr: tuple[tuple[str, float], ...] = (("sgd", 0.01), ("momentum", 0.01), ("adam", 0.1))
    """Learning rates that show each optimizer at its best here (optimizer name, lr)."""

    def loss(self, p: torch.Tensor) -> torch.Tensor:
        """L at p = (x, y); p may carry a batch of points in its leading dimensions."""
        return self.fn(p[..., 0], p[..., 1])

    def grid(self, n: int = 120) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(xs, ys, Z) over the drawing window, with Z[i, j] = L(xs[j], ys[i]) as contour plots expect."""
        xs = np.linspace(*self.x_range, n)
        ys = np.linspace(*self.y_range, n)
        X, Y = np.meshgrid(xs, ys)
        with torch.no_grad():
            Z = self.fn(torch.from_numpy(X), torch.from_numpy(Y)).numpy()
        return xs, ys, Z


SURFACES: dict[str, Surface] = {
    s.name: s
    for s in [
        Surface(
            "Bowl",
            r"L(x, y) = x^2 + y^2",
            lambda x, y: x**2 + y**2,
            (-4.0, 4.0),
            (-4.0, 4.0),
            (-3.0, 2.5),
            ((0.0, 0.0),),
            note="Round and convex: every sensible optimizer reaches the bottom.",
            suggested_lr=(("sgd", 0.1), ("momentum", 0.01), ("adam", 0.1), ("rmsprop", 0.01)),
        ),
        Surface(
            "Narrow valley",
            r"L(x, y) = 0.1\,x^2 + 4\,y^2",
            lambda x, y: 0.1 * x**2 + 4 * y**2,
            (-6.0, 6.0),
            (-3.0, 3.0),
            (-5.0, 2.0),
            ((0.0, 0.0),),
            note="40× steeper across than along: plain SGD zig-zags across the valley.",
            suggested_lr=(("sgd", 0.2), ("momentum", 0.01), ("adam", 0.1), ("rmsprop", 0.01)),
        ),
        Surface(
            "Rosenbrock",
            r"L(x, y) = (1 - x)^2 + 100\,(y - x^2)^2",
            lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
            (-2.0, 2.0),
            (-1.0, 3.0),
            (-1.5, 2.0),
            ((1.0, 1.0),),
            log_contours=True,
            note="A curved, flat-bottomed valley: easy to fall into, slow to walk along to (1, 1).",
            # Above ~0.001 plain SGD overshoots the steep walls and blows up.
            suggested_lr=(("sgd", 0.001), ("momentum", 0.001), ("adam", 0.1), ("rmsprop", 0.01)),
        ),
        Surface(
            "Saddle",
            r"L(x, y) = x^2 - y^2 + \tfrac14 y^4",
            lambda x, y: x**2 - y**2 + 0.25 * y**4,
            (-3.0, 3.0),
            (-2.5, 2.5),
            (-2.5, 0.01),
            ((0.0, 1.4142135623730951), (0.0, -1.4142135623730951)),
            note="(0, 0) is a saddle point: the gradient vanishes there but it is no minimum. "
            "Starting almost on the ridge, which optimizer escapes first?",
            suggested_lr=(("sgd", 0.01), ("momentum", 0.01), ("adam", 0.01), ("rmsprop", 0.01)),
        ),
    ]
}


def get_surface(name: str) -> Surface:
    """Return the surface called `name`, with a readable error for unknown names."""
    try:
        return SURFACES[name]
    except KeyError:
        choices = ", ".join(SURFACES)
        raise CodedError(
            "unknown_surface",
            f"Unknown surface {name!r}. Choose one of: {choices}.",
            name=name,
            choices=choices,
        ) from None
