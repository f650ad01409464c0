"""models.build_model / model_summary: architectures, parameter counts, init schemes, bad configs."""

import math

import numpy as np
import pytest
import torch
from torch import nn

import models
from models import BUILDER_ACTIVATIONS, ModelConfig, build_model, count_parameters, model_summary
from models.activations import ACTIVATIONS
from models.tensors import to_model_input


def _mnist_mlp(**kw) -> ModelConfig:
    return ModelConfig(input_shape=(28, 28), n_outputs=10, task="multiclass", **kw)


def _layer_types(model: nn.Module) -> list[type]:
    return [type(m) for m in model]


def test_slides_keras_summary_flatten_dense128_dense10():
    # The slides' Keras printout: dense 100,480 + dense_1 1,290 = 101,770.
    model = build_model(_mnist_mlp(hidden=[128]))
    summary = model_summary(model)
    params = [(r.layer.split(" ")[1], r.params) for r in summary.rows]
    assert params == [("(Flatten)", 0), ("(Linear)", 100_480), ("(ReLU)", 0), ("(Linear)", 1_290)]
    assert [r.output_shape for r in summary.rows] == [
        "(None, 784)",
        "(None, 128)",
        "(None, 128)",
        "(None, 10)",
    ]
    assert summary.total_params == summary.trainable_params == 101_770
    assert count_parameters(model) == 101_770
    text = summary.to_text()
    assert "100,480" in text and "1,290" in text and "Total params: 101,770" in text
    assert summary.rows_as_dicts()[1] == {
        "Layer (type)": "linear_1 (Linear)",
        "Output shape": "(None, 128)",
        "Param #": 100_480,
    }


def test_mlp_784_500_500_10_parameter_count():
    model = build_model(_mnist_mlp(hidden=[500, 500], activation="sigmoid"))
    expected = (784 * 500 + 500) + (500 * 500 + 500) + (500 * 10 + 10)
    assert count_parameters(model) == expected == 648_010
    assert model_summary(model).total_params == expected


def test_summary_leaves_batchnorm_statistics_alone():
    model = build_model(_mnist_mlp(hidden=[32], batchnorm=True))
    model.train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    model_summary(model)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


@pytest.mark.parametrize("name", BUILDER_ACTIVATIONS)
def test_every_builder_activation_builds_and_runs_forward(name):
    torch.manual_seed(0)
    cfg = ModelConfig(
        input_shape=(4,), n_outputs=3, task="multiclass", hidden=[16, 8], activation=name
    )
    model = build_model(cfg)
    act_type = type(ACTIVATIONS[name].module())
    assert sum(isinstance(m, act_type) for m in model) == 2  # one per hidden layer
    out = model(torch.randn(5, 4))
    assert out.shape == (5, 3) and torch.isfinite(out).all()
    out.sum().backward()  # every parameter gets a gradient through this activation
    assert all(p.grad is not None and torch.isfinite(p.grad).all() for p in model.parameters())


def test_batchnorm_and_dropout_appear_where_asked():
    plain = build_model(ModelConfig((4,), 3, "multiclass", hidden=[16, 8]))
    assert _layer_types(plain) == [nn.Linear, nn.ReLU, nn.Linear, nn.ReLU, nn.Linear]

    full = build_model(
        ModelConfig((4,), 3, "multiclass", hidden=[16, 8], batchnorm=True, dropout=0.25)
    )
    # Linear -> BatchNorm (on Z) -> activation -> Dropout (on H), per hidden layer; none on the output.
    block = [nn.Linear, nn.BatchNorm1d, nn.ReLU, nn.Dropout]
    assert _layer_types(full) == block + block + [nn.Linear]
    assert [m.num_features for m in full if isinstance(m, nn.BatchNorm1d)] == [16, 8]
    assert all(m.p == 0.25 for m in full if isinstance(m, nn.Dropout))

    cnn = build_model(_mnist_mlp(kind="cnn", hidden=[32], batchnorm=True))
    types = _layer_types(cnn)
    assert types.count(nn.BatchNorm2d) == 2 and types.count(nn.BatchNorm1d) == 1
    # each BatchNorm2d directly follows its convolution
    assert all(types[i - 1] is nn.Conv2d for i, t in enumerate(types) if t is nn.BatchNorm2d)


def _first_linear(cfg: ModelConfig) -> nn.Linear:
    torch.manual_seed(0)
    return next(m for m in build_model(cfg) if isinstance(m, nn.Linear))


