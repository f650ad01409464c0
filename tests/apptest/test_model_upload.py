"""Uploading a model file in a lab: the slides' plain state_dict, and NN Lab's own file restoring the sidebar."""

from __future__ import annotations

import io
import json

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import data
import models
from data.csv_table_example import EXAMPLE_CSV
from models import ModelConfig, TrainConfig
from tests.apptest.helpers import lab_session, open_page, progress_text, upload_model_file
from ui.i18n import Translator
from ui.mnist.models import active_model
from ui.model_file_settings import restorable_settings

EN, ZH = Translator("en"), Translator("zh-TW")
EXAMPLE = EXAMPLE_CSV.read_bytes()


class XorNet(nn.Module):
    """The slides' XOR exercise: 2 -> 3 (ReLU) -> 1 (Sigmoid)."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(2, 3)
        self.fc2 = nn.Linear(3, 1)

    def forward(self, x):
        return torch.sigmoid(self.fc2(F.relu(self.fc1(x))))


class Net(nn.Module):
    """The slides' MNIST exercise, 784 -> 128 (ReLU) -> 10."""

    def __init__(self, hidden: int = 128):
        super().__init__()
        self.fc1 = nn.Linear(784, hidden)
        self.fc2 = nn.Linear(hidden, 10)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x.view(-1, 784))))


def _state_dict_bytes(module: nn.Module) -> bytes:
    buf = io.BytesIO()
    torch.save(module.state_dict(), buf)
    return buf.getvalue()


_upload = upload_model_file


def _texts(at, kind: str) -> list[str]:
    return [e.value for e in at.get(kind)]


def _not_flagged(at) -> None:
    """The upload is the shown run: neither "settings changed" nor "showing the upload"."""
    for lang in (EN, ZH):
        flags = (lang("common.changed_setting"), lang("common.showing_upload"))
        assert not any(text in flags for text in _texts(at, "warning") + _texts(at, "info"))


def test_xor_takes_the_slides_state_dict_into_the_sidebars_network():
    at = open_page("xor")
    torch.manual_seed(0)
    net = XorNet()
    _upload(at, "xor", "xor.pth", _state_dict_bytes(net))
    expected = EN("common.files.loaded_state_dict", network="2-3-1 ReLU")
    assert expected in _texts(at, "success")
    _not_flagged(at)
    session = lab_session(at, "xor")
    assert session.uploaded
    ds = data.load("xor")
    with session.live.borrow() as run:
        mine = models.predict_proba(run.model, ds.X_valid)[:, 1]
    with torch.no_grad():
        theirs = net(torch.tensor(ds.X_valid)).squeeze(1).numpy()
    assert np.allclose(mine, theirs, atol=1e-6)
    at.run()  # and the page keeps working
    assert not at.exception and expected in _texts(at, "success")
    # It trained no epoch here, and can still be downloaded, as NN Lab's own file.
    assert any(b.proto.id.endswith("xor_download") for b in at.get("download_button"))


def test_an_nn_lab_file_restores_the_xor_sidebar_that_made_it():
    ds = data.load("xor")
    mc = ModelConfig(input_shape=(2,), n_outputs=1, task="binary", hidden=(5,), activation="tanh")
    tc = TrainConfig(optimizer="sgd", lr=0.1, seed=7, epochs=3, batch_size=32)
    run = models.TrainingRun(ds, mc, tc)
    run.advance()
    blob = models.model_to_bytes(run.model, train_config=tc, dataset=ds, history=run.history)
    at = open_page("xor")
    _upload(at, "xor", "nnlab_xor.pth", blob)
    values = {
        w.key: w.value for w in at.get("slider") + at.get("selectbox") + at.get("number_input")
    }
    values.update({w.key: w.value for w in at.get("select_slider")})
    assert values["xor_neurons"] == 5 and values["xor_layers"] == 1
    assert values["xor_activation"] == "tanh" and values["xor_optimizer"] == "sgd"
    assert values["xor_lr"] == 0.1 and values["xor_seed"] == 7
    _not_flagged(at)
    with lab_session(at, "xor").live.borrow() as loaded:
        assert loaded.model_config == mc and loaded.epoch == 3


