"""Issue 2 §5: how fast is one MNIST MLP epoch with our trainer?

    python bench/epoch_speed.py            # measure, print, update bench/README.md
    python bench/epoch_speed.py --no-readme --breakdown --threads 1   # + per-step profile


Measures, in one run on the same machine, for a 784-128-10 MLP (batch 128, Adam, lr 1e-3):

(a) one epoch of `models.TrainingRun` (data loading and per-epoch evaluation excluded);
(b) one epoch of scikit-learn's `MLPClassifier` with the same settings, on X/255 float32;
(c) the matrix-multiply lower bound for that epoch: its forward+backward matmul FLOPs
    divided by the torch matmul rate measured in this run at the training step's own shapes.

Each gets a warm-up epoch, then the median of the following epochs (5 epochs in all, so the
test accuracy after 5 epochs comes out of the same runs). The bound is re-measured right
after every timed epoch and each epoch is compared with its neighbouring bound, so a change
in machine load during the run moves both sides of a ratio together. Process CPU times are
reported next to the wall-clock ones: on a shared machine they are far less inflated, though
the PASS/FAIL verdicts use wall-clock time as the issue does.

Goals (issue 2): our epoch <= 2.0x the matmul bound; >= 1.5x faster than scikit-learn at equal
or better accuracy; >= 97% test accuracy after 5 epochs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: `python bench/epoch_speed.py`

import data  # noqa: E402
import models  # noqa: E402

README = ROOT / "bench" / "README.md"
SECTION = "## Training speed (issue 2)"

N_IN, N_HIDDEN, N_OUT = 784, 128, 10
BATCH = 128
LR = 1e-3

GOAL_BOUND_RATIO = 2.0  # our epoch / matmul bound, at most
GOAL_SKLEARN_SPEEDUP = 1.5  # sklearn epoch / our epoch, at least
GOAL_ACCURACY = 0.97  # test accuracy after 5 epochs, at least


# --------------------------------------------------------------------------- (c) the bound


def epoch_matmul_flops(n_samples: int) -> int:
    """Multiply-add FLOPs (2 per MAC) of the matmuls in one forward+backward epoch.

    Forward:  X(N,784)@W1 and H(N,128)@W2                 -> 2N(784*128 + 128*10)
    Backward: weight gradients dW1 = dZ1^T X, dW2 = dZ2^T H -> 2N(784*128 + 128*10)
              input gradient of layer 2 only, dH = dZ2 W2   -> 2N(128*10)
    Layer 1's input gradient is never computed (the images don't require grad), and the
    bias adds, activations, loss and Adam update are elementwise, not matmuls, so they
    are left out: this is a lower bound.
    """
    forward = 2 * n_samples * (N_IN * N_HIDDEN + N_HIDDEN * N_OUT)
    weight_grads = 2 * n_samples * (N_IN * N_HIDDEN + N_HIDDEN * N_OUT)
    input_grad_l2 = 2 * n_samples * N_HIDDEN * N_OUT
    return forward + weight_grads + input_grad_l2


def _step_matmuls(batch: int = BATCH) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """The five matmuls of one training step, at their real shapes (operand pairs)."""
    g = torch.Generator().manual_seed(0)

    def r(*shape: int) -> torch.Tensor:
        return torch.randn(*shape, generator=g)

    return [
        (r(batch, N_IN), r(N_IN, N_HIDDEN)),  # forward layer 1: X @ W1^T
        (r(batch, N_HIDDEN), r(N_HIDDEN, N_OUT)),  # forward layer 2: H @ W2^T
        (r(N_HIDDEN, batch), r(batch, N_IN)),  # dW1 = dZ1^T @ X
        (r(N_OUT, batch), r(batch, N_HIDDEN)),  # dW2 = dZ2^T @ H
        (r(batch, N_OUT), r(N_OUT, N_HIDDEN)),  # dH = dZ2 @ W2
    ]


def _pairs_flops(pairs: list[tuple[torch.Tensor, torch.Tensor]]) -> int:
    return sum(2 * a.shape[0] * a.shape[1] * b.shape[1] for a, b in pairs)


def matmul_rate(pairs: list[tuple[torch.Tensor, torch.Tensor]], seconds: float = 0.3) -> tuple[float, float]:
    """(wall, cpu) FLOP/s that torch.mm achieves on `pairs`, run back to back for about `seconds`.

    Results go into preallocated outputs (out=) so allocation is not counted. The wall rate
    is the best of several short repeats: the bound should be what the hardware can do, not
    what it did while another process held the core. The CPU rate divides all the FLOPs by
    the process CPU time they took, which other processes barely disturb.
    """
    outs = [torch.empty(a.shape[0], b.shape[1]) for a, b in pairs]
    flops = _pairs_flops(pairs)
    for (a, b), out in zip(pairs, outs, strict=True):  # warm up MKL's kernels for these shapes
        torch.mm(a, b, out=out)
    best, total, cpu0 = 0.0, 0, time.process_time()
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        reps = 20
        t0 = time.perf_counter()
        for _ in range(reps):
            for (a, b), out in zip(pairs, outs, strict=True):
                torch.mm(a, b, out=out)
        best = max(best, reps * flops / (time.perf_counter() - t0))
        total += reps * flops
    return best, total / max(time.process_time() - cpu0, 1e-9)


def square_matmul_rate(n: int = 1024, seconds: float = 0.3) -> float:
    """FLOP/s of a large square matmul: the machine's practical peak, for reference only."""
    g = torch.Generator().manual_seed(0)
    return matmul_rate([(torch.randn(n, n, generator=g), torch.randn(n, n, generator=g))], seconds)[0]


