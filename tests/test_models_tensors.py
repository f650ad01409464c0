"""models.tensors: a dataset's arrays become model input one batch at a time."""

from __future__ import annotations

import numpy as np
import torch

from models.tensors import as_tensor, to_model_input


def test_uint8_images_become_floats_in_0_1_exactly_as_pixel_over_255():
    images = torch.arange(256, dtype=torch.uint8).reshape(16, 16)
    x = to_model_input(images)
    assert x.dtype == torch.float32
    assert torch.equal(x, torch.arange(256, dtype=torch.float32).reshape(16, 16) / 255)


def test_writing_into_a_buffer_gives_the_same_values_as_a_fresh_tensor():
    images = torch.from_numpy(
        np.random.default_rng(0).integers(0, 256, (8, 28, 28), dtype=np.uint8)
    )
    buffer = torch.full((8, 28, 28), -1.0)
    out = to_model_input(images, out=buffer)
    assert out.data_ptr() == buffer.data_ptr()
    assert torch.equal(out, to_model_input(images))


def test_float_features_pass_through_and_other_dtypes_become_float32():
    features = torch.randn(4, 3)
    assert to_model_input(features) is features  # no copy of tabular data
    doubles = torch.randn(4, 3, dtype=torch.float64)
    assert to_model_input(doubles).dtype == torch.float32
    assert torch.allclose(to_model_input(doubles), doubles.float())
    buffer = torch.empty(4, 3)
    assert torch.equal(to_model_input(doubles, out=buffer), doubles.float())


def test_read_only_numpy_arrays_are_wrapped_without_a_copy():
    array = np.arange(6, dtype=np.uint8)
    array.setflags(write=False)
    tensor = as_tensor(array)
    assert tensor.data_ptr() == array.ctypes.data
