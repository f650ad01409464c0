"""A TrainingRun's state without its data, to move a run between processes and keep a copy in step.

models.train_process trains a run in a worker process while the server keeps
a mirror of it for drawing. Both sides build their TrainingRun from the same
dataset and configs; what crosses the process boundary is only what training
changes:

- `full_state(run)`: everything, so the other side continues bit for bit
  (the worker receives it when it takes a run, the server when it gets it back);
- `ProgressReader.read(run)`: what the server's views read (weights,
  history rows, counters, status), sent after every slice. Optimizer moments
  and the current block of inputs stay in the worker until the run comes back.

Attributes rebuilt from the dataset and the configs (STATIC) never travel.
"""

from __future__ import annotations

import time
from typing import Any

import torch

from models.history import History
from models.trainer import TrainingRun

# Rebuilt by TrainingRun.__init__ from the dataset, the configs and the model on each side.
STATIC = frozenset(
    {
        "dataset",
        "model_config",
        "callbacks",
        "device",
        "device_code",
        "device_note",
        "task",
        "loss_fn",
        "_params",
        "_fast_paths",
        "_forward_backward",
        "_optimizer_step",
        "n_params",
        "threads",
        "_X",
        "_y",
        "_X_rows",
        "_X_valid",
        "_y_valid",
        "_has_batchnorm",
        "_buffers",
    }
)
# Carried as their state, into the other side's own objects.
_SPECIAL = frozenset({"model", "optimizer", "_shuffle_gen", "_augment", "history"})
# Left out of progress: the server's views never read them while the worker trains.
_WORKER_ONLY = frozenset({"_block_X", "_block_y", "_pending", "_rng_state"})
# Sent in progress only when the worker replaced them (a new epoch's order, a new snapshot).
_WHEN_REPLACED = frozenset({"_order", "_good_state", "_best_state"})
# Weights are sent at most this often while a run trains: views redraw about once a second
# and the digit pad predicts with them, but MNIST's CNN is megabytes a copy.
MODEL_EVERY_SECONDS = 0.2


def full_state(run: TrainingRun) -> dict[str, Any]:
    """Everything training changes in `run`, to continue it exactly in another process."""
    state = {k: v for k, v in vars(run).items() if k not in STATIC and k not in _SPECIAL}
    state["model"] = run.model
    state["optimizer"] = run.optimizer.state_dict()
    state["_shuffle_gen"] = run._shuffle_gen.get_state()
    if run._augment is not None:
        state["_augment"] = run._augment.generator.get_state()
    state["history"] = run.history
    state["model_config"] = run.model_config
    return state


def run_from_state(dataset: Any, state: dict[str, Any]) -> TrainingRun:
    """A TrainingRun on `dataset` continuing from `full_state` (the worker's side)."""
    run = TrainingRun(dataset, state["model_config"], state["train_config"], model=state["model"])
    load_full_state(run, state)
    return run


def load_full_state(run: TrainingRun, state: dict[str, Any]) -> None:
    """Put `full_state` into `run`, keeping its model and optimizer objects (the server's side)."""
    model = state["model"]
    if model is not run.model:
        run.model.load_state_dict(model.state_dict())
    run.optimizer.load_state_dict(state["optimizer"])
    run._shuffle_gen.set_state(state["_shuffle_gen"])
    if run._augment is not None and "_augment" in state:
        run._augment.generator.set_state(state["_augment"])
    # In place: the server's views may hold the run's History object.
    run.history.step_loss[:] = state["history"].step_loss
    run.history.epochs[:] = state["history"].epochs
    for key, value in state.items():
        if key not in _SPECIAL:
            setattr(run, key, value)


class ProgressReader:
    """What changed in one worker-side run since the last read, for the server's mirror of it."""

    def __init__(self, run: TrainingRun) -> None:
        self._run = run
        self._steps_sent = len(run.history.step_loss)
        self._epochs_sent = len(run.history.epochs)
        self._sent_objects = {k: getattr(run, k, None) for k in _WHEN_REPLACED}
        self._model_sent_at = time.perf_counter()
        self._model_epoch = run.epoch

    def read(self, whole: bool = False) -> dict[str, Any]:
        """The state the server's views read, with only the history rows added since the last read.

        The weights come at most every MODEL_EVERY_SECONDS, at each new epoch and at the run's
        end; `whole` sends them in any case (training stopped: the counters and the weights
        sent must be of the same step).
        """
        run, history = self._run, self._run.history
        skip = STATIC | _SPECIAL | _WORKER_ONLY | _WHEN_REPLACED
        progress: dict[str, Any] = {k: v for k, v in vars(run).items() if k not in skip}
        for key in _WHEN_REPLACED:
            value = getattr(run, key, None)
            if value is not self._sent_objects[key]:
                progress[key] = value
                self._sent_objects[key] = value
        # Rows are only appended, except that a diverging epoch removes its own row (the run ends).
        steps_from = min(self._steps_sent, len(history.step_loss))
        epochs_from = min(self._epochs_sent, len(history.epochs))
        progress["history"] = (
            steps_from,
            history.step_loss[steps_from:],
            epochs_from,
            history.epochs[epochs_from:],
        )
        self._steps_sent, self._epochs_sent = len(history.step_loss), len(history.epochs)
        now = time.perf_counter()
        if (
            whole
            or now - self._model_sent_at >= MODEL_EVERY_SECONDS
            or run.epoch != self._model_epoch
            or run.done
        ):
            progress["model"] = {k: v.detach().clone() for k, v in run.model.state_dict().items()}
            self._model_sent_at, self._model_epoch = now, run.epoch
        return progress


def apply_progress(run: TrainingRun, progress: dict[str, Any]) -> None:
    """Bring the server's mirror `run` up to a worker's `ProgressReader.read()`."""
    steps_from, steps, epochs_from, epochs = progress["history"]
    history: History = run.history
    # One slice assignment each: a reader on another thread (LiveRun.latest_epoch, without the
    # lock) never sees the list between a deletion and the extension that follows it.
    history.step_loss[steps_from:] = steps
    history.epochs[epochs_from:] = epochs
    model = progress.get("model")
    if model is not None:
        with torch.no_grad():
            run.model.load_state_dict(model)
    for key, value in progress.items():
        if key not in ("history", "model"):
            setattr(run, key, value)
