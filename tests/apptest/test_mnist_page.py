"""AppTests for the MNIST lab: drawings injected through session state, presets, CSV upload, inspection."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image, ImageDraw
from streamlit.testing.v1 import AppTest

import data
from tests.apptest.helpers import (
    ROOT,
    charts,
    lab_session,
    open_page,
    push_sliders,
    rerun_until,
    run_stat,
    set_widget,
    texts,
    train_to_end,
    upload_model_file,
)
from tests.apptest.language_checks import english_words
from ui.i18n import Translator

PAD = "mnist_pad_injected"
EN, ZH = Translator("en"), Translator("zh-TW")  # expected texts come from the catalogue


def drawing(shape: str, box=(90, 40, 190, 240), width: int = 22) -> np.ndarray:
    """A 280x280 RGBA drawing like the pad sends: black ink on a transparent background."""
    img = Image.new("RGBA", (280, 280), (0, 0, 0, 0))
    pen = ImageDraw.Draw(img)
    x0, y0, x1, y1 = box
    if shape == "1":
        pen.line([((x0 + x1) // 2, y0), ((x0 + x1) // 2, y1)], fill=(0, 0, 0, 255), width=width)
    elif shape == "0":
        pen.ellipse(box, outline=(0, 0, 0, 255), width=width)
    return np.asarray(img)


def read(at) -> str | None:
    """The digit the page says it reads, or None."""
    for text in texts(at, "markdown"):
        if text.startswith("## The model reads:"):
            return text.split("**")[1]
    return None


def mnist_csv(n: int, offset: int = 0) -> bytes:
    """The first n built-in training digits in the slides' CSV format (label, 784 pixels)."""
    ds = data.load("mnist", n_train=offset + n, n_valid=1)
    rows = np.column_stack([ds.y_train[offset:], ds.X_train[offset:].reshape(n, -1)])
    buf = io.StringIO()
    np.savetxt(buf, rows, fmt="%d", delimiter=",")
    return buf.getvalue().encode()


