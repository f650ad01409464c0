"""The exported script, run without NN Lab on the path, reaches the app's validation metric.

One module-scoped fixture trains nine runs with models.TrainingRun (XOR, Iris,
Boston, an MNIST MLP and a CNN on small MNIST subsets, an LSTM, a GRU and an RNN on
the RNN lab's three sequence tasks, and a Your data table of prices around 300,000
that trains on its standardized target), saves them, exports each with
`python -m models.export` (Boston and the LSTM as subprocesses, the others through
the same main()) and its data with `python -m data export` (the table with
data.export.write_csv_files, as the Code view offers it), then runs the nine scripts
at once, each in its own temp folder with a clean environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import data
from data.__main__ import main as data_main
from data.csv_table import read_table
from data.csv_table_dataset import table_dataset, target_scale
from data.export import write_csv_files
from models import ModelConfig, TrainConfig, TrainingRun, save_model
from models.export import main as export_main
from models.threads import live_threads

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 300

# name -> (data.load arguments, `python -m data export` flags, ModelConfig changes, TrainConfig).
CASES = {
    "xor": (
        {"n_per_corner": 10, "noise": 0.2},
        ["--n-per-corner", "10", "--noise", "0.2"],
        {"hidden": (4,), "activation": "tanh"},
        TrainConfig(optimizer="sgd", lr=0.5, batch_size=4, epochs=15, loss="mse", seed=3),
    ),
    "iris": (
        {"features": ["sepal length (cm)", "petal length (cm)", "petal width (cm)"]},
        ["--features", "sepal length (cm),petal length (cm),petal width (cm)"],
        {"hidden": (8, 8), "activation": "leaky_relu", "dropout": 0.1, "init": "xavier"},
        TrainConfig(optimizer="momentum", lr=0.05, batch_size=16, epochs=15, weight_decay=1e-4),
    ),
    "boston": (
        {"split": "course"},
        ["--split", "course"],
        {"hidden": (32, 16), "activation": "elu", "batchnorm": True, "init": "he"},
        TrainConfig(
            optimizer="rmsprop", lr=0.01, epochs=40, early_stopping=3, clip_grad=1.0, seed=1
        ),
    ),
    "mnist": (
        {"n_train": 2000, "n_valid": 500},
        ["--n-train", "2000", "--n-valid", "500"],
        {"hidden": (64,), "activation": "softplus"},
        TrainConfig(batch_size=64, epochs=1),
    ),
    "cnn": (
        {"n_train": 400, "n_valid": 200},
        ["--n-train", "400", "--n-valid", "200"],
        {"kind": "cnn", "hidden": (16,), "conv_channels": (4, 8), "batchnorm": True},
        TrainConfig(batch_size=32, epochs=1, seed=2),
    ),
    # The RNN lab: one case per kind, on each of its three tasks (short, so they train fast).
    "lstm": (
        {"seq_len": 10, "n_sequences": 300},
        ["--seq-len", "10", "--n-sequences", "300"],
        {"kind": "lstm", "hidden": (16,), "activation": "tanh", "forget_bias": 1.0},
        TrainConfig(lr=0.01, batch_size=32, epochs=3, clip_grad=1.0),
    ),
    "gru": (
        {"seq_len": 8, "n_sequences": 300, "noise": 0.05},
        ["--seq-len", "8", "--n-sequences", "300", "--noise", "0.05"],
        {"kind": "gru", "hidden": (8, 8), "activation": "tanh", "init": "xavier"},
        TrainConfig(optimizer="rmsprop", lr=0.005, batch_size=16, epochs=3, seed=4),
    ),
    "rnn": (
        {"seq_len": 12, "n_sequences": 200},  # noisy_wave's own noise, 0.1
        ["--seq-len", "12", "--n-sequences", "200"],
        {"kind": "rnn", "hidden": (12,), "activation": "tanh"},
        TrainConfig(optimizer="momentum", lr=0.02, batch_size=8, epochs=2, seed=1),
    ),
    # Your data: a price around 300,000 (std ~55,000), the lab's network and optimizer.
    "price": (
        {},
        [],
        {"hidden": (32,)},
        TrainConfig(optimizer="adam", lr=0.01, batch_size=16, epochs=8),
    ),
}
SUBPROCESS_CLI = ("boston", "lstm")  # both commands run as commands; main() for the rest
REGRESSION = ("boston", "price", "gru", "rnn")
# The data.load name of the cases named otherwise.
DATA_NAMES = {"cnn": "mnist", "lstm": "first_symbol", "gru": "marked_sum", "rnn": "noisy_wave"}


def _price_table():
    """A student's table: three features and a price around 300,000 (noise 5,000)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = 300_000 + 50_000 * X[:, 0] - 20_000 * X[:, 1] + rng.normal(0, 5_000, 200)
    lines = [f"{a:.4f},{b:.4f},{c:.4f},{t:.2f}" for (a, b, c), t in zip(X, y, strict=True)]
    frame, _ = read_table(("a,b,c,price\n" + "\n".join(lines) + "\n").encode())
    return table_dataset(frame, "price", ["a", "b", "c"])


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def _cli(module: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(proc: subprocess.Popen) -> str:
    out, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 0, err
    return out


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """{case: (the app's last epoch row, the script's JSON result, the script's folder)}."""
    app, folders, procs = {}, {}, []
    for case, (options, flags, changes, tc) in CASES.items():
        folder = tmp_path_factory.mktemp(case)
        name = DATA_NAMES.get(case, case)
        ds = _price_table() if case == "price" else data.load(name, **options)
        mc = ModelConfig(input_shape=ds.input_shape, n_outputs=ds.n_outputs, task=ds.task)
        mean, std = target_scale(ds) if case == "price" else (0.0, 1.0)  # as the lab sets it
        changes = {**changes, "target_mean": mean, "target_std": std}
        mc = ModelConfig.from_dict({**mc.to_dict(), **changes})
        run = TrainingRun(ds, mc, tc).advance(threads=live_threads(1))  # as the app, one run
        # What the app shows: the kept weights' metrics (the best epoch's after early stopping).
        kept = {f"valid_{k}": v for k, v in run.evaluate("valid").items()}
        app[case] = {**kept, "epoch": run.epoch, "last_row": run.history.epochs[-1]}
        save_model(run.model, folder / "model.pth", train_config=tc, dataset=ds)
        args = (str(folder / "model.pth"), "--out", str(folder / "run.py"))
        data_args = (name, str(folder / "DATA"), *flags)
        if case == "price":
            assert export_main(list(args)) == 0
            write_csv_files(ds, folder / "DATA")
        elif case in SUBPROCESS_CLI:
            procs += [_cli("models.export", *args), _cli("data", "export", *data_args)]
        else:
            assert export_main(list(args)) == 0
            assert data_main(["export", *data_args]) == 0
        folders[case] = folder
    for proc in procs:
        _finish(proc)
    scripts = {
        case: subprocess.Popen(
            [sys.executable, "run.py", "--data", "DATA", "--json", "--out", "net.pth"],
            cwd=folder,
            env=_clean_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for case, folder in folders.items()
    }
    return {
        case: (app[case], json.loads(_finish(proc).strip().splitlines()[-1]), folders[case])
        for case, proc in scripts.items()
    }


@pytest.mark.parametrize("case", list(CASES))
def test_script_reaches_the_apps_metric(results, case):
    app_row, script, _ = results[case]
    key = "valid_rmse" if case in REGRESSION else "valid_accuracy"
    assert set(script) >= {key, "valid_loss", "status", "epochs"}
    # Same weights, batches and arithmetic: equal up to float printing, far inside the 1% asked.
    assert script[key] == pytest.approx(app_row[key], rel=0.01)
    assert script["valid_loss"] == pytest.approx(app_row["valid_loss"], rel=0.01)
    # The same thread count on both sides (one for a small step, else the app's): bit for bit.
    assert script["valid_loss"] == pytest.approx(app_row["valid_loss"], rel=1e-6)
    assert script["epochs"] == app_row["epoch"]


def test_early_stopping_reports_the_restored_weights_and_saves_a_state_dict(results):
    app_row, script, folder = results["boston"]
    assert script["status"] == "early_stopped"
    # The restored best epoch scores differently from the last one trained; the JSON is the
    # saved (restored) model's, as the app's, not the last epoch's row.
    assert app_row["last_row"]["valid_loss"] != pytest.approx(app_row["valid_loss"], rel=1e-3)
    assert script["valid_loss"] == pytest.approx(app_row["valid_loss"], rel=1e-6)
    import torch

    state = torch.load(folder / "net.pth", weights_only=True)
    assert list(state)[:2] == ["fc1.weight", "fc1.bias"] and "bn1.running_mean" in state


def test_script_runs_without_nn_lab(results):
    """The scripts ran from a temp folder with no PYTHONPATH: NN Lab was not importable there."""
    _, _, folder = results["xor"]
    probe = subprocess.run(
        [sys.executable, "-c", "import importlib.util as u; print(u.find_spec('models'))"],
        cwd=folder,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.stdout.strip() == "None"


def test_a_large_target_scores_far_below_predicting_the_mean_in_its_units(results):
    app_row, script, folder = results["price"]
    assert "TARGET_MEAN, TARGET_STD = " in (folder / "run.py").read_text(encoding="utf-8")
    ds = _price_table()
    mean_only = float(np.sqrt(np.mean((ds.y_valid - target_scale(ds)[0]) ** 2)))
    assert mean_only > 40_000  # what always predicting the training mean scores
    assert script["valid_rmse"] < 0.25 * mean_only and app_row["valid_rmse"] < 0.25 * mean_only
