"""The contenders of bench/epoch_speed.py: our trainer, scikit-learn, a bare loop, a step profile.

Each trains the issue's 784-128-10 MLP (batch 128, Adam, lr 1e-3) on MNIST one epoch at a
time and returns a `Measured`, with the matmul bound re-measured right after every epoch.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import torch

import data
import models
from bench.epoch_bound import BATCH, LR, N_HIDDEN, N_OUT, Measured

# --------------------------------------------------------------------------- (a) our trainer


class _PauseEachEpoch(models.Callback):
    """Returns control after every epoch so the bound can be measured between epochs."""

    def on_epoch_end(self, run: models.TrainingRun, row: dict) -> None:
        """Pause the run, so advance() returns after this epoch."""
        run.pause()


def mlp_config() -> models.ModelConfig:
    """The issue's 784-128-10 ReLU MLP."""
    return models.ModelConfig(
        input_shape=(28, 28), n_outputs=N_OUT, task="multiclass", hidden=[N_HIDDEN]
    )


def bench_ours(ds: data.Dataset, epochs: int, pairs: list, flops: int) -> Measured:
    """Train the MLP with models.TrainingRun, one epoch per advance(), timing each epoch.

    Wall time is the trainer's own row["seconds"]: its training steps only, without the
    validation pass it runs at each epoch's end (eval_seconds). CPU time is the process CPU
    time of the advance() call minus that of one more identical validation pass (evaluate()
    on the same 10,000 images), since the trainer can't be stopped between the two.
    """
    tc = models.TrainConfig(optimizer="adam", lr=LR, batch_size=BATCH, epochs=epochs, seed=0)
    run = models.TrainingRun(ds, mlp_config(), tc, callbacks=[_PauseEachEpoch()])
    result = Measured()
    while not run.done:
        c0 = time.process_time()
        run.advance()
        c1 = time.process_time()
        run.evaluate()
        c2 = time.process_time()
        result.wall.append(run.history.latest()["seconds"])
        result.cpu.append(max(0.0, (c1 - c0) - (c2 - c1)))
        result.add_bound(flops, pairs)
    result.accuracy = run.history.latest()["valid_accuracy"]
    return result


def bench_bare(ds: data.Dataset, epochs: int, pairs: list, flops: int) -> Measured:
    """For reference: the same model and Adam in a bare hand-written loop, no trainer at all.

    Each epoch's shuffled images are gathered and converted to float before the clock starts,
    and nothing is recorded per step, so this is about as fast as eager PyTorch gets here;
    our trainer's time over this one is what the trainer itself costs.
    """
    tc = models.TrainConfig(optimizer="adam", lr=LR, batch_size=BATCH, epochs=1, seed=0)
    run = models.TrainingRun(ds, mlp_config(), tc)  # the same model, optimizer and loss
    model, opt, loss_fn = run.model, run.optimizer, run.loss_fn
    params = list(model.parameters())
    X, y = torch.from_numpy(ds.X_train), torch.from_numpy(ds.y_train).long()
    gen = torch.Generator().manual_seed(0)
    result = Measured()
    for _ in range(epochs):
        order = torch.randperm(len(X), generator=gen)
        xs, ys = X.index_select(0, order).float().div_(255), y.index_select(0, order)
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(0, len(xs), BATCH):
            loss = loss_fn(model(xs[i : i + BATCH]), ys[i : i + BATCH])
            for p in params:
                p.grad = None
            loss.backward()
            opt.step()
        result.wall.append(time.perf_counter() - t0)
        result.cpu.append(time.process_time() - c0)
        result.add_bound(flops, pairs)
    return result


# --------------------------------------------------------------------------- (b) scikit-learn


