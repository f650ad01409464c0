"""The slides' own model files: a plain state_dict loads into the architecture a ModelConfig describes.

The classes below are written as deck 004 writes them (`class Net(nn.Module)`,
layers assigned in `__init__`, `forward` with `x.view(-1, 784)` and `F.relu`),
trained and saved with `torch.save(model.state_dict(), path)`.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

import data
import models
from models import ModelConfig, ModelFileError
from ui.i18n import Translator

MNIST_MLP = ModelConfig(input_shape=(28, 28), n_outputs=10, task="multiclass", hidden=(128,))


class Net(nn.Module):
    """The slides' template, for their MNIST exercise: 784 -> 128 (ReLU) -> 10."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = x.view(-1, 784)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.fc2(x)
        return x


class BackwardsNet(nn.Module):
    """The same network with its layers defined in the other order than forward uses them."""

    def __init__(self):
        super().__init__()
        self.out = nn.Linear(128, 10)
        self.bn = nn.BatchNorm1d(128)
        self.hidden = nn.Linear(784, 128)

    def forward(self, x):
        return self.out(F.relu(self.bn(self.hidden(x.view(-1, 784)))))


class BatchNormNet(nn.Module):
    """784 -> 64 -> BatchNorm -> ReLU -> 10, as the slides' nn.BatchNorm1d(特徵數量)."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 64)
        self.bn1 = nn.BatchNorm1d(64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        return self.fc2(F.relu(self.bn1(self.fc1(x.view(-1, 784)))))


class ConvNet(nn.Module):
    """A CNN in NN Lab's layout: two 3x3 conv + ReLU + 2x2 max-pool blocks, then 64 -> 10."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc1 = nn.Linear(32 * 7 * 7, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = x.view(-1, 1, 28, 28)
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(x.view(x.size(0), -1))))


@pytest.fixture(scope="module")
def mnist():
    """2,000 training digits and the full 10,000 validation digits (uint8, as NN Lab keeps them)."""
    return data.load("mnist", n_train=2000)


def _pixels(X: np.ndarray) -> torch.Tensor:
    # The slides' preprocessing: 0-255 grey levels divided by 255.
    return torch.tensor(X, dtype=torch.float32) / 255


@pytest.fixture(scope="module")
def slides_net(mnist):
    """The slides' Net trained as deck 004 trains it: forward, loss, zero_grad, backward, step."""
    torch.manual_seed(0)
    net = Net()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    X, y = _pixels(mnist.X_train), torch.tensor(mnist.y_train)
    for _ in range(2):
        for i in range(0, len(X), 64):
            loss = F.cross_entropy(net(X[i : i + 64]), y[i : i + 64])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return net.eval()


def _saved(tmp_path, module: nn.Module, name: str = "model.pth"):
    path = tmp_path / name
    torch.save(module.state_dict(), path)
    return path


def _zh(exc: ModelFileError) -> str:
    return Translator("zh-TW")(f"errors.{exc.code}", **exc.params)


def test_the_slides_net_predicts_exactly_what_it_predicted(tmp_path, mnist, slides_net):
    model = models.load_model(_saved(tmp_path, slides_net), model_config=MNIST_MLP)
    with torch.no_grad():
        expected = slides_net(_pixels(mnist.X_valid))
        mine = model(_pixels(mnist.X_valid))  # the same inputs through the loaded network
    assert torch.equal(mine, expected)
    # NN Lab's own prediction path (uint8 images, divided by 255 per batch) agrees digit for digit.
    digits = models.predict(model, mnist.X_valid)
    assert (digits == expected.argmax(1).numpy()).all()
    assert (digits == mnist.y_valid).mean() > 0.8  # a trained network, not a random one
    assert model.config == MNIST_MLP and not model.training


def test_the_metadata_says_where_the_weights_came_from(tmp_path, slides_net):
    model, meta = models.load_model_file(_saved(tmp_path, slides_net), model_config=MNIST_MLP)
    assert meta["format"] == models.persistence.PLAIN_FORMAT
    assert meta["train_config"] is None and ModelConfig.from_dict(meta["model_config"]) == MNIST_MLP
    assert meta["extra"] == {
        "names": ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"],
        "reordered": False,
    }


