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
    return compare(surface, {optimizer: lr}, steps, start)[0]


@dataclass
class _Walk:
    """One optimizer's path while `compare` builds it."""

    name: str
    lr: float
    point: torch.Tensor
    optimizer: torch.optim.Optimizer
    points: list[np.ndarray]
    losses: list[float]
    diverged: bool = False
    done: bool = False


def compare(
    surface: Surface,
    optimizers: dict[str, float],
    steps: int = 200,
    start: tuple[float, float] | None = None,
) -> list[OptimizerPath]:
    """One path per optimizer, all from the same start: optimizers maps name -> learning rate.

    The optimizers step side by side, each with its own point and its own
    torch.optim optimizer, and one backward pass per step fills every point's
    gradient. The points are separate tensors, so each gradient is exactly the
    one a backward pass of its own loss gives, bit for bit, and the page's
    1000-step paths cost up to a third less time than with one pass per
    optimizer (bench/README.md, "The Optimizers page").
    """
    if steps < 0:
        raise CodedError(
            "steps_negative", f"The number of steps cannot be negative, got {steps}.", steps=steps
        )
    walks = []
    for name, lr in optimizers.items():
        point = torch.tensor(
            surface.start if start is None else start, dtype=torch.float64, requires_grad=True
        )
        optimizer = make_optimizer(name, [point], lr=lr)
        walks.append(_Walk(name, lr, point, optimizer, [point.detach().clone().numpy()], []))
    # Each pass evaluates the loss at every walk's latest point once: recorded, then
    # differentiated for the step to the next point (the last pass only records).
    for t in range(steps + 1):
        active = [w for w in walks if not w.done]
        if not active:
            break
        for w in active:
            w.optimizer.zero_grad()
        losses = [surface.loss(w.point) for w in active]
        with torch.no_grad():
            values = torch.stack(losses).tolist()
        stepping = []
        for w, loss, value in zip(active, losses, values, strict=True):
            if not np.isfinite(value):
                w.points.pop()
                w.diverged = w.done = True
                continue
            w.losses.append(value)
            if t == steps:
                w.done = True
            else:
                stepping.append((w, loss))
        if not stepping:
            continue
        # The sum's gradient reaches each loss as exactly 1.0, as loss.backward() would give it.
        torch.stack([loss for _, loss in stepping]).sum().backward()
        for w, _ in stepping:
            w.optimizer.step()
            point = w.point.detach().clone().numpy()
            if not np.all(np.isfinite(point)) or np.abs(point).max() > BLOW_UP:
                w.diverged = w.done = True
                continue
            w.points.append(point)
    return [
        OptimizerPath(w.name, w.lr, np.array(w.points), np.array(w.losses), w.diverged)
        for w in walks
    ]