def test_he_and_xavier_init_give_the_textbook_weight_statistics():
    fan_in, fan_out = 784, 500
    he = _first_linear(_mnist_mlp(hidden=[fan_out], init="he"))
    xavier = _first_linear(_mnist_mlp(hidden=[fan_out], init="xavier"))
    default = _first_linear(_mnist_mlp(hidden=[fan_out], init="default"))

    # He (Kaiming normal): mean 0, std sqrt(2 / fan_in). 392,000 samples: the estimate is within 1%.
    w = he.weight.detach()
    assert w.std().item() == pytest.approx(math.sqrt(2 / fan_in), rel=0.02)
    assert abs(w.mean().item()) < 1e-3
    assert torch.count_nonzero(he.bias) == 0

    # Xavier uniform: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)), std a / sqrt(3).
    w = xavier.weight.detach()
    bound = math.sqrt(6 / (fan_in + fan_out))
    assert w.abs().max().item() <= bound
    assert w.abs().max().item() > 0.99 * bound
    assert w.std().item() == pytest.approx(math.sqrt(2 / (fan_in + fan_out)), rel=0.02)
    assert torch.count_nonzero(xavier.bias) == 0

    # PyTorch's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), std 1/sqrt(3 fan_in); biases are not zero.
    w = default.weight.detach()
    assert w.std().item() == pytest.approx(1 / math.sqrt(3 * fan_in), rel=0.02)
    assert torch.count_nonzero(default.bias) > 0
    # He is sqrt(6) times wider than the default at the same fan-in.
    assert he.weight.std().item() / w.std().item() == pytest.approx(math.sqrt(6), rel=0.03)


def test_init_applies_to_conv_layers_too():
    torch.manual_seed(0)
    cnn = build_model(_mnist_mlp(kind="cnn", hidden=[32], init="he", conv_channels=[64, 32]))
    conv2 = [m for m in cnn if isinstance(m, nn.Conv2d)][1]
    fan_in = 64 * 3 * 3
    assert conv2.weight.std().item() == pytest.approx(math.sqrt(2 / fan_in), rel=0.05)
    assert torch.count_nonzero(conv2.bias) == 0


def test_cnn_output_shape_on_uint8_mnist_images():
    torch.manual_seed(0)
    cfg = _mnist_mlp(kind="cnn", hidden=[32], conv_channels=[16, 32])
    model = build_model(cfg)
    images = np.random.default_rng(0).integers(0, 256, size=(5, 28, 28), dtype=np.uint8)
    x = to_model_input(torch.from_numpy(images))
    assert x.dtype == torch.float32 and 0.0 <= x.min() and x.max() <= 1.0
    out = model(x)
    assert out.shape == (5, 10) and torch.isfinite(out).all()
    types = _layer_types(model)
    assert types.count(nn.Conv2d) == 2 and types.count(nn.MaxPool2d) == 2
    # 28 -> 14 -> 7 after two poolings: the head sees 32 * 7 * 7 features.
    head = [m for m in model if isinstance(m, nn.Linear)][0]
    assert head.in_features == 32 * 7 * 7
    expected = (1 * 16 * 9 + 16) + (16 * 32 * 9 + 32) + (32 * 49 * 32 + 32) + (32 * 10 + 10)
    assert count_parameters(model) == expected


@pytest.mark.parametrize("kernel_size", [3, 5])
@pytest.mark.parametrize("blocks", [1, 2, 3])
def test_cnn_runs_for_odd_kernels_and_several_blocks(kernel_size, blocks):
    cfg = _mnist_mlp(kind="cnn", hidden=[8], conv_channels=[4] * blocks, kernel_size=kernel_size)
    assert build_model(cfg)(torch.zeros(2, 28, 28)).shape == (2, 10)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"dropout": 1.0}, "Dropout"),
        ({"dropout": -0.1}, "Dropout"),
        ({"hidden": [16, 0]}, "neuron"),
        ({"activation": "swish"}, "Unknown activation 'swish'"),
        ({"kind": "transformer"}, "Unknown model kind 'transformer'"),
        ({"init": "lecun"}, "Unknown initialization 'lecun'"),
        ({"kind": "cnn", "conv_channels": [4] * 5}, "shrunk"),
    ],
)
def test_bad_configs_raise_a_readable_value_error(overrides, message):
    with pytest.raises(ValueError, match=message) as err:
        build_model(_mnist_mlp(**{"hidden": [8], **overrides}))
    assert "Traceback" not in str(err.value) and len(str(err.value)) < 300


