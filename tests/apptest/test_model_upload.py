"""Uploading a model file in a lab: the slides' plain state_dict, and NN Lab's own file restoring the sidebar."""

from __future__ import annotations

import io

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import data
import models
from models import ModelConfig, TrainConfig
from tests.apptest.helpers import lab_session, open_page
from ui.i18n import Translator
from ui.mnist.models import active_model
from ui.model_files import restorable_settings

EN, ZH = Translator("en"), Translator("zh-TW")


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


def _upload(at, lab: str, name: str, blob: bytes) -> None:
    at.file_uploader(key=f"{lab}_upload").set_value((name, blob, "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception


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


def test_settings_the_sidebar_cannot_show_are_named_and_the_rest_applies():
    ds = data.load("xor")
    mc = ModelConfig(input_shape=(2,), n_outputs=1, task="binary", hidden=(4, 2))
    model = models.build_model(mc)
    blob = models.model_to_bytes(model, train_config=TrainConfig(seed=11), dataset=ds)
    at = open_page("xor")
    _upload(at, "xor", "uneven.pth", blob)
    assert EN("common.files.not_restored", settings="hidden=4,2") in _texts(at, "warning")
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


def test_a_setting_the_lab_has_no_control_for_is_only_offered_when_it_is_not_the_default():
    mc = ModelConfig(input_shape=(2,), n_outputs=1, task="binary", hidden=(5,))
    offered = restorable_settings("xor", mc, TrainConfig(seed=3))
    assert offered["hidden"] == (5,) and offered["seed"] == 3
    assert "early-stopping" not in offered  # XOR has no early stopping; the file has none either
    assert restorable_settings("xor", mc, TrainConfig(early_stopping=10))["early-stopping"] == 10