# --------------------------------------------------------------------------- (a) our trainer


@dataclass
class Measured:
    """Per-epoch times of one contender, the bound measured next to each epoch, and accuracy.

    `wall` is what the goals are about; `cpu` (process CPU time) is kept too because other
    processes on a shared machine inflate wall-clock time much more than CPU time.
    """

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    bound_wall: list[float] = field(default_factory=list)
    bound_cpu: list[float] = field(default_factory=list)
    accuracy: float = float("nan")

    def add_bound(self, flops: int, pairs: list) -> None:
        """Measure the matmul bound now, right after an epoch, and file it with that epoch."""
        wall_rate, cpu_rate = matmul_rate(pairs)
        self.bound_wall.append(flops / wall_rate)
        self.bound_cpu.append(flops / cpu_rate)

    @staticmethod
    def _timed(values: list[float]) -> list[float]:
        return values[1:] or values  # the first epoch is the warm-up

    def median(self, kind: str = "wall") -> float:
        """Median epoch time after the warm-up, in wall-clock or CPU seconds."""
        return statistics.median(self._timed(getattr(self, kind)))

    def bound_ratio(self, kind: str = "wall") -> float:
        """Median over timed epochs of epoch time / the bound measured right after it."""
        times, bounds = getattr(self, kind), getattr(self, f"bound_{kind}")
        return statistics.median(t / b for t, b in zip(self._timed(times), self._timed(bounds), strict=True))


class _PauseEachEpoch(models.Callback):
    """Returns control after every epoch so the bound can be measured between epochs."""

    def on_epoch_end(self, run: models.TrainingRun, row: dict) -> None:
        run.pause()


