"""Adam's fused update without the Python around it: the same kernel, the same numbers.

`torch.optim.Adam(fused=True)` does the whole update in one kernel, but its
`step()` first walks the parameter groups, checks hooks, grad scaling,
capturability and dtypes, and groups the tensors by device: ~75 us a step here,
against ~37 us for the two calls that do the work (bench/README.md, "Training
speed"). On an MNIST step of ~0.7 ms that is 5%.

`lean_adam_step(optimizer)` returns a callable that makes exactly those two calls
(`torch._foreach_add_` on the step counters, then `torch._fused_adam_`) with the
optimizer's own state and hyper-parameters, read afresh at every call, so a
loaded state dict or a changed learning rate is seen at once. It falls back to
`optimizer.step()` whenever the state is not set up yet (the first step) or a
hook is registered. The trainer (models.fast_step.steps_for) chooses it anew at
every slice, so a changed optimizer setting is seen at the next one. tests/test_fast_step.py checks that runs come out bit for
bit the same. torch is pinned (requirements.txt): `_fused_adam_` is its own op.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch.optim import Adam
from torch.optim import optimizer as optimizer_module


def _plain(optimizer: torch.optim.Optimizer) -> bool:
    """True for a fused CPU Adam with one group and nothing that step() would add to the kernel."""
    if type(optimizer) is not Adam or len(optimizer.param_groups) != 1:
        return False
    group = optimizer.param_groups[0]
    return (
        group.get("fused") is True
        and not group["amsgrad"]
        and not group["maximize"]
        and not group["capturable"]
        and not group["differentiable"]
        and not group.get("decoupled_weight_decay", False)
        and isinstance(group["lr"], float)
        and all(isinstance(b, float) for b in group["betas"])
        and all(p.device.type == "cpu" and p.dtype == torch.float32 for p in group["params"])
    )


def _hooked(optimizer: torch.optim.Optimizer) -> bool:
    return bool(
        optimizer._optimizer_step_pre_hooks
        or optimizer._optimizer_step_post_hooks
        or optimizer_module._global_optimizer_pre_hooks
        or optimizer_module._global_optimizer_post_hooks
    )


def lean_adam_step(optimizer: torch.optim.Optimizer) -> Callable[[], None] | None:
    """A step function for `optimizer` that skips step()'s bookkeeping, or None if it is not a plain fused Adam."""
    if not _plain(optimizer):
        return None

    def step() -> None:
        # Read afresh: load_state_dict replaces the param groups as well as the state.
        group, state = optimizer.param_groups[0], optimizer.state
        params = group["params"]
        first = state.get(params[0]) if params else None
        if (
            not first
            or len(optimizer.param_groups) != 1
            or _hooked(optimizer)
            or any(p.grad is None or p not in state for p in params)
        ):
            optimizer.step()  # sets the state up (first step), or does what the hooks need
            return
        exp_avgs = [state[p]["exp_avg"] for p in params]
        exp_avg_sqs = [state[p]["exp_avg_sq"] for p in params]
        steps = [state[p]["step"] for p in params]
        beta1, beta2 = group["betas"]
        torch._foreach_add_(steps, 1)
        torch._fused_adam_(
            params,
            [p.grad for p in params],
            exp_avgs,
            exp_avg_sqs,
            [],
            steps,
            amsgrad=False,
            lr=group["lr"],
            beta1=beta1,
            beta2=beta2,
            weight_decay=group["weight_decay"],
            eps=group["eps"],
            maximize=False,
            grad_scale=None,
            found_inf=None,
        )

    return step
