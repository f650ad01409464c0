"""How many CPU threads a training step should use.

torch splits big ops (matmuls, convolutions) between intra-op threads. For the
tabular labs a step is tiny: splitting it only adds synchronization, and when
another process holds the second core (the browser drawing the live charts,
another student's session) each step waits for a descheduled thread. Measured
on a 2-core machine (bench/README.md, "Live training loop"): the live labs
trained 2-4x faster with one thread, and headless time was the same or better.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import torch

# Below this many FLOPs per training step, one thread. Headless on 2 cores,
# one thread against two: XOR, Iris, Boston (<= 1 MFLOP a step) 0.93-1.00x the
# time; an MNIST MLP at 2.4 MFLOP 1.02x; at 19.5 MFLOP 1.3x (two threads win).
SMALL_STEP_FLOPS = 5_000_000


def step_flops(model: torch.nn.Module, input_shape: tuple[int, ...], batch_size: int) -> int:
    """Matmul and convolution FLOPs of one training step: forward x 3 (the backward is ~2x it).

    Counted with forward hooks on the model's own Linear and Conv2d layers
    during one pass over a zero example in eval mode: no random numbers are
    drawn, no BatchNorm statistics move, and no other model is touched (torch's
    FlopCounterMode would hook every module in the process for that moment).
    """
    flops = 0

    def count(module: torch.nn.Module, inputs: tuple, output: torch.Tensor) -> None:
        nonlocal flops
        if isinstance(module, torch.nn.Linear):
            flops += 2 * output.numel() * module.in_features
        else:  # Conv2d: every output value is a dot product over in_channels x kernel
            kh, kw = module.kernel_size
            flops += 2 * output.numel() * (module.in_channels // module.groups) * kh * kw

    layers = [m for m in model.modules() if isinstance(m, (torch.nn.Linear, torch.nn.Conv2d))]
    handles = [m.register_forward_hook(count) for m in layers]
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(torch.zeros((1, *input_shape), device=next(model.parameters()).device))
    finally:
        model.train(was_training)
        for handle in handles:
            handle.remove()
    return 3 * batch_size * flops


def threads_for_step(flops: int) -> int | None:
    """1 for a step too small to split between threads, None to leave torch's setting alone."""
    return 1 if flops < SMALL_STEP_FLOPS else None


@contextmanager
def intra_op_threads(n: int | None) -> Iterator[None]:
    """Use `n` intra-op threads in this thread for the with-block, then restore the setting."""
    before = torch.get_num_threads()
    if n is None or n >= before:
        yield
        return
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def live_threads(runs_training: int, cores: int | None = None) -> int:
    """Intra-op threads for each live run while `runs_training` runs train in this server process.

    The policy for every session alike: all cores but one, which the browser
    drawing the live charts needs, shared out between the runs, and at least
    one each. On 2 cores this is always 1: MNIST's MLP trained twice as fast
    live on one thread as on two (bench/README.md, "Live training loop").
    With several runs each on one thread, the OS shares the cores between them
    and no run's choice can slow another's steps.
    """
    cores = cores or os.cpu_count() or 1
    return max(1, (cores - 1) // max(1, runs_training))
