"""The gradient through time, and the hidden state over time, of a recurrent network.

Deck 003 says 「RNN 很不容易訓練」 because of the vanishing gradient: the loss
reads only the last hidden state h_T, so the gradient reaching an early h_t
has been multiplied by one Jacobian ∂h_(s+1)/∂h_s per step in between. Here
the model's own weights are unrolled one step at a time with the textbook
equations (PyTorch's gate order and two bias vectors), so that every h_t is a
tensor of its own and autograd can give ∂L/∂h_t for each t.

Pure torch: the UI passes a model it got through LiveRun.inference_copy()
(or a borrowed run's model) and one batch. Nothing here changes the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from data.errors import CodedError
from models.builders import build_model
from models.config import ModelConfig
from models.tasks import loss_function, target_dtype


@dataclass(frozen=True)
class Unrolled:
    """Every step of the top recurrent layer: hidden states (and LSTM cell states) and the logits."""

    hidden: list[torch.Tensor]
    """h_1 … h_T of the top layer, each (N, hidden), all in one autograd graph."""
    cell: list[torch.Tensor] | None
    """c_1 … c_T of the top LSTM layer (None for RNN and GRU)."""
    logits: torch.Tensor


def _weights(rnn: torch.nn.Module, layer: int) -> tuple[torch.Tensor, ...]:
    return tuple(
        getattr(rnn, f"{name}_l{layer}")
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    )


def _step(kind: str, x, h, c, w_ih, w_hh, b_ih, b_hh):
    """One step of one layer, as torch.nn.RNNCell / LSTMCell / GRUCell compute it."""
    gi = x @ w_ih.T + b_ih
    gh = h @ w_hh.T + b_hh
    if kind == "rnn":
        return torch.tanh(gi + gh), None
    if kind == "lstm":
        i, f, g, o = (gi + gh).chunk(4, dim=1)  # PyTorch's gate order: input, forget, cell, output
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c), c
    ir, iz, i_n = gi.chunk(3, dim=1)  # GRU: reset, update, new
    hr, hz, h_n = gh.chunk(3, dim=1)
    r, z = torch.sigmoid(ir + hr), torch.sigmoid(iz + hz)
    n = torch.tanh(i_n + r * h_n)
    return (1 - z) * n + z * h, None


def unroll(model: torch.nn.Module, X: torch.Tensor) -> Unrolled:
    """Run `model` (a models.recurrent.RecurrentNetwork) on X (N, T, features) step by step.

    The initial states require grad, so every h_t is in the graph even for
    an inference copy whose weights do not; the logits equal model(X).
    """
    kind = getattr(getattr(model, "config", None), "kind", None)
    if kind not in ("rnn", "lstm", "gru"):
        raise CodedError(
            "not_recurrent",
            f"The gradient through time needs a recurrent network, not {kind!r}.",
            kind=str(kind),
        )
    rnn = model.recurrent
    X = X.to(torch.float32)
    n, steps, size = len(X), X.shape[1], rnn.hidden_size
    inputs = [X[:, t] for t in range(steps)]
    cells: list[torch.Tensor] | None = None
    for layer in range(rnn.num_layers):
        h = torch.zeros(n, size, requires_grad=True)
        c = torch.zeros(n, size, requires_grad=True) if kind == "lstm" else None
        hs, cs = [], []
        for x in inputs:
            h, c = _step(kind, x, h, c, *_weights(rnn, layer))
            hs.append(h)
            cs.append(c)
        inputs = hs
        cells = cs if kind == "lstm" else None
    return Unrolled(inputs, cells, model.head(inputs[-1]))


def gradient_through_time(
    model: torch.nn.Module, X: torch.Tensor, y: torch.Tensor, loss: str = "auto"
) -> np.ndarray:
    """|∂L/∂h_t| for t = 1 … T: the norm, over the batch and the hidden units, of the gradient
    of the batch's loss with respect to the top layer's hidden state at each step.

    L is the loss the trainer uses for the model's task (mean over the batch).
    """
    with torch.enable_grad():
        steps = unroll(model, X)
        target = torch.as_tensor(y).to(target_dtype(model.config.task))
        value = loss_function(model.config.task, loss)(steps.logits, target)
        grads = torch.autograd.grad(value, steps.hidden)
    return np.array([float(g.norm()) for g in grads])


def early_to_late_ratio(gradients: np.ndarray) -> float:
    """|∂L/∂h_1| / |∂L/∂h_T|: how much of the last step's gradient reaches the first step."""
    last = float(gradients[-1])
    return float(gradients[0]) / last if last > 0 else 0.0


def states_over_time(model: torch.nn.Module, x: torch.Tensor) -> dict[str, np.ndarray]:
    """One sequence x (T, features): {"hidden": (T, hidden)} and for an LSTM {"cell": (T, hidden)}."""
    with torch.no_grad():
        steps = unroll(model, torch.as_tensor(x)[None])
    out = {"hidden": torch.cat(steps.hidden).detach().numpy()}
    if steps.cell is not None:
        out["cell"] = torch.cat(steps.cell).detach().numpy()
    return out


def continue_wave(model: torch.nn.Module, window: np.ndarray, steps: int) -> np.ndarray:
    """The network's own continuation: predict the next value, append it, slide, `steps` times.

    `window` is (T, 1), the last T values the model reads; returns `steps` predictions.
    """
    seq = torch.as_tensor(np.asarray(window, dtype=np.float32))[None]
    out = []
    with torch.no_grad():
        for _ in range(steps):
            nxt = model(seq)[:, :1]
            out.append(float(nxt))
            seq = torch.cat([seq[:, 1:], nxt[:, None]], dim=1)
    return np.array(out)


def initial_model(model_config: ModelConfig, seed: int) -> torch.nn.Module:
    """The network a run with `seed` starts from: the trainer seeds torch the same way to build it.

    Drawn inside fork_rng, so other code's random numbers are not disturbed.
    """
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return build_model(model_config)
