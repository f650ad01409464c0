"""`python -m data export NAME DIR`: the app's exact rows, as CSV files NN Lab's own readers accept."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import data
from data.__main__ import main
from data.export import csv_files, raw_features, write_csv_files
from data.splits import apply_standardizer
from tests.test_error_codes import _check, _raised

IRIS = data.load("iris")


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("iris", {"features": ["petal width (cm)", "sepal length (cm)"]}),
        ("iris", {"split": "course"}),
        ("boston", {}),
        ("boston", {"split": "course", "features": ["LSTAT", "B", "TAX"]}),
    ],
)
def test_table_rows_are_the_originals_and_standardize_to_the_apps_exactly(name, options):
    ds = data.load(name, **options)
    for part in ("train", "valid"):
        raw = raw_features(ds, part)
        again = apply_standardizer(raw, ds.feature_mean, ds.feature_std)
        assert np.array_equal(again, getattr(ds, f"X_{part}"))


def test_the_files_read_back_through_pandas_and_load_tabular_csv(tmp_path):
    ds = data.load("iris")
    paths = write_csv_files(ds, tmp_path / "out")
    assert [p.name for p in paths] == ["train.csv", "valid.csv"]
    frame = pd.read_csv(paths[1])
    assert list(frame.columns) == [*ds.feature_names, "species"]
    assert frame["species"].tolist() == [ds.class_names[i] for i in ds.y_valid]
    again = data.load_tabular_csv(paths[0], target="species")
    assert again.feature_names == ds.feature_names and again.task == "multiclass"
    assert len(again.y_train) + len(again.y_valid) == len(ds.y_train)
    boston = data.load_tabular_csv(csv_files(data.load("boston"))["valid.csv"], target="MEDV")
    assert boston.task == "regression" and len(boston.y_train) + len(boston.y_valid) == 106


def test_xor_clouds_keep_their_float32_coordinates_exactly():
    ds = data.load("xor", n_per_corner=6, noise=0.3)
    frame = pd.read_csv(pd.io.common.BytesIO(csv_files(ds)["train.csv"]))
    assert np.array_equal(frame[["x1", "x2"]].to_numpy().astype(np.float32), ds.X_train)
    assert np.array_equal(frame["y"].to_numpy(), ds.y_train)


def test_mnist_is_the_slides_format_and_loads_back_identically(tmp_path):
    assert main(["export", "mnist", str(tmp_path), "--n-train", "300", "--n-valid", "50"]) == 0
    first = (tmp_path / "mnist_train.csv").read_text().splitlines()[0].split(",")
    assert len(first) == 785 and first[0].isdigit()  # no header: label, then 784 pixels
    ds = data.load("mnist", n_train=300, n_valid=50)
    again = data.load_mnist_csv(tmp_path / "mnist_train.csv", tmp_path / "mnist_valid.csv")
    assert np.array_equal(again.X_train, ds.X_train) and np.array_equal(again.y_valid, ds.y_valid)


def test_an_uploaded_table_is_written_back_within_rounding():
    """A table NN Lab did not ship is un-standardized, not looked up: float32's rounding remains."""
    raw = pd.read_csv(data.tabular.BOSTON_CSV).head(60)
    ds = data.load_tabular_csv(raw.to_csv(index=False).encode(), target="MEDV", split="course")
    error = np.abs(raw_features(ds, "train") - raw.iloc[:48, :-1].to_numpy())
    assert (error <= 1e-6 * ds.feature_std * np.abs(ds.X_train).max(axis=0) + 1e-9).all()


def test_the_command_honours_the_split_and_reports_bad_input(tmp_path, capsys):
    assert main(["export", "boston", str(tmp_path), "--split", "course"]) == 0
    assert "wrote" in capsys.readouterr().out
    assert len(pd.read_csv(tmp_path / "valid.csv")) == 106  # the course's last 106 rows
    assert main(["export", "mnist", str(tmp_path), "--n-train", "0"]) == 2
    assert "n_train" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["export", "cifar", str(tmp_path)])  # only NN Lab's own datasets are written


@pytest.mark.parametrize(
    ("name", "flags", "options"),
    [
        ("first_symbol", ["--seq-len", "6"], {"seq_len": 6}),
        ("noisy_wave", ["--n-sequences", "40"], {"n_sequences": 40}),  # its own noise, 0.1
        ("marked_sum", ["--seq-len", "5", "--noise", "0.2"], {"seq_len": 5, "noise": 0.2}),
    ],
)
def test_a_sequence_task_is_one_sequence_per_row_read_back_exactly(name, flags, options, tmp_path):
    assert main(["export", name, str(tmp_path), *flags]) == 0
    ds = data.load(name, **options)
    for part in ("train", "valid"):
        frame = pd.read_csv(tmp_path / f"{part}.csv")
        steps, features = ds.input_shape
        assert list(frame.columns) == [
            *(f"{f}_{t}" for t in range(1, steps + 1) for f in ds.feature_names),
            "target",
        ]
        X = frame.iloc[:, :-1].to_numpy(dtype=np.float32).reshape(-1, steps, features)
        assert np.array_equal(X, getattr(ds, f"X_{part}"))
        y = getattr(ds, f"y_{part}")
        assert np.array_equal(frame["target"].to_numpy().astype(y.dtype), y)


def test_a_table_that_names_its_target_keeps_that_column_name():
    raw = pd.read_csv(data.tabular.BOSTON_CSV).head(40)
    ds = data.load_tabular_csv(raw.to_csv(index=False).encode(), target="MEDV")
    ds.options = {"target": "MEDV"}  # as a lab that loaded it records the column it chose
    assert csv_files(ds)["train.csv"].decode().splitlines()[0].endswith(",MEDV")
    ds.options = {}
    assert csv_files(ds)["train.csv"].decode().splitlines()[0].endswith(",target")


def test_a_folder_that_is_a_file_is_one_line_not_an_errno(tmp_path, capsys):
    taken = tmp_path / "notes.txt"
    taken.write_text("mine")
    assert main(["export", "iris", str(taken)]) == 2
    assert capsys.readouterr().err == (
        f"error: {taken} is a file, not a folder; choose a folder to write the CSV files into.\n"
    )
    assert taken.read_text() == "mine"
    _check(_raised(lambda: write_csv_files(IRIS, taken)), "export_folder_is_file", None)


def test_only_the_last_folder_level_is_made_as_save_and_out_do(tmp_path, capsys):
    deep = tmp_path / "missing" / "x" / "y"
    assert main(["export", "iris", str(deep)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"error: The folder {deep.parent} does not exist, so {deep} cannot be made in it; "
        "create it first or choose another folder.\n"
    )
    assert not (tmp_path / "missing").exists()  # no folder tree was made
    _check(_raised(lambda: write_csv_files(IRIS, deep)), "export_folder_parent_missing", None)
    assert main(["export", "iris", str(tmp_path / "new")]) == 0  # DIR itself is made
    assert (tmp_path / "new" / "train.csv").is_file()


def test_an_empty_feature_list_is_refused_not_read_as_every_feature(tmp_path, capsys):
    assert main(["export", "iris", str(tmp_path), "--features", ""]) == 2
    assert capsys.readouterr().err.startswith("error: features is empty")
    assert not (tmp_path / "train.csv").exists()
