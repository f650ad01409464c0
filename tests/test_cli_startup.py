"""`python -m models.train --help` and argument errors answer without importing torch.

Importing torch takes seconds, so the CLI imports the trainer only after its
arguments parse, and the `models` package loads its public names on first use
(PEP 562). These tests look at sys.modules in a fresh interpreter rather than
at a clock, so they hold on any machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Runs the CLI's main in-process, then reports its exit code and whether torch was imported.
_PROBE = """
import json, sys
from models.cli import main
try:
    code = main({argv!r})
except SystemExit as exc:
    code = exc.code
print(json.dumps({{"code": code, "torch": "torch" in sys.modules}}), file=sys.stderr)
"""


def _probe(argv: list[str]) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE.format(argv=argv)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return json.loads(proc.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "argv, code",
    [
        (["--help"], 0),
        (["--dataset", "mnist", "--epochs", "many"], 2),  # not a number
        (["--dataset", "mnist", "--optimizer", "adamw"], 2),  # not a choice
        (["--dataset", "nope"], 2),
        ([], 2),  # --dataset is required
        (["--dataset", "iris", "--dropout", "1.0"], 2),  # out of range: a sentence, no torch
        (["--dataset", "iris", "--hidden", "0"], 2),
        (["--dataset", "xor", "--save", "/nonexistent/dir/x.pth"], 2),  # its folder is missing
        (["--dataset", "xor", "--save", "."], 2),  # a folder, not a file
        (["--dataset", "xor", "--lr", "1e30"], 2),  # beyond a flag's limits (models.flags)
        (["--dataset", "xor", "--seed", "-5"], 2),
    ],
)
def test_help_and_bad_arguments_do_not_import_torch(argv, code):
    assert _probe(argv) == {"code": code, "torch": False}


def test_running_the_module_prints_help_without_torch():
    """The real entry point, `python -m models.train`, imports the `models` package first."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "models.train", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0 and "--augment" in proc.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()}
    assert "models.cli" in imported and "torch" not in imported


def test_the_package_still_exports_every_name_and_loads_torch_only_when_asked():
    code = """
import sys
import models
assert "torch" not in sys.modules
import models.predict  # a submodule sharing a public function's name
from models import TrainingRun, predict, train, ModelConfig
assert callable(predict) and callable(train) and TrainingRun.__name__ == "TrainingRun"
assert "torch" in sys.modules
missing = [n for n in models.__all__ if not hasattr(models, n)]
assert not missing, missing
assert set(models.__all__) <= set(dir(models))
try:
    models.no_such_name
except AttributeError:
    pass
else:
    raise AssertionError("no AttributeError")
print("ok")
"""
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.stdout.strip() == "ok", proc.stderr


def test_the_torch_free_choices_match_the_tables_they_stand_for():
    from models.activations import BUILDER_ACTIVATIONS
    from models.config import ACTIVATION_NAMES, OPTIMIZER_NAMES
    from models.optimizers import OPTIMIZERS

    assert list(ACTIVATION_NAMES) == list(BUILDER_ACTIVATIONS)
    assert list(OPTIMIZER_NAMES) == list(OPTIMIZERS)
