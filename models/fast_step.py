"""A hand-written training step for the plainest MLPs: autograd's own numbers, without its graph.

An MLP of Linear layers with ReLU, tanh or sigmoid between them, trained with
the task's own loss (cross-entropy, binary cross-entropy on logits, or squared
error for regression), is most of what the labs train. In eager PyTorch a
quarter to a third of such a step is autograd itself: recording the graph in
the forward pass, then walking it. Its backward is short enough to write out,
so `fast_step_for` gives such a model a step that calls the very kernels
autograd's backward calls (threshold_backward, nll_loss_backward,
_log_softmax_backward_data, mse_loss_backward, mm, sum, and autograd's own
formula for binary cross-entropy) on the same operands, and writes the
gradients into each parameter's `.grad`. The optimizer, gradient clipping and
everything after the step are unchanged.

tests/test_fast_step.py trains every supported shape both ways and asks for
bit-identical weights. Any other model (dropout, batch norm, a CNN, other
activations or losses, hooks, frozen weights, a layer used twice, a rescaled
target) gets None, and the trainer uses `autograd_step`. `steps_for` makes
that choice for a TrainingRun at every slice. bench/README.md, "Training
speed", has the figures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from models.builders import Network
from models.fast_adam import lean_adam_step

aten = torch.ops.aten

# What autograd calls to pass a gradient back through each activation, given its output.
_ACTIVATIONS: dict[type[nn.Module], tuple[Callable, Callable]] = {
    nn.ReLU: (torch.relu, lambda grad, out: aten.threshold_backward(grad, out, 0)),
    nn.Tanh: (torch.tanh, aten.tanh_backward),
    nn.Sigmoid: (torch.sigmoid, aten.sigmoid_backward),
}
_MEAN = 1  # at::Reduction::Mean, as the losses' aten calls take it
_IGNORE_INDEX = -100  # F.cross_entropy's default


Step = Callable[[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]


def autograd_step(model: nn.Module, loss_fn: Callable, params: list[nn.Parameter]) -> Step:
    """The usual step for any model: forward, loss, backward; returns (logits, loss)."""

    def step(x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        logits = model(x)
        loss = loss_fn(logits, y)
        # What optimizer.zero_grad(set_to_none=True) does, without its profiler
        # record and parameter-group walk (1 us instead of 7 a step).
        for p in params:
            p.grad = None
        loss.backward()
        return logits, loss

    return step


class FastStep:
    """Forward, loss and backward of one batch for a plain MLP, without autograd."""

    def __init__(self, linears: list[nn.Linear], activations: list[type[nn.Module]], loss: str):
        self.linears = linears
        self.forward_fns = [_ACTIVATIONS[a][0] for a in activations]
        self.backward_fns = [_ACTIVATIONS[a][1] for a in activations]
        self.loss = loss
        self._seed: torch.Tensor | None = None  # d(loss)/d(loss), as autograd seeds it

    def __call__(self, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Fill every parameter's .grad for the batch (x, y); return (logits, loss), both detached."""
        with torch.no_grad():
            h = x.flatten(1)
            inputs = [h]
            last = len(self.linears) - 1
            for i, layer in enumerate(self.linears):
                h = torch.addmm(layer.bias, h, layer.weight.t())  # what F.linear calls
                if i < last:
                    h = self.forward_fns[i](h)
                    inputs.append(h)
            logits = h
            if self._seed is None or self._seed.dtype != logits.dtype:
                self._seed = torch.ones((), dtype=logits.dtype, device=logits.device)
            loss, grad = self._loss_and_grad(logits, y)
            for i in range(last, -1, -1):
                layer = self.linears[i]
                grad_in = torch.mm(grad, layer.weight) if i > 0 else None
                weight_grad, bias_grad = _grad_buffers(layer)
                torch.mm(grad.t(), inputs[i], out=weight_grad)
                torch.sum(grad, 0, out=bias_grad)
                if grad_in is not None:
                    grad = self.backward_fns[i - 1](grad_in, inputs[i])
        return logits, loss

    def _loss_and_grad(
        self, logits: torch.Tensor, y: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """The mean loss and its gradient with respect to the logits, as autograd computes them."""
        if self.loss == "cross_entropy":  # F.cross_entropy: log_softmax, then nll_loss
            log_p = torch.log_softmax(logits, 1)
            loss, total_weight = aten.nll_loss_forward(log_p, y, None, _MEAN, _IGNORE_INDEX)
            grad = aten.nll_loss_backward(
                self._seed, log_p, y, None, _MEAN, _IGNORE_INDEX, total_weight
            )
            return loss, aten._log_softmax_backward_data(grad, log_p, 1, logits.dtype)
        out = logits.squeeze(1)  # models.tasks: the loss of logits.squeeze(1)
        if self.loss == "binary_cross_entropy":  # F.binary_cross_entropy_with_logits
            loss = aten.binary_cross_entropy_with_logits(out, y, None, None, _MEAN)
            # autograd's formula for it (no weights), in its order: (sigmoid - y) * grad / N
            grad = (out.sigmoid() - y).mul_(self._seed).div_(out.numel())
            return loss, grad.unsqueeze(1)
        loss = aten.mse_loss(out, y, _MEAN)  # F.mse_loss
        return loss, aten.mse_loss_backward(self._seed, out, y, _MEAN).unsqueeze(1)


def _grad_buffers(layer: nn.Linear) -> tuple[torch.Tensor, torch.Tensor]:
    """The layer's weight and bias .grad, made once and then written in place at every step."""
    for p in (layer.weight, layer.bias):
        if p.grad is None or p.grad.shape != p.shape:
            p.grad = torch.empty_like(p, memory_format=torch.contiguous_format)
    return layer.weight.grad, layer.bias.grad


# Sequential's own forward, and Network's (which adds only a rescale, refused when set).
_PLAIN_FORWARDS = (nn.Sequential.forward, Network.forward)


def _has_hooks(model: nn.Module, params: list[nn.Parameter]) -> bool:
    """True when a module or parameter hook (or a global one) would see autograd's step."""
    from torch.nn.modules import module as module_globals

    if any(
        getattr(module_globals, name, None)
        for name in (
            "_global_forward_hooks",
            "_global_forward_pre_hooks",
            "_global_backward_hooks",
            "_global_backward_pre_hooks",
        )
    ):
        return True
    return any(
        m._forward_hooks or m._forward_pre_hooks or m._backward_hooks or m._backward_pre_hooks
        for m in model.modules()
    ) or any(p._backward_hooks or p._post_accumulate_grad_hooks for p in params)


def fast_step_for(
    model: nn.Module, task: str, loss: str = "auto", input_shape: tuple[int, ...] = ()
) -> FastStep | None:
    """A FastStep for `model` trained on `task` with `loss`, or None when autograd must do it.

    `input_shape` is one sample's shape (ModelConfig.input_shape): an input of more
    than one axis needs the model's own leading Flatten.

    Takes an nn.Sequential (models.builders.Network included) of an optional
    leading Flatten, then Linear layers with one ReLU, Tanh or Sigmoid between
    each two, and the task's default loss (regression's "mse" is the same one;
    squared error on a sigmoid or softmax output keeps autograd).
    """
    if not isinstance(model, nn.Sequential) or type(model).forward not in _PLAIN_FORWARDS:
        return None
    config = getattr(model, "config", None)
    if config is not None and (config.target_mean, config.target_std) != (0.0, 1.0):
        return None  # the output is rescaled after the last layer
    if task == "multiclass" and loss == "auto":
        loss_name = "cross_entropy"
    elif task == "binary" and loss == "auto":
        loss_name = "binary_cross_entropy"
    elif task == "regression" and loss in ("auto", "mse"):
        loss_name = "mse"
    else:
        return None
    layers = list(model)
    flattens = bool(layers) and type(layers[0]) is nn.Flatten
    if flattens:
        if (layers[0].start_dim, layers[0].end_dim) != (1, -1):
            return None
        layers = layers[1:]
    elif len(input_shape) != 1:
        return None  # a Linear on (N, H, W) maps the last axis only; the step would flatten
    linears, activations = layers[0::2], [type(m) for m in layers[1::2]]
    params = list(model.parameters())
    if (
        not linears
        or len(layers) % 2 == 0
        or any(type(m) is not nn.Linear or m.bias is None for m in linears)
        or len({id(p) for p in params}) != 2 * len(linears)  # a layer used twice sums its grads
        or any(a not in _ACTIVATIONS for a in activations)
        or any(getattr(m, "inplace", False) for m in layers[1::2])
        or not all(p.requires_grad for p in params)
        or _has_hooks(model, params)
    ):
        return None
    return FastStep(linears, activations, loss_name)


def steps_for(run: Any, fast: bool = True) -> tuple[Step, Callable[[], None]]:
    """A TrainingRun's (forward_backward, optimizer_step) for now: the fast paths where they apply.

    `fast=False` gives autograd's step and `optimizer.step()` whatever the model.
    """
    fast_step = fast and fast_step_for(
        run.model, run.task, run.train_config.loss, run.model_config.input_shape
    )
    lean = fast and lean_adam_step(run.optimizer)
    params = list(run.model.parameters())
    return fast_step or autograd_step(run.model, run.loss_fn, params), lean or run.optimizer.step
