"""What a finished (or paused) run leaves behind for comparison: settings, history, results.

A RunRecord is frozen and holds no model: keeping a lab's last ten runs costs
their per-epoch rows, a few kilobytes each. Only a pinned record carries its
weights, as the bytes of a model file (models.model_to_bytes), so it can be
downloaded like any other model. `comparison_rows` lines records up against a
baseline the way W&B's "diff only" does: only the settings that differ.
Pure Python: the UI words and draws it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from models.flags import diff_settings, settings_of

MAX_KEPT = 10
"""Runs kept per lab; the oldest unpinned one goes first."""


def headline_metric(task: str) -> tuple[str, str]:
    """The history column a task is judged by and whether higher ("max") or lower ("min") is better."""
    return ("valid_rmse", "min") if task == "regression" else ("valid_accuracy", "max")


def _best(rows: Sequence[Mapping[str, Any]], key: str, mode: str) -> tuple[float | None, int]:
    """(best value of `key`, its epoch); the earliest epoch wins a tie. (None, 0) without values."""
    best, epoch = None, 0
    for row in rows:
        value = row.get(key)
        if value is None or value != value:  # missing or NaN
            continue
        if best is None or (value < best if mode == "min" else value > best):
            best, epoch = value, int(row["epoch"])
    return best, epoch


@dataclass(frozen=True)
class RunRecord:
    """One kept run of a lab: what it was told to do and what it achieved.

    `settings` are keyed by CLI flag name (models.flags.settings_of), so a
    comparison says `lr 0.01 → 0.1` in the same words as a link or a command.
    `status` is the trainer's (running, finished, early_stopped, diverged);
    "running" means it had not ended when it was last recorded.
    """

    number: int
    label: str
    task: str
    settings: Mapping[str, Any]
    epochs: tuple[Mapping[str, Any], ...]
    seed: int
    seconds: float
    status: str
    step: int = 0
    stop_code: str | None = None
    stop_params: Mapping[str, Any] = field(default_factory=dict)
    pinned: bool = False
    model_bytes: bytes | None = None
    """A model file's bytes (weights + JSON description), only while pinned."""

    @property
    def final(self) -> Mapping[str, Any] | None:
        """The last epoch's row (None before the first epoch ended)."""
        return self.epochs[-1] if self.epochs else None

    @property
    def best_loss(self) -> tuple[float | None, int]:
        """(lowest validation loss, its epoch)."""
        return _best(self.epochs, "valid_loss", "min")

    @property
    def best_metric(self) -> tuple[float | None, int]:
        """(best value of the task's headline metric, its epoch): accuracy, or RMSE for regression."""
        return _best(self.epochs, *headline_metric(self.task))

    def with_pin(self, pinned: bool, model_bytes: bytes | None = None) -> RunRecord:
        """A copy pinned with `model_bytes`, or unpinned (which drops the weights)."""
        return dataclasses.replace(self, pinned=pinned, model_bytes=model_bytes if pinned else None)


def record_of(
    run: Any,
    number: int,
    label: str | None = None,
    pinned: bool = False,
    model_bytes: bytes | None = None,
) -> RunRecord:
    """A RunRecord of a TrainingRun (or a read-only view of one) as it stands now.

    `label` defaults to "Run <number>" (the UI words its own from `number`).
    The history rows are shared, not copied: the trainer never changes a row
    once it is appended.
    """
    tc = run.train_config
    return RunRecord(
        number=number,
        label=label or f"Run {number}",
        task=run.model_config.task,
        settings=settings_of(run.model_config, tc, getattr(run, "dataset", None)),
        epochs=tuple(run.history.epochs),
        seed=tc.seed,
        seconds=float(getattr(run, "train_seconds", 0.0)),
        status=run.status,
        step=int(getattr(run, "step", 0)),
        stop_code=getattr(run, "stop_code", None),
        stop_params=dict(getattr(run, "stop_params", None) or {}),
        pinned=pinned,
        model_bytes=model_bytes if pinned else None,
    )


def keep_last(records: Sequence[RunRecord], limit: int = MAX_KEPT) -> list[RunRecord]:
    """The records to keep: at most `limit`, dropping the oldest unpinned ones first.

    Pinned runs are the student's baselines, so they go only when nothing
    else is left to drop (then the oldest pinned one goes).
    """
    kept = list(records)
    while len(kept) > limit:
        unpinned = [i for i, r in enumerate(kept) if not r.pinned]
        del kept[unpinned[0] if unpinned else 0]
    return kept


@dataclass(frozen=True)
class ComparisonRow:
    """One run's line in the comparison table, its numbers unworded.

    `changes` lists (setting, baseline's value, this run's value) for every
    setting that differs from the baseline; the baseline's own row has none
    and `is_baseline` set.
    """

    number: int
    label: str
    is_baseline: bool
    changes: tuple[tuple[str, Any, Any], ...]
    seed: int
    same_seed: bool
    epochs: int
    final_loss: float | None
    best_loss: float | None
    best_loss_epoch: int
    final_metric: float | None
    best_metric: float | None
    best_metric_epoch: int
    seconds: float
    status: str


def baseline_of(records: Sequence[RunRecord]) -> RunRecord | None:
    """The run the others are compared with: the first pinned one, else the first given."""
    return next((r for r in records if r.pinned), records[0] if records else None)


def comparison_rows(
    records: Sequence[RunRecord], baseline: RunRecord | None = None
) -> list[ComparisonRow]:
    """One row per record, baseline first, each with only the settings that differ from it.

    The seed is compared like any other setting, and also flagged on its own
    (`same_seed`): with the same seed two runs start from the same initial
    weights and see the data in the same order, so a difference in their
    curves comes from the changed settings alone.
    """
    if not records:
        return []
    base = baseline or baseline_of(records)
    ordered = [base] + [r for r in records if r is not base]
    rows = []
    for record in ordered:
        final = record.final or {}
        metric_key, _ = headline_metric(record.task)
        best_loss, best_loss_epoch = record.best_loss
        best_metric, best_metric_epoch = record.best_metric
        rows.append(
            ComparisonRow(
                number=record.number,
                label=record.label,
                is_baseline=record is base,
                changes=tuple(diff_settings(base.settings, record.settings)),
                seed=record.seed,
                same_seed=record.seed == base.seed,
                epochs=len(record.epochs),
                final_loss=final.get("valid_loss"),
                best_loss=best_loss,
                best_loss_epoch=best_loss_epoch,
                final_metric=final.get(metric_key),
                best_metric=best_metric,
                best_metric_epoch=best_metric_epoch,
                seconds=record.seconds,
                status=record.status,
            )
        )
    return rows