def test_a_loaded_file_says_so_on_its_status_line_and_step_chart():
    ds = data.load("xor")
    mc = ModelConfig(input_shape=(2,), n_outputs=1, task="binary", hidden=(5,))
    tc = TrainConfig(seed=7, epochs=3, batch_size=32)
    run = models.TrainingRun(ds, mc, tc)
    run.advance()
    blob = models.model_to_bytes(run.model, train_config=tc, dataset=ds, history=run.history)
    at = open_page("xor", lang="zh-TW")
    _upload(at, "xor", "nnlab_xor.pth", blob)
    # Not "訓練完成 · 訓練週期 3/3 · 第 0 步 · 每秒 0 筆樣本": no step was taken here.
    word = ZH("common.status.loaded")
    assert progress_text(at) == ZH("common.status.loaded_line", word=word, epoch=3)
    # The spec is JSON: parsed, since Plotly escapes non-ASCII text unless orjson is installed.
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    steps = next(
        f for f in specs if f["layout"]["title"]["text"] == ZH("training_charts.step_loss_title")
    )
    assert [a["text"] for a in steps["layout"]["annotations"]] == [ZH("training_charts.no_steps")]


def test_settings_the_sidebar_cannot_show_are_named_and_the_rest_applies():
    ds = data.load("xor")
    mc = ModelConfig(input_shape=(2,), n_outputs=1, task="binary", hidden=(4, 2))
    model = models.build_model(mc)
    tc = TrainConfig(seed=11, early_stopping=10)  # XOR has no early-stopping control
    blob = models.model_to_bytes(model, train_config=tc, dataset=ds)
    at = open_page("xor")
    _upload(at, "xor", "uneven.pth", blob)
    named = EN("common.files.not_restored", settings="hidden=4,2, early-stopping=10")
    assert named in _texts(at, "warning")
    success = _texts(at, "success")[0]
    assert success.endswith(EN("common.files.restored_partly"))  # seed and the rest did apply
    seed = next(w for w in at.get("number_input") + at.get("slider") if w.key == "xor_seed")
    assert seed.value == 11
    with lab_session(at, "xor").live.borrow() as loaded:
        assert loaded.model_config.hidden == (4, 2)


def test_mnist_mismatch_is_one_sentence_in_chinese_then_the_pad_reads_the_slides_net():
    at = open_page("mnist", lang="zh-TW")
    _upload(at, "mnist", "wide.pth", _state_dict_bytes(Net(hidden=256)))
    errors = " ".join(_texts(at, "error"))
    assert "fc1.weight" in errors and "(256, 784)" in errors and "(128, 784)" in errors
    assert "側邊欄" in errors and "目前的模型沒有改變" in errors
    assert not lab_session(at, "mnist").uploaded
    torch.manual_seed(0)
    net = Net().eval()
    _upload(at, "mnist", "mnist.pth", _state_dict_bytes(net))
    assert ZH("common.files.loaded_state_dict", network="784-128-10 ReLU") in _texts(at, "success")
    _not_flagged(at)
    session = lab_session(at, "mnist")
    assert at.session_state["mnist_use_model"] == "yours"  # the pad reads with the upload
    active = active_model(session, "yours")
    ds = data.load("mnist", n_train=10, n_valid=200)
    with torch.no_grad():
        expected = net(torch.tensor(ds.X_valid, dtype=torch.float32) / 255).argmax(1).numpy()
    assert (models.predict(active.model, ds.X_valid) == expected).all()
    status = ZH("mnist.models.own_epochs", epoch=0)
    yours = ZH("mnist.models.own_uploaded", kind="MLP", status=status, acc="")
    reading = ZH("mnist.draw.reading_with", description=yours)
    assert reading in _texts(at, "caption")  # the pad says it reads with the upload
    # A student who went back to a pretrained model and uploads again gets the new file on the pad.
    at.radio(key="mnist_use_model").set_value("cnn")
    at.run()
    _upload(at, "mnist", "again.pth", _state_dict_bytes(Net()))
    assert at.session_state["mnist_use_model"] == "yours"


def test_only_the_settings_a_lab_has_controls_for_are_queued():
    mc = ModelConfig(input_shape=(2,), n_outputs=1, task="binary", hidden=(5,))
    offered = restorable_settings("xor", mc, TrainConfig(seed=3, early_stopping=10))
    assert offered["hidden"] == (5,) and offered["seed"] == 3
    assert "early-stopping" not in offered  # named by the upload's message instead
    rnn = ModelConfig(input_shape=(10, 1), n_outputs=1, task="regression", kind="gru", hidden=(8,))
    assert "activation" not in restorable_settings("rnn", rnn, TrainConfig())


def _sidebar(at) -> dict:
    """Every keyed value widget of the page, key -> value."""
    kinds = (
        "slider",
        "select_slider",
        "selectbox",
        "number_input",
        "multiselect",
        "toggle",
        "radio",
    )
    return {w.key: w.value for kind in kinds for w in at.get(kind)}


