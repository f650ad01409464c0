"""Convolution lab math: the slides' example exactly, and agreement with torch's conv2d/max_pool2d."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lessons.convolution import (
    CLASSIC_KERNELS,
    MAX_CELL,
    SLIDE_FILTER,
    SLIDE_IMAGE,
    conv2d,
    maxpool2d,
    maxpool_winners,
    output_size,
    to_grid,
)

# The slides print 36 at row 2, column 4; the arithmetic (and torch) give 37.
# Pooling is unaffected because 37 does not win its window.
SLIDE_FEATURE_MAP = np.array(
    [
        [35, 27, 44, 32, 36, 38],
        [36, 36, 37, 37, 36, 43],
        [37, 37, 23, 26, 17, 35],
        [29, 25, 22, 18, 14, 27],
        [27, 25, 24, 21, 24, 32],
        [31, 38, 27, 34, 25, 40],
    ]
)
SLIDE_POOLED = np.array([[36, 44, 43], [37, 26, 35], [38, 34, 40]])


def _torch_conv(image, kernel, stride, padding):
    out = F.conv2d(
        torch.from_numpy(image)[None, None],
        torch.from_numpy(kernel)[None, None],
        stride=stride,
        padding=padding,
    )
    return out[0, 0].numpy()


def test_slides_worked_example():
    result = conv2d(SLIDE_IMAGE, SLIDE_FILTER)
    assert result.output.shape == (6, 6)
    np.testing.assert_array_equal(result.output[0], [35, 27, 44, 32, 36, 38])
    np.testing.assert_array_equal(result.output, SLIDE_FEATURE_MAP)
    np.testing.assert_array_equal(maxpool2d(result.output, 2), SLIDE_POOLED)


def test_first_window_products_sum_to_35():
    result = conv2d(SLIDE_IMAGE, SLIDE_FILTER)
    np.testing.assert_array_equal(result.window(0, 0), SLIDE_IMAGE[:3, :3])
    np.testing.assert_array_equal(result.products[0, 0], [[2, 0, 5], [4, 3, 12], [4, 3, 2]])
    assert result.products[0, 0].sum() == 35


@pytest.mark.parametrize("seed", range(6))
def test_matches_torch_conv2d_with_stride_and_padding(seed):
    rng = np.random.default_rng(seed)
    h, w = rng.integers(4, 11, size=2)
    kh, kw = rng.integers(1, 5, size=2)
    stride, padding = int(rng.integers(1, 4)), int(rng.integers(0, 3))
    image, kernel = rng.normal(size=(h, w)), rng.normal(size=(kh, kw))
    result = conv2d(image, kernel, stride=stride, padding=padding)
    np.testing.assert_allclose(
        result.output, _torch_conv(image, kernel, stride, padding), atol=1e-12
    )
    # The window replay agrees with the sums.
    i, j = result.output.shape[0] - 1, result.output.shape[1] - 1
    assert result.window(i, j).shape == kernel.shape
    assert (result.window(i, j) * kernel).sum() == pytest.approx(result.output[i, j])


@pytest.mark.parametrize("size", [1, 2, 3])
def test_maxpool_matches_torch(size):
    x = np.random.default_rng(size).normal(size=(7, 6))
    expected = F.max_pool2d(torch.from_numpy(x)[None, None], size)[0, 0].numpy()
    np.testing.assert_array_equal(maxpool2d(x, size), expected)
    winners = maxpool_winners(x, size)
    assert winners.sum() == expected.size
    assert sorted(x[winners]) == sorted(expected.ravel())


@pytest.mark.parametrize(
    ("n", "k", "s", "p"),
    [(8, 3, 1, 0), (8, 3, 1, 1), (8, 3, 2, 0), (7, 3, 2, 1), (28, 5, 3, 2), (5, 5, 1, 0)],
)
def test_output_size_formula_matches_torch(n, k, s, p):
    out = _torch_conv(np.zeros((n, n)), np.zeros((k, k)), s, p)
    assert output_size(n, k, s, p) == out.shape[0] == (n + 2 * p - k) // s + 1


def test_filter_bigger_than_padded_image_is_explained():
    with pytest.raises(ValueError, match="bigger than the 3×3 padded image"):
        conv2d(np.ones((3, 3)), np.ones((5, 5)))
    assert conv2d(np.ones((3, 3)), np.ones((5, 5)), padding=1).output.shape == (1, 1)
    with pytest.raises(ValueError, match="stride must be at least 1"):
        output_size(8, 3, 0)
    with pytest.raises(ValueError, match="pooling window is bigger"):
        maxpool2d(np.ones((2, 2)), 3)


def test_to_grid_names_the_bad_cell():
    np.testing.assert_array_equal(to_grid([[1, "2"], [3.5, 4]]), [[1, 2], [3.5, 4]])
    with pytest.raises(ValueError, match="row 2, column 1 of the image holds 'abc'"):
        to_grid([[1, 2], ["abc", 4]], "image")
    with pytest.raises(ValueError, match="row 1, column 2 of the filter is empty"):
        to_grid([[1, None]], "filter")
    with pytest.raises(ValueError, match="empty"):
        to_grid([], "filter")


@pytest.mark.parametrize("huge", [1e308, 1e20, -MAX_CELL - 1])
def test_to_grid_refuses_numbers_too_large_to_show_exactly(huge):
    # 1e20 used to pass and print as -9223372036854775808 in the feature-map table.
    with pytest.raises(ValueError, match="row 1, column 2 of the image is too large"):
        to_grid([[1, huge]], "image")
    np.testing.assert_array_equal(to_grid([[MAX_CELL, -MAX_CELL]]), [[MAX_CELL, -MAX_CELL]])


def test_largest_cells_still_sum_exactly():
    # The worst case the editors allow: a 5×5 window of MAX_CELL times MAX_CELL weights.
    out = conv2d(np.full((5, 5), MAX_CELL), np.full((5, 5), -MAX_CELL)).output
    assert out[0, 0] == -25 * MAX_CELL**2 and float(out[0, 0]).is_integer()


@pytest.mark.parametrize(("n", "s"), [(3, 8), (8, 8), (5, 6)])
def test_stride_larger_than_the_image_keeps_only_the_first_window(n, s):
    image = np.arange(n * n, dtype=float).reshape(n, n)
    result = conv2d(image, SLIDE_FILTER, stride=s)
    np.testing.assert_array_equal(result.output, _torch_conv(image, SLIDE_FILTER, s, 0))
    assert result.output.shape == (1, 1)


def test_padding_past_k_minus_1_gives_windows_of_only_zeros():
    result = conv2d(SLIDE_IMAGE, SLIDE_FILTER, padding=4)
    np.testing.assert_array_equal(result.output, _torch_conv(SLIDE_IMAGE, SLIDE_FILTER, 1, 4))
    assert result.output.shape == (14, 14) and result.output[0, 0] == 0


def test_classic_kernels():
    assert all(k.shape[0] == k.shape[1] and k.shape[0] % 2 == 1 for k in CLASSIC_KERNELS.values())
    for name in ("Box blur 3×3", "Gaussian blur 5×5", "Sharpen", "Identity"):
        assert CLASSIC_KERNELS[name].sum() == pytest.approx(1.0)
    for name in ("Edge (outline)", "Horizontal edge (Sobel)", "Vertical edge (Sobel)"):
        assert CLASSIC_KERNELS[name].sum() == 0
    image = np.random.default_rng(0).normal(size=(6, 6))
    np.testing.assert_allclose(conv2d(image, CLASSIC_KERNELS["Identity"], padding=1).output, image)
