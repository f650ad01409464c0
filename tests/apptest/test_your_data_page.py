"""AppTests for the "Your data" lab: upload, preview, choose, train, bad files, both languages."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from data.csv_table import read_table
from data.csv_table_dataset import table_dataset
from data.csv_table_example import EXAMPLE_CSV
from models import ModelConfig, TrainConfig, TrainingRun, model_to_bytes
from tests.apptest.helpers import (
    ROOT,
    charts,
    lab_session,
    open_model_files,
    open_page,
    push_sliders,
    set_widget,
    texts,
    train_to_end,
    upload_model_file,
)
from tests.apptest.language_checks import english_words
from ui.i18n import Translator

EXAMPLE = EXAMPLE_CSV.read_bytes()
COLUMNS = {"weight_g", "length_cm", "width_cm", "sweetness_brix", "fruit", "price_ntd"}
CLASSES = {"guava", "mango", "orange"}
ZH, EN = Translator("zh-TW"), Translator("en")


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="your_data_table").set_value((name, data, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_without_a_table_the_page_asks_for_one_in_both_languages():
    at = open_page("your_data")
    assert texts(at, "info") == [
        "Upload a CSV file above, or press **Use the example** to start with 300 made-up fruits."
    ]
    assert not at.get("plotly_chart") and not at.button(key="your_data_use_example").disabled
    at = open_page("your_data", lang="zh-TW")
    assert texts(at, "info") == [ZH("your_data.no_table")]
    assert set(english_words(at)) <= {"fruit", "price_ntd"}  # the example's column names


def test_the_example_trains_a_regression_with_predicted_against_actual():
    at = open_page("your_data")
    at.button(key="your_data_use_example").click()
    at.run()
    assert at.selectbox(key="your_data_target").value == "price_ntd"  # the last column
    assert at.multiselect(key="your_data_features").value == [
        "weight_g",
        "length_cm",
        "width_cm",
        "sweetness_brix",
    ]
    assert "Detected regression: the target has decimal values" in " ".join(texts(at, "caption"))
    assert any("300 rows, 6 columns (5 numeric)" in c for c in texts(at, "caption"))
    assert charts(at)[0]["title"] == "The target 'price_ntd' in the training and validation rows"
    # A regression has no classes, so nothing is said about a class the training rows lack.
    assert "240 rows train and 60 validate." in texts(at, "caption")
    assert not any(EN("your_data.figure.caption_classes") in c for c in texts(at, "caption"))
    set_widget(at, "your_data_epochs", 30)
    at.run()
    assert train_to_end(at, "your_data").startswith("Finished · epoch 30/30")
    assert float(_metric(at, "Validation R²")) > 0.5
    titles = [c["title"] for c in charts(at)]
    assert "Validation: predicted against actual" in titles and "Loss per epoch" in titles
    assert "Residuals (actual − predicted) against predicted" in titles  # after training
    # The model file and the run as a standalone script are offered, as in every lab.
    at.session_state["your_data_code_open"] = True  # both expanders draw only while open
    open_model_files(at, "your_data")
    labels = {b.label for b in at.get("download_button")}
    assert EN("common.files.download") in labels and EN("code.download_script") in labels


def test_a_text_target_trains_a_classifier_in_chinese_with_its_own_class_names():
    at = _upload(open_page("your_data", lang="zh-TW"), "fruits.csv", EXAMPLE)
    at.selectbox(key="your_data_target").set_value("fruit").run()
    # A new target: every other numeric column becomes a feature, and the task is detected again.
    assert at.multiselect(key="your_data_features").value == [
        "weight_g",
        "length_cm",
        "width_cm",
        "sweetness_brix",
        "price_ntd",
    ]
    reason = ZH("your_data.reason.text", task=ZH("your_data.tasks.multiclass"), distinct=3)
    assert reason in texts(at, "caption")
    assert "240 列訓練、60 列驗證。" + ZH("your_data.figure.caption_classes") in texts(
        at, "caption"
    )
    set_widget(at, "your_data_epochs", 30)
    at.run()
    assert "訓練完成" in train_to_end(at, "your_data")
    assert float(_metric(at, ZH("your_data.metrics.accuracy")).rstrip("%")) >= 70
    # Read as JSON: Plotly escapes non-ASCII (\uXXXX) unless the optional orjson is installed.
    specs = [
        json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart")
    ]
    confusion = next(spec for spec in specs if "混淆矩陣" in spec)
    assert all(name in confusion for name in CLASSES)
    per_class = next(
        df.value for df in at.dataframe if ZH("your_data.results.recall") in df.value.columns
    )
    assert set(per_class[ZH("your_data.results.class")]) == CLASSES
    # Only names are English on the Chinese page: the table's columns and classes, the
    # uploaded file's name and the code view's data files (train.csv, valid.csv).
    assert set(english_words(at)) <= COLUMNS | CLASSES | {"fruits", "train", "valid"}


def test_bad_files_are_explained_and_the_last_good_table_stays():
    at = _upload(open_page("your_data"), "fruits.csv", EXAMPLE)
    _upload(at, "photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(100))
    (error,) = texts(at, "error")
    assert "photo.csv is not a CSV text file: it is a PNG image" in error
    assert "Still using the previous table, fruits.csv." in texts(at, "caption")
    assert at.selectbox(key="your_data_target").value == "price_ntd"
    lines = EXAMPLE.decode().splitlines()
    lines[6] = lines[6].replace(lines[6].split(",")[1], "eleven", 1)  # file row 7, column B
    _upload(at, "typo.csv", ("\n".join(lines) + "\n").encode())
    # A text cell makes the column text: it is no default feature, and the preview says where.
    assert at.multiselect(key="your_data_features").value == [
        "weight_g",
        "width_cm",
        "sweetness_brix",
    ]
    columns = next(df.value for df in at.dataframe if "first text cell" in df.value.columns)
    assert columns.set_index("column").loc["length_cm", "first text cell"] == "row 7: 'eleven'"
    set_widget(at, "your_data_features", ["weight_g", "length_cm"])
    at.run()
    (error,) = texts(at, "error")
    assert error == "typo.csv, row 7, column 'length_cm' (B): 'eleven' is not a number. " + (
        "Feature columns must be numeric; leave text columns out of the features."
    )
    assert at.button(key="your_data_use_example")  # the page still works
    _upload(at, "small.csv", b"a,b\n" + b"".join(b"%d,%d\n" % (i, i % 2) for i in range(10)))
    assert texts(at, "error") == [
        "small.csv has 10 usable rows; at least 20 are needed to train and validate."
    ]


def test_missing_values_stop_with_their_row_until_rows_are_left_out():
    lines = EXAMPLE.decode().splitlines()
    lines[3] = ",".join(["", *lines[3].split(",")[1:]])  # file row 4, weight_g empty
    at = _upload(open_page("your_data"), "gaps.csv", ("\n".join(lines) + "\n").encode())
    assert texts(at, "error") == [
        "gaps.csv, row 4, column 'weight_g' (A) is empty; fill it in or remove the row."
    ]
    set_widget(at, "your_data_drop_missing", True)
    at.run()
    assert not texts(at, "error")
    assert "1 rows with a missing value were left out (the first is row 4)." in texts(at, "info")


def test_controls_at_their_ends_and_the_slides_first_n_rows():
    at = open_page("your_data")
    at.button(key="your_data_use_example").click()
    at.run()
    set_widget(at, "your_data_split", "course")
    at.run()
    assert at.slider(key="your_data_n_train").value == 240
    assert "your_data_n_train" in {s.key for s in at.slider}
    for end in ("min", "max"):
        push_sliders(at, end)
    set_widget(at, "your_data_features", [])
    at.run()
    assert texts(at, "error") == [
        "your_data_example.csv has no columns besides the target 'price_ntd' to learn from."
    ]
    set_widget(at, "your_data_task", "binary")
    set_widget(at, "your_data_features", ["weight_g"])
    at.run()
    assert "cannot be used for classification" in texts(at, "error")[0]


def test_the_table_and_the_choices_survive_a_page_switch():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/your_data.py").run()
    at.button(key="your_data_use_example").click()
    at.run()
    at.selectbox(key="your_data_target").set_value("fruit").run()
    at.switch_page("pages/xor.py").run()
    at.switch_page("pages/your_data.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="your_data_target").value == "fruit"
    assert lab_session(at, "your_data").live.has_run is False
    assert any("300 rows" in c for c in texts(at, "caption"))


def test_a_price_around_300000_trains_on_its_standardized_target_in_its_own_units():
    import numpy as np

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = 300_000 + 50_000 * X[:, 0] - 20_000 * X[:, 1] + rng.normal(0, 5_000, 200)
    lines = [f"{a:.4f},{b:.4f},{c:.4f},{t:.2f}" for (a, b, c), t in zip(X, y, strict=True)]
    at = _upload(open_page("your_data"), "houses.csv", "\n".join(["a,b,c,price", *lines]).encode())
    assert any("The network learns the target standardized" in c for c in texts(at, "caption"))
    set_widget(at, "your_data_epochs", 10)
    at.run()
    assert train_to_end(at, "your_data").startswith("Finished · epoch 10/10")
    # R² > 0.9: far better than always predicting the mean (R² 0); without the standardized
    # target the same run ended about 5x worse than the mean (R² far below 0).
    assert float(_metric(at, "Validation R²")) > 0.9
    with lab_session(at, "your_data").live.borrow() as run:
        config = run.model.config
    assert config.target_mean == pytest.approx(300_000, rel=0.05)
    assert config.target_std == pytest.approx(55_000, rel=0.2)


def test_a_model_trained_on_another_tables_columns_is_refused_and_the_run_stays():
    # The example with Chinese column names: a model of the same size, from other columns.
    header, rest = EXAMPLE.decode().split("\n", 1)
    renamed = {"weight_g": "重量_g", "price_ntd": "價格_元"}
    other = ",".join(renamed.get(c, c) for c in header.split(",")) + "\n" + rest
    features = ["重量_g", "length_cm", "width_cm", "sweetness_brix"]
    ds = table_dataset(read_table(other.encode())[0], "價格_元", features)
    mc = ModelConfig(input_shape=ds.input_shape, n_outputs=1, task=ds.task, hidden=(32,))
    tc = TrainConfig(epochs=1)
    blob = model_to_bytes(TrainingRun(ds, mc, tc).advance().model, train_config=tc, dataset=ds)

    at = open_page("your_data")
    at.button(key="your_data_use_example").click()
    at.run()
    train_to_end(at, "your_data")
    with lab_session(at, "your_data").live.borrow() as run:
        trained = (run.epoch, run.model)
    upload_model_file(at, "your_data", "other.pth", blob)
    at.run()
    said = " ".join(texts(at, "error"))
    assert "This model was trained to predict 價格_元 from 重量_g, length_cm" in said, said
    assert "but this table predicts price_ntd from weight_g, length_cm" in said
    with lab_session(at, "your_data").live.borrow() as run:
        assert (run.epoch, run.model) == trained and not lab_session(at, "your_data").uploaded


def test_a_column_of_numbers_but_one_cell_is_named_when_no_feature_is_left():
    # The bad-input review: one "inf" made column a text, and the page only said there was
    # nothing besides the target to learn from.
    rows = [f"{i},{i % 3}" for i in range(30)]
    rows[3] = "inf,0"
    at = _upload(
        open_page("your_data", lang="zh-TW"),
        "infval.csv",
        ("a,b\n" + "\n".join(rows) + "\n").encode(),
    )
    hint = ZH("your_data.features.almost_numbers", column="a", row=5, value="inf")
    assert hint in texts(at, "info"), texts(at, "info") + texts(at, "error")
