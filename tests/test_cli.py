"""`python -m models.train`: per-epoch lines, the --json summary, saving, exit codes.

The CLI's code is tested through models.cli.main; `models.train` is only ever run as a
module (`python -m`), never imported, since importing it would shadow the models.train function.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import models
from models import cli
from models.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _run_cli(*args: str, timeout: float = 280) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "models.train", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _epoch_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("epoch ")]


def test_iris_smoke_run_in_a_subprocess(tmp_path):
    saved = tmp_path / "iris.pth"
    proc = _run_cli("--dataset", "iris", "--epochs", "3", "--json", "--save", str(saved))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = _epoch_lines(proc.stdout)
    assert len(lines) == 3 and lines[0].startswith("epoch   1/3") and "valid_accuracy=" in lines[0]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert 0.0 <= result["valid_accuracy"] <= 1.0
    assert len(result["epoch_seconds"]) == 3 and all(s >= 0 for s in result["epoch_seconds"])
    assert result["train_seconds"] == pytest.approx(sum(result["epoch_seconds"]), abs=1e-3)
    assert result["status"] == "finished" and result["epochs"] == 3 and result["n_params"] > 0
    model, meta = models.load_model_file(saved)
    assert meta["dataset"]["name"] == "iris" and meta["train_config"]["epochs"] == 3
    assert model.config.input_shape == (4,)


def test_boston_reports_regression_metrics(capsys):
    assert (
        main(["--dataset", "boston", "--epochs", "2", "--hidden", "16", "--lr", "0.01", "--json"])
        == 0
    )
    out = capsys.readouterr().out
    assert len(_epoch_lines(out)) == 2 and "valid_rmse=" in _epoch_lines(out)[0]
    result = json.loads(out.strip().splitlines()[-1])
    assert {"valid_rmse", "valid_mae", "valid_r2", "valid_loss"} <= set(result)
    assert "valid_accuracy" not in result
    assert result["valid_rmse"] > 0 and result["valid_r2"] <= 1.0


def test_xor_in_process(capsys, tmp_path):
    code = main(
        [
            "--dataset",
            "xor",
            "--hidden",
            "8",
            "--activation",
            "tanh",
            "--lr",
            "0.05",
            "--batch-size",
            "4",
            "--epochs",
            "5",
            "--seed",
            "1",
            "--json",
            "--save",
            str(tmp_path / "x.pth"),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert len(_epoch_lines(out)) == 5 and f"saved {tmp_path / 'x.pth'}" in out
    result = json.loads(out.strip().splitlines()[-1])
    assert result["epochs"] == 5 and len(result["epoch_seconds"]) == 5 and result["device"] == "cpu"
    assert models.load_model(tmp_path / "x.pth").config.hidden == (8,)


def test_without_json_there_is_no_json_line(capsys):
    assert main(["--dataset", "xor", "--epochs", "2"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("epoch ") for line in lines)


def test_divergence_exits_1_with_the_reason(capsys):
    assert (
        main(
            ["--dataset", "boston", "--optimizer", "sgd", "--lr", "100", "--epochs", "2", "--json"]
        )
        == 1
    )
    out = capsys.readouterr().out
    assert "learning rate" in out
    assert json.loads(out.strip().splitlines()[-1])["status"] == "diverged"


@pytest.mark.parametrize(
    "argv",
    [
        ["--dataset", "iris", "--optimizer", "lbfgs"],
        ["--dataset", "cifar"],
        ["--dataset", "iris", "--hidden", "a,b"],
        ["--dataset", "iris", "--epochs", "three"],
    ],
)
def test_bad_options_are_usage_errors(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--dataset", "iris", "--dropout", "1.0"], "Dropout"),
        (["--dataset", "iris", "--hidden", "0"], "neuron"),
        (["--dataset", "iris", "--batch-size", "0"], "--batch-size 0 is outside"),
        (["--dataset", "iris", "--lr", "-1"], "--lr -1 is outside the allowed range"),
        (["--dataset", "iris", "--model", "cnn"], "image input"),
        (["--dataset", "iris", "--features", "colour"], "Unknown feature"),
        (
            [
                "--dataset",
                "mnist",
                "--n-train",
                "64",
                "--n-valid",
                "32",
                "--model",
                "cnn",
                "--kernel-size",
                "0",
            ],
            "",
        ),
    ],
    ids=[
        "dropout-1",
        "zero-neurons",
        "batch-size-0",
        "negative-lr",
        "cnn-on-tabular",
        "unknown-feature",
        "cnn-kernel-size-0",
    ],
)
@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors")
def test_bad_values_exit_2_with_a_message(argv, message, capsys):
    # The last case is a regression test: kernel size 0 used to pass build_model and crash in the
    # first forward pass, so the CLI died with a RuntimeError traceback instead of exiting 2.
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err


def test_a_bad_value_in_a_subprocess_has_no_traceback():
    proc = _run_cli("--dataset", "iris", "--dropout", "1.0", "--epochs", "1")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "Dropout must be" in proc.stderr


@pytest.mark.slow
def test_issue_mnist_mlp_reaches_97_percent_in_5_epochs():
    # The issue's exact command, on the full 60k/10k MNIST.
    proc = _run_cli(
        "--dataset",
        "mnist",
        "--model",
        "mlp",
        "--hidden",
        "128",
        "--epochs",
        "5",
        "--batch-size",
        "128",
        "--lr",
        "0.001",
        "--optimizer",
        "adam",
        "--seed",
        "0",
        "--json",
    )
    assert proc.returncode == 0, proc.stderr
    assert len(_epoch_lines(proc.stdout)) == 5
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["valid_accuracy"] >= 0.97
    assert result["n_params"] == 101_770 and len(result["epoch_seconds"]) == 5


@pytest.mark.parametrize("where", ["missing-folder", "a-folder"])
def test_a_save_path_that_cannot_be_written_is_refused_before_training(tmp_path, capsys, where):
    save = tmp_path / "nonexistent" / "x.pth" if where == "missing-folder" else tmp_path
    assert main(["--dataset", "xor", "--epochs", "2", "--save", str(save)]) == 2
    captured = capsys.readouterr()
    assert not _epoch_lines(captured.out)  # nothing trained, so nothing was lost
    assert captured.err.startswith("error: --save ") and captured.err.count("\n") == 1
    assert ("does not exist" if where == "missing-folder" else "is a folder") in captured.err


def test_a_sequence_task_keeps_its_own_noise_unless_one_is_given(monkeypatch):
    loads = []
    import data

    monkeypatch.setattr(data, "load", lambda name, **kw: loads.append(kw) or None)
    cli._load_dataset(cli.build_parser().parse_args(["--dataset", "noisy_wave"]))
    cli._load_dataset(cli.build_parser().parse_args(["--dataset", "noisy_wave", "--noise", "0.3"]))
    cli._load_dataset(cli.build_parser().parse_args(["--dataset", "xor"]))
    assert "noise" not in loads[0] and loads[1]["noise"] == 0.3 and loads[2]["noise"] == 0.0
