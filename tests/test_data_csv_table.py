"""Your own table (data/csv_table*.py): reading, describing, detecting the task, splitting."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data.csv_table import MIN_ROWS, read_table, sniff_delimiter
from data.csv_table_dataset import default_n_train, detect_task, table_dataset, target_scale
from data.csv_table_example import EXAMPLE_CSV, EXAMPLE_ROWS, example_table_csv


def _csv(rows: list[str], header: str = "a,b,y") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _rows(n: int, label=lambda i: "cat" if i % 2 else "dog") -> list[str]:
    return [f"{i},{(i * 7) % 11 / 2},{label(i)}" for i in range(n)]


@pytest.fixture(scope="module")
def example():
    return read_table(EXAMPLE_CSV)


def test_the_shipped_example_is_what_its_seed_generates(example):
    assert EXAMPLE_CSV.read_text(encoding="utf-8") == example_table_csv()
    frame, report = example
    assert (report.rows, len(report.columns), report.delimiter) == (EXAMPLE_ROWS, 6, ",")
    assert report.numeric_columns == [
        "weight_g",
        "length_cm",
        "width_cm",
        "sweetness_brix",
        "price_ntd",
    ]
    assert report.column("fruit").kind == "text" and report.column("fruit").distinct == 3
    assert report.column("weight_g").kind == "whole"
    assert list(frame.index[:3]) == [2, 3, 4]  # the file's own line numbers (header = 1)


@pytest.mark.parametrize(
    "values, task, reason",
    [
        (["1.5", "2.25", "3"], "regression", "decimals"),
        ([str(i) for i in range(30)], "regression", "many_whole"),
        (["0", "1", "1", "0"], "binary", "few_whole"),
        (["1", "2", "3", "2"], "multiclass", "few_whole"),
        (["yes", "no", "NA", "yes"], "binary", "text"),  # a missing cell is not a class
        (["a", "b", "c"], "multiclass", "text"),
    ],
)
def test_the_task_is_detected_with_a_reason(values, task, reason):
    guess = detect_task(pd.Series(values))
    assert (guess.task, guess.reason) == (task, reason)


def test_text_classes_are_named_split_stratified_and_standardized_on_training_rows(example):
    frame, report = example
    features = [c for c in report.numeric_columns if c != "price_ntd"]
    ds = table_dataset(frame, "fruit", features)
    assert ds.task == "multiclass" and ds.class_names == ["guava", "mango", "orange"]
    assert (len(ds.y_train), len(ds.y_valid)) == (240, 60) == (default_n_train(300), 60)
    whole = np.bincount(np.concatenate([ds.y_train, ds.y_valid])) / 300
    assert np.allclose(np.bincount(ds.y_valid) / 60, whole, atol=0.02)  # stratified
    assert np.allclose(ds.X_train.mean(axis=0), 0, atol=1e-5)
    assert ds.options["target"] == "fruit" and ds.feature_names == features


def test_regression_and_the_slides_first_n_rows_split(example):
    frame, _ = example
    ds = table_dataset(frame, "price_ntd", ["weight_g"], split="course", n_train=50)
    assert ds.task == "regression" and ds.class_names is None and ds.y_train.dtype == np.float32
    raw = ds.X_train[:, 0] * ds.feature_std[0] + ds.feature_mean[0]
    assert np.allclose(raw, frame["weight_g"].astype(float).to_numpy()[:50], atol=1e-3)
    assert np.allclose(ds.y_valid, frame["price_ntd"].astype(float).to_numpy()[50:])
    with pytest.raises(ValueError) as info:
        table_dataset(frame, "price_ntd", ["weight_g"], split="course", n_train=300)
    assert info.value.code == "table_n_train_range" and info.value.params["high"] == 299


def test_a_class_missing_from_the_first_rows_is_a_note():
    text = _csv(_rows(40, label=lambda i: "early" if i < 30 else "late"))
    frame, _ = read_table(text)
    ds = table_dataset(frame, "y", ["a", "b"], split="course", n_train=30)
    (note,) = ds.notes
    assert note.code == "table_class_not_in_training" and note.params == {
        "classes": "late",
        "count": 1,
    }


def test_semicolons_with_decimal_commas_and_tabs_are_read():
    text = "a;b;y\n" + "".join(f"{i},5;{i};{i % 3}\n" for i in range(30))
    frame, report = read_table(text.encode())
    assert (report.delimiter, report.decimal_comma) == (";", True)
    ds = table_dataset(frame, "y", ["a", "b"])
    raw = ds.X_train[:, 0] * ds.feature_std[0] + ds.feature_mean[0]
    assert np.allclose(np.sort(raw)[:2], [0.5, 1.5], atol=1e-4) and ds.task == "multiclass"
    tabbed = text.replace(";", "\t").replace(",", ".")
    assert read_table(tabbed.encode())[1].delimiter == "\t"
    assert sniff_delimiter("a\n1\n") == ","


def test_big5_and_a_byte_order_mark_decode():
    text = "重量,甜度,水果\n" + "".join(
        f"{i},{i % 5},{'芒果' if i % 2 else '芭樂'}\n" for i in range(30)
    )
    frame, report = read_table(text.encode("cp950"))
    assert report.encoding == "cp950" and list(frame.columns) == ["重量", "甜度", "水果"]
    ds = table_dataset(frame, "水果", ["重量", "甜度"])
    assert ds.class_names == ["芒果", "芭樂"] and ds.task == "binary"
    frame, report = read_table(b"\xef\xbb\xbf" + text.encode())
    assert report.encoding == "utf-8" and frame.columns[0] == "重量"


def test_missing_cells_name_their_row_or_are_dropped_with_a_note():
    rows = _rows(30)
    rows[4] = "4,NA,dog"  # file row 6
    rows[9] = ",1,cat"  # file row 11
    frame, report = read_table(_csv(rows))
    assert report.column("b").missing == 1 and report.column("b").kind == "number"
    with pytest.raises(ValueError) as info:
        table_dataset(frame, "y", ["a", "b"])
    assert info.value.code == "csv_cell_missing"
    assert info.value.params == {
        "name": "the file",
        "row": 6,
        "column_name": "b",
        "letter": "B",
        "value": "NA",
    }
    with pytest.raises(ValueError) as info:
        table_dataset(frame, "y", ["a"])
    assert info.value.code == "csv_cell_empty" and info.value.params["row"] == 11
    ds = table_dataset(frame, "y", ["a", "b"], drop_missing=True)
    assert len(ds.y_train) + len(ds.y_valid) == 28
    assert ds.notes[0].code == "table_rows_dropped" and ds.notes[0].params == {"count": 2, "row": 6}


def test_too_few_rows_states_the_minimum():
    frame, _ = read_table(_csv(_rows(10)))
    with pytest.raises(ValueError) as info:
        table_dataset(frame, "y", ["a", "b"])
    assert info.value.code == "table_too_few_rows"
    assert info.value.params["rows"] == 10 and info.value.params["minimum"] == MIN_ROWS


def _price_table(n: int = 200):
    """A student's house prices: around 300,000 with a std near 55,000, noise 5,000."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 3))
    y = 300_000 + 50_000 * X[:, 0] - 20_000 * X[:, 1] + rng.normal(0, 5_000, n)
    rows = [f"{a:.4f},{b:.4f},{c:.4f},{t:.2f}" for (a, b, c), t in zip(X, y, strict=True)]
    return read_table(_csv(rows, "a,b,c,price"))[0]


