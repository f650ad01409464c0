"""Run a real torch.optim optimizer on a 2-D loss surface and record its path."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from data.errors import CodedError
from models.optimizers import OPTIMIZER_LABELS, make_optimizer

from .loss_surfaces import Surface

# A point this far out has left any surface's window by orders of magnitude;
# stopping there keeps the plot and the numbers finite.
BLOW_UP = 1e6


@dataclass(frozen=True)
class OptimizerPath:
    """Where an optimizer went: points[0] is the start, points[t] after t steps."""

    optimizer: str
    lr: float
    points: np.ndarray
    """Shape (steps_taken + 1, 2)."""
    losses: np.ndarray
    diverged: bool = False

    @property
    def label(self) -> str:
        """Display name, e.g. "Adam"."""
        return OPTIMIZER_LABELS.get(self.optimizer, self.optimizer)

    @property
    def final_loss(self) -> float:
        """Loss at the last recorded point."""
        return float(self.losses[-1])

    def explanation(self) -> str:
        """One sentence for students about how the run ended."""
        if self.diverged:
            return (
                f"{self.label} blew up at step {len(self.points)}: with learning rate "
                f"{self.lr:g} each step overshoots more than the last. Try a smaller learning rate."
            )
        return (
            f"{self.label} ended at loss {self.final_loss:.4g} after {len(self.points) - 1} steps."
        )


def run_path(
    surface: Surface,
    optimizer: str,
    lr: float,
    steps: int = 200,
    start: tuple[float, float] | None = None,
) -> OptimizerPath:
    """Minimize `surface` from `start` with the optimizer named `optimizer` (see OPTIMIZERS).

    The parameter is one 2-element tensor and the optimizer comes from
    models.optimizers.make_optimizer, so the path is exactly what torch.optim
    does. The run stops early, with diverged=True, if the point or the loss
    stops being finite or leaves |p| < BLOW_UP.
    """
    if steps < 0:
        raise CodedError(
            "steps_negative", f"The number of steps cannot be negative, got {steps}.", steps=steps
        )
    p = torch.tensor(
        surface.start if start is None else start, dtype=torch.float64, requires_grad=True
    )
    opt = make_optimizer(optimizer, [p], lr=lr)
    points = [p.detach().clone().numpy()]
    losses: list[float] = []
    diverged = False
    # Each pass evaluates the loss at the latest point once: recorded, then
    # differentiated for the step to the next point (the last pass only records).
    for t in range(steps + 1):
        opt.zero_grad()
        loss = surface.loss(p)
        value = float(loss.detach())
        if not np.isfinite(value):
            points.pop()
            diverged = True
            break
        losses.append(value)
        if t == steps:
            break
        loss.backward()
        opt.step()
        point = p.detach().clone().numpy()
        if not np.all(np.isfinite(point)) or np.abs(point).max() > BLOW_UP:
            diverged = True
            break
        points.append(point)
    return OptimizerPath(optimizer, lr, np.array(points), np.array(losses), diverged)


def compare(
    surface: Surface,
    optimizers: dict[str, float],
    steps: int = 200,
    start: tuple[float, float] | None = None,
) -> list[OptimizerPath]:
    """One path per optimizer, all from the same start: optimizers maps name -> learning rate."""
    return [run_path(surface, name, lr, steps, start) for name, lr in optimizers.items()]