def upload(at, train: bytes, valid: bytes | None = None):
    set_widget(at, "mnist_source", "csv")
    at.run()
    at.file_uploader(key="mnist_csv_train").set_value(("mnist_train.csv", train, "text/csv"))
    if valid is not None:
        at.file_uploader(key="mnist_csv_valid").set_value(("mnist_valid.csv", valid, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    return at


def test_first_visit_is_ready_to_draw_with_the_pretrained_model():
    at = open_page("mnist")
    assert at.selectbox(key="mnist_preset").value == "Fast MLP"
    assert at.slider(key="mnist_neurons").value == 128
    assert [t.label for t in at.tabs] == ["Draw", "Train", "Inspect"]
    assert at.radio(key="mnist_use_model").options == ["Pretrained MLP", "Pretrained CNN"]
    assert any("Draw a digit in the white box" in t for t in texts(at, "info"))
    assert any(t.startswith("Reading with: The pretrained fast MLP") for t in texts(at, "caption"))
    assert at.get("bidi_component")  # the pad itself
    assert read(at) is None


def _preview_digits(at) -> tuple[str, list[str]]:
    """The Train tab's before-training chart: (title, the digit under each image)."""
    i = next(i for i, c in enumerate(charts(at)) if c["title"].startswith("One of each digit"))
    spec = json.loads(at.get("plotly_chart")[i].proto.spec)
    return spec["layout"]["title"]["text"], spec["layout"]["xaxis"]["ticktext"]


def test_before_training_one_image_of_each_digit_is_shown_and_an_upload_shows_its_own():
    at = open_page("mnist")
    assert _preview_digits(at) == (
        "One of each digit, from 60,000 training images",
        list("0123456789"),
    )
    at = upload(
        open_page("mnist"), mnist_csv(5), mnist_csv(3, offset=5)
    )  # trains on 5, 0, 4, 1, 9 only
    assert _preview_digits(at) == ("One of each digit, from 5 training images", list("01459"))


@pytest.mark.parametrize(
    "shape,box",
    [
        ("1", (90, 40, 190, 240)),
        ("0", (70, 40, 200, 240)),
        ("1", (200, 10, 270, 90)),  # small, in a corner
        ("0", (10, 100, 140, 270)),  # off-centre
    ],
)
def test_injected_drawings_are_read_and_their_steps_shown(shape, box):
    at = open_page("mnist")
    at.session_state[PAD] = drawing(shape, box)
    at.run()
    assert not at.exception
    assert read(at) == shape
    assert any("after stroke 1" in t for t in texts(at, "caption"))
    assert "**What the model sees**" in texts(at, "markdown")
    assert len(at.get("image")) == 4  # raw, cropped, fitted, centred
    assert at.get("plotly_chart")  # the probability bars


def test_the_pretrained_cnn_reads_too():
    at = open_page("mnist")
    at.radio(key="mnist_use_model").set_value("cnn")
    at.session_state[PAD] = drawing("0", (60, 30, 210, 250))
    at.run()
    assert read(at) == "0"
    assert any(t.startswith("Reading with: The pretrained CNN") for t in texts(at, "caption"))


def test_a_blank_or_dot_drawing_gets_a_message_not_a_prediction():
    at = open_page("mnist")
    dot = np.zeros((280, 280, 4), np.uint8)
    dot[140:143, 140:143, 3] = 255
    for image in (np.zeros((280, 280, 4), np.uint8), dot):
        at.session_state[PAD] = image
        at.run()
        assert not at.exception
        assert read(at) is None
        assert any("looks empty" in t for t in texts(at, "warning"))


def test_clear_forgets_the_drawing():
    at = open_page("mnist")
    at.session_state[PAD] = drawing("1")
    at.run()
    assert read(at) == "1"
    at.button(key="mnist_pad_clear").click().run()
    assert read(at) is None
    assert any("Draw a digit in the white box" in t for t in texts(at, "info"))


def test_presets_fill_in_every_control():
    at = open_page("mnist")
    at.selectbox(key="mnist_preset").set_value("Course recipe").run()
    assert at.slider(key="mnist_layers").value == 2
    assert at.slider(key="mnist_neurons").value == 500
    assert at.selectbox(key="mnist_activation").value == "sigmoid"
    assert at.toggle(key="mnist_mse").value is True
    assert at.selectbox(key="mnist_optimizer").value == "sgd"
    assert at.select_slider(key="mnist_lr").value == 0.1
    assert at.select_slider(key="mnist_batch").value == 100
    # 784*500+500 + 500*500+500 + 500*10+10
    assert any("Total parameters: 648,010" in t for t in texts(at, "caption"))
    at.selectbox(key="mnist_preset").set_value("CNN").run()
    assert at.radio(key="mnist_kind").value == "cnn"
    assert at.slider(key="mnist_conv_blocks").value == 2
    assert at.toggle(key="mnist_mse").value is False
    assert any("Conv2d" in str(df.value) for df in at.dataframe)
    at.selectbox(key="mnist_preset").set_value("Fast MLP").run()
    assert at.radio(key="mnist_kind").value == "mlp"
    assert at.slider(key="mnist_neurons").value == 128


@pytest.mark.parametrize("kind", ["mlp", "cnn"])
def test_sliders_at_their_extremes_never_raise(kind):
    at = open_page("mnist")
    set_widget(at, "mnist_kind", kind)
    at.run()
    moved = push_sliders(at, "min") + push_sliders(at, "max")
    if kind == "cnn":
        assert {"Conv + pool blocks ↻", "Kernel size ↻", "Channels in the first block ↻"} <= set(
            moved
        )
        assert any("Conv2d" in str(df.value) for df in at.dataframe)  # 3 blocks of 5x5 still build
    else:
        assert {"Hidden layers ↻", "Neurons per hidden layer ↻"} <= set(moved)


def test_inspect_tab_shows_confusion_mistakes_and_weights():
    at = open_page("mnist")
    at.session_state["mnist_tab"] = "Inspect"
    at.run()
    assert not at.exception
    accuracy = [t for t in texts(at, "markdown") if t.startswith("**Validation accuracy:")]
    assert accuracy and "of 10,000 wrong" in accuracy[0]
    titles = [c.proto.spec for c in at.get("plotly_chart")]
    assert any("Confusion matrix" in s for s in titles) and any(
        "First-layer weights" in s for s in titles
    )
    gallery = [t for t in texts(at, "caption") if "most confident mistakes" in t.lower()]
    assert gallery
    at.selectbox(key="mnist_gallery_digit").set_value("3").run()
    assert not at.exception


def test_uploaded_csv_trains_a_model_that_replaces_the_pretrained_one():
    at = open_page("mnist")
    upload(at, mnist_csv(600), mnist_csv(200, offset=600))
    assert any("600 training images" in t for t in texts(at, "caption"))
    set_widget(at, "mnist_epochs", 1)
    at.run()
    status = train_to_end(at, "mnist")
    assert status.startswith("Finished · epoch 1/1")
    labels = [m.label for m in at.metric]
    assert "After epoch 1 (all 200 digits)" in labels  # the full validation set at the epoch's end
    assert "Validation accuracy now (first 200 digits)" in labels  # the live estimate's subset
    assert at.radio(key="mnist_use_model").value == "yours"
    assert any("now reads your drawings" in t for t in texts(at, "success"))
    assert any(t.startswith("Reading with: Your MLP") for t in texts(at, "caption"))
    at.session_state[PAD] = drawing("1")
    at.run()
    assert read(at) is not None  # a 600-image model reads *something*; which digit is its business
    at.session_state["mnist_tab"] = "Inspect"
    at.run()
    assert any("of 200 wrong" in t for t in texts(at, "markdown"))


@pytest.mark.parametrize(
    "content,expected",
    [
        (b"hello,world\n1,2\n", "row 1 has 2 values"),
        (b"", "empty"),
        (b"3," + b",".join([b"0"] * 783) + b",300\n", "outside 0-255"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "it is a PNG image"),
        # A stray non-UTF-8 byte and an unclosed quote used to raise from inside pandas: a traceback.
        (b"3\xff," + b",".join([b"0"] * 784) + b"\n", "is not a number"),
        (b'"3,' + b",".join([b"0"] * 784) + b"\n", "never closed"),
    ],
    ids=["wrong-columns", "empty", "pixel-300", "png", "non-utf8-byte", "open-quote"],
)
def test_bad_csv_files_get_a_clear_message(content, expected):
    at = open_page("mnist")
    upload(at, content)
    errors = texts(at, "error")
    assert errors and "can't be used" in errors[0] and expected in errors[0]
    assert any(t.startswith("Reading with:") for t in texts(at, "caption"))  # the lab still works


def test_a_bad_csv_is_read_once_not_on_every_rerun(monkeypatch):
    import ui.mnist.data

    calls = []
    real = ui.mnist.data.data.load_mnist_csv

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(ui.mnist.data.data, "load_mnist_csv", counting)
    at = open_page("mnist")
    upload(at, b"3," + b",".join([b"0"] * 783) + b",300\n")
    set_widget(at, "mnist_epochs", 7)  # any widget: a full rerun
    at.run()
    at.run()
    assert len(calls) == 1  # finding the bad cell of a 100 MB file takes seconds
    assert all("outside 0-255" in t for t in texts(at, "error"))
    assert texts(at, "error")


def test_one_validation_image_is_one_image():
    at = open_page("mnist")
    upload(at, mnist_csv(20), mnist_csv(1, offset=20))
    assert "Only 1 validation image: accuracies will jump in big steps." in texts(at, "warning")


def test_an_oversized_csv_is_refused_with_its_size(monkeypatch):
    import ui.mnist.data

    monkeypatch.setattr(ui.mnist.data, "MAX_CSV_MB", 1)  # the real limit is 120 MB
    big = mnist_csv(800)
    assert len(big) > 1024 * 1024
    at = open_page("mnist")
    upload(at, big)
    errors = texts(at, "error")
    assert errors and "larger than the 1 MB limit" in errors[0]


def _model_file(hidden: int, epochs: int, nan: bool = False) -> bytes:
    """An NN Lab model file for MNIST, trained `epochs` epochs on 300 digits; NaN weights if asked."""
    import torch

    from models import ModelConfig, TrainConfig, TrainingRun, model_to_bytes

    ds = data.load("mnist", n_train=300, n_valid=50)
    mc = ModelConfig(input_shape=ds.input_shape, n_outputs=10, task="multiclass", hidden=[hidden])
    run = TrainingRun(ds, mc, TrainConfig(epochs=max(epochs, 1), batch_size=64))
    if epochs:
        run.advance()
    if nan:
        with torch.no_grad():
            for p in run.model.parameters():
                p.fill_(float("nan"))
    return model_to_bytes(
        run.model,
        train_config=run.train_config,
        dataset=ds,
        history=run.history if epochs else None,
    )


def upload_model(at, content: bytes):
    upload_model_file(at, "mnist", "model.pth", content)


def test_an_uploaded_model_without_history_reads_the_drawings():
    # It was loaded ("Loaded a model: MLP, ...") but the pad kept reading with the pretrained MLP,
    # because "your model" required a recorded epoch.
    at = open_page("mnist")
    upload_model(at, _model_file(hidden=24, epochs=0))
    assert any(
        t.startswith("Loaded a model: MLP, hidden layer sizes 24,") for t in texts(at, "success")
    )
    assert at.radio(key="mnist_use_model").value == "yours"
    assert any(
        t.startswith("Reading with: Your MLP you uploaded (0 epoch(s)")
        for t in texts(at, "caption")
    )


def test_a_model_with_nan_weights_gets_a_message_not_a_reading():
    at = open_page("mnist")
    upload_model(at, _model_file(hidden=16, epochs=1, nan=True))
    assert at.radio(key="mnist_use_model").value == "yours"
    at.session_state[PAD] = drawing("1")
    at.run()
    assert not at.exception
    assert read(at) is None  # it read "0, nan% sure" before
    assert any("not numbers (NaN)" in t for t in texts(at, "error"))
    assert len(at.get("image")) == 4  # what the model sees is still shown
    at.session_state["mnist_tab"] = "Inspect"
    at.run()
    assert not at.exception
    assert any("not numbers (NaN)" in t for t in texts(at, "error"))
    assert not [t for t in texts(at, "markdown") if t.startswith("**Validation accuracy:")]


def test_course_recipe_explains_why_it_barely_learns():
    at = open_page("mnist")
    at.selectbox(key="mnist_preset").set_value("Course recipe").run()
    upload(at, mnist_csv(300), mnist_csv(100, offset=300))
    set_widget(at, "mnist_epochs", 1)
    at.run()
    train_to_end(at, "mnist")
    assert EN("mnist.recipe.title") in texts(at, "markdown")  # with the sigmoids' slopes
    # Why it barely learns is the coach's: vanishing gradients, MSE on the softmax, with buttons.
    whys = [EN(f"coach.{c}.why") for c in ("vanishing_gradients", "mse_on_softmax")]
    assert all(any(w.endswith(y) for w in texts(at, "warning")) for y in whys)
    assert at.button(key="mnist_coach_try_mse_on_softmax")


def open_chinese() -> AppTest:
    """The MNIST page opened with ?lang=zh-TW, run once."""
    at = AppTest.from_file(str(ROOT / "pages" / "mnist.py"), default_timeout=60)
    at.query_params["lang"] = "zh-TW"
    at.run()
    assert not at.exception, at.exception
    return at


def train_until_done(at) -> None:
    """Press Train and rerun until the run ends (the status line is Chinese: no DONE_WORDS)."""
    at.button(key="mnist_train").click()
    at.run()
    rerun_until(at, lambda: run_stat(at, "mnist", lambda r: r.done), "the run's end", 180)
    at.run()  # the run may have ended after the last rerun drew the page
    assert not at.exception, at.exception


def test_in_chinese_drawing_presets_and_inspect_show_no_english():
    at = open_chinese()
    assert english_words(at) == []
    assert [t.label for t in at.tabs] == ["手寫", "訓練", "檢視"]
    assert at.radio(key="mnist_use_model").options == ["預訓練 MLP", "預訓練 CNN"]
    at.session_state[PAD] = drawing("1")
    at.run()
    assert "## 模型認為這是：**1**" in texts(at, "markdown")
    assert any("第 1 筆後" in t for t in texts(at, "caption"))  # the stroke number stays
    assert english_words(at) == []
    at.selectbox(key="mnist_preset").set_value("CNN").run()  # the CNN's own controls
    assert at.selectbox(key="mnist_preset").value == "CNN"
    assert english_words(at) == []
    at.session_state["mnist_tab"] = "檢視"
    at.run()
    assert not at.exception
    assert any(t.startswith("**驗證準確率：") for t in texts(at, "markdown"))
    assert english_words(at) == []


def test_in_chinese_an_upload_trains_and_the_course_recipe_explains_itself():
    at = open_chinese()
    at.selectbox(key="mnist_preset").set_value("Course recipe").run()
    upload(at, mnist_csv(300), mnist_csv(100, offset=300))
    assert any("載入 300 張訓練影像" in t for t in texts(at, "caption"))
    assert english_words(at) == []
    set_widget(at, "mnist_epochs", 1)
    at.run()
    train_until_done(at)
    assert any("你的模型正確辨識了" in t for t in texts(at, "success"))
    assert ZH("mnist.recipe.title") in texts(at, "markdown")
    assert any(w.endswith(ZH("coach.mse_on_softmax.why")) for w in texts(at, "warning"))
    assert at.radio(key="mnist_use_model").value == "yours"
    assert english_words(at) == []


def test_in_chinese_a_bad_csv_is_explained_in_chinese():
    at = open_chinese()
    upload(at, b"")
    errors = texts(at, "error")
    assert errors and errors[0].startswith("**這個檔案無法使用**")


def test_switching_language_keeps_the_tab_the_widgets_the_upload_and_the_run():
    at = open_page("mnist")
    upload(at, mnist_csv(300), mnist_csv(100, offset=300))
    set_widget(at, "mnist_epochs", 1)
    set_widget(at, "mnist_neurons", 64)
    at.run()
    train_to_end(at, "mnist")
    generation = lab_session(at, "mnist").live.generation
    at.session_state["mnist_tab"] = "Inspect"
    at.run()
    at.selectbox(key="mnist_gallery_digit").set_value("3").run()
    for lang, tab, wrong in (("zh-TW", "檢視", "100 張中錯了"), ("en", "Inspect", "of 100 wrong")):
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception, at.exception
        assert at.session_state["mnist_tab"] == tab
        assert any(wrong in t for t in texts(at, "markdown"))  # still inspecting, the upload's 100
        assert at.slider(key="mnist_neurons").value == 64
        assert at.radio(key="mnist_source").value == "csv"
        assert at.selectbox(key="mnist_gallery_digit").value == "3"
        assert at.radio(key="mnist_use_model").value == "yours"
        assert lab_session(at, "mnist").live.generation == generation
        assert run_stat(at, "mnist", lambda r: r.done)
