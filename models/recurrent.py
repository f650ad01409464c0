"""Recurrent networks (deck 003's 「有記憶的神經網路」): a plain RNN, an LSTM or a GRU, then a head.

Input is (N, T, features): N sequences of T steps. The recurrent layers read
them one step at a time and carry a hidden state h_t from step to step; the
head (a Linear layer) reads the last step's hidden state h_T of the top layer
and outputs logits, like every other model here (models.tasks).

The layers are torch.nn.RNN / LSTM / GRU themselves, so the parameter counts
and the arithmetic are PyTorch's; lessons.through_time unrolls the same
weights step by step to show the gradient reaching each h_t.
"""

from __future__ import annotations

import torch
from torch import nn

from data.errors import CodedError
from models.config import ModelConfig

RECURRENT_KINDS = ("rnn", "lstm", "gru")
_LAYERS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def check_recurrent(cfg: ModelConfig) -> tuple[int, int, int]:
    """(features per step, hidden size, layers) of a recurrent config, or a CodedError.

    torch's stacked RNN/LSTM/GRU share one hidden size, so `cfg.hidden` must be
    one size repeated once per layer, e.g. (32, 32) for two layers of 32.
    """
    if len(cfg.input_shape) != 2:
        raise CodedError(
            "recurrent_needs_sequence",
            "A recurrent network needs sequences (steps, features per step); "
            f"this data has shape {cfg.input_shape}.",
            shape=cfg.input_shape,
        )
    if not cfg.hidden or len(set(cfg.hidden)) != 1:
        raise CodedError(
            "recurrent_hidden_uneven",
            "A recurrent network's layers all have the same hidden size, e.g. 32 or 32,32; "
            f"got {','.join(str(h) for h in cfg.hidden) or 'none'}.",
            hidden=",".join(str(h) for h in cfg.hidden),
        )
    return cfg.input_shape[1], cfg.hidden[0], len(cfg.hidden)


class RecurrentNetwork(nn.Module):
    """RNN/LSTM/GRU layers (batch first) and a Linear head on the last step's hidden state."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        features, hidden, layers = check_recurrent(config)
        self.recurrent = _LAYERS[config.kind](features, hidden, num_layers=layers, batch_first=True)
        self.head = nn.Linear(hidden, config.n_outputs)
        if config.kind == "lstm":
            set_forget_bias(self.recurrent, config.forget_bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits from the top layer's last hidden state h_T, shape (N, n_outputs)."""
        out, _ = self.recurrent(x)
        return self.head(out[:, -1])


def set_forget_bias(lstm: nn.LSTM, value: float) -> None:
    """Shift every layer's forget-gate bias by `value` at initialization (0 leaves PyTorch's own).

    PyTorch draws each bias uniformly around 0, so its forget gate starts near
    sigmoid(0) = 0.5: half closed, the cell state halves at every step. It keeps
    two bias vectors per layer (b_ih and b_hh, added), gates in the order input,
    forget, cell, output; `value` is added to b_ih's forget slice, so with 3 the
    gate starts near sigmoid(3) = 0.95 and the cell state lasts.
    """
    if value == 0:
        return
    hidden = lstm.hidden_size
    with torch.no_grad():
        for layer in range(lstm.num_layers):
            getattr(lstm, f"bias_ih_l{layer}")[hidden : 2 * hidden].add_(value)


def build_recurrent(cfg: ModelConfig) -> RecurrentNetwork:
    """The recurrent network `cfg` describes (kind "rnn" with tanh, "lstm" or "gru")."""
    return RecurrentNetwork(cfg)
