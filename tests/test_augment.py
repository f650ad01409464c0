"""Training augmentation (models/augment.py): what it does to a digit, its seed, and the trainer's use of it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import data
from data.errors import CodedError
from models import ModelConfig, TrainConfig, TrainingRun
from models.augment import DigitAugmenter, _dilate, check_augmentable, sampling_grid
from models.cli import main
from models.tensors import to_model_input


@pytest.fixture(scope="module")
def small_mnist():
    return data.load("mnist", n_train=256, n_valid=64)


@pytest.fixture(scope="module")
def digits(small_mnist):
    return to_model_input(torch.from_numpy(np.array(small_mnist.X_train[:200])))


def test_a_batch_keeps_its_shape_and_range_and_the_input_is_untouched(digits):
    before = digits.clone()
    out = DigitAugmenter(0)(digits)
    assert out.shape == digits.shape and out.dtype == torch.float32
    assert float(out.min()) >= 0.0 and float(out.max()) <= 1.0
    assert torch.equal(digits, before)
    assert not torch.equal(out, digits)


def test_each_image_gets_its_own_transform_and_every_call_new_ones(digits):
    same = digits[:1].repeat(16, 1, 1)
    aug = DigitAugmenter(0)
    first = aug(same)
    assert len({tuple(img.flatten().tolist()) for img in first}) == 16
    assert not torch.equal(first, aug(same))


def test_the_same_seed_gives_the_same_images_and_another_seed_others(digits):
    a, b, c = DigitAugmenter(3), DigitAugmenter(3), DigitAugmenter(4)
    assert torch.equal(a(digits), b(digits))
    assert torch.equal(a(digits), b(digits))  # the streams stay in step
    assert not torch.equal(DigitAugmenter(3)(digits), c(digits))


def test_the_ink_stays_on_the_canvas(digits):
    """Mild transforms: a digit is never pushed off the 28x28 field or erased."""
    out = DigitAugmenter(1)(digits)
    ink_in = digits.sum(dim=(1, 2))
    ink_out = out.sum(dim=(1, 2))
    assert bool((ink_out > 0.3 * ink_in).all())
    # MNIST leaves a 4-pixel margin; after augmenting, the outermost rows and columns
    # hold almost none of the ink (0.07% for this seed): little is cut off.
    border = torch.cat([out[:, 0], out[:, -1], out[:, :, 0], out[:, :, -1]], dim=1)
    assert float(border.sum() / out.sum()) < 0.005


def test_strokes_get_thicker_and_thinner_on_average(digits):
    """Over many images, the augmenter both thickens (more ink) and thins (less ink) some."""
    ratio = DigitAugmenter(2)(digits).sum(dim=(1, 2)) / digits.sum(dim=(1, 2))
    assert float(ratio.max()) > 1.4 and float(ratio.min()) < 0.8


def test_the_fast_building_blocks_equal_torchs_own():
    x = torch.rand(5, 28, 28)
    assert torch.equal(_dilate(x), F.max_pool2d(x.unsqueeze(1), 3, 1, 1).squeeze(1))
    theta = torch.randn(5, 2, 3)
    expected = F.affine_grid(theta, [5, 1, 28, 20], align_corners=False)
    assert torch.allclose(sampling_grid(theta, 28, 20), expected, atol=1e-5)


def test_an_empty_batch_passes_through():
    assert DigitAugmenter(0)(torch.zeros(0, 28, 28)).shape == (0, 28, 28)


@pytest.mark.parametrize("shape", [(2,), (4,), (1, 28, 28)])
def test_anything_but_a_plain_image_is_refused(shape):
    with pytest.raises(CodedError) as err:
        check_augmentable(shape)
    assert err.value.code == "augment_needs_images" and err.value.params == {"shape": shape}


def test_a_table_run_with_augmentation_is_refused_not_silently_trained_without():
    xor = data.load("xor")
    mc = ModelConfig(input_shape=xor.input_shape, n_outputs=1, task="binary")
    with pytest.raises(CodedError) as err:
        TrainingRun(xor, mc, TrainConfig(augment=True))
    assert err.value.code == "augment_needs_images"


def test_the_cli_refuses_augment_for_a_table_with_a_sentence(capsys):
    assert main(["--dataset", "iris", "--augment", "--epochs", "1"]) == 2
    assert "Augmentation" in capsys.readouterr().err


def _run(ds, **train):
    mc = ModelConfig(input_shape=ds.input_shape, n_outputs=10, task="multiclass", hidden=(16,))
    return TrainingRun(ds, mc, TrainConfig(batch_size=32, epochs=2, **train))


def test_augmented_training_is_deterministic_and_slicing_changes_nothing(small_mnist):
    whole = _run(small_mnist, augment=True).advance()
    sliced = _run(small_mnist, augment=True)
    while not sliced.done:
        sliced.advance(max_steps=3)
    plain = _run(small_mnist).advance()
    for a, b in zip(whole.model.parameters(), sliced.model.parameters(), strict=True):
        assert torch.equal(a, b)
    assert not all(
        torch.equal(a, c)
        for a, c in zip(whole.model.parameters(), plain.model.parameters(), strict=True)
    )
    assert whole.status == "finished" and whole.train_config.augment


def test_the_setting_travels_with_the_config():
    tc = TrainConfig(augment=True)
    assert TrainConfig.from_dict(tc.to_dict()) == tc
    older = {k: v for k, v in TrainConfig().to_dict().items() if k != "augment"}
    assert TrainConfig.from_dict(older).augment is False
    assert dataclasses.replace(tc, augment=False) == TrainConfig()


def test_the_cli_flag_sets_it(tmp_path):
    path = tmp_path / "aug.pth"
    argv = ["--dataset", "mnist", "--n-train", "128", "--n-valid", "32", "--epochs", "1"]
    assert main([*argv, "--hidden", "8", "--augment", "--save", str(path)]) == 0
    from models import load_model_file

    _, meta = load_model_file(path)
    assert meta["train_config"]["augment"] is True