def test_cnn_on_tabular_input_is_a_value_error():
    with pytest.raises(ValueError, match="image input"):
        build_model(ModelConfig((4,), 3, "multiclass", kind="cnn"))


@pytest.mark.parametrize(
    "overrides",
    [{"kernel_size": 0}, {"conv_channels": [0, 8]}],
    ids=["kernel_size=0", "zero_channels"],
)
@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors")
def test_impossible_cnn_geometry_is_a_value_error(overrides):
    # Regression test: these used to build and then fail at the first forward pass with a
    # RuntimeError from conv2d/oneDNN (the CLI printed a traceback) instead of being refused.
    cfg = _mnist_mlp(kind="cnn", hidden=[8], **overrides)
    with pytest.raises(ValueError):
        build_model(cfg)(torch.zeros(2, 28, 28))


@pytest.mark.parametrize("kernel_size", [2, 4])
def test_even_kernel_sizes_either_work_or_are_refused(kernel_size):
    # Regression test: padding k//2 grows an even-kernel feature map by one pixel, so with three
    # blocks the head's in_features (computed as if the size were kept) was wrong (7 -> 8 -> 4,
    # not 3) and the first forward pass raised a shape-mismatch RuntimeError.
    cfg = _mnist_mlp(kind="cnn", hidden=[8], conv_channels=[4, 4, 4], kernel_size=kernel_size)
    try:
        model = build_model(cfg)
    except ValueError:
        return
    assert model(torch.zeros(2, 28, 28)).shape == (2, 10)


def test_network_remembers_its_config():
    cfg = _mnist_mlp(hidden=[8])
    model = models.build_mlp(cfg)
    assert isinstance(model, models.Network) and model.config is cfg


def test_inference_copy_predicts_like_the_model_without_touching_it():
    torch.manual_seed(0)
    model = build_model(_mnist_mlp(hidden=[32], dropout=0.5, batchnorm=True)).train()
    x = torch.rand(8, 28, 28)
    copy_ = models.inference_copy(model)
    assert model.training and not copy_.training  # the training model keeps its mode
    assert all(p.requires_grad for p in model.parameters())
    assert not any(p.requires_grad for p in copy_.parameters())
    model.eval()
    with torch.no_grad():
        assert torch.equal(copy_(x), model(x))
    with torch.no_grad():
        next(copy_.parameters()).add_(1.0)  # the copy owns its weights
    assert not torch.equal(next(copy_.parameters()), next(model.parameters()))


def _regression(**kw) -> ModelConfig:
    return ModelConfig(input_shape=(3,), n_outputs=1, task="regression", hidden=(5,), **kw)


def test_a_target_scale_rescales_the_output_and_keeps_the_layers_and_state_dict(tmp_path):
    from models import load_model, load_model_file, save_model

    X = torch.randn(7, 3)
    torch.manual_seed(4)
    plain = build_model(_regression())
    torch.manual_seed(4)
    scaled = build_model(_regression(target_mean=300_000.0, target_std=55_000.0))
    assert list(scaled.state_dict()) == list(plain.state_dict())
    assert _layer_types(scaled) == _layer_types(plain)  # no layer added: the probes see the same
    with torch.no_grad():
        assert torch.allclose(scaled(X), plain(X) * 55_000.0 + 300_000.0)
    cfg = scaled.config
    assert ModelConfig.from_dict(cfg.to_dict()) == cfg
    assert ModelConfig.from_dict({k: v for k, v in cfg.to_dict().items() if "target" not in k}) == (
        _regression()
    )  # a file written before the field existed: no rescaling
    save_model(scaled, tmp_path / "m.pth")
    loaded, _ = load_model_file(tmp_path / "m.pth")
    assert loaded.config == cfg and torch.equal(loaded(X), scaled(X))
    # The slides' plain state_dict: matched by order and shape into the sidebar's config.
    torch.save(plain.state_dict(), tmp_path / "plain.pth")
    again = load_model(tmp_path / "plain.pth", model_config=cfg)
    with torch.no_grad():
        assert torch.equal(again(X), scaled(X))
    with pytest.raises(ValueError):
        build_model(_regression(target_std=0.0))
    with pytest.raises(ValueError):
        build_model(ModelConfig((5, 2), 1, "regression", kind="gru", hidden=(4,), target_std=2.0))
