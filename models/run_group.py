"""Several training runs advanced together, sharing each time slice.

The universal-approximation lab trains one network per hidden size side by
side; as a RunGroup they go through the same live engine as any single run
(ui.live_run), and each gets an equal share of every slice, so the smallest
network gets no head start.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from models.trainer import TrainingRun


class RunGroup:
    """A fixed set of TrainingRuns, keyed (for example by hidden size), trained in turns."""

    def __init__(self, runs: Mapping[Hashable, TrainingRun]) -> None:
        if not runs:
            raise ValueError("A run group needs at least one run.")
        self.runs: dict[Hashable, TrainingRun] = dict(runs)

    @property
    def done(self) -> bool:
        """True once every run has finished, stopped early or diverged."""
        return all(run.done for run in self.runs.values())

    @property
    def epoch(self) -> int:
        """Epochs completed by every run (the slowest one's count)."""
        return min(run.epoch for run in self.runs.values())

    @property
    def epochs(self) -> int:
        """Epochs each run is planned to train."""
        return max(run.train_config.epochs for run in self.runs.values())

    def advance(self, seconds: float | None = None, threads: int | None = None) -> RunGroup:
        """Give each unfinished run an equal share of `seconds` (None: train each to its end)."""
        active = [run for run in self.runs.values() if not run.done]
        for run in active:
            run.advance(seconds=None if seconds is None else seconds / len(active), threads=threads)
        return self
