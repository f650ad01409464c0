"""Callbacks, skorch-style: how results leave the training loop without the loop drawing or printing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from models.trainer import TrainingRun


class Callback:
    """Hooks a run calls; subclass and override what you need (all no-ops here)."""

    def on_train_begin(self, run: TrainingRun) -> None:
        """Called once, before the first step."""

    def on_epoch_end(self, run: TrainingRun, row: dict[str, Any]) -> None:
        """Called after each epoch's evaluation with that epoch's history row."""

    def on_train_end(self, run: TrainingRun) -> None:
        """Called once when the run finishes, stops early or diverges."""
