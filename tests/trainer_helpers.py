"""Shared pieces of the trainer tests: configs, weight snapshots, a recording callback, waiting."""

from __future__ import annotations

import time
from typing import Any

import torch

from models import Callback, ModelConfig, TrainingRun

# Generous: tests wait on a condition, never on the machine's speed, so only a hang hits this.
BUDGET_SECONDS = 60.0

# Wall-clock fields: the only parts of a history row allowed to differ between identical runs.
TIMING_KEYS = {"seconds", "eval_seconds", "samples_per_sec"}


def wait_for(condition, what: str, budget: float = BUDGET_SECONDS, every: float = 0.01) -> None:
    """Poll `condition()` every `every` seconds until it holds, failing after `budget` seconds."""
    deadline = time.monotonic() + budget
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {budget:.0f} s")
        time.sleep(every)


def model_config(ds, **kw) -> ModelConfig:
    """A ModelConfig that fits dataset `ds`, with `kw` for the rest."""
    return ModelConfig(input_shape=ds.input_shape, n_outputs=ds.n_outputs, task=ds.task, **kw)


def state(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """A copy of the model's weights."""
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def same_state(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> bool:
    """Whether two weight copies are equal to the bit."""
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def rows_without_timing(run: TrainingRun) -> list[dict[str, Any]]:
    """The run's history rows without their wall-clock fields."""
    return [{k: v for k, v in row.items() if k not in TIMING_KEYS} for row in run.history.epochs]


class Recorder(Callback):
    """Logs every hook call, and a copy of the weights at each epoch end."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.rows: list[dict[str, Any]] = []
        self.weights: list[dict[str, torch.Tensor]] = []

    def on_train_begin(self, run):
        self.events.append("begin")

    def on_epoch_end(self, run, row):
        self.events.append("epoch")
        self.rows.append(row)
        self.weights.append(state(run.model))

    def on_train_end(self, run):
        self.events.append("end")