def test_a_large_target_trains_standardized_and_is_scored_in_its_own_units():
    import dataclasses

    from models import ModelConfig, TrainConfig, TrainingRun, predict

    ds = table_dataset(_price_table(), "price", ["a", "b", "c"])
    mean, std = target_scale(ds)
    assert mean == pytest.approx(float(np.mean(ds.y_train, dtype=np.float64)))
    assert std == pytest.approx(float(np.std(ds.y_train, dtype=np.float64))) and std > 40_000
    baseline = float(np.sqrt(np.mean((ds.y_valid - mean) ** 2)))  # always predict the mean
    plain = ModelConfig(ds.input_shape, 1, "regression", hidden=(32,))
    tc = TrainConfig(optimizer="adam", lr=0.01, batch_size=16, epochs=10, seed=0)
    scaled = TrainingRun(ds, dataclasses.replace(plain, target_mean=mean, target_std=std), tc)
    rmse = scaled.advance(threads=1).history.latest()["valid_rmse"]
    assert rmse < 0.25 * baseline  # the lab's settings, in the target's own units
    pred = predict(scaled.model, ds.X_valid)
    assert float(np.sqrt(np.mean((pred - ds.y_valid) ** 2))) == pytest.approx(rmse, rel=1e-4)
    raw = TrainingRun(ds, plain, tc).advance(threads=1).history.latest()["valid_rmse"]
    assert raw > baseline  # without it the same run is worse than the mean (the defect)
    classes = table_dataset(read_table(_csv(_rows(30)))[0], "y", ["a", "b"])
    assert target_scale(classes) == (0.0, 1.0)


def test_the_features_are_in_the_options_so_a_comparison_shows_their_change():
    from models import ModelConfig, TrainConfig
    from models.flags import diff_settings, settings_of

    frame = _price_table(40)
    one = table_dataset(frame, "price", ["a", "b"])
    two = table_dataset(frame, "price", ["a", "b", "c"])
    assert one.options["features"] == ("a", "b")
    mc, tc = ModelConfig(one.input_shape, 1, "regression"), TrainConfig()
    before = settings_of(mc, tc, one)
    after = settings_of(ModelConfig(two.input_shape, 1, "regression"), tc, two)
    assert ("features", ("a", "b"), ("a", "b", "c")) in diff_settings(before, after)
