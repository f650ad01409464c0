"""A TrainingRun kept here and trained by a worker process: the messages between the two.

The server's trainer thread (ui/live_run.py) owns the run and its lock. While
a RemoteRun exists, the run's copy here is never trained: the worker trains
its own copy on its own, and each `round` puts the worker's latest progress
into the copy here under the lock, so borrowers see it still and whole.
`close` brings the full state back and returns the worker to its pool.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from models.run_transfer import apply_progress, load_full_state
from models.train_process import TrainWorker, WorkerPool
from models.trainer import TrainingRun


class RemoteRun:
    """One run's stay in a worker, driven by one thread."""

    def __init__(self, pool: WorkerPool, worker: TrainWorker, run: TrainingRun, lock) -> None:
        self._pool, self._worker, self.run, self._lock = pool, worker, run, lock
        self._training = False  # the worker trains on its own
        self._epochs = run.train_config.epochs  # what the worker was last told to plan
        self._closed = False

    @classmethod
    def hand_over(
        cls, pool: WorkerPool, run: TrainingRun, lock: threading.RLock
    ) -> RemoteRun | None:
        """Move `run` into a worker from `pool`; None when it cannot leave this process."""
        worker = pool.lend()
        try:
            moved = worker.take(run)
        except BaseException:
            pool.give_back(worker)
            raise
        if not moved:
            pool.give_back(worker)
            return None
        return cls(pool, worker, run, lock)

    def round(
        self,
        threads: int | None,
        slice_seconds: float,
        timeout: float,
        planned_epochs: int | None,
        wanted: Callable[[], bool],
    ) -> bool:
        """Copy the worker's latest progress into the run here; False once training should stop.

        `planned_epochs` is the student's last choice (None: none made), re-applied over the
        worker's progress; `wanted()` (called under the lock) says whether to go on. Between
        rounds the worker trains on: this thread waits for its messages without the GIL and
        asks for the next progress once it has applied one.
        """
        worker, run = self._worker, self.run
        if not self._training:
            worker.train(threads, slice_seconds)
            worker.want()
            self._training = True
        messages = worker.messages(timeout=timeout)
        with self._lock:
            for _, progress in messages:
                apply_progress(run, progress)
            if planned_epochs is not None and planned_epochs != run.train_config.epochs:
                if run.status != "diverged":
                    run.set_epochs(planned_epochs)
            epochs = run.train_config.epochs
            go_on = wanted()
        if epochs != self._epochs:
            worker.set_epochs(epochs)
            self._epochs = epochs
        if any(kind == "ended" for kind, _ in messages):
            self._training = False  # a run given more epochs starts again next round
        elif self._training and any(kind == "progress" for kind, _ in messages):
            worker.want()
        if go_on:
            return True
        if self._training:
            last = worker.stop_training()
            self._training = False
            with self._lock:
                for _, progress in last:
                    apply_progress(run, progress)
        return False

    def close(self) -> None:
        """Bring the run's full state back from the worker and return the worker to the pool.

        Once only: a second call does nothing, so a worker is never in the pool twice.
        """
        if self._closed:
            return
        self._closed = True
        try:
            state = self._worker.give_back()
            with self._lock:
                load_full_state(self.run, state)
        finally:
            self._pool.give_back(self._worker)
