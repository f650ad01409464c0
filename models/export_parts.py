"""The fixed and the settings-dependent pieces of an exported script (no torch here).

Each function returns a block of Python source. models/export.py puts them in
order: header, imports, settings, data, network, loss and optimizer, evaluation,
training loop. Comments in the generated code are English, like the code itself.
"""

from __future__ import annotations

from textwrap import dedent, indent

from data.errors import CodedError

# Evaluation runs in chunks of this many rows, as models/trainer.py does, so the
# script's matrix products have the same shapes (and the same rounding) as the app's.
EVAL_BATCH = 2048

OPTIMIZER_CODE = {
    "sgd": "torch.optim.SGD(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)",
    "momentum": (
        "torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9, weight_decay=WEIGHT_DECAY)"
    ),
    # fused=True: the one-kernel Adam update NN Lab uses (PyTorch 2.4 or later).
    "adam": "torch.optim.Adam(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY, fused=True)",
    "rmsprop": "torch.optim.RMSprop(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)",
}

LOSS_CODE = {
    ("regression", "auto"): ("nn.MSELoss()", "loss_fn(output.squeeze(1), y)"),
    ("regression", "mse"): ("nn.MSELoss()", "loss_fn(output.squeeze(1), y)"),
    ("binary", "auto"): (
        "nn.BCEWithLogitsLoss()  # sigmoid + binary cross-entropy in one stable step",
        "loss_fn(output.squeeze(1), y)",
    ),
    ("binary", "mse"): (
        "nn.MSELoss()  # squared error on the sigmoid output",
        "loss_fn(torch.sigmoid(output.squeeze(1)), y)",
    ),
    ("multiclass", "auto"): (
        "nn.CrossEntropyLoss()  # softmax + cross-entropy in one stable step",
        "loss_fn(output, y)",
    ),
    ("multiclass", "mse"): (
        "nn.MSELoss()  # squared error between the softmax output and the one-hot target",
        "loss_fn(torch.softmax(output, dim=1), F.one_hot(y, output.shape[1]).to(output.dtype))",
    ),
}

PREDICT_CODE = {
    "regression": "output.squeeze(1)",
    "binary": "(output.squeeze(1) > 0).long()  # logit > 0 means probability > 0.5",
    "multiclass": "output.argmax(dim=1)",
}

# torch.tensor copies: pandas 3 hands out read-only arrays (copy-on-write), and
# torch.from_numpy would share them and warn that the tensor is not writable.
_TO_TENSORS = "return torch.tensor(X), torch.tensor(y)  # copies: pandas' arrays may be read-only"

# What the network's output is, per task: the words of the output layer's comment and the loss.
OUTPUT_WORDS = {
    "regression": "the predicted value",
    "binary": "one logit",
    "multiclass": "one logit per class",
}
LOSS_DOCS = {
    ("regression", "auto"): "the mean squared error between the predicted values and the targets",
    ("regression", "mse"): "the mean squared error between the predicted values and the targets",
    ("binary", "auto"): "the model outputs one logit per row; the loss applies the sigmoid itself",
    ("binary", "mse"): "the model outputs one logit per row; the sigmoid makes it a probability",
    ("multiclass", "auto"): "the model outputs one logit per class; the loss applies the softmax",
    ("multiclass", "mse"): "the model outputs one logit per class; the softmax makes probabilities",
}

IMPORTS = dedent(
    """\
    import argparse
    import copy
    import json
    import math
    import os
    import sys
    import time

    import numpy as np
    import pandas as pd
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    """
)


def optimizer_code(name: str) -> str:
    """The optimizer's constructor call, or CodedError for an optimizer the script lacks."""
    if name not in OPTIMIZER_CODE:
        raise CodedError(
            "export_optimizer_unsupported",
            f"The code view cannot write the optimizer {name!r} yet.",
            name=name,
        )
    return OPTIMIZER_CODE[name]


def loss_code(task: str, loss: str) -> str:
    """`loss_fn = ...` and `compute_loss(output, y)`: the task's loss on the model's output."""
    make, call = LOSS_CODE[(task, loss)]
    doc = f"The loss of a batch: {LOSS_DOCS[(task, loss)]}."
    return dedent(
        f"""\
        loss_fn = {make}


        def compute_loss(output, y):
            \"\"\"{doc}\"\"\"
            return {call}
        """
    )


