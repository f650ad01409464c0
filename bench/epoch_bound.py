"""The matrix-multiply lower bound for one MNIST MLP epoch, and the per-epoch measurement record.

Part of bench/epoch_speed.py (issue 2 §5): the model's shape and training settings, the
epoch's matmul FLOP count, the torch.mm rate at the training step's own shapes, and
`Measured`, which files each epoch's time next to the bound measured right after it.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field

import torch

N_IN, N_HIDDEN, N_OUT = 784, 128, 10
BATCH = 128
LR = 1e-3


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


def step_matmuls(batch: int = BATCH) -> list[tuple[torch.Tensor, torch.Tensor]]:
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


def matmul_rate(
    pairs: list[tuple[torch.Tensor, torch.Tensor]], seconds: float = 0.3
) -> tuple[float, float]:
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
    return matmul_rate([(torch.randn(n, n, generator=g), torch.randn(n, n, generator=g))], seconds)[
        0
    ]


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
    def timed(values: list[float]) -> list[float]:
        """The timed epochs' values: all but the first (the warm-up), unless there's only one."""
        return values[1:] or values  # the first epoch is the warm-up

    def median(self, kind: str = "wall") -> float:
        """Median epoch time after the warm-up, in wall-clock or CPU seconds."""
        return statistics.median(self.timed(getattr(self, kind)))

    def bound_ratio(self, kind: str = "wall") -> float:
        """Median over timed epochs of epoch time / the bound measured right after it."""
        times, bounds = getattr(self, kind), getattr(self, f"bound_{kind}")
        return statistics.median(
            t / b for t, b in zip(self.timed(times), self.timed(bounds), strict=True)
        )