def test_layers_defined_out_of_order_and_batchnorm_stats_still_fit(tmp_path, mnist):
    torch.manual_seed(1)
    net = BackwardsNet()
    net.train()
    with torch.no_grad():  # move BatchNorm's running statistics away from their start
        for i in range(0, 1000, 100):
            net(_pixels(mnist.X_train[i : i + 100]))
    net.eval()
    cfg = ModelConfig(
        input_shape=(28, 28), n_outputs=10, task="multiclass", hidden=(128,), batchnorm=True
    )
    model, meta = models.load_model_file(_saved(tmp_path, net), model_config=cfg)
    assert meta["extra"]["reordered"]
    assert meta["extra"]["names"][:2] == ["hidden.weight", "hidden.bias"]
    with torch.no_grad():
        assert torch.equal(model(_pixels(mnist.X_valid[:500])), net(_pixels(mnist.X_valid[:500])))
    bn = model[2]
    assert isinstance(bn, nn.BatchNorm1d) and int(bn.num_batches_tracked) == 10


def test_a_batchnorm_net_keeps_its_running_statistics(tmp_path, mnist):
    torch.manual_seed(2)
    net = BatchNormNet().train()
    with torch.no_grad():
        net(_pixels(mnist.X_train[:500]))
    net.eval()
    cfg = ModelConfig(
        input_shape=(28, 28), n_outputs=10, task="multiclass", hidden=(64,), batchnorm=True
    )
    model = models.load_model(_saved(tmp_path, net), model_config=cfg)
    with torch.no_grad():
        assert torch.equal(model(_pixels(mnist.X_valid[:500])), net(_pixels(mnist.X_valid[:500])))
    assert torch.equal(model[2].running_var, net.bn1.running_var)


def test_a_cnn_in_nn_labs_layout_loads_as_kind_cnn(tmp_path, mnist):
    torch.manual_seed(3)
    net = ConvNet().eval()
    cfg = ModelConfig(
        input_shape=(28, 28), n_outputs=10, task="multiclass", kind="cnn", hidden=(64,)
    )
    model = models.load_model(_saved(tmp_path, net), model_config=cfg)
    X = mnist.X_valid[:300]
    with torch.no_grad():
        expected = net(_pixels(X))
        assert torch.allclose(model(_pixels(X)), expected, atol=1e-6)
    assert (models.predict(model, X) == expected.argmax(1).numpy()).all()


def test_the_slides_xor_net_with_any_names_and_a_checkpoint_wrapper(tmp_path):
    ds = data.load("xor")
    torch.manual_seed(4)
    net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))  # layer.0.weight style names
    holder = nn.Module()
    holder.layer = net
    path = tmp_path / "checkpoint.pth"
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    torch.save(
        {"epoch": 7, "model_state_dict": holder.state_dict(), "optimizer": optimizer.state_dict()},
        path,
    )
    cfg = ModelConfig(input_shape=(2,), n_outputs=1, task="binary", hidden=(3,))
    model, meta = models.load_model_file(path, model_config=cfg)
    assert meta["extra"]["names"][0] == "layer.0.weight"
    with torch.no_grad():
        expected = torch.sigmoid(net(torch.tensor(ds.X_valid))).squeeze(1).numpy()
    assert np.allclose(models.predict_proba(model, ds.X_valid)[:, 1], expected, atol=1e-6)


def test_the_first_layer_that_differs_is_named_with_both_shapes(tmp_path, slides_net):
    path = _saved(tmp_path, slides_net)
    narrow = ModelConfig(input_shape=(28, 28), n_outputs=10, task="multiclass", hidden=(64,))
    with pytest.raises(ModelFileError) as err:
        models.load_model(path, model_config=narrow)
    exc = err.value
    assert exc.code == "state_dict_shape_mismatch"
    assert exc.params == {
        "position": 1,
        "layer": "fc1.weight",
        "file_shape": (128, 784),
        "model_layer": "Linear(784→64).weight",
        "model_shape": (64, 784),
    }
    zh = _zh(exc)
    assert "fc1.weight" in zh and "(128, 784)" in zh and "(64, 784)" in zh and "側邊欄" in zh
    # A deeper sidebar: the first difference is the second layer's weight.
    deeper = ModelConfig(input_shape=(28, 28), n_outputs=10, task="multiclass", hidden=(128, 64))
    with pytest.raises(ModelFileError) as err:
        models.load_model(path, model_config=deeper)
    assert err.value.params["layer"] == "fc2.weight" and err.value.params["position"] == 3
    assert (err.value.params["file_shape"], err.value.params["model_shape"]) == (
        (10, 128),
        (64, 128),
    )


