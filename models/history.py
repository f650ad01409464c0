"""What a run remembers: per-step training loss and one row per epoch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class History:
    """Per-step training loss plus per-epoch rows.

    Each epoch row holds: epoch (1-based), train_loss, valid_loss, the task's
    metrics prefixed train_/valid_ (accuracy, or rmse/mae/r2), seconds (pure
    training time of that epoch), eval_seconds and samples_per_sec.
    """

    step_loss: list[float] = field(default_factory=list)
    epochs: list[dict[str, Any]] = field(default_factory=list)

    def latest(self) -> dict[str, Any] | None:
        """The last epoch row, or None before the first epoch ends."""
        try:  # one read: the list can change between a check and an index on another thread
            return self.epochs[-1]
        except IndexError:
            return None

    def column(self, key: str) -> list[Any]:
        """One value per epoch for `key` (None where an epoch lacks it)."""
        return [row.get(key) for row in self.epochs]

    def best(self, key: str = "valid_loss", mode: str = "min") -> dict[str, Any] | None:
        """The epoch row with the best `key` value."""
        rows = [r for r in self.epochs if r.get(key) is not None]
        if not rows:
            return None
        pick = min if mode == "min" else max
        return pick(rows, key=lambda r: r[key])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready copy."""
        return {"step_loss": list(self.step_loss), "epochs": [dict(r) for r in self.epochs]}