def table_data_code(task: str, standardize: bool) -> str:
    """load_split(path) for a CSV table with a header row (features, then the target column)."""
    if task == "regression":
        y_code = "y = numbers(frame, [TARGET], path)[:, 0].astype(np.float32)"
    else:
        dtype = "np.int64" if task == "multiclass" else "np.float32"
        y_code = f"y = labels(frame, path).astype({dtype})"
    if standardize:
        x_code = (
            "X = numbers(frame, FEATURES, path)\n"
            "    # Standardize with the TRAINING split's mean and std (also for validation rows).\n"
            "    X = ((X - MEAN) / STD).astype(np.float32)"
        )
    else:
        x_code = "X = numbers(frame, FEATURES, path).astype(np.float32)  # raw, as the lab"
    return (
        "def load_split(path):\n"
        '    """One CSV file as tensors X (rows, features) and y."""\n'
        "    frame = read_csv(path)\n"
        f"    {x_code}\n"
        f"    {y_code}\n"
        f"    {_TO_TENSORS}\n"
        "\n\n"
        "def to_input(xb):\n"
        '    """A batch of rows as the network\'s input (already float32)."""\n'
        "    return xb\n"
    )


def sequence_data_code(task: str) -> str:
    """load_split(path) for a sequence table: one sequence per row, step by step, then the target."""
    table = table_data_code(task, standardize=False)
    x_code = table[table.index("    X = ") : table.index("\n", table.index("    X = ")) + 1]
    columns = (
        "    # Columns x_1, x_2, ... (or value_1, marker_1, value_2, ...): step after step.\n"
        '    columns = [f"{name}_{t}" for t in range(1, STEPS + 1) for name in FEATURES]\n'
        "    X = numbers(frame, columns, path).astype(np.float32)\n"
        "    X = X.reshape(len(frame), STEPS, len(FEATURES))\n"
    )
    doc = '"""One CSV file as tensors X (rows, features) and y."""'
    new_doc = '"""One CSV file (one sequence per row) as X (sequences, STEPS, features) and y."""'
    return table.replace(x_code, columns).replace(doc, new_doc)


def image_data_code(task: str) -> str:
    """load_split(path) for the slides' MNIST CSV (label, then 784 pixels), and to_input (/255)."""
    dtype = "np.int64" if task == "multiclass" else "np.float32"
    return dedent(
        f"""\
        def load_split(path):
            \"\"\"One CSV file (label, then 784 pixels 0-255 per row) as uint8 images and labels.\"\"\"
            first = read_csv(path, header=None, nrows=1).iloc[0, 0]
            table = read_csv(path, header=None if str(first).strip().isdigit() else 0)
            if table.shape[1] != 785:
                n = table.shape[1]
                sys.exit(f"{{path}} has {{n}} columns; MNIST's has 785: the label, then 784 pixels.")
            table = numbers(table, list(table.columns), path)
            X = table[:, 1:].astype(np.uint8).reshape(-1, 28, 28)
            y = table[:, 0].astype({dtype})
            {_TO_TENSORS}


        def to_input(xb):
            \"\"\"Pixels 0..255 to 0..1: the preprocessing is a division by 255.\"\"\"
            return xb.float() / 255.0
        """
    )


def evaluate_code(task: str) -> str:
    """evaluate(model, X, y): loss and metrics in eval mode, with the CLI's JSON keys."""
    if task == "regression":
        metrics = dedent(
            """\
            pred, truth = pred.double().numpy(), y.double().numpy()
            error = truth - pred
            result["valid_rmse"] = float(np.sqrt(np.mean(error**2)))
            result["valid_mae"] = float(np.mean(np.abs(error)))
            spread = float(np.sum((truth - truth.mean()) ** 2))
            result["valid_r2"] = 1.0 - float(np.sum(error**2)) / spread if spread > 0 else 0.0
            """
        )
    else:
        metrics = 'result["valid_accuracy"] = float((pred == y.long()).double().mean())\n'
    return (
        "@torch.no_grad()\n"
        "def evaluate(model, X, y):\n"
        '    """Validation loss and metrics, with dropout off and BatchNorm\'s running statistics."""\n'
        "    model.eval()\n"
        "    output = torch.cat(\n"
        f"        [model(to_input(X[i : i + {EVAL_BATCH}])) for i in range(0, len(X), {EVAL_BATCH})]\n"
        "    )\n"
        "    model.train()\n"
        '    result = {"valid_loss": float(compute_loss(output, y))}\n'
        f"    pred = {PREDICT_CODE[task]}\n" + indent(metrics, "    ") + "    return result\n"
    )


def init_code(scheme: str) -> str:
    """init_weights(model) for the Xavier or He scheme ("" for PyTorch's default)."""
    if scheme == "default":
        return ""
    call = (
        "nn.init.xavier_uniform_(m.weight)"
        if scheme == "xavier"
        else 'nn.init.kaiming_normal_(m.weight, nonlinearity="relu")'
    )
    name = "Xavier (Glorot) uniform" if scheme == "xavier" else "He (Kaiming) normal"
    return dedent(
        f"""\
        def init_weights(model):
            \"\"\"{name} weights and zero biases for every Linear and Conv2d layer.\"\"\"
            for m in model.modules():
                if isinstance(m, (nn.Linear, nn.Conv2d)):
                    {call}
                    nn.init.zeros_(m.bias)
        """
    )