def test_layers_that_only_swapping_identical_shapes_could_fix_are_refused(tmp_path):
    """fc3 first, then two 128x128 layers: which of those comes first is anyone's guess."""
    net = nn.Module()
    net.fc3 = nn.Linear(128, 10)
    net.fc1 = nn.Linear(784, 128)
    net.fc2a = nn.Linear(128, 128)
    net.fc2b = nn.Linear(128, 128)
    cfg = ModelConfig(input_shape=(28, 28), n_outputs=10, task="multiclass", hidden=(128, 128, 128))
    with pytest.raises(ModelFileError) as err:
        models.load_model(_saved(tmp_path, net), model_config=cfg)
    assert err.value.code == "state_dict_shape_mismatch"
    assert err.value.params["layer"] == "fc3.weight"


def test_too_few_and_too_many_tensors_are_counted(tmp_path):
    short = nn.Module()
    short.fc1 = nn.Linear(784, 128)
    short.fc2 = nn.Linear(128, 10, bias=False)
    with pytest.raises(ModelFileError) as err:
        models.load_model(_saved(tmp_path, short, "short.pth"), model_config=MNIST_MLP)
    assert err.value.code == "state_dict_too_few"
    assert err.value.params == {
        "file_count": 3,
        "model_count": 4,
        "model_layer": "Linear(128→10).bias",
    }
    long = Net()
    long.fc3 = nn.Linear(10, 10)  # one layer more than the sidebar's network
    with pytest.raises(ModelFileError) as err:
        models.load_model(_saved(tmp_path, long, "long.pth"), model_config=MNIST_MLP)
    assert err.value.code == "state_dict_too_many"
    assert err.value.params == {"file_count": 6, "model_count": 4, "layer": "fc3.weight"}
    assert "6" in _zh(err.value) and "fc3.weight" in _zh(err.value)


@pytest.mark.parametrize(
    ("payload", "code", "params"),
    [
        ({}, "state_dict_empty", {}),
        (
            {"fc1.weight": torch.zeros(128, 784), "epoch": 3},
            "state_dict_not_tensor",
            {"entry": "epoch", "kind": "int"},
        ),
        ([torch.zeros(3)], "state_dict_not_dict", {"kind": "list"}),
        (torch.zeros(3), "state_dict_not_dict", {"kind": "Tensor"}),
    ],
)
def test_files_that_are_not_a_dict_of_tensors_get_a_sentence(tmp_path, payload, code, params):
    path = tmp_path / "odd.pth"
    torch.save(payload, path)
    with pytest.raises(ModelFileError) as err:
        models.load_model(path, model_config=MNIST_MLP)
    assert (err.value.code, err.value.params) == (code, params)
    assert _zh(err.value) and "{" not in _zh(err.value)


class _Hostile:
    """Unpickling this calls open(marker, "w"): it would create the marker file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_pickle_that_would_run_code_is_refused_as_before(tmp_path, slides_net):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pth"
    torch.save({**slides_net.state_dict(), "payload": _Hostile(marker)}, path)
    for source in (path, path.read_bytes()):
        with pytest.raises(ModelFileError, match="could run code") as err:
            models.load_model(source, model_config=MNIST_MLP)
        assert err.value.code == "model_file_unsafe"
    assert not marker.exists()


def test_a_whole_pickled_module_is_refused_with_a_hint_to_save_its_state_dict(tmp_path):
    path, marker = tmp_path / "whole.pth", tmp_path / "pwned"
    net = Net()
    net.payload = _Hostile(marker)  # reading the file to word the refusal must not run this
    torch.save(net, path)  # torch.save(model): the class itself is pickled
    with path.open("rb") as stream:
        for source in (path, path.read_bytes(), stream):
            with pytest.raises(ModelFileError, match="could run code") as err:
                models.load_model(source, model_config=MNIST_MLP)
            assert err.value.code == "model_file_pickled_module"
            assert "torch.save(model.state_dict()" in str(err.value)
    assert "torch.save(model.state_dict()" in _zh(err.value)
    assert not marker.exists()


def test_an_nn_lab_file_keeps_its_own_architecture_whatever_config_is_given(tmp_path):
    ds = data.load("xor")
    own = ModelConfig(input_shape=(2,), n_outputs=1, task="binary", hidden=(5,), activation="tanh")
    original = models.build_model(own)
    path = tmp_path / "nnlab.pth"
    models.save_model(original, path)
    other = ModelConfig(input_shape=(2,), n_outputs=1, task="binary", hidden=(3,))
    loaded = models.load_model(path, model_config=other)
    assert loaded.config == own
    assert np.array_equal(
        models.predict_proba(loaded, ds.X_valid), models.predict_proba(original, ds.X_valid)
    )
