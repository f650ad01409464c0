"""The `class Net(nn.Module)` of an exported script, written from a ModelConfig.

It follows the slides' template (deck 004): layers made in `__init__`, applied
one by one in `forward`, each line commented with its output shape. The layers
are made in the same order as models/builders.py makes them, so the same seed
gives the same initial weights, and the state_dict lists them in the same order.
"""

from __future__ import annotations

import math

from data.errors import CodedError
from models.config import ModelConfig
from models.export_parts import OUTPUT_WORDS

# How each activation is applied in forward(); the slides write F.relu(x).
# The slopes are the defaults models/activations.py builds the modules with.
ACTIVATION_CALLS = {
    "relu": "F.relu(x)",
    "leaky_relu": "F.leaky_relu(x, 0.01)",
    "sigmoid": "torch.sigmoid(x)",
    "tanh": "torch.tanh(x)",
    "softplus": "F.softplus(x)",
    "elu": "F.elu(x)",
    "gelu": "F.gelu(x)",
    "gaussian": "torch.exp(-(x**2))",  # the Gaussian bump exp(-x^2)
}
RECURRENT_LAYERS = {"rnn": "nn.RNN", "lstm": "nn.LSTM", "gru": "nn.GRU"}
EXPORTABLE_KINDS = ("mlp", "cnn", *RECURRENT_LAYERS)
_COMMENT_AT = 44  # the column where the shape comments start


def _shape(dims: tuple[int, ...]) -> str:
    return "(N, " + ", ".join(str(d) for d in dims) + ")"


def _line(code: str, comment: str) -> str:
    """One forward() line with its comment aligned."""
    text = f"        {code}"
    return f"{text:<{_COMMENT_AT - 2}}  # {comment}"


def check_exportable(cfg: ModelConfig) -> None:
    """Raise CodedError when the script cannot be written for this architecture."""
    if cfg.kind not in EXPORTABLE_KINDS:
        raise CodedError(
            "export_kind_unsupported",
            f"The code view covers MLP, CNN, RNN, LSTM and GRU models, not {cfg.kind!r}.",
            kind=cfg.kind,
        )
    if cfg.activation not in ACTIVATION_CALLS:
        choices = ", ".join(ACTIVATION_CALLS)
        raise CodedError(
            "unknown_activation",
            f"Unknown activation {cfg.activation!r}. Choose one of: {choices}.",
            name=cfg.activation,
            choices=choices,
        )


def has_target_scale(cfg: ModelConfig) -> bool:
    """Whether the network ends with the frozen x * target_std + target_mean step."""
    return (cfg.target_mean, cfg.target_std) != (0.0, 1.0)


def output_comment(cfg: ModelConfig) -> str:
    """The output layer's comment: logits for a classifier, the predicted value for regression."""
    words = OUTPUT_WORDS[cfg.task]
    if has_target_scale(cfg):
        # The layer predicts the standardized target; forward() rescales it to the target's units.
        words += ", standardized"
    return f"output layer: {words}"


class _Writer:
    """Collects __init__ and forward() lines while walking the layers in build order."""

    def __init__(self, cfg: ModelConfig) -> None:
        self.cfg = cfg
        self.init: list[str] = []
        self.forward: list[str] = []
        self.act = ACTIVATION_CALLS[cfg.activation]

    def layer(self, name: str, make: str, comment: str | None = None) -> None:
        line = f"        self.{name} = {make}"
        self.init.append(f"{line:<{_COMMENT_AT - 2}}  # {comment}" if comment else line)

    def step(self, code: str, dims: tuple[int, ...]) -> None:
        self.forward.append(_line(code, _shape(dims)))

    def dense(self, index: int, n_in: int, n_out: int) -> None:
        """Hidden layer `index`: Linear -> [BatchNorm] -> activation -> [Dropout], as the builder."""
        self.layer(f"fc{index}", f"nn.Linear({n_in}, {n_out})", f"hidden layer {index}")
        self.step(f"x = self.fc{index}(x)", (n_out,))
        if self.cfg.batchnorm:
            self.layer(f"bn{index}", f"nn.BatchNorm1d({n_out})")
            self.step(f"x = self.bn{index}(x)", (n_out,))
        self.step(f"x = {self.act}", (n_out,))
        if self.cfg.dropout > 0:
            self.step("x = self.dropout(x)", (n_out,))

    def head(self, n_in: int) -> None:
        """The hidden layers of `cfg.hidden` and the output layer."""
        for i, width in enumerate(self.cfg.hidden, start=1):
            self.dense(i, n_in, width)
            n_in = width
        out = len(self.cfg.hidden) + 1
        n_outputs = self.cfg.n_outputs
        self.layer(f"fc{out}", f"nn.Linear({n_in}, {n_outputs})", output_comment(self.cfg))
        self.step(f"x = self.fc{out}(x)", (n_outputs,))


