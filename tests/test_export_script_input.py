"""The exported script, given the commonest wrong input at home, stops with one sentence, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import data
from data.export import write_csv_files
from models import ModelConfig, TrainConfig
from models.export import export_script

IRIS = data.load("iris")
GOOD_HEADER = ",".join(IRIS.feature_names + ["species"])
GOOD_ROW = "5.1,3.5,1.4,0.2,setosa"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONNOUSERSITE"] = "1"
    return env


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A folder with the Iris script and its data, as a student unzips them."""
    root = tmp_path_factory.mktemp("home")
    mc = ModelConfig(IRIS.input_shape, IRIS.n_outputs, IRIS.task, hidden=(4,))
    (root / "run.py").write_text(export_script(mc, TrainConfig(epochs=1), IRIS), encoding="utf-8")
    write_csv_files(IRIS, root / "data")
    return root


# case -> (train.csv bytes or None for no file, extra arguments, what the one line says)
CASES = {
    "no data folder": (None, ["--data", "nowhere"], "There is no nowhere/train.csv"),
    "an empty file": (b"", [], "can't be read as a UTF-8 CSV file"),
    "Big5 from Excel": ("花萼長度,b\n1,2\n".encode("big5"), [], "can't be read as a UTF-8 CSV"),
    "another lab's columns": (b"x1,x2,y\n0,1,1\n", [], "has no column sepal length (cm)"),
    "an empty cell": (
        f"{GOOD_HEADER}\n{GOOD_ROW}\n,3.0,1.4,0.2,setosa\n".encode(),
        [],
        "train.csv, row 3: sepal length (cm) is empty or not a number",
    ),
    "an unknown class": (
        f"{GOOD_HEADER}\n{GOOD_ROW}\n5.0,3.0,1.4,0.2,山鳶尾\n".encode(),
        [],
        "train.csv, row 3: species '山鳶尾' is not one of",
    ),
    "an --out folder that does not exist": (
        None,
        ["--out", "missing/m.pth"],
        "--out missing/m.pth",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_wrong_input_gets_one_sentence(folder, tmp_path, case):
    train, extra, said = CASES[case]
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "valid.csv").write_bytes((folder / "data" / "valid.csv").read_bytes())
    if train is not None:
        (data_dir / "train.csv").write_bytes(train)
    elif "--data" not in extra:
        (data_dir / "train.csv").write_bytes((folder / "data" / "train.csv").read_bytes())
    done = subprocess.run(
        [sys.executable, str(folder / "run.py"), "--data", str(data_dir), *extra],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and said in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not (tmp_path / "model.pth").exists()