def test_an_iris_model_of_two_features_restores_the_feature_selection_and_loads():
    features = ["petal length (cm)", "petal width (cm)"]
    ds = data.load("iris", split="course", features=features)
    mc = ModelConfig(input_shape=(2,), n_outputs=3, task="multiclass", hidden=(8,))
    tc = TrainConfig(optimizer="adam", lr=0.03, batch_size=16, epochs=5, seed=4)
    run = models.TrainingRun(ds, mc, tc)
    run.advance()
    blob = models.model_to_bytes(run.model, train_config=tc, dataset=ds, history=run.history)
    at = open_page("iris")
    assert len(_sidebar(at)["iris_features"]) == 4  # the sidebar has all four
    _upload(at, "iris", "petals.pth", blob)
    assert not _texts(at, "error") and not _texts(at, "warning")
    sidebar = _sidebar(at)
    assert sidebar["iris_features"] == features and sidebar["iris_split"] == "course"
    assert sidebar["iris_lr"] == 0.03 and sidebar["iris_neurons"] == 8
    assert _texts(at, "success") == [
        EN("common.files.loaded", kind="MLP", hidden="8", activation="ReLU")
        + EN("common.files.restored")
    ]
    _not_flagged(at)
    with lab_session(at, "iris").live.borrow() as loaded:
        assert loaded.model_config == mc and loaded.epoch == 5
        assert loaded.dataset.feature_names == features


def test_an_rnn_file_restores_its_task_without_false_notes():
    ds = data.load("noisy_wave", seq_len=10, n_sequences=200, noise=0.2)
    mc = ModelConfig(
        input_shape=ds.input_shape,
        n_outputs=ds.n_outputs,
        task=ds.task,
        kind="gru",
        hidden=(16,),
        activation="tanh",
    )
    tc = TrainConfig(optimizer="adam", lr=0.01, batch_size=32, epochs=1, seed=2)
    run = models.TrainingRun(ds, mc, tc)
    run.advance()
    blob = models.model_to_bytes(run.model, train_config=tc, dataset=ds, history=run.history)
    at = open_page("rnn")
    _upload(at, "rnn", "wave.pth", blob)
    assert not _texts(at, "warning") and not _texts(at, "error")  # no "activation=tanh" note
    sidebar = _sidebar(at)
    assert sidebar["rnn_task"] == "noisy_wave" and sidebar["rnn_seq_len"] == 10
    assert sidebar["rnn_n"] == 200 and sidebar["rnn_noise_noisy_wave"] == 0.2
    assert sidebar["rnn_cell"] == "gru" and sidebar["rnn_neurons"] == 16
    assert _texts(at, "success")[0].endswith(EN("common.files.restored"))
    _not_flagged(at)
    with lab_session(at, "rnn").live.borrow() as loaded:
        assert loaded.model_config == mc


def test_an_iris_file_whose_data_cannot_be_set_is_refused_and_the_sidebar_goes_back():
    ds = data.load("iris", features=["petal length (cm)", "petal width (cm)"])
    ds.feature_names = ["petal length (cm)", "petal colour"]  # a file naming an unknown feature
    mc = ModelConfig(input_shape=(2,), n_outputs=3, task="multiclass", hidden=(8,))
    blob = models.model_to_bytes(models.build_model(mc), train_config=TrainConfig(), dataset=ds)
    at = open_page("iris")
    before = _sidebar(at)
    _upload(at, "iris", "odd.pth", blob)
    assert [e for e in _texts(at, "error") if "(2,)" in e and "(4,)" in e]
    assert _sidebar(at) == before
    assert not lab_session(at, "iris").uploaded


def test_a_your_data_upload_claims_only_the_settings_its_sidebar_shows():
    at = open_page("your_data")
    at.file_uploader(key="your_data_table").set_value(("fruits.csv", EXAMPLE, "text/csv"))
    at.run()
    ds = next(iter(at.session_state["your_data::table"].built.values()))
    mc = ModelConfig(
        input_shape=ds.input_shape, n_outputs=ds.n_outputs, task=ds.task, hidden=(8, 8)
    )
    blob = models.model_to_bytes(
        models.build_model(mc), train_config=TrainConfig(lr=0.1, batch_size=16), dataset=ds
    )
    _upload(at, "your_data", "fruit.pth", blob)
    success = _texts(at, "success")[0]
    assert success.endswith(EN("common.files.data_kept"))  # its CSV is not in the file
    shown = _sidebar(at)["your_data_lr"] == 0.1
    claims = (EN("common.files.restored"), EN("common.files.restored_partly"))
    assert any(c in success for c in claims) == shown
    assert (EN("common.files.kept_sidebar") in success) == (not shown)
    warning = " ".join(_texts(at, "warning"))
    assert ("lr=0.1" in warning) == (not shown)
    with lab_session(at, "your_data").live.borrow() as loaded:
        assert loaded.model_config == mc
