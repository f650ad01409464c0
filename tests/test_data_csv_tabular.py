"""Generic tabular CSV import: task inference, splits, standardization and bad cases."""

from __future__ import annotations

import io

import numpy as np
import pytest

import data
from data import DataFormatError, load_tabular_csv
from data.tabular import BOSTON_CSV, boston_raw, iris_raw


def _file(text: str, name: str = "table.csv") -> io.BytesIO:
    f = io.BytesIO(text.encode())
    f.name = name
    return f


def _iris_csv(labels: str = "names") -> str:
    X, y, names, classes = iris_raw()
    head = ",".join(names + ["species"])
    lab = [classes[c] for c in y] if labels == "names" else [str(c) for c in y]
    return (
        head
        + "\n"
        + "\n".join(",".join([*map(str, r), lbl]) for r, lbl in zip(X.tolist(), lab, strict=True))
    )


def test_boston_csv_regression_split_and_standardization():
    ds = load_tabular_csv(BOSTON_CSV, target="MEDV", seed=0)
    X, y, names = boston_raw()
    assert ds.task == "regression" and ds.class_names is None and ds.name == "boston_housing"
    assert ds.feature_names == names
    assert ds.X_train.shape == (405, 13) and ds.X_valid.shape == (101, 13)
    assert ds.y_train.dtype == np.float32 and ds.X_train.dtype == np.float32
    np.testing.assert_allclose(ds.X_train.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(ds.X_train.std(axis=0), 1, atol=1e-4)
    raw_train = ds.X_train * ds.feature_std + ds.feature_mean
    np.testing.assert_allclose(ds.feature_mean, raw_train.mean(axis=0), rtol=1e-4)
    assert not np.allclose(ds.feature_mean, X.mean(axis=0), rtol=1e-3)


def test_course_split_keeps_file_order_and_features_select():
    ds = load_tabular_csv(BOSTON_CSV, target="MEDV", features=["RM", "LSTAT"], split="course")
    _, y, _ = boston_raw()
    assert ds.feature_names == ["RM", "LSTAT"] and ds.X_train.shape == (405, 2)
    np.testing.assert_allclose(ds.y_train, y[:405])


def test_string_labels_become_class_names_and_split_is_stratified():
    ds = load_tabular_csv(_file(_iris_csv()), target="species", seed=3)
    assert ds.task == "multiclass" and ds.class_names == ["setosa", "versicolor", "virginica"]
    assert ds.y_train.dtype == np.int64 and len(ds.y_train) == 120 and len(ds.y_valid) == 30
    assert np.bincount(ds.y_valid).tolist() == [10, 10, 10]
    again = load_tabular_csv(_file(_iris_csv()), target="species", seed=3)
    np.testing.assert_array_equal(ds.X_train, again.X_train)
    assert ds.feature_names == data.load("iris").feature_names


def test_task_inference():
    assert load_tabular_csv(_file(_iris_csv("ints")), "species").task == "multiclass"
    binary = "a,b,label\n" + "\n".join(f"{i},{i % 3},{'yes' if i % 2 else 'no'}" for i in range(20))
    ds = load_tabular_csv(_file(binary), "label")
    assert ds.task == "binary" and ds.class_names == ["no", "yes"] and ds.n_outputs == 1
    ints = "x,y\n" + "\n".join(f"{i},{i * 3}" for i in range(50))  # 50 distinct whole numbers
    assert load_tabular_csv(_file(ints), "y").task == "regression"
    floats = "x,y\n" + "\n".join(f"{i},{i % 2 + 0.5}" for i in range(10))
    assert load_tabular_csv(_file(floats), "y").task == "regression"
    labels_1_2_3 = "x,y\n" + "\n".join(f"{i},{i % 3 + 1}" for i in range(30))
    ds = load_tabular_csv(_file(labels_1_2_3), "y")
    assert ds.class_names == ["1", "2", "3"] and set(ds.y_train.tolist()) == {0, 1, 2}
    assert load_tabular_csv(_file(labels_1_2_3), "y", task="regression").task == "regression"


def _error(text: str, target: str = "y", **kw) -> str:
    with pytest.raises(DataFormatError) as info:
        load_tabular_csv(_file(text), target, **kw)
    return str(info.value)


def test_error_unknown_target_lists_columns():
    msg = _error("a,b,c\n1,2,3\n4,5,6\n", target="price")
    assert "no column 'price'" in msg and "Available columns: a, b, c" in msg


def test_error_semicolon_file_hint():
    assert "semicolons" in _error("a;y\n1;2\n3;4\n")


def test_error_wrong_column_count():
    msg = _error("x,y\n1,2\n3,4,5\n")
    assert "table.csv, row 3 has 3 values but the header row has 2 columns (x, y)" in msg
    assert "row 2 has 1 values" in _error("x,y\n1\n")


def test_error_non_numeric_feature():
    msg = _error("x,z,y\n1,2,0\n3,abc,1\n")
    assert "row 3, column 'z' (B): 'abc' is not a number" in msg


def test_error_empty_cells():
    assert "row 3, column 'x' (A) is empty" in _error("x,y\n1,0\n,1\n")
    assert "row 2, column 'y' (B) is empty ('NA')" in _error("x,y\n1,NA\n2,1\n")


def test_error_empty_and_header_only_and_size():
    assert "empty" in _error("")
    assert "only a header row" in _error("x,y\n")
    msg = _error("x,y\n" + "1,2\n" * 1000, max_bytes=1024)
    assert "larger than the 0.000977 MB limit" in msg


def test_error_header_problems():
    assert "appears twice" in _error("x,x,y\n1,2,3\n4,5,6\n")
    assert "column 2 (B) has no name" in _error("x,,y\n1,2,3\n4,5,6\n")


def test_error_task_mismatches():
    assert "exactly 2 classes" in _error("x,y\n1,0\n2,1\n3,2\n", task="binary")
    assert "cannot be used for regression" in _error("x,y\n1,a\n2,b\n", task="regression")
    assert "only one class" in _error("x,y\n1,a\n2,a\n")
    with pytest.raises(ValueError, match="Unknown task"):
        load_tabular_csv(_file("x,y\n1,2\n"), "y", task="ranking")


def test_error_bad_feature_choices():
    assert "no column(s) 'q'" in _error("x,y\n1,2\n3,4\n", features=["q"])
    assert "cannot also be a feature" in _error("x,y\n1,2\n3,4\n", features=["x", "y"])
    assert "only 1 data row" in _error("x,y\n1,2\n")


def test_big5_header_is_decoded():
    text = "面積,價格\n" + "\n".join(f"{i},{i * 1.5}" for i in range(10))
    f = io.BytesIO(text.encode("cp950"))
    ds = load_tabular_csv(f, "價格")
    assert ds.feature_names == ["面積"] and ds.task == "regression"