def bench_sklearn(ds: data.Dataset, epochs: int, pairs: list, flops: int) -> Measured:
    """MLPClassifier with the issue's settings, one epoch per partial_fit call.

    partial_fit with max_iter=1 runs exactly one shuffled pass over the data and keeps the
    Adam state between calls, so five calls are five epochs of one run, like fit(max_iter=5).
    X/255 is computed once, outside the timing, while our trainer's uint8 -> float happens
    inside its timed steps (so this favours scikit-learn slightly).
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X = ds.X_train.reshape(len(ds.X_train), -1).astype(np.float32) / np.float32(255)
    X_test = ds.X_valid.reshape(len(ds.X_valid), -1).astype(np.float32) / np.float32(255)
    clf = MLPClassifier(
        hidden_layer_sizes=(N_HIDDEN,),
        solver="adam",
        batch_size=BATCH,
        learning_rate_init=LR,
        max_iter=1,
        random_state=0,
    )
    classes = np.arange(N_OUT)
    result = Measured()
    for _ in range(epochs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter=1 "did not converge"
            t0, c0 = time.perf_counter(), time.process_time()
            clf.partial_fit(X, ds.y_train, classes=classes)
            result.wall.append(time.perf_counter() - t0)
            result.cpu.append(time.process_time() - c0)
        result.add_bound(flops, pairs)
    result.accuracy = float(clf.score(X_test, ds.y_valid))
    return result


# --------------------------------------------------------------------------- profile


def step_breakdown(ds: data.Dataset, steps: int = 300) -> dict[str, float]:
    """Milliseconds per step spent in each part of the trainer's step, on a replica of it.

    Same ops in the same order as TrainingRun._train_step: gather a block of shuffled uint8
    rows into a reused buffer and convert it to float (once per block, counted per step),
    the run's own forward, loss and backward (models.fast_step for this MLP), its own Adam
    step (models.fast_adam), and the per-step bookkeeping (loss and logits kept for the
    flush). Same model and optimizer. With one torch thread it
    uses the thread's CPU time, which other processes do not inflate; otherwise wall-clock.
    """
    from models.fast_step import steps_for
    from models.tensors import to_model_input
    from models.trainer import _BLOCK_BYTES, _FLUSH_EVERY

    clock = time.thread_time if torch.get_num_threads() == 1 else time.perf_counter
    tc = models.TrainConfig(optimizer="adam", lr=LR, batch_size=BATCH, epochs=1, seed=0)
    run = models.TrainingRun(ds, mlp_config(), tc)
    forward_backward, optimizer_step = steps_for(run)
    X, y = torch.from_numpy(ds.X_train).reshape(len(ds.X_train), -1), torch.from_numpy(ds.y_train)
    order = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
    block = BATCH * max(1, _BLOCK_BYTES // (BATCH * 4 * X.shape[1]))
    raw, buf = torch.empty(block, X.shape[1], dtype=torch.uint8), torch.empty(block, X.shape[1])
    pending = []
    names = ["gather+convert", "forward+loss+backward", "adam step", "bookkeeping"]
    totals = dict.fromkeys(names, 0.0)
    for i in range(steps + 20):
        offset = (i * BATCH) % block
        t = [clock()]
        if offset == 0:
            start = (i * BATCH) % (len(X) - block)
            idx = order[start : start + block]
            torch.index_select(X, 0, idx, out=raw)
            xs, ys = to_model_input(raw, out=buf).view(block, 28, 28), y.index_select(0, idx)
        xb, yb = xs[offset : offset + BATCH], ys[offset : offset + BATCH]
        t.append(clock())
        logits, loss = forward_backward(xb, yb)
        t.append(clock())
        optimizer_step()
        t.append(clock())
        pending.append((loss.detach(), logits.detach(), yb, len(yb)))
        if len(pending) >= _FLUSH_EVERY:
            pending.clear()
        t.append(clock())
        if i >= 20:  # the first steps warm up allocator and kernels
            for name, a, b in zip(names, t, t[1:], strict=False):
                totals[name] += b - a
    return {name: 1e3 * v / steps for name, v in totals.items()}
