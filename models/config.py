"""Typed configs for a model and for its training, as plain dataclasses.

The UI's controls return these, the CLI builds them from flags, and
persistence stores them as JSON next to the weights, so one description of a
run travels everywhere. Both are frozen: a config never changes under a run
that holds it; `dataclasses.replace(config, lr=0.1)` makes a changed copy.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

Task = Literal["regression", "binary", "multiclass"]
MODEL_KINDS = ("mlp", "cnn", "rnn", "lstm", "gru")
INITS = ("default", "xavier", "he")
LOSSES = ("auto", "mse")
DEVICES = ("cpu", "cuda", "mps", "auto")
# The names of models.activations.BUILDER_ACTIVATIONS and models.optimizers.OPTIMIZERS,
# here without torch, so the CLI's --help and the app's first page need not import it
# (seconds); tests/test_cli_startup.py checks that they match.
ACTIVATION_NAMES = ("relu", "leaky_relu", "sigmoid", "tanh", "softplus", "elu", "gaussian")
OPTIMIZER_NAMES = ("sgd", "momentum", "adam", "rmsprop")


@dataclass(frozen=True)
class ModelConfig:
    """Everything needed to rebuild a network (its weights come separately)."""

    input_shape: tuple[int, ...]
    n_outputs: int
    task: Task
    kind: str = "mlp"
    hidden: tuple[int, ...] = (64,)
    activation: str = "relu"
    batchnorm: bool = False
    dropout: float = 0.0
    # "default" keeps PyTorch's own (Kaiming-uniform with a=sqrt(5)), so a
    # student can compare it with the textbook Xavier and He schemes.
    init: str = "default"
    # Two conv blocks of 16 and 32 channels already reach > 98.5% on MNIST
    # while an epoch stays well under a minute on two CPU cores.
    conv_channels: tuple[int, ...] = (16, 32)
    kernel_size: int = 3
    # Recurrent kinds (rnn, lstm, gru): `hidden` is one size per layer, all equal.
    # The LSTM's forget-gate bias at initialization; PyTorch's 0 starts the gate half closed.
    forget_bias: float = 0.0
    # Regression on a standardized target (the Your data lab): the network's output is
    # multiplied by the training split's std and the mean added (models.builders.Network).
    # The defaults leave every other model, and every older file, exactly as it was.
    target_mean: float = 0.0
    target_std: float = 1.0

    def __post_init__(self) -> None:
        # Lists from JSON or the CLI become tuples, so equal configs compare and hash equal.
        object.__setattr__(self, "input_shape", tuple(int(s) for s in self.input_shape))
        object.__setattr__(self, "hidden", tuple(int(h) for h in self.hidden))
        object.__setattr__(self, "conv_channels", tuple(int(c) for c in self.conv_channels))
        object.__setattr__(self, "target_mean", float(self.target_mean))
        object.__setattr__(self, "target_std", float(self.target_std))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (tuples become lists)."""
        d = asdict(self)
        for key in ("input_shape", "hidden", "conv_channels"):
            d[key] = list(d[key])
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ModelConfig:
        """Inverse of to_dict; unknown keys are ignored so older files still load."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})


def model_config_problem(
    kind: str, init: str, dropout: float, hidden: tuple[int, ...]
) -> tuple[str, str, dict[str, Any]] | None:
    """The first reason a model of this kind, init, dropout and hidden sizes cannot be built:
    (error code, sentence, its numbers), or None.

    Torch-free, so the CLI answers a bad flag before it loads torch; build_model raises it.
    """
    if kind not in MODEL_KINDS:
        kinds = ", ".join(MODEL_KINDS)
        message = f"Unknown model kind {kind!r}. Choose one of: {kinds}."
        return "unknown_model_kind", message, {"kind": kind, "choices": kinds}
    if init not in INITS:
        inits = ", ".join(INITS)
        message = f"Unknown initialization {init!r}. Choose one of: {inits}."
        return "unknown_init", message, {"init": init, "choices": inits}
    if not 0 <= dropout < 1:
        message = f"Dropout must be at least 0 and below 1, got {dropout}."
        return "dropout_range", message, {"value": dropout}
    if any(h < 1 for h in hidden):
        return "hidden_layer_empty", "Every hidden layer needs at least one neuron.", {}
    return None


@dataclass(frozen=True)
class TrainConfig:
    """How to train: optimizer, schedule, loss choice, stopping rules, device."""

    optimizer: str = "adam"
    # Adam's usual 1e-3: safe for every lab; SGD wants about 100x more.
    lr: float = 1e-3
    weight_decay: float = 0.0
    batch_size: int = 32
    epochs: int = 10
    seed: int = 0
    # "auto" takes the loss from the task (MSE / BCEWithLogits / CrossEntropy);
    # "mse" puts MSE on the output probabilities, like the slides' old Keras recipe.
    loss: str = "auto"
    # Stop after this many epochs without a better validation loss and restore
    # the best weights; None trains for all epochs.
    early_stopping: int | None = None
    device: str = "cpu"
    # Clip the gradient's total norm to this before each step (0 = no clipping):
    # the usual guard against an RNN's exploding gradients.
    clip_grad: float = 0.0
    # Random stroke thickness, scale, rotation and shift for each training image
    # (models/augment.py), so digits drawn by other hands are read too; images only.
    augment: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TrainConfig:
        """Inverse of to_dict; unknown keys are ignored."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})
