"""The shipped MNIST models: what their README says is what the files hold, and how well they read.

The README records the CLI command that made each file; these tests hold the
files to those commands (architecture and training settings) and measure the
accuracy the README and the issue claim on the 10,000 validation digits.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import numpy as np
import pytest

import data
from models import load_model_file, predict
from models.cli import build_parser
from ui.mnist.models import PRETRAINED_DIR, PRETRAINED_FILES

README = (PRETRAINED_DIR / "README.md").read_text()
# Issue 4 asked for >= 97% and >= 98.5%; issue 14 retrained both with augmentation and
# allowed their clean accuracy to fall at most 0.2 points below the 97.84% and 99.05% before.
GOALS = {"mlp": 0.9764, "cnn": 0.9885}


def recorded_commands() -> dict[str, list[str]]:
    """The `python -m models.train ...` commands in the README, by the file they --save."""
    block = README.split("```bash", 1)[1].split("```", 1)[0]
    commands = {}
    for text in block.replace("\\\n", " ").split("\n"):
        words = shlex.split(text)
        if "models.train" not in words:
            continue
        argv = words[words.index("models.train") + 1 :]
        commands[Path(argv[argv.index("--save") + 1]).name] = argv
    return commands


@pytest.fixture(scope="module")
def mnist():
    return data.load("mnist")


def test_the_readme_records_a_command_for_every_shipped_file():
    assert set(recorded_commands()) == set(PRETRAINED_FILES.values())


@pytest.mark.parametrize("kind", list(PRETRAINED_FILES))
def test_each_file_holds_what_its_command_trains(kind):
    args = build_parser().parse_args(recorded_commands()[PRETRAINED_FILES[kind]])
    model, meta = load_model_file(PRETRAINED_DIR / PRETRAINED_FILES[kind])  # weights_only=True
    mc, tc = meta["model_config"], meta["train_config"]
    assert (args.dataset, mc["kind"], mc["hidden"], mc["activation"]) == (
        "mnist",
        kind,
        args.hidden,
        args.activation,
    )
    if kind == "cnn":
        assert (mc["conv_channels"], mc["kernel_size"]) == (args.conv_channels, args.kernel_size)
    assert (tc["optimizer"], tc["lr"], tc["batch_size"], tc["epochs"], tc["seed"], tc["loss"]) == (
        args.optimizer,
        args.lr,
        args.batch_size,
        args.epochs,
        args.seed,
        args.loss,
    )
    assert tc.get("augment", False) == args.augment
    assert len(meta["history"]["epochs"]) == args.epochs
    assert meta["dataset"]["split"] == args.split


@pytest.mark.parametrize("kind", list(PRETRAINED_FILES))
def test_each_model_reads_the_validation_digits_as_well_as_claimed(kind, mnist):
    model, meta = load_model_file(PRETRAINED_DIR / PRETRAINED_FILES[kind])
    accuracy = float((predict(model, mnist.X_valid) == np.asarray(mnist.y_valid)).mean())
    assert len(mnist.y_valid) == 10_000
    assert accuracy >= GOALS[kind]
    # The same number the training run recorded, and the README's table.
    assert accuracy == pytest.approx(meta["history"]["epochs"][-1]["valid_accuracy"], abs=1e-4)
    row = next(line for line in README.splitlines() if f"`{PRETRAINED_FILES[kind]}`" in line)
    assert f"{accuracy:.2%}" in row, (row, accuracy)
    assert re.search(r"\(([\d,]+) parameters\)", row).group(1).replace(",", "") == str(
        sum(p.numel() for p in model.parameters())
    )