def mlp_config() -> models.ModelConfig:
    """The issue's 784-128-10 ReLU MLP."""
    return models.ModelConfig(input_shape=(28, 28), n_outputs=N_OUT, task="multiclass", hidden=[N_HIDDEN])


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
    clf = MLPClassifier(hidden_layer_sizes=(N_HIDDEN,), solver="adam", batch_size=BATCH,
                        learning_rate_init=LR, max_iter=1, random_state=0)
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
    forward, loss, clearing gradients, backward, Adam step, and the per-step bookkeeping
    (loss and logits kept for the flush). Same model and optimizer. With one torch thread it
    uses the thread's CPU time, which other processes do not inflate; otherwise wall-clock.
    """
    from models.tensors import to_model_input
    from models.trainer import _BLOCK_BYTES, _FLUSH_EVERY

    clock = time.thread_time if torch.get_num_threads() == 1 else time.perf_counter
    tc = models.TrainConfig(optimizer="adam", lr=LR, batch_size=BATCH, epochs=1, seed=0)
    run = models.TrainingRun(ds, mlp_config(), tc)
    model, opt, loss_fn = run.model, run.optimizer, run.loss_fn
    params = list(model.parameters())
    X, y = torch.from_numpy(ds.X_train).reshape(len(ds.X_train), -1), torch.from_numpy(ds.y_train)
    order = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
    block = BATCH * max(1, _BLOCK_BYTES // (BATCH * 4 * X.shape[1]))
    raw, buf = torch.empty(block, X.shape[1], dtype=torch.uint8), torch.empty(block, X.shape[1])
    pending = []
    names = ["gather+convert", "forward", "loss", "clear grads", "backward", "adam step", "bookkeeping"]
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
        logits = model(xb)
        t.append(clock())
        loss = loss_fn(logits, yb)
        t.append(clock())
        for p in params:
            p.grad = None
        t.append(clock())
        loss.backward()
        t.append(clock())
        opt.step()
        t.append(clock())
        pending.append((loss.detach(), logits.detach(), yb, len(yb)))
        if len(pending) >= _FLUSH_EVERY:
            pending.clear()
        t.append(clock())
        if i >= 20:  # the first steps warm up allocator and kernels
            for name, a, b in zip(names, t, t[1:], strict=False):
                totals[name] += b - a
    return {name: 1e3 * v / steps for name, v in totals.items()}


# --------------------------------------------------------------------------- reporting


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "nproc": str(os.cpu_count()),
        "torch": torch.__version__,
        "threads": str(torch.get_num_threads()),
        "python": platform.python_version(),
        # OpenMP settings change the results a lot on a busy machine (see the README), so keep them.
        "env": " ".join(f"{k}={os.environ[k]}" for k in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "MKL_NUM_THREADS")
                        if k in os.environ),
    }


def load_average() -> tuple[float, float, float]:
    """1, 5 and 15 minute load averages (0s where the OS doesn't report them)."""
    try:
        return os.getloadavg()
    except OSError:
        return (0.0, 0.0, 0.0)


def cpu_jiffies() -> tuple[int, int]:
    """(steal, total) CPU time counters from /proc/stat; (0, 0) where unavailable.

    Steal time is CPU time the hypervisor gave to other virtual machines: on a VM it slows
    every contender down however quiet the VM itself is, so the README records it.
    """
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return 0, 0
    return fields[7], sum(fields)


def verdict(ok: bool) -> str:
    """PASS / FAIL label."""
    return "PASS" if ok else "FAIL"


def summarize(ours: Measured, sk: Measured, flops: int, square_rate: float, shape_rate: float,
              bare: Measured) -> dict:
    """Medians, ratios and verdicts from the raw measurements (verdicts use wall-clock time)."""
    s = {
        "ours": ours.median(), "sklearn": sk.median(), "bare": bare.median(),
        "bare_bound_ratio": bare.bound_ratio(), "ours_over_bare": ours.median() / bare.median(),
        "bound": statistics.median(Measured._timed(ours.bound_wall) + Measured._timed(sk.bound_wall)),
        "bound_ratio": ours.bound_ratio(), "sklearn_bound_ratio": sk.bound_ratio(),
        "speedup": sk.median() / ours.median(),
        "ours_cpu": ours.median("cpu"), "sklearn_cpu": sk.median("cpu"),
        "bound_cpu": statistics.median(Measured._timed(ours.bound_cpu) + Measured._timed(sk.bound_cpu)),
        "bound_ratio_cpu": ours.bound_ratio("cpu"), "speedup_cpu": sk.median("cpu") / ours.median("cpu"),
        "acc_ours": ours.accuracy, "acc_sklearn": sk.accuracy, "epochs": len(ours.wall),
        "gflop": flops / 1e9, "shape_gflops": shape_rate / 1e9, "square_gflops": square_rate / 1e9,
    }
    s["pass_bound"] = s["bound_ratio"] <= GOAL_BOUND_RATIO
    s["pass_sklearn"] = s["speedup"] >= GOAL_SKLEARN_SPEEDUP and ours.accuracy >= sk.accuracy
    # The accuracy goal is stated for 5 epochs; a shorter run can't pass it.
    s["pass_accuracy"] = ours.accuracy >= GOAL_ACCURACY and s["epochs"] >= 5
    return s


def _times(values: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in values)


def report_lines(s: dict, ours: Measured, sk: Measured) -> list[str]:
    """The human-readable result (printed, and reused in the README)."""
    timed = len(Measured._timed(ours.wall))
    return [
        f"(a) our trainer     : {s['ours']:.3f} s/epoch   (median of {timed} after a warm-up; all {_times(ours.wall)})",
        f"(b) scikit-learn    : {s['sklearn']:.3f} s/epoch   (median of {timed} after a warm-up; all {_times(sk.wall)})",
        f"(c) matmul bound    : {s['bound']:.3f} s/epoch   ({s['gflop']:.2f} GFLOP; torch.mm at the step's shapes "
        f"reached {s['shape_gflops']:.1f} GFLOP/s at the start, 1024x1024 {s['square_gflops']:.1f} GFLOP/s)",
        f"ours / bound        : {s['bound_ratio']:.2f}x   goal <= {GOAL_BOUND_RATIO:.1f}x   {verdict(s['pass_bound'])}",
        f"sklearn / ours      : {s['speedup']:.2f}x   goal >= {GOAL_SKLEARN_SPEEDUP:.1f}x at equal or better accuracy "
        f"({s['acc_ours']:.4f} vs {s['acc_sklearn']:.4f})   {verdict(s['pass_sklearn'])}",
        f"test accuracy       : {s['acc_ours']:.4f} after {s['epochs']} epochs   goal >= {GOAL_ACCURACY:.2f} "
        f"after 5   {verdict(s['pass_accuracy'])}",
        f"in CPU time         : ours {s['ours_cpu']:.3f} s, sklearn {s['sklearn_cpu']:.3f} s, bound "
        f"{s['bound_cpu']:.3f} s -> ours/bound {s['bound_ratio_cpu']:.2f}x, sklearn/ours {s['speedup_cpu']:.2f}x",
        f"sklearn / bound     : {s['sklearn_bound_ratio']:.2f}x (for reference)",
        f"bare PyTorch loop   : {s['bare']:.3f} s/epoch, {s['bare_bound_ratio']:.2f}x the bound; ours / bare "
        f"{s['ours_over_bare']:.2f}x (for reference: what the trainer itself costs)",
    ]


def breakdown_lines(parts: dict[str, float], bound_ms: float) -> list[str]:
    """Per-step profile, with the matmul bound per step for comparison."""
    total = sum(parts.values())
    clock = "thread CPU time" if torch.get_num_threads() == 1 else "wall-clock time"
    lines = [f"per-step breakdown ({clock}, ms/step; total {total:.3f}, matmul bound {bound_ms:.3f}):"]
    lines += [f"  {name:<12} {ms:7.3f}  {100 * ms / total:5.1f}%" for name, ms in parts.items()]
    return lines


def readme_section(s: dict, lines: list[str], info: dict, load_before: tuple, load_after: tuple,
                   command: str, steal: float = 0.0) -> str:
    """The "Training speed (issue 2)" section of bench/README.md, Markdown."""
    busy = max(load_before[0], load_after[0]) > 0.5 * int(info["nproc"])
    steal_note = (f" The hypervisor also took {100 * steal:.0f}% of this VM's CPU time during the run "
                  "(steal time in /proc/stat)." if steal >= 0.02 else "")
    load_note = (
        f"**The CPU was shared while this ran** (1-minute load average {load_before[0]:.1f} before and "
        f"{load_after[0]:.1f} after, on {info['nproc']} cores: other engineers' jobs were running), so the "
        "wall-clock numbers are noisy and pessimistic; the CPU-time line is less affected. On a busy "
        "machine torch's OpenMP threads spin-wait for each other at every parallel op, which slows our "
        "trainer far more than scikit-learn (numpy's elementwise ops are single-threaded); compare "
        "`OMP_WAIT_POLICY=PASSIVE python bench/epoch_speed.py --no-readme` or `--threads 1`. The lead "
        "re-runs this on a quiet machine."
        if busy else
        f"The machine was quiet (1-minute load average {load_before[0]:.1f} before, {load_after[0]:.1f} after)."
    ) + steal_note
    table = "\n".join([
        "| | seconds / epoch | ratio | goal | result |",
        "|---|---:|---:|---|---|",
        f"| (a) our trainer (`models.TrainingRun`) | {s['ours']:.3f} | | | |",
        f"| (b) scikit-learn `MLPClassifier` | {s['sklearn']:.3f} | | | |",
        f"| (c) matmul lower bound | {s['bound']:.3f} | | | |",
        f"| ours / bound | | {s['bound_ratio']:.2f}x | <= {GOAL_BOUND_RATIO:.1f}x | {verdict(s['pass_bound'])} |",
        f"| sklearn / ours (accuracy {s['acc_ours']:.4f} vs {s['acc_sklearn']:.4f}) | | {s['speedup']:.2f}x | "
        f">= {GOAL_SKLEARN_SPEEDUP:.1f}x, equal or better accuracy | {verdict(s['pass_sklearn'])} |",
        f"| test accuracy after {s['epochs']} epochs | | {s['acc_ours']:.4f} | >= {GOAL_ACCURACY:.2f} after 5 | "
        f"{verdict(s['pass_accuracy'])} |",
    ])
    return f"""{SECTION}

One MNIST epoch (60,000 images) of a 784-128-10 ReLU MLP, batch 128, Adam lr 1e-3, measured by
`bench/epoch_speed.py` in one run: (a) our trainer, (b) scikit-learn's `MLPClassifier` with the
same settings on X/255 float32 (one `partial_fit` per epoch), (c) the matrix-multiply lower bound.
Each time is the median of the epochs after a warm-up epoch (5 epochs in all); data loading and
the per-epoch validation pass are not timed. Test accuracy is on MNIST's 10,000 test images.

The bound counts the epoch's forward + backward matmul FLOPs: 2N(784·128 + 128·10) forward,
the same again for the two weight gradients, plus 2N·128·10 for layer 2's input gradient
(layer 1's input gradient is never computed; bias, activation, loss and the Adam update are
elementwise and not counted): {s['gflop']:.2f} GFLOP. It divides them by the rate torch.mm
reaches on the five matmuls of one training step at their real shapes (128×784 @ 784×128,
128×128 @ 128×10, 128×128 @ 128×784, 10×128 @ 128×128, 128×10 @ 10×128), best of short
repeats, measured again after every epoch; ours/bound is the median of the per-epoch ratios
against that neighbouring measurement.

Where the time goes and what closed the gap (the breakdown below profiles a replica of one
step): the trainer keeps MNIST as uint8 in memory and, every ~4 MB of float input (10 batches),
gathers the next shuffled rows with one `index_select` into a reused buffer and converts them
to float in place, so a step's input is a free slice (a fresh multi-MB tensor per block cost
more in page faults than the conversion); step losses reach the host 128 steps at a time, never
one `.item()` per step; Adam is the fused kernel; gradients are cleared by setting them to
None directly. What remains above the bound is eager PyTorch itself: the matmul kernels at
batch 128 run a little under their best rate, and autograd, module calls and the Adam call
cost ~0.2 ms a step in Python and small kernels. For scale, the same model in a bare
hand-written loop over data gathered and converted before the clock starts, with nothing
recorded per step, took {s['bare']:.3f} s in this run ({s['bare_bound_ratio']:.2f}x the bound): our
trainer costs {100 * (s['ours_over_bare'] - 1):.0f}% on top of that.

Measured {dt.date.today().isoformat()} on {info['cpu']}, nproc {info['nproc']}, torch {info['torch']},
torch.get_num_threads() = {info['threads']}, Python {info['python']}. {load_note}

```
{command}
```

{table}

```
{chr(10).join(lines)}
```
"""


def update_readme(section: str, path: Path = README) -> None:
    """Replace our section of bench/README.md (or append it), leaving other sections alone."""
    text = path.read_text() if path.exists() else "# NN Lab benchmarks\n\nSpeed and memory measurements; each section says how to re-run it.\n"
    # Our section runs from its heading to the next "## " heading (another author's) or the end.
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section.rstrip() + "\n\n", text, count=1)
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text.rstrip() + "\n")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit code 0 when all three goals pass, 1 otherwise."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=5, help="epochs per contender, the first is a warm-up")
    p.add_argument("--threads", type=int, help="torch.set_num_threads (default: torch's own choice)")
    p.add_argument("--breakdown", action="store_true", help="also time each part of a training step")
    p.add_argument("--no-readme", action="store_true", help="print only, leave bench/README.md alone")
    args = p.parse_args(argv)
    if args.epochs < 2:
        p.error("--epochs must be at least 2 (one warm-up and one timed epoch)")
    if args.threads:
        torch.set_num_threads(args.threads)

    ds = data.load("mnist")  # untimed: parsing the IDX files is not part of an epoch
    n = len(ds.X_train)
    flops = epoch_matmul_flops(n)
    pairs = _step_matmuls()
    load_before, jiffies_before = load_average(), cpu_jiffies()
    info = machine()
    print(f"MNIST {n} training images; torch {info['torch']}, {info['threads']} threads, nproc {info['nproc']}, "
          f"load average {load_before[0]:.2f}", flush=True)

    square = square_matmul_rate()
    shape_rate = matmul_rate(pairs, seconds=1.0)[0]
    print(f"matmul rate: {shape_rate / 1e9:.1f} GFLOP/s at the step's shapes, {square / 1e9:.1f} at 1024^2",
          flush=True)
    ours = bench_ours(ds, args.epochs, pairs, flops)
    print(f"ours:    wall {_times(ours.wall)} s, cpu {_times(ours.cpu)} s; accuracy {ours.accuracy:.4f}", flush=True)
    sk = bench_sklearn(ds, args.epochs, pairs, flops)
    print(f"sklearn: wall {_times(sk.wall)} s, cpu {_times(sk.cpu)} s; accuracy {sk.accuracy:.4f}", flush=True)
    bare = bench_bare(ds, args.epochs, pairs, flops)
    print(f"bare:    wall {_times(bare.wall)} s, cpu {_times(bare.cpu)} s", flush=True)
    load_after, jiffies_after = load_average(), cpu_jiffies()
    d_total = jiffies_after[1] - jiffies_before[1]
    steal = (jiffies_after[0] - jiffies_before[0]) / d_total if d_total > 0 else 0.0

    s = summarize(ours, sk, flops, square, shape_rate, bare)
    lines = report_lines(s, ours, sk)
    if args.breakdown:
        steps_per_epoch = -(-n // BATCH)
        wall_rate, cpu_rate = matmul_rate(pairs)
        # compare like with like: the breakdown uses thread CPU time when torch runs one thread
        rate = cpu_rate if torch.get_num_threads() == 1 else wall_rate
        bound_ms = 1e3 * flops / rate / steps_per_epoch
        lines += breakdown_lines(step_breakdown(ds), bound_ms)
    print("\n" + "\n".join(lines))
    print(f"load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f} on {info['nproc']} cores; "
          f"hypervisor steal {100 * steal:.0f}% of CPU time")
    if not args.no_readme:
        command = (info["env"] + " " if info["env"] else "") + "python bench/epoch_speed.py" + "".join(
            f" {a}" for a, on in [(f"--threads {args.threads}", args.threads), ("--breakdown", args.breakdown),
                                  (f"--epochs {args.epochs}", args.epochs != 5)] if on)
        update_readme(readme_section(s, lines, info, load_before, load_after, command, steal))
        print(f"updated {README.relative_to(ROOT)}")
    return 0 if s["pass_bound"] and s["pass_sklearn"] and s["pass_accuracy"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
