"""Build networks from a ModelConfig: an MLP or a small CNN.

Models always output logits; the task decides the loss and how to read
probabilities (see models.tasks), as in the slides' output-layer table.
"""

from __future__ import annotations

import copy
import math

import torch
from torch import nn

from data.errors import CodedError
from models.activations import get_activation
from models.config import ModelConfig, model_config_problem
from models.recurrent import build_recurrent


class Network(nn.Sequential):
    """An nn.Sequential that remembers the ModelConfig it was built from.

    A regression on a standardized target (config.target_mean, config.target_std, set
    by the Your data lab) ends with the frozen step x * target_std + target_mean: the
    layers learn the target in standard units, the network predicts in its own. It is
    a plain affine in forward(), not a layer: the layers, the state_dict and anything
    that walks the layers (hidden activations, summaries) stay as they were.
    """

    def __init__(self, config: ModelConfig, *layers: nn.Module) -> None:
        super().__init__(*layers)
        self.config = config

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The layers in order, then the target's rescaling if the config asks for one."""
        x = super().forward(x)
        cfg = self.config
        if (cfg.target_mean, cfg.target_std) != (0.0, 1.0):
            x = x * cfg.target_std + cfg.target_mean
        return x


def _dense_block(n_in: int, n_out: int, cfg: ModelConfig) -> list[nn.Module]:
    # Linear -> BatchNorm -> activation -> Dropout: BN normalizes the
    # pre-activation Z (as the slides describe), dropout acts on H.
    layers: list[nn.Module] = [nn.Linear(n_in, n_out)]
    if cfg.batchnorm:
        layers.append(nn.BatchNorm1d(n_out))
    layers.append(get_activation(cfg.activation).module())
    if cfg.dropout > 0:
        layers.append(nn.Dropout(cfg.dropout))
    return layers


def build_mlp(cfg: ModelConfig) -> Network:
    """Flatten (for image input) -> dense blocks of `cfg.hidden` sizes -> Linear(n_outputs)."""
    layers: list[nn.Module] = []
    if len(cfg.input_shape) > 1:
        layers.append(nn.Flatten())
    n_in = math.prod(cfg.input_shape)
    for width in cfg.hidden:
        layers += _dense_block(n_in, width, cfg)
        n_in = width
    layers.append(nn.Linear(n_in, cfg.n_outputs))
    return Network(cfg, *layers)


def build_cnn(cfg: ModelConfig) -> Network:
    """(conv -> [BN] -> activation -> 2x2 max-pool) per conv_channels, then an MLP head."""
    if len(cfg.input_shape) != 2:
        raise CodedError(
            "cnn_needs_image",
            f"A CNN needs image input (height, width); this data has shape {cfg.input_shape}.",
            shape=cfg.input_shape,
        )
    if cfg.kernel_size < 1 or cfg.kernel_size % 2 == 0:
        # Padding k//2 keeps the image size only for odd k; 1, 3, 5, 7 are the usual choices.
        raise CodedError(
            "kernel_size_odd",
            f"The kernel size must be an odd whole number such as 3 or 5, got {cfg.kernel_size}.",
            size=cfg.kernel_size,
        )
    if any(c < 1 for c in cfg.conv_channels):
        raise CodedError("conv_channels_empty", "Every conv block needs at least one channel.")
    height, width = cfg.input_shape
    # Images arrive as (N, H, W); split dim 1 into (1, H) to add the channel axis.
    layers: list[nn.Module] = [nn.Unflatten(1, (1, height))]
    channels = 1
    for out_ch in cfg.conv_channels:
        if height < 2 or width < 2:
            raise CodedError(
                "conv_too_many_blocks",
                "Too many conv blocks: the image has shrunk below 2x2 pixels.",
            )
        # padding k//2 keeps the size, so only pooling halves it.
        layers.append(nn.Conv2d(channels, out_ch, cfg.kernel_size, padding=cfg.kernel_size // 2))
        if cfg.batchnorm:
            layers.append(nn.BatchNorm2d(out_ch))
        layers.append(get_activation(cfg.activation).module())
        layers.append(nn.MaxPool2d(2))
        channels, height, width = out_ch, height // 2, width // 2
    layers.append(nn.Flatten())
    n_in = channels * height * width
    for hidden in cfg.hidden:
        layers += _dense_block(n_in, hidden, cfg)
        n_in = hidden
    layers.append(nn.Linear(n_in, cfg.n_outputs))
    return Network(cfg, *layers)


BUILDERS = {
    "mlp": build_mlp,
    "cnn": build_cnn,
    "rnn": build_recurrent,
    "lstm": build_recurrent,
    "gru": build_recurrent,
}


def _init_weights(model: nn.Module, scheme: str) -> None:
    if scheme == "default":
        return
    # Recurrent layers keep PyTorch's own init (and the LSTM's forget bias); only Linear/Conv change.
    for m in model.modules():
        if isinstance(m, nn.Linear | nn.Conv2d):
            if scheme == "xavier":
                nn.init.xavier_uniform_(m.weight)
            else:  # he: variance 2/fan_in keeps ReLU activations from shrinking layer by layer
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)


def build_model(cfg: ModelConfig) -> Network:
    """Build the network described by `cfg`, with its chosen weight initialization.

    Seed torch before calling for reproducible weights (the trainer does).
    """
    problem = model_config_problem(cfg.kind, cfg.init, cfg.dropout, cfg.hidden)
    if problem is not None:
        code, message, numbers = problem
        raise CodedError(code, message, **numbers)
    if not (
        math.isfinite(cfg.target_mean) and math.isfinite(cfg.target_std) and cfg.target_std > 0
    ):
        raise ValueError(f"Bad target scale: mean {cfg.target_mean!r}, std {cfg.target_std!r}.")
    model = BUILDERS[cfg.kind](cfg)
    _init_weights(model, cfg.init)
    if not isinstance(model, Network) and (cfg.target_mean, cfg.target_std) != (0.0, 1.0):
        raise ValueError(f"A {cfg.kind} model cannot rescale its target; use an MLP or a CNN.")
    return model


def inference_copy(model: Network) -> Network:
    """A copy of `model` with the same weights, in eval mode and without gradients.

    For reading a model that may be training on another thread: predicting
    with the copy never waits for the trainer and never flips the training
    model's mode. If a step updates the weights while they are copied, the
    copy may mix two neighbouring steps, which is harmless for a preview.
    """
    with torch.no_grad():
        copy_ = copy.deepcopy(model)
    for p in copy_.parameters():
        p.grad = None
        p.requires_grad_(False)
    return copy_.eval()


def count_parameters(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def evaluation_model(model: Network) -> Network:
    """`model` itself if it is in eval mode, else an eval-mode copy (inference_copy).

    Reading a model never flips its mode: a model may be training on another
    thread, and switching it to eval there would turn dropout off and freeze
    BatchNorm's statistics under the trainer's feet.
    """
    return inference_copy(model) if model.training else model
