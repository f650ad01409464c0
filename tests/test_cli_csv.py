"""The CLI trains on the slides' MNIST CSV format and reports bad files without a traceback."""

import json

import data
from models.cli import main


def _write_csv(path, X, y):
    with open(path, "w") as f:
        for img, label in zip(X, y, strict=True):
            f.write(",".join([str(label), *map(str, img.ravel())]) + "\n")


def test_cli_trains_on_mnist_csv(tmp_path, capsys):
    ds = data.load("mnist", n_train=200, n_valid=50)
    _write_csv(tmp_path / "mnist_train.csv", ds.X_train, ds.y_train)
    _write_csv(tmp_path / "mnist_valid.csv", ds.X_valid, ds.y_valid)
    code = main(
        [
            "--dataset",
            "mnist",
            "--train-csv",
            str(tmp_path / "mnist_train.csv"),
            "--valid-csv",
            str(tmp_path / "mnist_valid.csv"),
            "--epochs",
            "2",
            "--json",
        ]
    )
    assert code == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["epochs"] == 2 and 0.0 <= result["valid_accuracy"] <= 1.0


def test_cli_reports_a_bad_csv_clearly(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("3,0,0\n")
    assert main(["--dataset", "mnist", "--train-csv", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "785" in err and "Traceback" not in err