def _mlp(w: _Writer) -> None:
    shape = w.cfg.input_shape
    if len(shape) > 1:
        w.step("x = torch.flatten(x, 1)", (math.prod(shape),))
    w.head(math.prod(shape))


def _cnn(w: _Writer) -> None:
    cfg = w.cfg
    height, width = cfg.input_shape
    k = cfg.kernel_size
    w.step("x = x.unsqueeze(1)", (1, height, width))
    channels = 1
    for i, out_ch in enumerate(cfg.conv_channels, start=1):
        make = f"nn.Conv2d({channels}, {out_ch}, kernel_size={k}, padding={k // 2})"
        w.layer(f"conv{i}", make, f"conv block {i}")
        w.step(f"x = self.conv{i}(x)", (out_ch, height, width))
        if cfg.batchnorm:
            w.layer(f"bn_conv{i}", f"nn.BatchNorm2d({out_ch})")
            w.step(f"x = self.bn_conv{i}(x)", (out_ch, height, width))
        w.step(f"x = {w.act}", (out_ch, height, width))
        channels, height, width = out_ch, height // 2, width // 2
        w.step("x = self.pool(x)", (channels, height, width))
    w.step("x = torch.flatten(x, 1)", (channels * height * width,))
    w.head(channels * height * width)


def _forget_bias_lines(cfg: ModelConfig, hidden: int, layers: int) -> list[str]:
    """The LSTM's forget-gate bias shift (models.recurrent.set_forget_bias), or nothing."""
    if cfg.kind != "lstm" or cfg.forget_bias == 0:
        return []
    return [
        f"        # Forget gate bias +{cfg.forget_bias!r}: PyTorch's starts near 0, a half-closed",
        "        # gate; shifted up, the cell state lasts. Gates: input, forget, cell, output.",
        "        with torch.no_grad():",
        f"            for layer in range({layers}):",
        '                bias = getattr(self.lstm, f"bias_ih_l{layer}")',
        f"                bias[{hidden} : {2 * hidden}].add_({cfg.forget_bias!r})",
    ]


def _recurrent(w: _Writer) -> None:
    cfg = w.cfg
    steps, features = cfg.input_shape
    hidden, layers = cfg.hidden[0], len(cfg.hidden)
    name = cfg.kind
    make = f"{RECURRENT_LAYERS[name]}({features}, {hidden}, num_layers={layers}, batch_first=True)"
    w.layer(name, make, "reads the sequence one step at a time")
    w.forward.append(_line(f"out, _ = self.{name}(x)", f"(N, {steps}, {hidden}): h_t of each step"))
    w.forward.append(_line("x = out[:, -1]", f"(N, {hidden}): the last step's h_T"))
    w.layer("fc", f"nn.Linear({hidden}, {cfg.n_outputs})", output_comment(cfg))
    w.step("x = self.fc(x)", (cfg.n_outputs,))
    w.init += _forget_bias_lines(cfg, hidden, layers)


def net_source(cfg: ModelConfig) -> str:
    """The source of `class Net(nn.Module)` for `cfg` (an MLP, a CNN, an RNN, LSTM or GRU)."""
    check_exportable(cfg)
    if cfg.kind in RECURRENT_LAYERS:
        from models.recurrent import check_recurrent  # imports torch: only for these kinds

        check_recurrent(cfg)  # sequences in, one hidden size for every layer
    w = _Writer(cfg)
    {"cnn": _cnn, "mlp": _mlp}.get(cfg.kind, _recurrent)(w)
    if has_target_scale(cfg):
        # The standardized prediction back in the target's units (models.builders.Network).
        w.step("x = x * TARGET_STD + TARGET_MEAN", (cfg.n_outputs,))
    # Layers without weights come last: they draw no random numbers at creation,
    # so the weighted layers above are made in exactly models/builders.py's order.
    if cfg.kind == "cnn":
        w.layer("pool", "nn.MaxPool2d(2)", "2x2 max-pooling halves height and width")
    if cfg.dropout > 0:
        w.layer("dropout", f"nn.Dropout({cfg.dropout!r})", "switches neurons off in training")
    dims = ", ".join(str(d) for d in cfg.input_shape)
    return "\n".join(
        [
            "class Net(nn.Module):",
            "    def __init__(self):",
            "        super(Net, self).__init__()",
            *w.init,
            "",
            f"    def forward(self, x):{'':<{_COMMENT_AT - 25}}# x: (N, {dims})",
            *w.forward,
            "        return x",
        ]
    )
