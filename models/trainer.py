"""One trainer for every lab: a resumable run advanced in time-budgeted slices.

The loop is pytorch/examples' mnist/main.py (shuffle, forward, loss, backward,
step; evaluate at each epoch's end), cut so that it can stop anywhere and
resume: all loop state (epoch, position in the shuffled order, RNG states,
optimizer) lives on the TrainingRun object. A UI calls `run.advance(seconds=
0.25)` and redraws in between; the CLI calls `train(...)` which runs to the end.
Both give bit-identical results for a seed, because a slice boundary changes
nothing but when control returns.

It never draws or prints. Callbacks (skorch-style) and `run.history` are how
results leave the loop.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Iterable
from typing import Any

import numpy as np
import torch

from data.errors import CodedError
from models.augment import DigitAugmenter
from models.builders import build_model, count_parameters
from models.callbacks import Callback
from models.config import ModelConfig, TrainConfig
from models.device import DEVICE_NOTES, resolve_device_code
from models.fast_step import steps_for
from models.history import History
from models.metrics import task_metrics
from models.optimizers import make_optimizer
from models.stop_reasons import StopReason, diverged, early_stopped, restored_best
from models.tasks import loss_function, predictions, target_dtype
from models.tensors import as_tensor, clone_state, to_model_input
from models.threads import intra_op_threads, step_flops, threads_for_step

# Step losses are moved to the host in groups: one sync per group instead of
# one per step (on a GPU each .item() would stall the pipeline).
_FLUSH_EVERY = 128
# Training batches are gathered and converted to float a block at a time:
# one index_select and one conversion per ~4 MB of float input instead of
# per step, which on MNIST removes most of the per-step cost outside the
# model (bench/README.md, "Training speed"). Small enough to stay per-session cheap.
_BLOCK_BYTES = 4 * 2**20
# Evaluation batch: big enough to amortize Python overhead, small enough that
# MNIST's 10k validation images never become one 30 MB float copy.
_EVAL_BATCH = 2048


STATUSES = ("ready", "running", "finished", "early_stopped", "diverged")


def _fewest(a: int | None, b: int | None) -> int | None:
    """The smaller of two thread caps, None meaning no cap."""
    return b if a is None else a if b is None else min(a, b)


class TrainingRun:
    """A training run that can be advanced a slice at a time and resumed later.

    Holds the model, optimizer, shuffling generator, RNG state and history, so
    it can sit in `st.session_state` between reruns and keep going.
    """

    def __init__(
        self,
        dataset: Any,
        model_config: ModelConfig,
        train_config: TrainConfig | None = None,
        callbacks: Iterable[Callback] = (),
        model: torch.nn.Module | None = None,
    ) -> None:
        self.dataset = dataset
        self.model_config = model_config
        self.train_config = tc = train_config or TrainConfig()
        self.callbacks = list(callbacks)
        if tc.batch_size < 1 or tc.epochs < 0:
            raise CodedError(
                "batch_or_epochs_invalid",
                "Batch size must be at least 1 and epochs at least 0 "
                f"(got batch size {tc.batch_size} and {tc.epochs} epochs).",
                batch_size=tc.batch_size,
                epochs=tc.epochs,
            )
        # device_code/device_params name the CPU fallback for the UI; device_note says it in English.
        self.device, self.device_code = resolve_device_code(tc.device)
        self.device_note = DEVICE_NOTES.get(self.device_code) if self.device_code else None
        self.device_params: dict[str, Any] = {}
        self.task = model_config.task
        # Fresh random variants of each training image, from a generator of this seed.
        self._augment = DigitAugmenter(tc.seed, model_config.input_shape) if tc.augment else None

        # Everything random is derived from the seed: weights here, dropout
        # from self._rng_state, shuffling from self._shuffle_gen. fork_rng
        # keeps other code's use of the global RNG out of our sequence.
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(tc.seed)
            self.model = (model or build_model(model_config)).to(self.device)
            self._rng_state = torch.get_rng_state()
        self._shuffle_gen = torch.Generator().manual_seed(tc.seed)
        self.optimizer = make_optimizer(
            tc.optimizer, self.model.parameters(), tc.lr, tc.weight_decay
        )
        self.loss_fn = loss_function(self.task, tc.loss)
        self._params = list(self.model.parameters())
        # Off: autograd and optimizer.step() only (tests/test_fast_step.py compares the two).
        self._fast_paths = True
        self._forward_backward, self._optimizer_step = steps_for(self, self._fast_paths)
        self.n_params = count_parameters(self.model)
        # One CPU thread for tiny steps (models/threads.py); a GPU step ignores it.
        self.threads = (
            threads_for_step(step_flops(self.model, model_config.input_shape, tc.batch_size))
            if self.device.type == "cpu"
            else None
        )

        # Tensors share memory with the dataset's numpy arrays (no copies).
        self._X = as_tensor(dataset.X_train).to(self.device)
        self._y = as_tensor(dataset.y_train).to(self.device, target_dtype(self.task))
        self._X_rows = self._X.reshape(len(self._X), -1)  # a view: no copy
        self._X_valid = as_tensor(dataset.X_valid)
        self._y_valid = as_tensor(dataset.y_valid).to(target_dtype(self.task))
        self._has_batchnorm = any(
            isinstance(m, torch.nn.modules.batchnorm._BatchNorm) for m in self.model.modules()
        )

        self.history = History()
        self.status = "ready"
        # Why the run stopped: stop_code/stop_params for the UI, stop_reason in English (CLI).
        self.stop_reason: str | None = None
        self.stop_code: str | None = None
        self.stop_params: dict[str, Any] = {}
        self.epoch = 0  # completed epochs
        self.step = 0  # optimizer steps taken
        self.train_seconds = 0.0
        self.samples_seen = 0
        self._step_seconds = 0.0  # every step's, a discarded epoch's too (its samples count)

        self._order: torch.Tensor | None = None  # this epoch's shuffled indices
        self._pos = 0  # rows of self._order already trained on
        self._block_X: torch.Tensor | None = None  # float input rows _block_start.. of the order
        self._block_y: torch.Tensor | None = None
        self._block_start = 0
        self._buffers: tuple[torch.Tensor, torch.Tensor] | None = None  # reused by every block
        # Steps not yet moved to the host: (loss, logits, targets, batch size).
        self._pending: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor, int]] = []
        self._epoch_loss_sum = 0.0
        self._epoch_correct = 0
        self._epoch_count = 0
        self._epoch_seconds = 0.0
        self._good_state = self._snapshot()
        self._good_epoch = 0
        self._best_state: dict[str, Any] | None = None
        self._best_loss = float("inf")
        self._best_epoch = 0
        self._pause_requested = False

    # ----------------------------------------------------------------- state
    @property
    def done(self) -> bool:
        """True once the run finished, stopped early or diverged."""
        return self.status in ("finished", "early_stopped", "diverged")

    @property
    def total_steps(self) -> int:
        """Optimizer steps the whole run takes (for progress bars)."""
        return self.train_config.epochs * self.steps_per_epoch

    @property
    def steps_per_epoch(self) -> int:
        """Optimizer steps in one epoch."""
        n, bs = len(self._X), self.train_config.batch_size
        return max(1, -(-n // bs))

    @property
    def progress(self) -> float:
        """Fraction of all planned samples processed, 0..1."""
        planned = self.train_config.epochs * len(self._X)
        if self.done or planned == 0:
            return 1.0
        return min(1.0, (self.epoch * len(self._X) + self._pos) / planned)

    @property
    def samples_per_sec(self) -> float:
        """Training throughput so far (training time only, evaluation excluded).

        Every step counts: the epoch under way's (else a first epoch read 0) and a discarded one's.
        """
        return self.samples_seen / self._step_seconds if self._step_seconds > 0 else 0.0

    def pause(self) -> None:
        """Ask a running `advance` to return after the current step (e.g. from a callback)."""
        self._pause_requested = True

    def extend(self, more_epochs: int) -> None:
        """Train `more_epochs` beyond the planned ones; a finished run resumes (not a diverged one)."""
        self.set_epochs(self.train_config.epochs + int(more_epochs))

    def set_epochs(self, epochs: int) -> None:
        """Plan `epochs` epochs in all (never fewer than are done); a finished run resumes if more are planned."""
        if self.status == "diverged":
            raise RuntimeError("This run diverged; start a new run with a smaller learning rate.")
        # Mid-epoch, the epoch under way is finished first: the loop only stops between epochs.
        epochs = max(int(epochs), self.epoch + (self._order is not None))
        self.train_config = dataclasses.replace(self.train_config, epochs=epochs)
        if self.status in ("finished", "early_stopped") and self.epoch < self.train_config.epochs:
            self.status = "running"
            self.set_stop(None)

    # ------------------------------------------------------------- training
    def advance(
        self, seconds: float | None = None, max_steps: int | None = None, threads: int | None = None
    ) -> TrainingRun:
        """Train until `seconds` have passed or `max_steps` steps were taken or the run ends.

        With neither limit it runs to the end. `threads` caps the intra-op
        threads for this call (models.threads.live_threads); a tiny step uses
        one anyway. Returns self, so calls chain.
        """
        if self.done:
            return self
        if self.status == "ready":
            self.status = "running"
            for cb in self.callbacks:
                cb.on_train_begin(self)
        self._pause_requested = False
        deadline = None if seconds is None else time.perf_counter() + seconds
        steps_left = max_steps
        self.model.train()
        # Chosen anew per slice: a hook or a frozen layer added since is seen (models/fast_step).
        self._forward_backward, self._optimizer_step = steps_for(self, self._fast_paths)
        with torch.random.fork_rng(devices=[]), intra_op_threads(_fewest(self.threads, threads)):
            torch.set_rng_state(self._rng_state)
            while not self.done and self.epoch < self.train_config.epochs:
                if self._order is None:
                    self._start_epoch()
                t0 = time.perf_counter()
                self._train_step()
                step_seconds = time.perf_counter() - t0
                self._epoch_seconds += step_seconds
                self._step_seconds += step_seconds
                if self.done:  # a flush inside the step found NaN/inf and ended the run
                    break
                if self._pos >= len(self._order):
                    self._end_epoch()
                    self.model.train()
                if steps_left is not None:
                    steps_left -= 1
                    if steps_left <= 0:
                        break
                if self._pause_requested or (
                    deadline is not None and time.perf_counter() >= deadline
                ):
                    break
            self._rng_state = torch.get_rng_state()
        self._flush()
        if not self.done and self.epoch >= self.train_config.epochs and self._order is None:
            self._finish("finished", None)
        return self

    def _start_epoch(self) -> None:
        self._order = torch.randperm(len(self._X), generator=self._shuffle_gen).to(self.device)
        self._pos = 0
        self._block_X = self._block_y = None
        self._epoch_loss_sum = 0.0
        self._epoch_correct = 0
        self._epoch_count = 0
        self._epoch_seconds = 0.0

    def _load_block(self) -> None:
        """Gather the next block of shuffled rows and convert them to model input at once."""
        bs = self.train_config.batch_size
        row_bytes = 4 * max(1, self._X_rows.shape[1])
        rows = bs * max(1, _BLOCK_BYTES // (bs * row_bytes))
        idx = self._order[self._pos : self._pos + rows]
        if self._buffers is None or len(self._buffers[0]) < rows:
            raw = torch.empty(
                (rows, self._X_rows.shape[1]), dtype=self._X.dtype, device=self.device
            )
            self._buffers = (raw, torch.empty(raw.shape, dtype=torch.float32, device=self.device))
        raw, x = (b[: len(idx)] for b in self._buffers)
        # index_select on a 2-D view is ~8x faster than advanced indexing of (N, 28, 28).
        torch.index_select(self._X_rows, 0, idx, out=raw)
        self._block_X = to_model_input(raw, out=x).view(len(idx), *self._X.shape[1:])
        if self._augment is not None:  # per block of batches: one call instead of one per step
            self._block_X = self._augment(self._block_X)
        self._block_y = self._y.index_select(0, idx)
        self._block_start = self._pos

    def _train_step(self) -> None:
        bs = self.train_config.batch_size
        if self._block_X is None or self._pos >= self._block_start + len(self._block_X):
            self._load_block()
        offset = self._pos - self._block_start
        xb = self._block_X[offset : offset + bs]  # views: no copy per step
        yb = self._block_y[offset : offset + bs]
        n = len(xb)
        self._pos += n
        if n == 1 and self._has_batchnorm:
            return  # BatchNorm cannot normalize a batch of one; skip the leftover sample
        logits, loss = self._forward_backward(xb, yb)  # sets every parameter's .grad
        if self.train_config.clip_grad > 0:
            torch.nn.utils.clip_grad_norm_(self._params, self.train_config.clip_grad)
        self._optimizer_step()
        # Loss and accuracy are tallied at the flush, a group of steps at a time.
        self._pending.append((loss.detach(), logits.detach(), yb, n))
        self._epoch_count += n
        self.samples_seen += n
        self.step += 1
        if len(self._pending) >= _FLUSH_EVERY:
            self._flush()

    def _flush(self) -> None:
        """Move pending step losses to the history and the epoch's tallies; catch NaN/inf there."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        values = torch.stack([p[0] for p in pending]).tolist()
        for i, v in enumerate(values):
            if not math.isfinite(v):
                step_no = self.step - len(values) + i + 1
                self._diverge(v, self.epoch + 1, step_no)
                return
            self.history.step_loss.append(v)
            self._epoch_loss_sum += v * pending[i][3]
        if self.task != "regression":
            logits = torch.cat([p[1] for p in pending])
            targets = torch.cat([p[2] for p in pending])
            self._epoch_correct += int((predictions(self.task, logits) == targets.long()).sum())

    def _diverge(self, value: float, epoch: int, step_no: int, after_update: bool = False) -> None:
        self.model.load_state_dict(self._good_state["model"])
        self.optimizer.load_state_dict(self._good_state["optimizer"])
        self._order = None
        self._finish("diverged", diverged(value, epoch, step_no, self._good_epoch, after_update))

    def _end_epoch(self) -> None:
        self._flush()
        if self.done:  # diverged during the flush
            return
        self.train_seconds += self._epoch_seconds
        self.epoch += 1
        self._order, self._pos = None, 0
        self._block_X = self._block_y = None
        count = max(1, self._epoch_count)
        row: dict[str, Any] = {"epoch": self.epoch, "train_loss": self._epoch_loss_sum / count}
        if self.task != "regression":
            row["train_accuracy"] = self._epoch_correct / count
        t0 = time.perf_counter()
        valid = self.evaluate("valid")
        row.update({f"valid_{k}": v for k, v in valid.items()})
        row["seconds"] = self._epoch_seconds
        row["eval_seconds"] = time.perf_counter() - t0
        row["samples_per_sec"] = (
            self._epoch_count / self._epoch_seconds if self._epoch_seconds > 0 else 0.0
        )
        self.history.epochs.append(row)

        if not np.isfinite(row["valid_loss"]):
            # This epoch's weights are discarded, so its row and time go too:
            # the history only ever describes weights the run still has.
            self.history.epochs.pop()
            self.epoch -= 1
            self.train_seconds -= self._epoch_seconds
            self._diverge(row["valid_loss"], self.epoch + 1, self.step, after_update=True)
            return
        self._good_state = self._snapshot()
        self._good_epoch = self.epoch
        for cb in self.callbacks:
            cb.on_epoch_end(self, row)
        self._track_best(row)  # may end the run, so it comes after this epoch's callbacks

    def _track_best(self, row: dict[str, Any]) -> None:
        patience = self.train_config.early_stopping
        if patience is None:
            return
        if row["valid_loss"] < self._best_loss:
            self._best_loss, self._best_epoch = row["valid_loss"], self.epoch
            self._best_state = clone_state(self.model.state_dict())
        elif self.epoch - self._best_epoch >= patience:
            self.model.load_state_dict(self._best_state)
            self._finish(
                "early_stopped", early_stopped(patience, self._best_epoch, self._best_loss)
            )

    def set_stop(self, reason: StopReason | None) -> None:
        """Record why the run stopped (None: it has not): stop_reason, stop_code, stop_params."""
        self.stop_reason = reason.message if reason else None
        self.stop_code = reason.code if reason else None
        self.stop_params = dict(reason.params) if reason else {}

    def _finish(self, status: str, reason: StopReason | None) -> None:
        if status == "finished" and self._best_state is not None and self._best_epoch < self.epoch:
            self.model.load_state_dict(self._best_state)
            reason = restored_best(self._best_epoch)
        self.status = status
        self.set_stop(reason)
        for cb in self.callbacks:
            cb.on_train_end(self)

    def _snapshot(self) -> dict[str, Any]:
        return {
            "model": clone_state(self.model.state_dict()),
            "optimizer": clone_state(self.optimizer.state_dict()),
        }

    # ----------------------------------------------------------- evaluation
    @torch.inference_mode()
    def evaluate(self, split: str = "valid", limit: int | None = None) -> dict[str, float]:
        """Loss and task metrics on "valid" or "train" (first `limit` rows if given).

        Uses eval mode (dropout off, BatchNorm running statistics) and restores
        the previous mode afterwards.
        """
        X, y = (
            (self._X_valid, self._y_valid) if split == "valid" else (self._X.cpu(), self._y.cpu())
        )
        if limit is not None:
            X, y = X[:limit], y[:limit]
        was_training = self.model.training
        self.model.eval()
        try:
            logits = torch.cat(
                [
                    self.model(to_model_input(X[i : i + _EVAL_BATCH]).to(self.device)).cpu()
                    for i in range(0, len(X), _EVAL_BATCH)
                ]
            )
        finally:
            self.model.train(was_training)
        result = {"loss": float(self.loss_fn(logits, y))}
        if np.isfinite(result["loss"]):
            result.update(
                task_metrics(self.task, y.numpy(), predictions(self.task, logits).numpy())
            )
        return result


def train(
    dataset: Any,
    model_config: ModelConfig,
    train_config: TrainConfig | None = None,
    callbacks: Iterable[Callback] = (),
) -> TrainingRun:
    """Train to completion headless and return the finished run (`.model`, `.history`)."""
    return TrainingRun(dataset, model_config, train_config, callbacks).advance()
